"""The :class:`Bank`: one SQLite file holding notes, their items, themes, user marks and cards.

>>> bank = Bank("/tmp/bank.db")                       # doctest: +SKIP
>>> bank.add_paths(["a.md", "b.md"]).failed          # doctest: +SKIP
>>> [h.text for h in bank.search("新质生产力", kind="quote")]   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingdu.bank import search as srch
from jingdu.bank.grams import grams
from jingdu.bank.items import Prepared, digest, prepare, spans_from_json
from jingdu.bank.schema import connect, default_path, write_tx
from jingdu.bank.write import add_user_marks, delete_items, set_themes, write_prepared
from jingdu.errors import JingduError, NotFound
from jingdu.model import Doc, Span

#: ``progress(done, total, name)`` after each input.
ProgressFn = Callable[[int, int, str], None]
INPUT_ERRORS: tuple[type[BaseException], ...] = (JingduError, OSError, UnicodeError, ValueError)


@dataclass
class AddReport:
    """What ``add_paths`` did: per status counts and the inputs that failed, with reasons."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "failed": [{"input": n, "reason": r} for n, r in self.failed]}


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """A ``manifest.jsonl`` (one post a line, ``file`` relative to it) keyed by resolved file path."""
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("file"):
                out[str((path.parent / entry["file"]).resolve())] = entry
    return out


def _manifest_for(path: Path, cache: dict[Path, dict[str, dict[str, Any]]]) -> dict[str, Any] | None:
    for folder in (path.parent, path.parent.parent):
        man = folder / "manifest.jsonl"
        if folder not in cache:
            cache[folder] = load_manifest(man) if man.is_file() else {}
        entry = cache[folder].get(str(path.resolve()))
        if entry:
            return entry
    return None


def _with_manifest(doc: Doc, entry: dict[str, Any] | None) -> Doc:
    if not entry:
        return doc
    m = doc.meta
    return doc.with_meta(
        title=m.title or str(entry.get("title") or ""), published=m.published or str(entry.get("published") or ""),
        tags=tuple(dict.fromkeys([*m.tags, *entry.get("tags", [])])),
        categories=tuple(dict.fromkeys([*m.categories, *entry.get("categories", [])])))


def prepare_path(name: str, annotate: bool = False, entry: dict[str, Any] | None = None) -> Prepared:
    """Load, (annotate,) extract and prepare one input; raises on a bad input."""
    from jingdu.ingest import load

    doc = _with_manifest(load(name), entry)
    if annotate:
        from jingdu.annotate import annotate as run_annotate

        doc = run_annotate(doc)
    return prepare(doc, source_path=name, source_hash=source_hash(name, annotate, entry))


def source_hash(name: str, annotate: bool, entry: dict[str, Any] | None) -> str:
    """What a file was added from: its bytes, the flags and what is drawn (unchanged: skipped)."""
    from jingdu.bank.items import DRAW_VERSION

    try:
        data = Path(name).read_bytes() if Path(name).is_file() else b""
    except OSError:
        return ""
    if not data:
        return ""
    h = hashlib.blake2b(data, digest_size=12)
    h.update(f"\x1f{DRAW_VERSION}\x1f{annotate}\x1f{json.dumps(entry, sort_keys=True)}".encode())
    return h.hexdigest()


def _prepare_one(args: tuple[str, bool, dict[str, Any] | None]) -> tuple[str, Prepared | None, str | None]:
    name, annotate, entry = args
    try:
        return name, prepare_path(name, annotate, entry), None
    except INPUT_ERRORS as exc:
        reason = str(exc) if isinstance(exc, JingduError) else f"{type(exc).__name__}: {exc}"
        return name, None, reason or type(exc).__name__


