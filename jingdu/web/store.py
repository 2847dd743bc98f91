"""What the workbench needs from the bank, through the bank's public functions only.

The bank's connection is shared by the server's worker threads, so every call holds one lock,
for as short a time as it can (a note is prepared, extracted and its items drawn before the lock
is taken) and under a time limit (``Bank.deadline``).
Notes are named by the bank's id everywhere (URLs, API answers, marks, rejections).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from jingdu.bank import Bank, StoredNote, prepare
from jingdu.bank.export import collect, export_anki
from jingdu.bank.search import KINDS
from jingdu.errors import InvalidRequest, NotFound
from jingdu.extract import Extraction
from jingdu.model import Doc
from jingdu.pipeline import PipelineOptions
from jingdu.web import exports
from jingdu.web.exports import Export
from jingdu.web.marks import MarkSet

T = TypeVar("T")


@dataclass(frozen=True)
class NoteRow:
    id: int
    title: str
    account: str = ""
    published: str = ""
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    note_id: int
    kind: str
    text: str
    title: str = ""
    start: int | None = None
    end: int | None = None
    themes: tuple[str, ...] = ()
    source: str = ""
    item_id: int = 0
    roles: tuple[str, ...] = ()
    origin: str = "auto"
    notes: int = 1  # how many notes hold this very text (copies are shown once)


@dataclass(frozen=True)
class TermView:
    """A term as one row of the search page: its text and how many notes hold it."""

    text: str
    notes: int


@dataclass(frozen=True)
class CardView:
    id: int
    front: str
    back: str
    note_id: int = 0
    kind: str = ""
    due: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _hit(h: Any) -> Hit:
    note = h.note or {}
    return Hit(int(note.get("id") or 0), h.kind, h.text, str(note.get("title") or ""), h.start, h.end,
               tuple(h.themes or ()), str(note.get("source") or ""), int(h.id), tuple(h.roles or ()), h.origin,
               int(getattr(h, "notes", 1)))


class Store:
    """The bank at ``path``, as the workbench uses it."""

    def __init__(self, path: str | Path, limit: float = 30.0, check: bool = True) -> None:
        # a server runs for long: check the file once, whatever its size (the worker processes of
        # `jingdu serve --workers N` do not: the server checked it before starting them)
        self.bank = Bank(path, check=check)
        self.lock = threading.RLock()
        self.limit = limit  # seconds a call may keep the bank

    def _locked(self, fn: Callable[[], T]) -> T:
        with self.lock, self.bank.deadline(self.limit):
            return fn()

    # -- notes -----------------------------------------------------------------------------
    def add(self, doc: Doc) -> int:
        """Store a note; returns the bank's id (the same note added again keeps its id)."""
        prepared = prepare(doc, PipelineOptions())  # extraction and items, without the lock
        _status, note = self._locked(lambda: self.bank.add_prepared(prepared))
        return note

    def note(self, ref: str | int) -> StoredNote:
        return self._locked(lambda: self.bank.note(_ref(ref)))

    def doc(self, ref: str | int) -> Doc:
        return self.note(ref).shown

    def extraction(self, ref: str | int) -> Extraction:
        return self._locked(lambda: self.bank.extraction(_ref(ref)))

    def recent(self, n: int, offset: int = 0) -> list[NoteRow]:
        recs = self._locked(lambda: self.bank.recent_notes(n, offset))
        return [NoteRow(int(r["id"]), r["title"] or r["note_id"] or str(r["id"]), r.get("source") or "",
                        r.get("published") or "", tuple(r.get("tags") or ()), tuple(r.get("themes") or ()))
                for r in recs]

    def note_count(self) -> int:
        return self._locked(self.bank.note_count)

    # -- search ----------------------------------------------------------------------------
    def search(self, query: str, kind: str = "", theme: str = "", source: str = "", limit: int = 50) -> list[Hit]:
        if query.strip():
            hits = self._locked(lambda: self.bank.search(query, kind=kind or None, theme=theme or None,
                                                         source=source or None, limit=limit))
        else:
            hits = self._locked(lambda: self.bank.items(kind=kind or None, theme=theme or None,
                                                        source=source or None, limit=limit))
        return [_hit(h) for h in hits]

    def search_page(self, query: str, kind: str = "", theme: str = "", source: str = "",
                    limit: int = 50) -> tuple[list[TermView], list[Hit]]:
        """The terms grouped (one row each, with their count of notes), then sentences, then notes;
        without a query, the items that pass the filters."""
        if not query.strip():
            return [], self.search(query, kind, theme, source, limit)
        found = self._locked(lambda: self.bank.search_page(query, kind=kind or None, theme=theme or None,
                                                            source=source or None, limit=limit))
        return [TermView(t.text, t.notes) for t in found.terms], [_hit(h) for h in found.hits]

    def facets(self) -> dict[str, list[str]]:
        return {"kind": list(KINDS), "theme": [t for t, _ in self.themes()], "source": self._locked(self.bank.sources)}

    def themes(self) -> list[tuple[str, int]]:
        """Every theme (also those without items yet) with its number of items."""
        return self._locked(self.bank.theme_list)

    def theme_items(self, theme: str, limit: int = 200) -> list[Hit]:
        """The items of a theme; an unknown theme is a NotFound naming the themes there are."""
        self._locked(lambda: self.bank.check_theme(theme))
        return [_hit(h) for h in self._locked(lambda: self.bank.items(theme=theme, limit=limit))]

    # -- marks -----------------------------------------------------------------------------
    def marks(self, ref: str | int) -> MarkSet:
        stored = self.note(ref)
        return MarkSet(tuple(sorted(stored.user)), stored.rejected)

    def set_marks(self, ref: str | int, marks: MarkSet) -> None:
        self._locked(lambda: self.bank.set_marks(_ref(ref), marks.user, marks.rejected))

    # -- review ----------------------------------------------------------------------------
    def due(self, limit: int) -> list[CardView]:
        def read() -> list[CardView]:
            out = []
            for c in self.bank.due_cards(limit=limit):
                note = self.bank.item(c.item).get("note", {})
                out.append(CardView(c.id, c.front, c.back, int(note.get("id") or 0), c.kind, c.due,
                                    {"title": c.source, "context": c.context}))
            return out

        return self._locked(read)

    def review(self, card_id: str, rating: int) -> dict[str, object]:
        card = number(card_id, "card")
        return dict(self._locked(lambda: self.bank.review(card, rating)))

    # -- export ----------------------------------------------------------------------------
    def export(self, fmt: str, refs: list[str], theme: str = "", suggestions: bool = True) -> Export:
        if fmt == "anki":
            return self._locked(lambda: self._anki(theme, refs))
        if fmt == "collection":
            if not theme:
                raise InvalidRequest("a theme collection needs a theme")
            text = self._locked(lambda: collect(self.bank, theme))
            return Export(text.encode("utf-8"), "text/markdown; charset=utf-8", f"{exports.safe_name(theme)}.md")
        ids = [_ref(r) for r in refs] or [r["id"] for r in self._locked(lambda: self.bank.notes(theme or None))]
        docs = [self._locked(lambda i=i: self.bank.export_doc(i, suggestions)) for i in ids]
        return exports.export(fmt, docs, name=theme or (docs[0].meta.id if len(docs) == 1 else "jingdu"))

    def _anki(self, theme: str, refs: list[str]) -> Export:
        notes = frozenset(str(self.bank.resolve(_ref(r))) for r in refs) if refs else None
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "deck.apkg"
            export_anki(self.bank, out, theme=theme or None, notes=notes)
            data = out.read_bytes()
        name = theme or (refs[0] if len(refs) == 1 else "jingdu")
        return Export(data, "application/octet-stream", f"{exports.safe_name(name)}.apkg")


#: The largest id SQLite stores (a larger number names nothing; converting it would overflow).
MAX_ID = 2**63 - 1


def number(ref: str | int, what: str = "note") -> int:
    """An id of the bank from a URL's part: ASCII digits, at most SQLite's largest integer."""
    text = str(ref)
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    raise NotFound(f"no {what} {text[:40]!r}: {what}s are named by their number in the bank")


def _ref(ref: str | int) -> int:
    """A note is named by the bank's id in the workbench's URLs."""
    return number(ref)


def open_store(db_path: str | Path, limit: float = 30.0, check: bool = True) -> Store:
    """The bank at ``db_path``, checked whole when ``check``; each call may keep it ``limit`` seconds."""
    return Store(db_path, limit, check)


def store_of(request: Request) -> Store:
    """The store of the app serving ``request``."""
    return request.app.state.store  # type: ignore[no-any-return]
