"""Writing prepared notes into the bank (inside the caller's transaction).

Re-adding an article updates its note row and its items in place, keyed by stable item keys:
item ids, retagged themes, cards and review history survive; items no longer drawn are
removed; the user's marks (kept in ``user_marks``) are kept and, when the text moved, found
again by their words.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from jingdu.bank.items import Item, Prepared


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_prepared(con: sqlite3.Connection, p: Prepared) -> tuple[str, int]:
    """Store one note; returns ``(status, note row id)`` with status added|updated|unchanged."""
    row = con.execute("SELECT id, content_hash, text_hash FROM notes WHERE key = ?", (p.key,)).fetchone()
    if row is not None and row["content_hash"] == p.content_hash and not p.user_spans:
        return "unchanged", row["id"]
    m = p.meta
    values = (p.note_id, m.get("title", ""), m.get("account", ""), m.get("url", ""), m.get("published", ""),
              _j(m.get("tags", [])), _j(m.get("categories", [])), _j(p.themes), p.notation, p.layers,
              p.text_hash, p.content_hash, p.source_path, p.source_hash)
    if row is None:
        stamp = now_iso()
        cur = con.execute(
            "INSERT INTO notes (note_id, title, account, url, published, tags, categories, themes, notation,"
            " layers, text_hash, content_hash, source_path, source_hash, key, added_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*values, p.key, stamp, stamp))
        note = int(cur.lastrowid or 0)
        status = "added"
    else:
        note = row["id"]
        con.execute(
            "UPDATE notes SET note_id=?, title=?, account=?, url=?, published=?, tags=?, categories=?, themes=?,"
            " notation=?, layers=?, text_hash=?, content_hash=?, source_path=?, source_hash=?, updated_at=? WHERE id=?",
            (*values, now_iso(), note))
        status = "updated"
        if row["text_hash"] != p.text_hash:
            relocate_marks(con, note, _text_of(p))
    _write_items(con, note, p.items)
    add_user_marks(con, note, p.user_spans)
    return status, note


def _text_of(p: Prepared) -> str:
    for it in p.items:
        if it.kind == "note":
            return it.text
    return ""


def _write_items(con: sqlite3.Connection, note: int, items: list[Item]) -> None:
    old = {r["key"]: (r["id"], r["themes_by_user"]) for r in
           con.execute("SELECT id, key, themes_by_user FROM items WHERE note = ? AND origin = 'auto'", (note,))}
    new_keys = set()
    for it in items:
        new_keys.add(it.key)
        if it.key in old:
            item_id, by_user = old[it.key]
            con.execute('UPDATE items SET start=?, "end"=?, data=? WHERE id=?',
                        (it.start, it.end, _j(it.data), item_id))
            if not by_user:
                set_themes(con, item_id, it.themes)
            continue
        cur = con.execute('INSERT INTO items (key, note, kind, text, start, "end", data, themes)'
                          " VALUES (?,?,?,?,?,?,?,?)",
                          (it.key, note, it.kind, it.text, it.start, it.end, _j(it.data), _j(it.themes)))
        item_id = int(cur.lastrowid or 0)
        con.execute("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)", (item_id, it.grams))
        con.executemany("INSERT OR IGNORE INTO item_themes (item, theme) VALUES (?, ?)",
                        [(item_id, t) for t in it.themes])
    gone = [v[0] for k, v in old.items() if k not in new_keys]
    delete_items(con, gone)


def delete_items(con: sqlite3.Connection, ids: list[int]) -> None:
    for item_id in ids:
        con.execute("DELETE FROM items_fts WHERE rowid = ?", (item_id,))
        con.execute("DELETE FROM items WHERE id = ?", (item_id,))


def set_themes(con: sqlite3.Connection, item_id: int, themes: list[str], by_user: bool = False) -> None:
    con.execute("UPDATE items SET themes = ?, themes_by_user = MAX(themes_by_user, ?) WHERE id = ?",
                (_j(themes), int(by_user), item_id))
    con.execute("DELETE FROM item_themes WHERE item = ?", (item_id,))
    con.executemany("INSERT OR IGNORE INTO item_themes (item, theme) VALUES (?, ?)", [(item_id, t) for t in themes])
    con.executemany("INSERT OR IGNORE INTO themes (name) VALUES (?)", [(t,) for t in themes])


def add_user_marks(con: sqlite3.Connection, note: int, spans: list[tuple[int, int, str, str | None, str]]) -> None:
    have = {(r["start"], r["end"], r["layer"]) for r in
            con.execute('SELECT start, "end", layer FROM user_marks WHERE note = ?', (note,))}
    for start, end, layer, tag, text in spans:
        if (start, end, layer) not in have:
            con.execute('INSERT INTO user_marks (note, start, "end", layer, tag, text) VALUES (?,?,?,?,?,?)',
                        (note, start, end, layer, tag, text))
            have.add((start, end, layer))


def relocate_marks(con: sqlite3.Connection, note: int, text: str) -> None:
    """The note's text changed: move each user mark to where its words are now (or drop it)."""
    for r in con.execute('SELECT id, start, "end", text FROM user_marks WHERE note = ?', (note,)).fetchall():
        if text[r["start"]:r["end"]] == r["text"]:
            continue
        hits = _occurrences(text, r["text"])
        if not hits:
            con.execute("DELETE FROM user_marks WHERE id = ?", (r["id"],))
            continue
        best = min(hits, key=lambda i: abs(i - r["start"]))
        con.execute('UPDATE user_marks SET start = ?, "end" = ? WHERE id = ?', (best, best + len(r["text"]), r["id"]))


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle) if needle else -1
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out
