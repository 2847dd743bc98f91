"""A small SQLite store for the workbench while ``jingdu.bank`` is not installed.

Notes are kept as their JSON form; quotes, terms and facts drawn from their marks are the
searchable items; each quote is a review card scheduled with FSRS.  Tables are prefixed
``web_`` so they never clash with the bank's.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from jingdu.errors import InputError, NotFound
from jingdu.model import Doc
from jingdu.web import exports
from jingdu.web.insight import items, themes_of
from jingdu.web.marks import MarkSet, apply
from jingdu.web.store import CardView, Export, Hit, MarkTable, NoteRow, dumps

_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_notes (id TEXT PRIMARY KEY, title TEXT, account TEXT, source TEXT,
    published TEXT, tags TEXT, themes TEXT, doc TEXT NOT NULL, added TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS web_items (id INTEGER PRIMARY KEY, note_id TEXT NOT NULL, kind TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER, "end" INTEGER, themes TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS web_cards (id INTEGER PRIMARY KEY, item INTEGER NOT NULL UNIQUE,
    fsrs TEXT NOT NULL, due TEXT NOT NULL);
"""


def note_id_of(doc: Doc) -> str:
    if doc.meta.id:
        return doc.meta.id
    return "n" + hashlib.sha1((doc.meta.url or doc.text).encode("utf-8")).hexdigest()[:10]


def cloze(text: str, terms: list[str]) -> str:
    for t in sorted(terms, key=len, reverse=True):
        if t and t in text:
            return text.replace(t, "［……］", 1)
    half = len(text) // 2
    return text[:half] + "［……］"


