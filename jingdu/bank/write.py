"""Writing notes into the bank (inside the caller's transaction).

A note is stored once: ``notes.doc`` is its ``jingdu.note/1`` JSON with every span and its
origin (``note``, ``model``, ``user``) and the suggestions the user rejected; ``notes.extraction``
is what :func:`jingdu.extract.extract` found in it (both zlib-packed, :func:`~jingdu.bank.items.pack`).

The search index ``items_fts`` is contentless (it holds no copy of the text): an entry is
removed with FTS5's ``delete`` command given the very values it was indexed with, which are
always ``grams(item text)``, or for a ``note`` item
``grams(index_text(note))`` (:func:`unindex`).  Re-adding an article updates its row:

* the user's marks and rejections are kept, and when the text changed they follow their words
  (:mod:`jingdu.anchor`); a mark whose words are gone is kept in ``orphans`` and reported;
* the model's marks are kept unless the new document brings its own or ``replace`` is asked;
* items are matched by their sentence (or term) and updated in place, so ids, retagged themes,
  cards and review history survive; items no longer drawn are removed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jingdu.anchor import reanchor
from jingdu.bank.grams import grams
from jingdu.bank.items import (
    DRAW_VERSION,
    LINE_ROLES,
    Item,
    Prepared,
    base_key,
    digest,
    doc_json,
    draw_items,
    index_text,
    pack,
    shown,
    spans_of,
    unpack,
)
from jingdu.bank.provenance import trained_marks
from jingdu.extract import Extraction
from jingdu.jsonio import from_dict
from jingdu.model import Doc, Span
from jingdu.pipeline import process

Rejected = tuple[tuple[str, int, int], ...]
#: Marks a rejected suggestion while it is re-anchored with the marks.
REFUSAL = "rejected"


@dataclass(frozen=True)
class Written:
    """What writing one note did."""

    status: str  # added | updated | unchanged
    note: int
    orphans: tuple[tuple[str, str], ...] = ()  # (layer, words) of marks whose words are gone


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def extract(doc: Doc) -> Extraction:
    """The note's extraction, through the one pipeline."""
    extraction = process(doc).extraction
    assert extraction is not None
    return extraction


def load_stored(raw: str | bytes) -> tuple[Doc, Rejected]:
    """A stored note's document (every span) and its rejected suggestions."""
    data = json.loads(unpack(raw))
    rejected = tuple(sorted((r["layer"], int(r["start"]), int(r["end"])) for r in data.get("rejected") or ()))
    return from_dict(data), rejected


def note_key(con: sqlite3.Connection, doc: Doc, source_path: str) -> str:
    """The article's key; a file whose note id another file already holds is keyed by its path."""
    key = base_key(doc.meta, doc.text)
    if not key.startswith("id:") or not source_path:
        return key
    row = con.execute("SELECT source_path FROM notes WHERE key = ?", (key,)).fetchone()
    if row is None or not row["source_path"] or _same_file(row["source_path"], source_path):
        return key
    return "path:" + source_path


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def carry(old: Doc, rejected: Rejected, new: Doc, replace: bool) -> tuple[Doc, Rejected, tuple[Span, ...]]:
    """The new document with the user's marks, the rejections and (unless it has its own or
    ``replace``) the model's marks of the stored one, moved to where their words are now.

    Returns the document, its rejections and the spans that could not be placed (orphans)."""
    kept = spans_of(old, "user")
    if not replace and not spans_of(new, "model"):
        kept += spans_of(old, "model")
    refused = [Span(s, e, layer, None, "model", note=REFUSAL) for layer, s, e in rejected]
    moved = reanchor(old.text, new.text, [*kept, *refused])
    marks = [s for s in moved.spans if s.note != REFUSAL]
    out_rejected = tuple(sorted({(s.layer, s.start, s.end) for s in moved.spans if s.note == REFUSAL}))
    # a model suggestion whose words are gone is simply dropped; the user's work is reported
    orphans = tuple(s for s in moved.orphans if s.origin == "user" or s.note == REFUSAL)
    return new.with_spans(marks), out_rejected, orphans


