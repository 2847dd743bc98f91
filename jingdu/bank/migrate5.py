"""Schema 4 → 5, nothing stored twice and counters for the facets.

* The search index becomes contentless (``content=''``), without positions: it keeps
  which items hold each bigram, no copy of them.
* A ``note`` item's row holds the note's title; its index entry still holds the whole text.
* ``notes.doc`` and ``notes.extraction`` are stored zlib-packed; ``notes.user_marks`` counts
  the user's marks of each note.
* ``facets`` holds the number of items of each theme and of notes of each source, kept by
  triggers in every write transaction (the home page and the search filters read it, never
  count); a partial index on the term items' text counts the notes of a term.

Notes, items (with their ids), themes, marks, cards and reviews are kept as they are.
"""

from __future__ import annotations

import json
import sqlite3

from jingdu.bank.grams import grams
from jingdu.bank.items import pack
from jingdu.bank.sqlscript import statements

#: No content and no positions (``detail=none``): only which items hold
#: each bigram; the search checks the words itself and ranks its candidates itself.
FTS = ("CREATE VIRTUAL TABLE items_fts USING fts5(grams, content = '', detail = none,"
       " tokenize = 'unicode61 remove_diacritics 0')")

FACETS = """
CREATE TABLE facets (
    facet TEXT NOT NULL,               -- theme (items of the theme) | source (notes of the account)
    name TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (facet, name)
) WITHOUT ROWID;
CREATE TRIGGER facets_theme_add AFTER INSERT ON item_themes BEGIN
    INSERT INTO facets (facet, name, n) VALUES ('theme', new.theme, 1)
    ON CONFLICT (facet, name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER facets_theme_del AFTER DELETE ON item_themes BEGIN
    UPDATE facets SET n = n - 1 WHERE facet = 'theme' AND name = old.theme;
END;
CREATE TRIGGER facets_source_add AFTER INSERT ON notes WHEN new.account != '' BEGIN
    INSERT INTO facets (facet, name, n) VALUES ('source', new.account, 1)
    ON CONFLICT (facet, name) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER facets_source_del AFTER DELETE ON notes WHEN old.account != '' BEGIN
    UPDATE facets SET n = n - 1 WHERE facet = 'source' AND name = old.account;
END;
CREATE TRIGGER facets_source_move AFTER UPDATE OF account ON notes WHEN old.account != new.account BEGIN
    UPDATE facets SET n = n - 1 WHERE facet = 'source' AND name = old.account;
    INSERT INTO facets (facet, name, n) SELECT 'source', new.account, 1 WHERE new.account != ''
    ON CONFLICT (facet, name) DO UPDATE SET n = n + 1;
END;
"""
_FILL = (
    "INSERT INTO facets (facet, name, n) SELECT 'theme', theme, COUNT(*) FROM item_themes GROUP BY theme",
    "INSERT INTO facets (facet, name, n) SELECT 'source', account, COUNT(*) FROM notes WHERE account != ''"
    " GROUP BY account",
    "CREATE INDEX items_term_text ON items(text) WHERE kind = 'term'",
    "ALTER TABLE notes ADD COLUMN user_marks INTEGER NOT NULL DEFAULT 0",
)


def nothing_twice(con: sqlite3.Connection) -> None:
    """Run inside the caller's transaction."""
    con.execute("DROP TABLE items_fts")
    con.execute(FTS)
    for stmt in [*statements(FACETS), *_FILL]:
        con.execute(stmt)
    con.executemany("INSERT INTO items_fts (rowid, grams) VALUES (?, ?)",
                    ((r[0], grams(r[1])) for r in con.execute("SELECT id, text FROM items")))
    for row in con.execute("SELECT id, title, doc, extraction FROM notes").fetchall():
        doc = json.loads(row["doc"])
        users = sum(1 for spans in doc.get("layers", {}).values() for s in spans if s.get("origin") == "user")
        con.execute("UPDATE notes SET doc = ?, extraction = ?, user_marks = ? WHERE id = ?",
                    (pack(row["doc"]), pack(row["extraction"]) if row["extraction"] else "", users, row["id"]))
        label = (row["title"] or doc.get("meta", {}).get("title") or doc.get("text", "")[:60]).strip() or "(untitled)"
        con.execute("UPDATE items SET text = ? WHERE note = ? AND kind = 'note'", (label, row["id"]))