class LocalStore:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self.con.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        with self.lock:
            self.con.executescript(_SCHEMA)
        self.mark_table = MarkTable(self.path) if self.path != ":memory:" else _MemoryMarks(self.con, self.lock)

    # -- notes -----------------------------------------------------------------------------
    def add(self, doc: Doc) -> str:
        from jingdu.jsonio import to_dict

        nid = note_id_of(doc)
        if not doc.meta.id:
            doc = doc.with_meta(id=nid)
        source = (doc.meta.categories[0] if doc.meta.categories else "") or doc.meta.account
        note_themes = themes_of(doc.text, doc.meta.tags)
        now = datetime.now(UTC).isoformat()
        with self.lock:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                self.con.execute("DELETE FROM web_cards WHERE item IN (SELECT id FROM web_items WHERE note_id = ?)",
                                 (nid,))
                self.con.execute("DELETE FROM web_items WHERE note_id = ?", (nid,))
                self.con.execute("INSERT OR REPLACE INTO web_notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 (nid, doc.title, doc.meta.account, source, doc.meta.published,
                                  dumps(list(doc.meta.tags)), dumps(list(note_themes)), dumps(to_dict(doc)), now))
                for it in items(doc):
                    cur = self.con.execute('INSERT INTO web_items (note_id, kind, text, start, "end", themes, source) '
                                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                           (nid, it["kind"], it["text"], it["start"], it["end"],
                                            dumps(list(it["themes"])), source))
                    if it["kind"] == "quote":
                        self.con.execute("INSERT INTO web_cards (item, fsrs, due) VALUES (?, ?, ?)",
                                         (cur.lastrowid, "", now))
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
        return nid

    def doc(self, note_id: str) -> Doc:
        from jingdu.jsonio import from_dict

        with self.lock:
            row = self.con.execute("SELECT doc FROM web_notes WHERE id = ?", (note_id,)).fetchone()
        if row is None:
            raise NotFound(f"no note {note_id!r}")
        return apply(from_dict(json.loads(row["doc"])), self.marks(note_id))

    def recent(self, n: int) -> list[NoteRow]:
        with self.lock:
            rows = self.con.execute("SELECT * FROM web_notes ORDER BY added DESC, rowid DESC LIMIT ?", (n,)).fetchall()
        return [NoteRow(r["id"], r["title"] or r["id"], r["account"] or "", r["published"] or "",
                        tuple(json.loads(r["tags"] or "[]")), tuple(json.loads(r["themes"] or "[]"))) for r in rows]

    # -- search ----------------------------------------------------------------------------
    def _hits(self, where: str, args: list[object], limit: int) -> list[Hit]:
        sql = ('SELECT i.*, n.title FROM web_items i JOIN web_notes n ON n.id = i.note_id '
               f"WHERE {where} ORDER BY n.added DESC, i.start LIMIT ?")
        with self.lock:
            rows = self.con.execute(sql, [*args, limit]).fetchall()
        return [Hit(r["note_id"], r["kind"], r["text"], r["title"] or "", r["start"], r["end"],
                    tuple(json.loads(r["themes"])), r["source"], str(r["id"])) for r in rows]

    def search(self, query: str, kind: str = "", theme: str = "", source: str = "", limit: int = 50) -> list[Hit]:
        where, args = ["1 = 1"], []
        for word in query.split():
            where.append("(i.text LIKE ? OR n.title LIKE ?)")
            args += [f"%{word}%", f"%{word}%"]
        if kind:
            where.append("i.kind = ?")
            args.append(kind)
        if theme:
            where.append("i.themes LIKE ?")
            args.append(f'%"{theme}"%')
        if source:
            where.append("i.source = ?")
            args.append(source)
        return self._hits(" AND ".join(where), args, limit)

    def facets(self) -> dict[str, list[str]]:
        with self.lock:
            sources = [r[0] for r in self.con.execute("SELECT DISTINCT source FROM web_items WHERE source != ''")]
        return {"kind": ["quote", "fact", "term"], "theme": [t for t, _ in self.themes()], "source": sorted(sources)}

    def themes(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        with self.lock:
            for (raw,) in self.con.execute("SELECT themes FROM web_items"):
                for t in json.loads(raw):
                    counts[t] = counts.get(t, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def theme_items(self, theme: str, limit: int = 200) -> list[Hit]:
        return self._hits("i.themes LIKE ?", [f'%"{theme}"%'], limit)

    # -- marks -----------------------------------------------------------------------------
    def marks(self, note_id: str) -> MarkSet:
        return self.mark_table.get(note_id)

    def set_marks(self, note_id: str, marks: MarkSet) -> None:
        self.mark_table.put(note_id, marks)

    # -- review ----------------------------------------------------------------------------
    def due(self, limit: int) -> list[CardView]:
        now = datetime.now(UTC).isoformat()
        with self.lock:
            rows = self.con.execute(
                "SELECT c.id, c.due, i.text, i.note_id, n.title FROM web_cards c JOIN web_items i ON i.id = c.item "
                "JOIN web_notes n ON n.id = i.note_id WHERE c.due <= ? ORDER BY c.due, c.id LIMIT ?",
                (now, limit)).fetchall()
            terms = {r["note_id"]: [t[0] for t in self.con.execute(
                "SELECT text FROM web_items WHERE note_id = ? AND kind = 'term'", (r["note_id"],))] for r in rows}
        return [CardView(str(r["id"]), cloze(r["text"], terms[r["note_id"]]), r["text"], r["note_id"], "cloze",
                         r["due"], {"title": r["title"]}) for r in rows]

    def review(self, card_id: str, rating: int) -> dict[str, object]:
        from fsrs import Card, Rating, Scheduler

        if rating not in (1, 2, 3, 4):
            raise InputError("rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy)")
        with self.lock:
            row = self.con.execute("SELECT fsrs FROM web_cards WHERE id = ?", (card_id,)).fetchone()
            if row is None:
                raise NotFound(f"no card {card_id!r}")
            card = Card.from_json(row["fsrs"]) if row["fsrs"] else Card()
            card, _ = Scheduler().review_card(card, Rating(rating))
            self.con.execute("UPDATE web_cards SET fsrs = ?, due = ? WHERE id = ?",
                             (card.to_json(), card.due.isoformat(), card_id))
        return {"card": card_id, "rating": rating, "due": card.due.isoformat()}

    # -- export ----------------------------------------------------------------------------
    def export(self, fmt: str, note_ids: list[str], theme: str = "") -> Export:
        if theme:
            with self.lock:
                ids = [r[0] for r in self.con.execute("SELECT id FROM web_notes WHERE themes LIKE ? ORDER BY id",
                                                      (f'%"{theme}"%',))]
            note_ids = [*note_ids, *(i for i in ids if i not in note_ids)]
        if not note_ids:
            with self.lock:
                note_ids = [r[0] for r in self.con.execute("SELECT id FROM web_notes ORDER BY id")]
        docs = [self.doc(i) for i in note_ids]
        cards = [(cloze(it["text"], []), it["text"], note_id_of(d)) for d in docs for it in items(d)
                 if it["kind"] == "quote"]
        return exports.export(fmt, docs, cards, name=theme or (note_ids[0] if len(note_ids) == 1 else "jingdu"))


class _MemoryMarks(MarkTable):
    def __init__(self, con: sqlite3.Connection, lock: threading.RLock) -> None:  # noqa: D107
        self.con = con
        self.lock = lock  # type: ignore[assignment]
        with lock:
            con.execute(self.SQL)
