"""Searching the bank: FTS5 over character bigrams ranked by BM25, and the LIKE-scan baseline."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

from jingdu.bank.grams import contains_all, parse_query, passage, snippet
from jingdu.bank.items import GROUPS, unpack
from jingdu.errors import JingduError

KINDS = ("quote", "fact", "term", "note")
COLUMNS = ('i.id, i.kind, i.roles, i.text, i.data, i.themes, i.origin, i.start, i."end", i.key,'
           " n.id AS note_id, n.note_id AS note_name, n.title, n.account, n.url, n.published")
ITEM_SQL = f"SELECT {COLUMNS} FROM items i JOIN notes n ON n.id = i.note"
#: A query is answered in the newest ``WINDOW`` items first, then in eight times as many, and
#: so on until the window holds the hits asked for (at last: every item).  A very common word
#: (发展) matches a large share of an archive; ranking all its matches costs time in proportion
#: to the archive, while its newest window already holds more matches than a page shows.  The
#: ranking stays BM25 (with the whole index's statistics) among every match of that window:
#: each holds every query term, the best ranked of thousands are as relevant as any, and a
#: reader of an archive sees recent material first.  A rare term widens the window to all.
WINDOW = 20_000


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
    notes: int = 1  # how many of the ranked hits had this text (copies in other notes are shown once)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def hit_from_row(row: sqlite3.Row, score: float, literals: list[str]) -> Hit:
    note = {"id": row["note_id"], "name": row["note_name"], "title": row["title"], "source": row["account"],
            "url": row["url"], "published": row["published"]}
    return Hit(id=row["id"], kind=row["kind"], text=row["text"], note=note, score=round(score, 4),
               snippet=snippet(row["text"], literals) if literals else "", themes=json.loads(row["themes"]),
               data=json.loads(row["data"]), origin=row["origin"], start=row["start"], end=row["end"],
               key=row["key"], roles=row["roles"].split())


def _filters(kind: str | None, theme: str | None, source: str | None,
             indexed: bool = False) -> tuple[list[str], list[Any]]:
    """SQL conditions for the filters (``indexed``: the search index's group already holds the
    kind, so only a line's role is checked)."""
    where: list[str] = []
    args: list[Any] = []
    if kind and kind not in KINDS:
        raise SearchError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind and not (indexed and GROUPS[kind] == kind):
        where.append("(i.kind = ? OR instr(' ' || i.roles || ' ', ?) > 0)")  # a line that is also a fact
        args.extend([kind, f" {kind} "])
    if theme:
        where.append("EXISTS (SELECT 1 FROM item_themes t WHERE t.item = i.id AND t.theme = ?)")
        args.append(theme)
    if source:
        where.append("(n.account LIKE ? OR n.url LIKE ?)")
        args.extend([f"%{source}%", f"%{source}%"])
    return where, args


@dataclass
class TermRow:
    """A term as one row of a search page: its text and the number of notes that hold it."""

    text: str
    notes: int
    item: int  # one of its items (the best ranked)


@dataclass
class SearchPage:
    """What a search shows: the matching terms grouped (one row each, with their count of notes),
    then the sentences (quotes and facts, each text once), then the notes."""

    query: str
    terms: list[TermRow] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    kind: str | None = None
    theme: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "filters": {"kind": self.kind, "theme": self.theme, "source": self.source},
                "terms": [asdict(t) for t in self.terms], "hits": [h.to_dict() for h in self.hits]}


def _group_of(kind: str | None) -> str | None:
    return None if kind is None else GROUPS[kind]


def _windows(con: sqlite3.Connection) -> list[int | None]:
    """The lowest item ids of the search windows, newest first: the newest ``WINDOW`` items,
    eight times as many, … and at last every item (``None``)."""
    top = con.execute("SELECT MAX(id) FROM items").fetchone()[0] or 0
    out: list[int | None] = []
    width = WINDOW
    while width < top:
        out.append(top - width)
        width *= 8
    return [*out, None]


def _ranked(con: sqlite3.Connection, expr: str, group: str | None, where: list[str], args: list[Any],
            need: int) -> list[sqlite3.Row]:
    """The best ranked matches of ``expr`` in ``group`` that pass ``where`` (``need`` of them and
    as many again per hit for the copies shown once), ranked in the newest window of items that
    holds ``need`` of them (see :data:`WINDOW`)."""
    fetch = need * 5 + 20
    match = f"kind : {group} AND grams : ({expr})" if group else f"grams : ({expr})"
    rows: list[sqlite3.Row] = []
    for low in _windows(con):
        bound, bound_args = (" AND items_fts.rowid >= ?", [low]) if low is not None else ("", [])
        if not where:  # rank inside FTS5, then join only the page of hits
            sql = (f"SELECT -m.rank AS score, {COLUMNS} FROM (SELECT rowid, rank FROM items_fts"
                   f" WHERE items_fts MATCH ?{bound} ORDER BY rank LIMIT ?) m"
                   " JOIN items i ON i.id = m.rowid JOIN notes n ON n.id = i.note ORDER BY m.rank")
            params: list[Any] = [match, *bound_args, fetch]
        else:
            sql = (f"SELECT -items_fts.rank AS score, {COLUMNS} FROM items_fts"
                   f" JOIN items i ON i.id = items_fts.rowid JOIN notes n ON n.id = i.note"
                   f" WHERE items_fts MATCH ?{bound}" + "".join(" AND " + w for w in where)
                   + " ORDER BY items_fts.rank LIMIT ?")
            params = [match, *bound_args, *args, fetch]
        rows = con.execute(sql, params).fetchall()
        if len(rows) >= need:
            break
    return rows


