"""The bank's 规范词 glossary (table ``glossary``): entries added from posts or the user's own
files, edited and deleted by the user.  Adding an entry again (same term, theme and source)
updates it in place."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from jingdu.errors import InvalidRequest, NotFound
from jingdu.glossary.parse import MAX_TERM, Entry

FIELDS = ("term", "definition", "scenarios", "group", "theme", "source")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def entry_of(row: sqlite3.Row) -> Entry:
    return Entry(row["term"], row["definition"], tuple(json.loads(row["scenarios"])), row["grp"], row["theme"],
                 row["source"], int(row["id"]))


def add(con: sqlite3.Connection, entries: Iterable[Entry], origin: str = "post") -> tuple[int, int]:
    """Insert new entries and update known ones (same term, theme and source); (added, updated)."""
    added = updated = 0
    for e in entries:
        _check(e)
        values = (e.definition, json.dumps(list(e.scenarios), ensure_ascii=False), e.group, _now())
        row = con.execute("SELECT id FROM glossary WHERE term = ? AND theme = ? AND source = ?",
                          (e.term, e.theme, e.source)).fetchone()
        if row is None:
            con.execute("INSERT INTO glossary (definition, scenarios, grp, updated_at, term, theme, source, origin)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*values, e.term, e.theme, e.source, origin))
            added += 1
        else:
            con.execute("UPDATE glossary SET definition = ?, scenarios = ?, grp = ?, updated_at = ? WHERE id = ?",
                        (*values, row[0]))
            updated += 1
    return added, updated


def _check(e: Entry) -> None:
    if not e.term.strip():
        raise InvalidRequest("a glossary entry needs a term")
    if len(e.term) > MAX_TERM:
        raise InvalidRequest(f"term longer than {MAX_TERM} characters")


def entries(con: sqlite3.Connection, theme: str | None = None) -> list[Entry]:
    if theme:
        rows = con.execute("SELECT * FROM glossary WHERE theme = ? ORDER BY id", (theme,))
    else:
        rows = con.execute("SELECT * FROM glossary ORDER BY id")
    return [entry_of(r) for r in rows]


def get(con: sqlite3.Connection, entry_id: int) -> Entry:
    row = con.execute("SELECT * FROM glossary WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NotFound(f"no glossary entry {entry_id}")
    return entry_of(row)


def edit(con: sqlite3.Connection, entry_id: int, changes: dict[str, object]) -> Entry:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidRequest(f"unknown field(s): {', '.join(sorted(unknown))}")
    old = get(con, entry_id)
    if "scenarios" in changes:
        sc = changes["scenarios"]
        changes = {**changes, "scenarios": tuple([sc] if isinstance(sc, str) else list(sc))}  # type: ignore[arg-type]
    new = replace(old, **{k: v for k, v in changes.items()})  # type: ignore[arg-type]
    _check(new)
    try:
        con.execute("UPDATE glossary SET term = ?, definition = ?, scenarios = ?, grp = ?, theme = ?, source = ?,"
                    " origin = 'user', updated_at = ? WHERE id = ?",
                    (new.term, new.definition, json.dumps(list(new.scenarios), ensure_ascii=False), new.group,
                     new.theme, new.source, _now(), entry_id))
    except sqlite3.IntegrityError:
        raise InvalidRequest(f"{new.term!r} is already in the glossary under {new.theme!r} "
                             f"from {new.source!r}") from None
    return get(con, entry_id)


def delete(con: sqlite3.Connection, entry_id: int) -> None:
    if con.execute("DELETE FROM glossary WHERE id = ?", (entry_id,)).rowcount == 0:
        raise NotFound(f"no glossary entry {entry_id}")


def themes(con: sqlite3.Connection) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in con.execute(
        "SELECT theme, COUNT(*) FROM glossary WHERE theme != '' GROUP BY theme ORDER BY theme")]
