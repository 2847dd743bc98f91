"""The bank's review cards: made from quote and fact items when first asked for, scheduled by
FSRS (:mod:`jingdu.review` has the card faces and the scheduler; this module the SQL)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from fsrs import Card, Rating

from jingdu.bank.schema import write_tx
from jingdu.errors import InvalidRequest, NotFound
from jingdu.review import RATINGS, ReviewCard, faces, now_or, scheduler


class _Items(Protocol):
    con: sqlite3.Connection

    def item(self, item_id: int) -> dict[str, Any]: ...
    def note_terms(self, note: int) -> list[str]: ...


#: The items of the default deck: the reader's highlights and the key facts (``data.deck``); an
#: item drawn before the flag existed (its note not added again since) counts as in the deck.
IN_DECK = "coalesce(json_extract(i.data, '$.deck'), 1) = 1"


def _new_cards(con: sqlite3.Connection, n: int, every: bool = False) -> None:
    deck = "" if every else f" AND {IN_DECK}"
    rows = con.execute(
        "SELECT i.id, i.kind FROM items i LEFT JOIN cards c ON c.item = i.id"
        f" WHERE c.id IS NULL AND i.kind IN ('quote', 'fact'){deck} ORDER BY i.id LIMIT ?", (n,)).fetchall()
    if not rows:
        return
    with write_tx(con):
        for r in rows:
            card = Card(card_id=r["id"])
            con.execute("INSERT OR IGNORE INTO cards (item, kind, fsrs, due) VALUES (?,?,?,?)",
                        (r["id"], "qa" if r["kind"] == "fact" else "cloze", card.to_json(), card.due.isoformat()))


def _introduced_on(con: sqlite3.Connection, moment: datetime) -> int:
    """Cards whose first review fell on ``moment``'s day (UTC)."""
    start = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    return int(con.execute(
        "SELECT COUNT(*) FROM (SELECT MIN(reviewed_at) AS first FROM review_log GROUP BY card)"
        " WHERE first >= ? AND first < ?", (start.isoformat(), end.isoformat())).fetchone()[0])


def due_cards(bank: _Items, limit: int | None = None, now: datetime | None = None,
              every: bool = False) -> list[ReviewCard]:
    """Cards due at ``now`` (new items get their card here), oldest due first.

    New cards come from the default deck (the reader's highlights and the key facts) unless
    ``every``: then from every quote and fact.  ``limit`` new cards a day at most: the cards first
    reviewed that day count against it, so a session's count goes down as cards are answered
    instead of being topped up with new ones."""
    con = bank.con
    moment = now_or(now)
    when = moment.isoformat()
    due = con.execute("SELECT COUNT(*) FROM cards WHERE due <= ?", (when,)).fetchone()[0]
    fresh = (limit or 20) - due - _introduced_on(con, moment)
    if fresh > 0:
        _new_cards(con, fresh, every)
        when = max(when, now_or(None).isoformat())
    sql = "SELECT id, item, due FROM cards WHERE due <= ? ORDER BY due, id"
    rows = con.execute(sql + (" LIMIT ?" if limit else ""), (when, limit) if limit else (when,)).fetchall()
    out = []
    for r in rows:
        item = bank.item(r["item"])
        kind, front, back = faces(item, bank.note_terms(item["note"]["id"]))
        source = f"{item['note']['title']} · {item['note']['source']}".strip(" ·")
        out.append(ReviewCard(r["id"], r["item"], kind, front, back, item["text"], source, r["due"]))
    return out


def review(con: sqlite3.Connection, card_id: int, rating: int | Rating, now: datetime | None = None,
           duration_ms: int | None = None) -> dict[str, Any]:
    """Rate a card 1-4 (Again, Hard, Good, Easy); stores its new state and a review-log row."""
    value = int(rating)
    if value not in RATINGS:
        raise InvalidRequest(f"rating must be 1-4 (Again, Hard, Good, Easy), got {rating!r}")
    with write_tx(con):
        row = con.execute("SELECT c.fsrs, i.key FROM cards c JOIN items i ON i.id = c.item WHERE c.id = ?",
                          (card_id,)).fetchone()
        if row is None:
            raise NotFound(f"no card {card_id}")
        card, log = scheduler().review_card(Card.from_json(row["fsrs"]), Rating(value), now_or(now), duration_ms)
        con.execute("UPDATE cards SET fsrs = ?, due = ? WHERE id = ?", (card.to_json(), card.due.isoformat(), card_id))
        con.execute("INSERT INTO review_log (card, item_key, rating, reviewed_at, duration_ms, log)"
                    " VALUES (?,?,?,?,?,?)", (card_id, row["key"], value, log.review_datetime.isoformat(),
                                              duration_ms, log.to_json()))
    return {"card": card_id, "rating": RATINGS[value], "due": card.due.isoformat(),
            "state": json.loads(card.to_json())["state"]}
