"""Searching the bank: FTS5 over character bigrams ranked by BM25, and the LIKE-scan baseline."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
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
#: so on until the window holds a page's worth of matches (at last: every item); of its matches
#: the newest ``CANDIDATES`` are ranked.  A very common word (发展) matches a large share of an
#: archive, and FTS5's own ``bm25()`` reads the whole list of every query term's rows to weigh
#: it (its cost grows with the archive whatever the page); bounded, the ranking is BM25 over the
#: candidates with their own statistics (:func:`score`): every candidate holds every query term,
#: so the best ranked of a thousand are as relevant as any, and a reader of an archive sees
#: recent material first.  A rare term widens the window to every item, where it has few matches.
WINDOW = 20_000
CANDIDATES = 1000


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


def hit_from_row(row: Mapping[str, Any], score: float, literals: list[str]) -> Hit:
    note = {"id": row["note_id"], "name": row["note_name"], "title": row["title"], "source": row["account"],
            "url": row["url"], "published": row["published"]}
    return Hit(id=row["id"], kind=row["kind"], text=row["text"], note=note, score=round(score, 4),
               snippet=snippet(row["text"], literals) if literals else "", themes=json.loads(row["themes"]),
               data=json.loads(row["data"]), origin=row["origin"], start=row["start"], end=row["end"],
               key=row["key"], roles=row["roles"].split())


def _filters(kind: str | None, theme: str | None, source: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions for the filters (a line that is also a fact is found as a fact too)."""
    where: list[str] = []
    args: list[Any] = []
    if kind and kind not in KINDS:
        raise SearchError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind:
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


def _candidates(con: sqlite3.Connection, expr: str, where: list[str], args: list[Any],
                need: int) -> list[sqlite3.Row]:
    """``(id, kind, text)`` of the newest :data:`CANDIDATES` matches of the newest window that
    holds ``need`` matches (a page's worth; see :data:`WINDOW`)."""
    rows: list[sqlite3.Row] = []
    for low in _windows(con):
        bound, bound_args = (" AND items_fts.rowid >= ?", [low]) if low is not None else ("", [])
        sql = ("SELECT i.id, i.kind, i.text FROM items_fts JOIN items i ON i.id = items_fts.rowid"
               f" JOIN notes n ON n.id = i.note WHERE items_fts MATCH ?{bound}"
               + "".join(" AND " + w for w in where) + " ORDER BY items_fts.rowid DESC LIMIT ?")
        rows = con.execute(sql, [expr, *bound_args, *args, CANDIDATES]).fetchall()
        if len(rows) >= need:
            break
    return rows


def _ranked(con: sqlite3.Connection, rows: list[sqlite3.Row], group: str, need: int,
            literals: list[str]) -> list[Hit]:
    """The ``need`` best ranked candidates of ``group`` by :func:`score`, each text once (its
    copies in other notes counted in ``Hit.notes``)."""
    mine = [r for r in rows if GROUPS[r["kind"]] == group
            and (group == "note" or contains_all(r["text"], literals))]  # a note's row holds its title only
    scores = score([r["text"] for r in mine], literals)
    chosen: dict[str, list[Any]] = {}  # text -> [id, score, copies]
    for k in sorted(range(len(mine)), key=lambda k: (-scores[k], -mine[k]["id"])):
        have = chosen.get(mine[k]["text"])
        if have is not None:
            have[2] += 1
        elif len(chosen) < need:
            chosen[mine[k]["text"]] = [mine[k]["id"], scores[k], 1]
    if not chosen:
        return []
    ids = [c[0] for c in chosen.values()]
    full = {r["id"]: r for r in con.execute(f"{ITEM_SQL} WHERE i.id IN ({','.join('?' * len(ids))})", ids)}
    hits = []
    for item, value, copies in chosen.values():
        hit = hit_from_row(full[item], value, literals)
        hit.notes = copies
        hits.append(hit)
    return hits


def score(texts: list[str], literals: list[str], k1: float = 1.2, b: float = 0.75) -> list[float]:
    """BM25 of each text for the literal terms, with the candidates' own statistics (every
    candidate holds every term, so the terms weigh alike): more occurrences and shorter texts
    first."""
    if not texts:
        return []
    low = [t.lower() for t in texts]
    terms = [t.lower() for t in literals]
    avg = sum(len(t) for t in low) / len(low) or 1.0
    out = []
    for text in low:
        norm = k1 * (1 - b + b * len(text) / avg)
        out.append(sum(tf * (k1 + 1) / (tf + norm) for tf in (text.count(t) for t in terms)))
    return out


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
    """The best ranked hits of every kind (or of ``kind``), each text once: sentences, then
    terms, then notes."""
    expr, literals = _parse(query)
    where, args = _filters(kind, theme, source)
    groups = [GROUPS[kind]] if kind else ["line", "term", "note"]
    rows = _run(lambda: _candidates(con, expr, where, args, limit), query)
    hits: list[Hit] = []
    for group in groups:
        hits += _ranked(con, rows, group, limit - len(hits), literals)
        if len(hits) >= limit:
            break
    return _with_text(con, hits, literals)


def search_page(con: sqlite3.Connection, query: str, kind: str | None = None, theme: str | None = None,
                source: str | None = None, limit: int = 20, terms: int = 8) -> SearchPage:
    """A search as a reader sees it: terms grouped, then sentences, then notes (see :class:`SearchPage`)."""
    expr, literals = _parse(query)
    where, args = _filters(kind, theme, source)
    page = SearchPage(query, kind=kind, theme=theme, source=source)
    take = {GROUPS[kind]: limit} if kind else {"term": terms, "line": limit, "note": max(3, limit // 4)}
    rows = _run(lambda: _candidates(con, expr, where, args, limit), query)
    for group in ("term", "line", "note"):
        if group in take:
            hits = _ranked(con, rows, group, take[group], literals)
            if group == "term":
                page.terms = _term_rows(con, hits)
            else:
                page.hits += _with_text(con, hits, literals)
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