def _hits(rows: list[sqlite3.Row], literals: list[str], limit: int) -> list[Hit]:
    """Hits holding every literal term, each (group, text) once, the best ranked first."""
    out: dict[tuple[str, str], Hit] = {}
    for r in rows:
        group = GROUPS[r["kind"]]
        if group != "note" and not contains_all(r["text"], literals):  # a note's row holds its title only
            continue
        have = out.get((group, r["text"]))
        if have is not None:
            have.notes += 1
        elif len(out) < limit:
            out[(group, r["text"])] = hit_from_row(r, r["score"], literals)
    return list(out.values())


def _with_text(con: sqlite3.Connection, hits: list[Hit], literals: list[str], width: int = 120) -> list[Hit]:
    """Note hits get the passage of their note around the first match as their text (a note's
    row holds only its title); a note that lacks a literal term is dropped."""
    out = []
    for h in hits:
        if h.kind == "note":
            row = con.execute("SELECT doc FROM notes WHERE id = ?", (h.note["id"],)).fetchone()
            text = json.loads(unpack(row["doc"]))["text"] if row else ""
            if not contains_all(text, literals):
                continue
            h.text = passage(text, literals, width)
            h.snippet = snippet(h.text, literals, width)
        out.append(h)
    return out


def _parse(query: str) -> tuple[str, list[str]]:
    try:
        return parse_query(query)
    except ValueError as exc:
        raise SearchError(str(exc)) from exc


def _run(fn: Any, query: str) -> Any:
    try:
        return fn()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):  # a time limit (Bank.deadline), not a bad query
            raise
        raise SearchError(f"cannot search for {query!r}: {exc}") from exc


def search(con: sqlite3.Connection, query: str, kind: str | None = None, theme: str | None = None,
           source: str | None = None, limit: int = 20) -> list[Hit]:
    """The best ranked hits of every kind (or of ``kind``), each text once."""
    expr, literals = _parse(query)
    where, args = _filters(kind, theme, source, indexed=True)
    rows = _run(lambda: _ranked(con, expr, _group_of(kind), where, args, limit), query)
    return _with_text(con, _hits(rows, literals, limit), literals)


def search_page(con: sqlite3.Connection, query: str, kind: str | None = None, theme: str | None = None,
                source: str | None = None, limit: int = 20, terms: int = 8) -> SearchPage:
    """A search as a reader sees it: terms grouped, then sentences, then notes (see :class:`SearchPage`)."""
    expr, literals = _parse(query)
    where, args = _filters(kind, theme, source, indexed=True)
    page = SearchPage(query, kind=kind, theme=theme, source=source)
    groups = [_group_of(kind)] if kind else ["term", "line", "note"]
    for group in groups:
        if group == "term":
            rows = _run(lambda: _ranked(con, expr, "term", where, args, limit if kind else terms), query)
            page.terms = _term_rows(con, _hits(rows, literals, limit if kind else terms))
        else:
            take = limit if group == "line" or kind else max(3, limit // 4)
            rows = _run(lambda g=group, t=take: _ranked(con, expr, g, where, args, t), query)
            page.hits += _with_text(con, _hits(rows, literals, take), literals)
    return page


def _term_rows(con: sqlite3.Connection, hits: list[Hit]) -> list[TermRow]:
    """One row per term text, with the number of notes that hold it (every note, not only those ranked)."""
    count = "SELECT COUNT(*) FROM items WHERE kind = 'term' AND text = ?"
    return [TermRow(h.text, int(con.execute(count, (h.text,)).fetchone()[0]), h.id) for h in hits]


def like_search(con: sqlite3.Connection, query: str, kind: str | None = None, limit: int = 20) -> list[Hit]:
    """Baseline: every term as ``LIKE '%term%'`` over every item's text (a note's: its whole
    text, unpacked), a full scan, no ranking."""
    terms = query.split()
    if not terms:
        raise SearchError("nothing to search for")
    con.create_function("unpacked", 1, unpack, deterministic=True)
    text = "CASE WHEN i.kind = 'note' THEN json_extract(unpacked(n.doc), '$.text') ELSE i.text END"
    where, args = _filters(kind, None, None)
    where += [f"{text} LIKE ?"] * len(terms)
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