def write_note(con: sqlite3.Connection, p: Prepared) -> Written:
    """Store one note (added, updated or unchanged)."""
    key = note_key(con, p.doc, p.source_path)
    row = con.execute("SELECT id, doc, content_hash FROM notes WHERE key = ?", (key,)).fetchone()
    doc, rejected, orphans = p.doc, (), ()
    old_index = ""
    if row is not None:
        old, old_rejected = load_stored(row["doc"])
        old_index = index_text(old)
        doc, rejected, orphans = carry(old, old_rejected, p.doc, p.replace)
    stored = doc_json(doc, rejected)
    meta = _meta(doc, p.themes)
    content = digest(DRAW_VERSION, stored, _j(meta))
    if row is not None and row["content_hash"] == content:
        return Written("unchanged", row["id"])
    view = shown(doc, rejected)
    if view == p.doc:
        extraction, items = p.extraction, p.items
    else:
        extraction = extract(view)
        items = draw_items(view, extraction, p.themes)
    values = (doc.meta.id, meta["title"], doc.meta.account, doc.meta.url, doc.meta.published, _j(meta["tags"]),
              _j(list(doc.meta.categories)), _j(p.themes), pack(stored), pack(_j(extraction.to_dict())),
              digest(doc.text), content, p.source_path, p.source_hash, len(spans_of(doc, "user")),
              trained_marks(doc, rejected))
    if row is None:
        stamp = now_iso()
        cur = con.execute(
            "INSERT INTO notes (note_id, title, account, url, published, tags, categories, themes, doc, extraction,"
            " text_hash, content_hash, source_path, source_hash, user_marks, trained_marks, key, added_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (*values, key, stamp, stamp))
        note, status = int(cur.lastrowid or 0), "added"
    else:
        note, status = row["id"], "updated"
        con.execute(
            "UPDATE notes SET note_id=?, title=?, account=?, url=?, published=?, tags=?, categories=?, themes=?,"
            " doc=?, extraction=?, text_hash=?, content_hash=?, source_path=?, source_hash=?, user_marks=?,"
            " trained_marks=?, updated_at=? WHERE id=?", (*values, now_iso(), note))
    sync_items(con, note, key, items, old_index, index_text(view))
    if orphans:
        add_orphans(con, note, old, orphans)
    return Written(status, note, tuple((s.layer, old.text[s.start:s.end]) for s in orphans))


def _meta(doc: Doc, themes: list[str]) -> dict[str, object]:
    return {"title": doc.title or doc.meta.title, "tags": list(doc.meta.tags), "themes": themes,
            **{k: v for k, v in doc.meta.to_dict().items() if k not in ("title", "tags")}}


def rewrite_marks(con: sqlite3.Connection, note: int, doc: Doc, rejected: Rejected, themes: list[str]) -> None:
    """Store the note's new marks: its JSON, its extraction and its items (the text is the same)."""
    key = con.execute("SELECT key FROM notes WHERE id = ?", (note,)).fetchone()["key"]
    view = shown(doc, rejected)
    extraction = extract(view)
    stored = doc_json(doc, rejected)
    content = digest(DRAW_VERSION, stored, _j(_meta(doc, themes)))
    con.execute("UPDATE notes SET doc = ?, extraction = ?, content_hash = ?, user_marks = ?, trained_marks = ?,"
                " updated_at = ? WHERE id = ?", (pack(stored), pack(_j(extraction.to_dict())), content,
                                                 len(spans_of(doc, "user")), trained_marks(doc, rejected), now_iso(),
                                                 note))
    indexed = index_text(view)
    sync_items(con, note, key, draw_items(view, extraction, themes), indexed, indexed)


def stored_extraction(con: sqlite3.Connection, note: int) -> Extraction:
    """The note's stored extraction (made and stored now if the bank has none for it yet)."""
    row = con.execute("SELECT doc, extraction FROM notes WHERE id = ?", (note,)).fetchone()
    if row["extraction"]:
        return Extraction.from_dict(json.loads(unpack(row["extraction"])))
    doc, rejected = load_stored(row["doc"])
    extraction = extract(shown(doc, rejected))
    con.execute("UPDATE notes SET extraction = ? WHERE id = ?", (pack(_j(extraction.to_dict())), note))
    return extraction


# -- items -------------------------------------------------------------------------------------
def _group(kind: str) -> str:
    return "line" if kind in LINE_ROLES else kind


def sync_items(con: sqlite3.Connection, note: int, key: str, items: list[Item], old_index: str = "",
               new_index: str = "") -> None:
    """Make the note's items ``items``: matched by sentence (or term) and updated in place.

    ``old_index``/``new_index``: the note's indexed text before and now (its ``note`` item is
    indexed again when it changed)."""
    old: dict[tuple[str, str], list[sqlite3.Row]] = {}
    for r in con.execute("SELECT id, kind, text, themes_by_user, (SELECT COUNT(*) FROM cards c WHERE c.item = i.id)"
                         " AS cards FROM items i WHERE note = ? ORDER BY id", (note,)):
        old.setdefault((_group(r["kind"]), r["text"]), []).append(r)
    new: list[tuple[int, Item]] = []
    for it in items:
        rows = old.pop((_group(it.kind), it.text), [])
        if rows:
            _update_item(con, rows[0], it)
            if it.kind == "note" and old_index != new_index:
                unindex(con, [(rows[0]["id"], old_index)])
                index(con, [(rows[0]["id"], it.grams or grams(new_index))])
            delete_items(con, [r for r in rows[1:] if not r["cards"]], old_index)
        else:
            new.append((_insert_item(con, note, it, it.key(key)), it))
    index(con, [(i, it.grams or grams(it.text)) for i, it in new])
    con.executemany("INSERT OR IGNORE INTO item_themes (item, theme) VALUES (?, ?)",
                    [(i, t) for i, it in new for t in it.themes])
    con.executemany("INSERT OR IGNORE INTO themes (name) VALUES (?)",
                    [(t,) for t in sorted({t for _, it in new for t in it.themes})])
    delete_items(con, [r for rows in old.values() for r in rows], old_index)


def index(con: sqlite3.Connection, entries: list[tuple[int, str]]) -> None:
    """Index ``(item id, grams)`` entries."""
    con.executemany("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)", entries)


def unindex(con: sqlite3.Connection, entries: list[tuple[int, str]]) -> None:
    """Remove the index entries of ``(item id, text)`` (for a ``note`` item, its indexed text)."""
    con.executemany("INSERT INTO items_fts (items_fts, rowid, grams) VALUES ('delete', ?, ?)",
                    [(i, grams(text)) for i, text in entries])


def _update_item(con: sqlite3.Connection, row: sqlite3.Row, it: Item) -> None:
    con.execute('UPDATE items SET kind = ?, roles = ?, origin = ?, start = ?, "end" = ?, data = ? WHERE id = ?',
                (it.kind, " ".join(it.roles), it.origin, it.start, it.end, _j(it.data), row["id"]))
    if not row["themes_by_user"]:
        set_themes(con, row["id"], it.themes)


def _insert_item(con: sqlite3.Connection, note: int, it: Item, key: str) -> int:
    """The item's row (its index entry and themes are written by the caller, for all new items at once)."""
    cur = con.execute('INSERT INTO items (key, note, kind, roles, text, start, "end", data, themes, origin)'
                      " VALUES (?,?,?,?,?,?,?,?,?,?)",
                      (key, note, it.kind, " ".join(it.roles), it.text, it.start, it.end, _j(it.data),
                       _j(it.themes), it.origin))
    return int(cur.lastrowid or 0)


def delete_items(con: sqlite3.Connection, rows: list[sqlite3.Row], note_index: str) -> None:
    """Delete items (rows with ``id``, ``kind``, ``text``) and their index entries; ``note_index``
    is their note's indexed text (what a ``note`` item was indexed with)."""
    unindex(con, [(r["id"], note_index if r["kind"] == "note" else r["text"]) for r in rows])
    con.executemany("DELETE FROM items WHERE id = ?", [(r["id"],) for r in rows])


def set_themes(con: sqlite3.Connection, item_id: int, themes: list[str], by_user: bool = False) -> None:
    con.execute("UPDATE items SET themes = ?, themes_by_user = MAX(themes_by_user, ?) WHERE id = ?",
                (_j(themes), int(by_user), item_id))
    con.execute("DELETE FROM item_themes WHERE item = ?", (item_id,))
    con.executemany("INSERT OR IGNORE INTO item_themes (item, theme) VALUES (?, ?)", [(item_id, t) for t in themes])
    con.executemany("INSERT OR IGNORE INTO themes (name) VALUES (?)", [(t,) for t in themes])


def add_orphans(con: sqlite3.Connection, note: int, old: Doc, orphans: tuple[Span, ...]) -> None:
    """Keep marks that lost their words, with their words, so the user can place them again."""
    con.executemany(
        'INSERT INTO orphans (note, layer, origin, start, "end", text, found_at) VALUES (?,?,?,?,?,?,?)',
        [(note, s.layer, REFUSAL if s.note == REFUSAL else s.origin, s.start, s.end, old.text[s.start:s.end],
          now_iso()) for s in orphans])