class Bank:
    """The material bank at ``path`` (default: :func:`jingdu.bank.schema.default_path`)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.con: sqlite3.Connection = connect(self.path)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Bank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- adding ---------------------------------------------------------------------------
    def add_doc(self, doc: Doc, *, annotate: bool = False, source_path: str = "") -> tuple[str, int]:
        """Add or update one document; returns ``(added|updated|unchanged, note id)``."""
        if annotate:
            from jingdu.annotate import annotate as run_annotate

            doc = run_annotate(doc)
        prepared = prepare(doc, source_path=source_path)
        with write_tx(self.con):
            return write_prepared(self.con, prepared)

    def add_prepared(self, batch: Sequence[Prepared]) -> list[tuple[str, int]]:
        """Write prepared notes in one transaction."""
        with write_tx(self.con):
            return [write_prepared(self.con, p) for p in batch]

    def add_paths(self, paths: Iterable[str], annotate: bool = False, progress: ProgressFn | None = None,
                  jobs: int | None = None, batch: int = 64) -> AddReport:
        """Add files (or URLs); a bad one is reported in ``failed`` by name and the rest go in.

        Inputs are prepared in ``jobs`` worker processes (default: the CPU count, at most 4) and
        written ``batch`` notes per transaction.
        """
        names = [str(p) for p in paths]
        cache: dict[Path, dict[str, dict[str, Any]]] = {}
        work = [(n, annotate, _manifest_for(Path(n), cache) if Path(n).exists() else None) for n in names]
        jobs = jobs or min(4, os.cpu_count() or 1)
        report = AddReport()
        pending: list[Prepared] = []

        def flush() -> None:
            for status, note in self.add_prepared(pending):
                report.count(status)
                report.notes.append(note)
            pending.clear()

        known = {r[0] for r in self.con.execute("SELECT source_hash FROM notes WHERE source_hash != ''")}
        todo = []
        for name, ann, entry in work:
            if known and source_hash(name, ann, entry) in known:
                report.count("unchanged")
            else:
                todo.append((name, ann, entry))
        skipped = len(work) - len(todo)
        if progress and skipped:
            progress(skipped, len(work), "")
        for done, (name, prepared, error) in enumerate(self._prepared(todo, jobs), skipped + 1):
            if prepared is None:
                report.failed.append((name, error or "failed"))
            else:
                pending.append(prepared)
                if len(pending) >= batch:
                    flush()
            if progress:
                progress(done, len(work), name)
        if pending:
            flush()
        return report

    @staticmethod
    def _prepared(work: list[tuple[str, bool, dict[str, Any] | None]], jobs: int):  # type: ignore[no-untyped-def]
        if jobs <= 1 or len(work) < 8:
            yield from map(_prepare_one, work)
            return
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(_prepare_one, work, chunksize=4)

    # -- reading --------------------------------------------------------------------------
    def _note_row(self, note_id: int | str) -> sqlite3.Row:
        if isinstance(note_id, int) or str(note_id).isdigit():
            row = self.con.execute("SELECT * FROM notes WHERE id = ?", (int(note_id),)).fetchone()
        else:
            row = self.con.execute("SELECT * FROM notes WHERE note_id = ? OR key = ? ORDER BY id LIMIT 1",
                                   (note_id, note_id)).fetchone()
        if row is None:
            raise NotFound(f"no note {note_id!r} in the bank")
        return row

    def get_note(self, note_id: int | str) -> dict[str, Any]:
        """A note's record (``id, note_id, title, source, url, published, tags, themes …``) and ``doc``."""
        row = self._note_row(note_id)
        rec = note_record(row)
        rec["doc"] = self._doc(row)
        rec["user_marks"] = [dict(r) for r in self.con.execute(
            'SELECT id, start, "end", layer, tag, text FROM user_marks WHERE note = ? ORDER BY start', (row["id"],))]
        return rec

    def get_doc(self, note_id: int | str) -> Doc:
        """The note as a document: its layers plus the user's marks (``origin="user"``)."""
        return self._doc(self._note_row(note_id))

    def _doc(self, row: sqlite3.Row) -> Doc:
        from jingdu.notation import read_note

        base = read_note(row["notation"], note_id=row["note_id"])
        spans = spans_from_json(row["layers"])
        for r in self.con.execute('SELECT start, "end", layer, tag FROM user_marks WHERE note = ?', (row["id"],)):
            if r["end"] <= len(base.text):
                spans.append(Span(r["start"], r["end"], r["layer"], r["tag"], "user"))
        return Doc(base.text, base.blocks, _by_layer(spans), base.meta)

    def recent_notes(self, n: int = 20) -> list[dict[str, Any]]:
        rows = self.con.execute("SELECT * FROM notes ORDER BY updated_at DESC, id DESC LIMIT ?", (n,))
        return [note_record(r) for r in rows]

    def notes(self) -> list[dict[str, Any]]:
        return [note_record(r) for r in self.con.execute("SELECT * FROM notes ORDER BY published DESC, id")]

    def item(self, item_id: int) -> dict[str, Any]:
        row = self.con.execute(srch.ITEM_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id} in the bank")
        return srch.hit_from_row(row, 0.0, []).to_dict()

    def items(self, kind: str | None = None, theme: str | None = None, source: str | None = None,
              limit: int | None = None) -> list[srch.Hit]:
        return srch.list_items(self.con, kind=kind, theme=theme, source=source, limit=limit)

    # -- searching ------------------------------------------------------------------------
    def search(self, query: str, kind: str | None = None, theme: str | None = None, source: str | None = None,
               limit: int = 20) -> list[srch.Hit]:
        """Full-text search (bigram FTS5, BM25); every hit holds every query term."""
        return srch.search(self.con, query, kind=kind, theme=theme, source=source, limit=limit)

    def like_search(self, query: str, kind: str | None = None, limit: int = 20) -> list[srch.Hit]:
        """The baseline: a LIKE scan of every item's text."""
        return srch.like_search(self.con, query, kind=kind, limit=limit)

    # -- the user's own work --------------------------------------------------------------
    def tag(self, item_id: int, themes: Sequence[str]) -> dict[str, Any]:
        """Replace an item's themes with ``themes`` (kept on re-add)."""
        with write_tx(self.con):
            if self.con.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise NotFound(f"no item {item_id} in the bank")
            set_themes(self.con, item_id, list(dict.fromkeys(themes)), by_user=True)
        return self.item(item_id)

    def set_user_marks(self, note_id: int | str, spans: Iterable[Span]) -> int:
        """Replace the user's marks on a note; highlighted ones become ``quote`` items (origin user)."""
        row = self._note_row(note_id)
        text = self._doc(row).text
        rows = []
        for sp in spans:
            if sp.end > len(text) or sp.end <= sp.start:
                raise JingduError(f"mark [{sp.start}, {sp.end}) does not fit the note ({len(text)} chars)")
            rows.append((sp.start, sp.end, sp.layer, sp.tag, text[sp.start:sp.end]))
        with write_tx(self.con):
            self.con.execute("DELETE FROM user_marks WHERE note = ?", (row["id"],))
            add_user_marks(self.con, row["id"], rows)
            self._user_items(row, rows)
        return len(rows)

    def _user_items(self, row: sqlite3.Row, rows: list[tuple[int, int, str, str | None, str]]) -> None:
        old = [r[0] for r in self.con.execute("SELECT id FROM items WHERE note = ? AND origin = 'user'", (row["id"],))]
        delete_items(self.con, old)
        themes = json.loads(row["themes"])
        kinds = {"highlight": "quote", "red": "term", "bold": "fact"}
        for start, end, layer, _tag, text in rows:
            kind = kinds.get(layer)
            if kind is None or not text.strip():
                continue
            cur = self.con.execute(
                'INSERT OR IGNORE INTO items (key, note, kind, text, start, "end", data, themes, origin)'
                " VALUES (?,?,?,?,?,?,?,?, 'user')",
                (digest(row["key"], "user", kind, text), row["id"], kind, text, start, end, "{}", json.dumps(themes)))
            if cur.rowcount:
                item_id = int(cur.lastrowid or 0)
                self.con.execute("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)", (item_id, grams(text)))
                set_themes(self.con, item_id, themes)

    # -- numbers --------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        c = self.con
        kinds = {r[0]: r[1] for r in c.execute("SELECT kind, COUNT(*) FROM items GROUP BY kind")}
        themes = {r[0]: r[1] for r in c.execute(
            "SELECT theme, COUNT(*) FROM item_themes GROUP BY theme ORDER BY COUNT(*) DESC")}
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return {"path": str(self.path), "notes": one("SELECT COUNT(*) FROM notes"),
                "items": one("SELECT COUNT(*) FROM items"), "kinds": kinds, "themes": themes,
                "user_marks": one("SELECT COUNT(*) FROM user_marks"), "cards": one("SELECT COUNT(*) FROM cards"),
                "reviews": one("SELECT COUNT(*) FROM review_log")}

    # -- review (see jingdu.review) -------------------------------------------------------
    def due_cards(self, limit: int | None = None, now: Any = None) -> list[Any]:
        from jingdu.review import due_cards

        return due_cards(self, limit=limit, now=now)

    def review(self, card_id: int, rating: int, now: Any = None) -> Any:
        from jingdu.review import review

        return review(self, card_id, rating, now=now)


def _by_layer(spans: list[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for sp in spans:
        out.setdefault(sp.layer, []).append(sp)
    return out


def note_record(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "note_id": row["note_id"], "title": row["title"], "source": row["account"],
            "url": row["url"], "published": row["published"], "tags": json.loads(row["tags"]),
            "categories": json.loads(row["categories"]), "themes": json.loads(row["themes"]),
            "added_at": row["added_at"], "updated_at": row["updated_at"]}
