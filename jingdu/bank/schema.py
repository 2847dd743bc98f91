"""The bank's SQLite file: connection settings, versioned migrations and write transactions.

Every connection runs in WAL mode with a busy timeout; every write goes through
:func:`write_tx`, which opens ``BEGIN IMMEDIATE`` (so two writers queue instead of failing
half-way), retries while the database is locked, and commits or rolls back as one unit.  A
process killed inside a transaction leaves the file as it was before that transaction.

The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` is an ordered list and
each entry (an SQL script, or a function for a step that must read and rewrite rows) brings the
schema from version ``i`` to ``i + 1`` inside one transaction.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jingdu.bank.migrate3 import one_storage
from jingdu.bank.migrate5 import nothing_twice
from jingdu.errors import BankError

BUSY_TIMEOUT_MS = 30_000
LOCK_RETRIES = 20

_V1 = """
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- url, else the note id: what makes an article "the same"
    note_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    account TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',   -- JSON list
    categories TEXT NOT NULL DEFAULT '[]',
    themes TEXT NOT NULL DEFAULT '[]',
    notation TEXT NOT NULL,            -- the note in the notation (without user marks)
    layers TEXT NOT NULL,              -- JSON {layer: [[start, end, tag, origin], ...]}
    text_hash TEXT NOT NULL,           -- hash of Doc.text (user marks are kept while it holds)
    content_hash TEXT NOT NULL,        -- hash of everything stored: unchanged -> nothing to do
    source_path TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- stable: hash of note key, kind and text
    note INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('quote', 'fact', 'term', 'note')),
    text TEXT NOT NULL,
    start INTEGER, "end" INTEGER,
    data TEXT NOT NULL DEFAULT '{}',
    themes TEXT NOT NULL DEFAULT '[]',
    themes_by_user INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'auto'   -- auto (drawn from the note) | user
);
CREATE INDEX items_note ON items(note);
CREATE INDEX items_kind ON items(kind);
CREATE TABLE item_themes (
    item INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    theme TEXT NOT NULL,
    PRIMARY KEY (item, theme)
) WITHOUT ROWID;
CREATE INDEX item_themes_theme ON item_themes(theme, item);
CREATE TABLE themes (name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '');
CREATE TABLE user_marks (
    id INTEGER PRIMARY KEY,
    note INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    layer TEXT NOT NULL, tag TEXT,
    text TEXT NOT NULL                 -- the marked words, to find them again if the text moves
);
CREATE INDEX user_marks_note ON user_marks(note);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    item INTEGER NOT NULL UNIQUE REFERENCES items(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                -- cloze | qa
    fsrs TEXT NOT NULL,                -- fsrs.Card.to_json()
    due TEXT NOT NULL
);
CREATE INDEX cards_due ON cards(due);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    card INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    rating INTEGER NOT NULL,
    reviewed_at TEXT NOT NULL,
    duration_ms INTEGER,
    log TEXT NOT NULL
);
CREATE VIRTUAL TABLE items_fts USING fts5(grams, tokenize = 'unicode61 remove_diacritics 0');
"""

_V2 = """
ALTER TABLE notes ADD COLUMN source_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX notes_source_hash ON notes(source_hash);
"""

_V4 = """
CREATE INDEX notes_updated ON notes(updated_at, id);
CREATE INDEX notes_published ON notes(published, id);
CREATE INDEX notes_account ON notes(account);
"""

#: Ordered migrations; entry ``i`` upgrades a bank from ``user_version == i`` to ``i + 1``.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (_V1, _V2, one_storage, _V4, nothing_twice)
SCHEMA_VERSION = len(MIGRATIONS)

__all__ = ["SCHEMA_VERSION", "BankError", "connect", "default_path", "migrate", "write_tx"]


def default_path() -> Path:
    """``$JINGDU_HOME/bank.db``, else ``$XDG_DATA_HOME/jingdu/bank.db`` (``~/.local/share``)."""
    home = os.environ.get("JINGDU_HOME")
    if home:
        return Path(home) / "bank.db"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "jingdu" / "bank.db"


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (and create or upgrade) the bank at ``path``."""
    p = Path(path)
    if str(path) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                              check_same_thread=False)
        con.row_factory = sqlite3.Row
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _retry(lambda: con.execute("PRAGMA journal_mode = WAL"))
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA cache_size = -65536")  # 64 MB: the search index merges its segments in memory
        con.execute("PRAGMA foreign_keys = ON")
        migrate(con)
    except sqlite3.DatabaseError as exc:
        raise BankError(f"{path}: not a jingdu bank ({exc})") from exc
    return con


def migrate(con: sqlite3.Connection) -> int:
    """Apply the migrations this file lacks, each in its own transaction; returns the version."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise BankError(f"bank schema version {version} is newer than this jingdu ({SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        with write_tx(con):
            current = con.execute("PRAGMA user_version").fetchone()[0]
            if current != version:  # another process migrated meanwhile
                version = current
                continue
            step = MIGRATIONS[version]
            if callable(step):
                step(con)
            else:
                for stmt in _statements(step):
                    con.execute(stmt)
            con.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
    return version


def _statements(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf)
        if joined.strip().endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    return out


def _locked(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _retry(fn):  # type: ignore[no-untyped-def]
    for attempt in range(LOCK_RETRIES):
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(0.05 + random.random() * 0.2 * (attempt + 1))
    return None


@contextmanager
def write_tx(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; rolls back on any error.  Retries while locked."""
    _retry(lambda: con.execute("BEGIN IMMEDIATE"))
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    _retry(lambda: con.execute("COMMIT"))
