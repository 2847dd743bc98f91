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
from jingdu.bank.migrate8 import trained_marks_column
from jingdu.bank.sqlscript import statements
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

#: Personal models (:mod:`jingdu.bank.models`): each trained version with the notes it learnt
#: from, its scores and its weights (JSON); the user's choice of model.
_V5_PERSONAL = """
CREATE TABLE personal_models (
    version INTEGER PRIMARY KEY,       -- 1, 2, ... in the order trained
    created_at TEXT NOT NULL,
    base TEXT NOT NULL,                -- the default model it corrects (a hash of its file)
    notes TEXT NOT NULL,               -- JSON [{note, fingerprint, accepted, rejected, added, marked}]
    scores TEXT NOT NULL,              -- JSON {layer: {default, personal, confidence, use}}
    model TEXT NOT NULL                -- the model itself (jingdu-personal JSON, no pickle)
);
CREATE TABLE personal_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: The 规范词 glossary (:mod:`jingdu.bank.glossary`).
_V6_GLOSSARY = """
CREATE TABLE glossary (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    scenarios TEXT NOT NULL DEFAULT '[]',  -- JSON list
    grp TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'post',   -- post | user
    updated_at TEXT NOT NULL,
    UNIQUE (term, theme, source)
);
CREATE INDEX glossary_theme ON glossary(theme);
"""

#: Ordered migrations; entry ``i`` upgrades a bank from ``user_version == i`` to ``i + 1``.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    _V1, _V2, one_storage, _V4, _V5_PERSONAL, _V6_GLOSSARY, nothing_twice, trained_marks_column)
SCHEMA_VERSION = len(MIGRATIONS)

__all__ = ["SCHEMA_VERSION", "BankError", "connect", "default_path", "migrate", "write_tx"]


def default_path() -> Path:
    """``$JINGDU_HOME/bank.db``, else ``$XDG_DATA_HOME/jingdu/bank.db`` (``~/.local/share``)."""
    home = os.environ.get("JINGDU_HOME")
    if home:
        return Path(home) / "bank.db"
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "jingdu" / "bank.db"


class BankConnection(sqlite3.Connection):
    """A connection to a bank that knows its file and whether it may write."""

    path: str = ""
    read_only: bool = False


#: Banks up to this size are checked (``PRAGMA quick_check``, about 0.5 s a GiB) whenever they are
#: opened; larger ones when the workbench starts and by ``jingdu bank check``.  Between checks
#: SQLite verifies every page it reads: damage met there is reported as ``bank_damaged`` too
#: (:func:`diagnose`), and the write transaction that met it is rolled back.
CHECK_ON_OPEN_BYTES = 512 << 20


def connect(path: str | os.PathLike[str], *, check: bool | None = None) -> sqlite3.Connection:
    """Open (and create or upgrade) the bank at ``path``.

    A bank this process cannot write (a read-only file or folder) is opened read-only: reading
    works, every write raises a :class:`BankError` that says so.  The file is checked when opened
    (``PRAGMA quick_check``; ``check=None`` does so for files up to :data:`CHECK_ON_OPEN_BYTES`,
    ``True`` always, ``False`` never); a damaged one raises a :class:`BankError` (code
    ``bank_damaged``), so nothing is ever written into it.
    """
    if str(path) == ":memory:":
        return _setup(sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False,
                                      factory=BankConnection), str(path), writable=True)
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BankError(f"cannot create the folder of the bank {p}: {exc.strerror or exc}") from exc
    writable = _writable(p)
    if not p.exists() and not writable:
        raise BankError(f"cannot create the bank {p}: its folder is read-only", code="bank_read_only")
    try:
        con = _open(p, writable)
        if check or (check is None and _size(p) <= CHECK_ON_OPEN_BYTES):
            _check(con, p)
        return _setup(con, str(p), writable)
    except sqlite3.DatabaseError as exc:
        raise diagnose(p, exc) from exc


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def _writable(p: Path) -> bool:
    """Whether this process may write the bank (its file, and its folder for the WAL files)."""
    folder_ok = os.access(p.parent, os.W_OK | os.X_OK)
    return folder_ok and (not p.exists() or os.access(p, os.W_OK))


def _open(p: Path, writable: bool) -> sqlite3.Connection:
    kw = {"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None, "check_same_thread": False,
          "factory": BankConnection}
    if writable:
        return sqlite3.connect(str(p), **kw)  # type: ignore[arg-type]
    from urllib.parse import quote

    uri = f"file:{quote(str(p.resolve()))}?mode=ro"
    con = sqlite3.connect(uri, uri=True, **kw)  # type: ignore[arg-type]
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError:  # a WAL bank in a read-only folder: no -shm can be made
        con.close()
        return sqlite3.connect(uri + "&immutable=1", uri=True, **kw)  # type: ignore[arg-type]


def _check(con: sqlite3.Connection, p: Path) -> None:
    """``PRAGMA quick_check``: refuse a damaged file before anything reads or writes it."""
    rows = [str(r[0]) for r in con.execute("PRAGMA quick_check(3)").fetchall()]
    if rows != ["ok"]:
        con.close()
        raise _damaged(p, "; ".join(rows))


def _damaged(p: Path, detail: str) -> BankError:
    detail = " ".join(detail.replace("*** in database main ***", "").split())
    return BankError(f"the bank {p} is damaged ({detail[:160]}); jingdu will not read or write it. Restore a copy, "
                     f"or save what is left with: sqlite3 {p} .recover | sqlite3 recovered.db", code="bank_damaged")


def diagnose(p: str | os.PathLike[str], exc: sqlite3.DatabaseError) -> BankError:
    """The :class:`BankError` that says what an SQLite error met on the bank at ``p`` means."""
    p = Path(p)
    msg = str(exc).lower()
    if "malformed" in msg or "corrupt" in msg:
        return _damaged(p, str(exc))
    if "not a database" in msg:
        return BankError(f"{p}: not a jingdu bank (not an SQLite file, or its first page is damaged)", code="bank")
    if "readonly" in msg or "read-only" in msg:
        return BankError(f"the bank {p} is read-only ({exc})", code="bank_read_only", status=503)
    return BankError(f"cannot open the bank {p}: {exc}")


def _setup(con: sqlite3.Connection, path: str, writable: bool) -> sqlite3.Connection:
    assert isinstance(con, BankConnection)
    con.path, con.read_only = path, not writable
    con.row_factory = sqlite3.Row
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if writable:
        _retry(lambda: con.execute("PRAGMA journal_mode = WAL"))
        con.execute("PRAGMA synchronous = NORMAL")
    con.execute("PRAGMA cache_size = -65536")  # 64 MB: the search index merges its segments in memory
    con.execute("PRAGMA foreign_keys = ON")
    migrate(con)
    return con


def read_only(con: sqlite3.Connection) -> bool:
    """Whether the bank behind ``con`` was opened read-only."""
    return bool(getattr(con, "read_only", False))


def migrate(con: sqlite3.Connection) -> int:
    """Apply the migrations this file lacks, each in its own transaction; returns the version."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise BankError(f"bank schema version {version} is newer than this jingdu ({SCHEMA_VERSION})")
    if version < SCHEMA_VERSION and read_only(con):
        raise BankError(f"the bank {getattr(con, 'path', '')} is read-only and needs an upgrade to schema "
                        f"{SCHEMA_VERSION}; open it once where it can be written", code="bank_read_only", status=503)
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
                for stmt in statements(step):
                    con.execute(stmt)
            con.execute(f"PRAGMA user_version = {version + 1}")
        version += 1
    return version


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


def _read_only_error(con: sqlite3.Connection, detail: str = "") -> BankError:
    return BankError(f"the bank {getattr(con, 'path', '')} is read-only{f' ({detail})' if detail else ''}: "
                     "it can be searched and read, not changed", code="bank_read_only", status=503)


@contextmanager
def write_tx(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; rolls back on any error.  Retries while locked.

    A read-only bank raises :class:`BankError` (``bank_read_only``) before anything is done, and
    so does a file that turns out read-only or damaged while writing."""
    if read_only(con):
        raise _read_only_error(con)
    with _mapped(con):
        _retry(lambda: con.execute("BEGIN IMMEDIATE"))
    try:
        with _mapped(con):
            yield con
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    with _mapped(con):
        _retry(lambda: con.execute("COMMIT"))


@contextmanager
def _mapped(con: sqlite3.Connection) -> Iterator[None]:
    """A write that fails because the file is read-only or damaged raises a :class:`BankError`."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        msg = str(exc).lower()
        if "readonly" in msg:
            raise _read_only_error(con, str(exc)) from exc
        if "malformed" in msg or "corrupt" in msg:
            raise _damaged(Path(getattr(con, "path", "")), str(exc)) from exc
        raise
