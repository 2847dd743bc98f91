"""The web store over the real bank (:class:`jingdu.bank.Bank`).

Adapter notes: the bank keeps the user's marks (``set_user_marks``) but has no place for a
suggestion the user *rejected*; those are kept in the web app's ``web_marks`` table of the same
SQLite file and left out when a note is shown or exported.  The bank's connection is shared by
the server's worker threads, so every call holds one lock.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from jingdu.bank import Bank
from jingdu.bank.export import collect, export_anki
from jingdu.bank.search import KINDS
from jingdu.errors import InputError, NotFound
from jingdu.model import Doc, Span
from jingdu.web import exports
from jingdu.web.marks import MarkSet, apply
from jingdu.web.store import CardView, Export, Hit, MarkTable, NoteRow

T = TypeVar("T")


def note_id_of(doc: Doc) -> str:
    """The note's id: its own, else one made from its URL (or its text when it has none)."""
    if doc.meta.id:
        return doc.meta.id
    return "n" + hashlib.sha1((doc.meta.url or doc.text).encode("utf-8")).hexdigest()[:10]


def _hit(h: Any) -> Hit:
    note = h.note or {}
    return Hit(str(note.get("id", "")), h.kind, h.text, str(note.get("title") or ""), h.start, h.end,
               tuple(h.themes or ()), str(note.get("source") or ""), str(h.id))


class BankStore:
    """:class:`jingdu.web.store.Store` over the bank at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.bank = Bank(path)
        self.lock = threading.RLock()
        self.mark_table = MarkTable(path)

    def _locked(self, fn: Callable[[], T]) -> T:
        with self.lock:
            return fn()

    # -- notes -----------------------------------------------------------------------------
    def add(self, doc: Doc) -> str:
        if not doc.meta.id:
            doc = doc.with_meta(id=note_id_of(doc))
        _status, note = self._locked(lambda: self.bank.add_doc(doc))
        return str(note)

    def doc(self, note_id: str) -> Doc:
        doc = self._locked(lambda: self.bank.get_doc(note_id))
        return apply(doc, MarkSet((), self.mark_table.rejected(note_id)))

    def recent(self, n: int) -> list[NoteRow]:
        recs = self._locked(lambda: self.bank.recent_notes(n))
        return [NoteRow(str(r["id"]), r["title"] or r["note_id"] or str(r["id"]), r.get("source") or "",
                        r.get("published") or "", tuple(r.get("tags") or ()), tuple(r.get("themes") or ()))
                for r in recs]

    # -- search ----------------------------------------------------------------------------
    def search(self, query: str, kind: str = "", theme: str = "", source: str = "", limit: int = 50) -> list[Hit]:
        if query.strip():
            hits = self._locked(lambda: self.bank.search(query, kind=kind or None, theme=theme or None,
                                                         source=source or None, limit=limit))
        else:
            hits = self._locked(lambda: self.bank.items(kind=kind or None, theme=theme or None,
                                                        source=source or None, limit=limit))
        return [_hit(h) for h in hits]

    def facets(self) -> dict[str, list[str]]:
        def read() -> list[str]:
            rows = self.bank.con.execute("SELECT DISTINCT account FROM notes WHERE account != '' ORDER BY account")
            return [r[0] for r in rows]

        return {"kind": list(KINDS), "theme": [t for t, _ in self.themes()], "source": self._locked(read)}

    def themes(self) -> list[tuple[str, int]]:
        stats = self._locked(self.bank.stats)
        return [(str(k), int(v)) for k, v in stats.get("themes", {}).items()]

    def theme_items(self, theme: str, limit: int = 200) -> list[Hit]:
        return [_hit(h) for h in self._locked(lambda: self.bank.items(theme=theme, limit=limit))]

    # -- marks -----------------------------------------------------------------------------
    def marks(self, note_id: str) -> MarkSet:
        rec = self._locked(lambda: self.bank.get_note(note_id))
        user = tuple(sorted(Span(m["start"], m["end"], m["layer"], m.get("tag"), "user") for m in rec["user_marks"]))
        return MarkSet(user, self.mark_table.rejected(note_id))

    def set_marks(self, note_id: str, marks: MarkSet) -> None:
        self._locked(lambda: self.bank.set_user_marks(note_id, marks.user))
        self.mark_table.set_rejected(note_id, marks.rejected)

    # -- review ----------------------------------------------------------------------------
    def due(self, limit: int) -> list[CardView]:
        def read() -> list[CardView]:
            out = []
            for c in self.bank.due_cards(limit=limit):
                note = self.bank.item(c.item).get("note", {})
                out.append(CardView(str(c.id), c.front, c.back, str(note.get("id", "")), c.kind, c.due,
                                    {"title": c.source, "context": c.context}))
            return out

        return self._locked(read)

    def review(self, card_id: str, rating: int) -> dict[str, object]:
        if not str(card_id).isdigit():
            raise NotFound(f"no card {card_id!r}")
        return dict(self._locked(lambda: self.bank.review(int(card_id), rating)))

    # -- export ----------------------------------------------------------------------------
    def _theme_notes(self, theme: str) -> list[str]:
        return [str(r["id"]) for r in self._locked(self.bank.notes) if theme in (r.get("themes") or ())]

    def export(self, fmt: str, note_ids: list[str], theme: str = "") -> Export:
        if fmt == "anki":
            return self._locked(lambda: self._anki(theme, note_ids))
        if fmt == "collection":
            if not theme:
                raise InputError("a theme collection needs a theme")
            text = self._locked(lambda: collect(self.bank, theme))
            return Export(text.encode("utf-8"), "text/markdown; charset=utf-8", f"{exports.safe_name(theme)}.md")
        ids = note_ids or (self._theme_notes(theme) if theme else [str(r["id"]) for r in self._locked(self.bank.notes)])
        docs = [self.doc(i) for i in ids]
        return exports.export(fmt, docs, name=theme or (docs[0].meta.id if len(docs) == 1 else "jingdu"))

    def _anki(self, theme: str, note_ids: list[str]) -> Export:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "deck.apkg"
            export_anki(self.bank, out, theme=theme or None, notes=frozenset(note_ids) if note_ids else None)
            data = out.read_bytes()
        name = theme or (note_ids[0] if len(note_ids) == 1 else "jingdu")
        return Export(data, "application/octet-stream", f"{exports.safe_name(name)}.apkg")
