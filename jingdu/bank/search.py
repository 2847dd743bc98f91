"""Searching the bank: FTS5 over character bigrams ranked by BM25, and the LIKE-scan baseline."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from jingdu.bank.grams import chunks, contains_all, parse_query, snippet
from jingdu.errors import JingduError

KINDS = ("quote", "fact", "term", "note")
ITEM_SQL = (
    'SELECT i.id, i.kind, i.roles, i.text, i.data, i.themes, i.origin, i.start, i."end", i.key,'
    " n.id AS note_id, n.note_id AS note_name, n.title, n.account, n.url, n.published"
    " FROM items i JOIN notes n ON n.id = i.note"
)


class SearchError(JingduError):
    code = "bad_query"


@dataclass
class Hit:
    """One search result.  ``snippet`` is HTML-escaped with the matches in ``<mark>``."""

    id: int
    kind: str
    text: str
    note: dict[str, Any]
    score: float
    snippet: str = ""
    themes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    origin: str = "auto"
    start: int | None = None
    end: int | None = None
    key: str = ""
    roles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def hit_from_row(row: sqlite3.Row, score: float, literals: list[str]) -> Hit:
    note = {"id": row["note_id"], "name": row["note_name"], "title": row["title"], "source": row["account"],
            "url": row["url"], "published": row["published"]}
    return Hit(id=row["id"], kind=row["kind"], text=row["text"], note=note, score=round(score, 4),
               snippet=snippet(row["text"], literals) if literals else "", themes=json.loads(row["themes"]),
               data=json.loads(row["data"]), origin=row["origin"], start=row["start"], end=row["end"],
               key=row["key"], roles=row["roles"].split())


def _filters(kind: str | None, theme: str | None, source: str | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if kind:
        if kind not in KINDS:
            raise SearchError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        where.append("(i.kind = ? OR instr(' ' || i.roles || ' ', ?) > 0)")  # a line that is also a fact
        args.extend([kind, f" {kind} "])
    if theme:
        where.append("EXISTS (SELECT 1 FROM item_themes t WHERE t.item = i.id AND t.theme = ?)")
        args.append(theme)
    if source:
        where.append("(n.account LIKE ? OR n.url LIKE ?)")
        args.extend([f"%{source}%", f"%{source}%"])
    return where, args


def search(con: sqlite3.Connection, query: str, kind: str | None = None, theme: str | None = None,
           source: str | None = None, limit: int = 20) -> list[Hit]:
    try:
        match, literals = parse_query(query)
    except ValueError as exc:
        raise SearchError(str(exc)) from exc
    where, args = _filters(kind, theme, source)
    exact = all(len(chunks(t)) == 1 and chunks(t)[0] == t for t in literals)
    fetch = limit if exact else limit * 10 + 50
    if not where:  # rank inside FTS5, then join only the page of hits
        sql = ("SELECT -m.rank AS score, i.id, i.kind, i.roles, i.text, i.data, i.themes, i.origin, i.start,"
               ' i."end", i.key, n.id AS note_id, n.note_id AS note_name, n.title, n.account, n.url, n.published'
               " FROM (SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ? ORDER BY rank LIMIT ?) m"
               " JOIN items i ON i.id = m.rowid JOIN notes n ON n.id = i.note ORDER BY m.rank")
        params: list[Any] = [match, fetch]
    else:
        sql = (ITEM_SQL.replace("SELECT ", "SELECT -bm25(items_fts) AS score, ", 1)
               + " JOIN items_fts ON items_fts.rowid = i.id WHERE items_fts MATCH ?"
               + "".join(" AND " + w for w in where) + " ORDER BY bm25(items_fts) LIMIT ?")
        params = [match, *args, fetch]
    try:
        rows = con.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise SearchError(f"cannot search for {query!r}: {exc}") from exc
    hits = [hit_from_row(r, r["score"], literals) for r in rows if contains_all(r["text"], literals)]
    return hits[:limit]


def like_search(con: sqlite3.Connection, query: str, kind: str | None = None, limit: int = 20) -> list[Hit]:
    """Baseline: every term as ``text LIKE '%term%'`` over all items (a full scan), no ranking."""
    terms = query.split()
    if not terms:
        raise SearchError("nothing to search for")
    where, args = _filters(kind, None, None)
    where += ["i.text LIKE ?"] * len(terms)
    args += [f"%{t}%" for t in terms]
    rows = con.execute(ITEM_SQL + " WHERE " + " AND ".join(where), args).fetchall()  # all: no ranking to stop on
    return [hit_from_row(r, 0.0, terms) for r in rows[:limit]]


def list_items(con: sqlite3.Connection, kind: str | None = None, theme: str | None = None,
               source: str | None = None, limit: int | None = None) -> list[Hit]:
    where, args = _filters(kind, theme, source)
    sql = ITEM_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY n.published DESC, i.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [hit_from_row(r, 0.0, []) for r in con.execute(sql, args)]
