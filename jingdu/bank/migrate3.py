"""Schema 2 → 3, one storage: each note once, as ``jingdu.note/1`` JSON.

Before, a note was kept twice (``notes.notation`` with the model's marks rendered, and
``notes.layers``), the user's marks in ``user_marks`` and the workbench's rejected suggestions
in ``web_marks`` under whatever id was in the URL; a sentence that was both a figure and a quote,
or a suggestion the user accepted, was two items.  This step folds all of it into ``notes.doc``
(every span with its origin, and the rejections), gives items their ``roles`` and joins the
duplicates (their cards and review history stay), and drops the old columns and tables.  The
extraction is made again on the first read of each note (``notes.extraction`` starts empty).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from jingdu.jsonio import to_dict
from jingdu.model import Doc, Span
from jingdu.notation import read_note

_DDL = (
    "ALTER TABLE notes ADD COLUMN doc TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE notes ADD COLUMN extraction TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE items ADD COLUMN roles TEXT NOT NULL DEFAULT ''",
    "UPDATE items SET roles = kind",
    """CREATE TABLE orphans (
        id INTEGER PRIMARY KEY,
        note INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        layer TEXT NOT NULL,
        origin TEXT NOT NULL,              -- user (the user's mark) | rejected (a rejected suggestion)
        start INTEGER NOT NULL, "end" INTEGER NOT NULL,   -- in the text the mark was made on
        text TEXT NOT NULL,                -- the words it marked
        found_at TEXT NOT NULL
    )""",
    "CREATE INDEX orphans_note ON orphans(note)",
)
_DROP = (
    "DROP TABLE user_marks",
    "DROP TABLE IF EXISTS web_marks",
    "ALTER TABLE notes DROP COLUMN notation",
    "ALTER TABLE notes DROP COLUMN layers",
)
_LINE = ("quote", "fact")


def one_storage(con: sqlite3.Connection) -> None:
    """Run inside the caller's transaction."""
    for stmt in _DDL:
        con.execute(stmt)
    rejected = _rejections(con)
    for row in con.execute("SELECT * FROM notes").fetchall():
        data = to_dict(_doc(con, row))
        refused = sorted(rejected.get(row["id"], set()))
        if refused:
            data["rejected"] = [{"layer": layer, "start": s, "end": e} for layer, s, e in refused]
        con.execute("UPDATE notes SET doc = ? WHERE id = ?",
                    (json.dumps(data, ensure_ascii=False, separators=(",", ":")), row["id"]))
        _join_items(con, row["id"])
    for stmt in _DROP:
        con.execute(stmt)


def _doc(con: sqlite3.Connection, row: sqlite3.Row) -> Doc:
    base = read_note(row["notation"], note_id=row["note_id"])
    spans = [Span(s, e, layer, tag, origin) for layer, rows in json.loads(row["layers"]).items()
             for s, e, tag, origin in rows]
    for m in con.execute('SELECT start, "end", layer, tag FROM user_marks WHERE note = ?', (row["id"],)):
        if m["end"] <= len(base.text):
            spans.append(Span(m["start"], m["end"], m["layer"], m["tag"], "user"))
    meta = base.meta
    doc = Doc.build(base.blocks, base.text, spans, meta)
    return doc.with_meta(id=row["note_id"], title=row["title"] or meta.title, account=row["account"] or meta.account,
                         url=row["url"] or meta.url, published=row["published"] or meta.published,
                         tags=tuple(json.loads(row["tags"])), categories=tuple(json.loads(row["categories"])))


def _rejections(con: sqlite3.Connection) -> dict[int, set[tuple[str, int, int]]]:
    """The workbench's rejected suggestions, under the bank's note id whatever the URL said."""
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'web_marks'").fetchone() is None:
        return {}
    ids: dict[str, int] = {}
    for r in con.execute("SELECT id, note_id, key FROM notes"):
        ids[str(r["id"])] = r["id"]
        ids.setdefault(r["note_id"], r["id"])
        ids.setdefault(r["key"], r["id"])
    out: dict[int, set[tuple[str, int, int]]] = {}
    for r in con.execute("SELECT note_id, layer, start, \"end\" FROM web_marks WHERE kind = 'rejected'"):
        note = ids.get(r["note_id"])
        if note is not None:
            out.setdefault(note, set()).add((r["layer"], r["start"], r["end"]))
    return out


def _join_items(con: sqlite3.Connection, note: int) -> None:
    """One item per sentence (and per term): duplicates join the item that holds the card."""
    groups: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in con.execute("SELECT i.*, (SELECT COUNT(*) FROM cards c WHERE c.item = i.id) AS cards FROM items i"
                         " WHERE note = ? ORDER BY id", (note,)):
        groups.setdefault(("line" if r["kind"] in _LINE else r["kind"], r["text"]), []).append(r)
    for rows in groups.values():
        if len(rows) > 1:
            _join(con, rows)


def _join(con: sqlite3.Connection, rows: list[sqlite3.Row]) -> None:
    carded = [r for r in rows if r["cards"]]
    keep = carded[0] if carded else min(rows, key=lambda r: (r["kind"] != "quote", r["origin"] != "auto", r["id"]))
    gone = [r for r in rows if r is not keep and not r["cards"]]  # a second card keeps its own item
    roles = {role for r in [keep, *gone] for role in r["roles"].split()}
    data: dict[str, Any] = {}
    for r in [*gone, keep]:
        data.update(json.loads(r["data"]))
    origin = "user" if any(r["origin"] == "user" for r in [keep, *gone]) else "auto"
    ordered = [role for role in (*_LINE, "term", "note") if role in roles]
    con.execute("UPDATE items SET kind = ?, roles = ?, origin = ?, data = ?,"
                " themes_by_user = MAX(themes_by_user, ?) WHERE id = ?",
                (ordered[0], " ".join(ordered), origin, json.dumps(data, ensure_ascii=False),
                 max(r["themes_by_user"] for r in [keep, *gone]), keep["id"]))
    for r in gone:
        con.execute("DELETE FROM items_fts WHERE rowid = ?", (r["id"],))
        con.execute("DELETE FROM items WHERE id = ?", (r["id"],))
