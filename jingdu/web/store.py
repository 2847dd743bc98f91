"""What the web app needs from the bank, behind one small interface.

:class:`Store` is implemented by :class:`jingdu.web.bankstore.BankStore` over the real bank
(:mod:`jingdu.bank`); :func:`open_store` opens it.  The bank keeps the user's marks; the
suggestions a user rejected live in the web app's own table (:class:`MarkTable`).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from fastapi import Request

from jingdu.model import Doc
from jingdu.web.marks import MarkSet


@dataclass(frozen=True)
class NoteRow:
    id: str
    title: str
    account: str = ""
    published: str = ""
    tags: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    note_id: str
    kind: str
    text: str
    title: str = ""
    start: int | None = None
    end: int | None = None
    themes: tuple[str, ...] = ()
    source: str = ""
    item_id: str = ""


@dataclass(frozen=True)
class CardView:
    id: str
    front: str
    back: str
    note_id: str = ""
    kind: str = ""
    due: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Export:
    data: bytes
    media_type: str
    filename: str


class Store(Protocol):
    def add(self, doc: Doc) -> str: ...
    def doc(self, note_id: str) -> Doc: ...
    def recent(self, n: int) -> list[NoteRow]: ...
    def search(self, query: str, kind: str = "", theme: str = "", source: str = "", limit: int = 50) -> list[Hit]: ...
    def facets(self) -> dict[str, list[str]]: ...
    def themes(self) -> list[tuple[str, int]]: ...
    def theme_items(self, theme: str, limit: int = 200) -> list[Hit]: ...
    def marks(self, note_id: str) -> MarkSet: ...
    def set_marks(self, note_id: str, marks: MarkSet) -> None: ...
    def due(self, limit: int) -> list[CardView]: ...
    def review(self, card_id: str, rating: int) -> dict[str, object]: ...
    def export(self, fmt: str, note_ids: list[str], theme: str = "") -> Export: ...


class MarkTable:
    """The web app's ``web_marks`` table: the suggestions a user rejected, per note.

    (The table's ``kind`` column also allows ``user`` rows; the user's own marks are kept by the
    bank, so only ``rejected`` rows are written.)
    """

    SQL = """CREATE TABLE IF NOT EXISTS web_marks (
        note_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('user', 'rejected')),
        layer TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, tag TEXT)"""

    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        with self.lock:
            self.con.execute("PRAGMA busy_timeout = 30000")
            self.con.execute(self.SQL)
            self.con.execute("CREATE INDEX IF NOT EXISTS web_marks_note ON web_marks(note_id)")

    def rejected(self, note_id: str) -> tuple[tuple[str, int, int], ...]:
        """The (layer, start, end) of the suggestions rejected on ``note_id``."""
        with self.lock:
            rows = self.con.execute('SELECT layer, start, "end" FROM web_marks WHERE note_id = ? '
                                    "AND kind = 'rejected'", (note_id,)).fetchall()
        return tuple(sorted((layer, s, e) for layer, s, e in rows))

    def set_rejected(self, note_id: str, rejected: tuple[tuple[str, int, int], ...]) -> None:
        """Replace the note's rows with ``rejected``."""
        rows = [(note_id, "rejected", layer, s, e, None) for layer, s, e in rejected]
        with self.lock:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                self.con.execute("DELETE FROM web_marks WHERE note_id = ?", (note_id,))
                self.con.executemany('INSERT INTO web_marks (note_id, kind, layer, start, "end", tag) '
                                     "VALUES (?, ?, ?, ?, ?, ?)", rows)
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")


def open_store(db_path: str | Path) -> Store:
    """The bank at ``db_path``."""
    from jingdu.web.bankstore import BankStore  # bankstore builds on this module's types

    return BankStore(db_path)


def store_of(request: Request) -> Store:
    """The store of the app serving ``request``."""
    return request.app.state.store  # type: ignore[no-any-return]
