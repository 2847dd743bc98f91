"""Review with FSRS: cards made from bank items, scheduled by the ``fsrs`` package (v6).

* a ``quote`` item becomes a **cloze** card: its red terms (the note's red marks inside the
  quote) are blanked; without red marks, the bank's terms of that note found in the quote;
  failing those, its longest word;
* a ``fact`` item becomes a **question** card: ``深圳2025年前三季度规上工业总产值？`` →
  ``3.83万亿元``, built from the fact's period, subject and surface.

This module is pure: the bank (:mod:`jingdu.bank.cards`) stores the cards and their review log,
making a card when an item is first asked for.  :func:`run_review` is the terminal session over
anything with ``due_cards`` and ``review`` (the bank).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from fsrs import Scheduler

BLANK = "［＿＿］"
ANSWER_SEP = " / "
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass
class ReviewCard:
    """A card to ask: ``front`` (the question or cloze), ``back`` (the answer) and its source."""

    id: int
    item: int
    kind: str  # cloze | qa
    front: str
    back: str
    context: str
    source: str
    due: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Reviewer(Protocol):
    def due_cards(self, limit: int | None = None) -> list[ReviewCard]: ...
    def review(self, card_id: int, rating: int) -> dict[str, Any]: ...


def now_or(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


# -- card faces ------------------------------------------------------------------------------
def cloze(text: str, ranges: list[list[int]]) -> tuple[str, list[str]]:
    """``text`` with ``ranges`` blanked, and the blanked words in order."""
    out, answers, pos = [], [], 0
    for s, e in sorted((r[0], r[1]) for r in ranges):
        if s < pos or e <= s:
            continue
        out.append(text[pos:s])
        out.append(BLANK)
        answers.append(text[s:e])
        pos = e
    out.append(text[pos:])
    return "".join(out), answers


def _term_ranges(text: str, terms: list[str]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for term in sorted(set(terms), key=len, reverse=True):
        i = text.find(term)
        if len(term) >= 2 and i >= 0 and all(i >= e or i + len(term) <= s for s, e in ranges):
            ranges.append([i, i + len(term)])
        if len(ranges) >= 3:
            break
    return ranges


def _longest_word(text: str) -> list[list[int]]:
    from jingdu.segment import tokenize

    words = [(w, s, e) for w, s, e in tokenize(text) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)]
    if not words:
        return []
    _, s, e = max(words, key=lambda x: (len(x[0]), -x[1]))
    return [[s, e]]


def quote_face(text: str, data: dict[str, Any], note_terms: list[str]) -> tuple[str, str]:
    red = data.get("red") or []
    if sum(e - s for s, e in red) > len(text) / 2:
        red = []  # a wholly red sentence: blank its terms instead
    ranges = red or _term_ranges(text, note_terms) or _longest_word(text)
    front, answers = cloze(text, ranges)
    return front, ANSWER_SEP.join(answers) if answers else text


def fact_face(text: str, data: dict[str, Any]) -> tuple[str, str]:
    surface = str(data.get("surface") or "")
    period = str(data.get("period") or "")
    subject = str(data.get("subject") or "")
    if subject:
        question = subject if period and period in subject else _join_subject(subject, period)
        return f"{question}？", surface
    front, _ = cloze(text, [[text.find(surface), text.find(surface) + len(surface)]]) if surface in text \
        else (text, [])
    return front, surface or text


def _join_subject(subject: str, period: str) -> str:
    """深圳 + 2025年前三季度 + 规上工业总产值: the period goes after a leading place name."""
    m = re.match(r"^([\u4e00-\u9fff]{2,4}?(?:省|市|区|县|镇|村))", subject)
    if period and m:
        return m.group(1) + period + subject[m.end():]
    if period and len(subject) > 4 and subject[:2] in _PLACES:
        return subject[:2] + period + subject[2:]
    return period + subject


_PLACES = frozenset({"深圳", "广东", "广州", "全国", "我国", "中国", "全省", "全市", "北京", "上海", "浙江", "江苏",
                     "香港", "澳门", "珠海", "佛山", "东莞"})


def faces(item: dict[str, Any], note_terms: list[str]) -> tuple[str, str, str]:
    """``(kind, front, back)`` of the card for an item (``note_terms``: its note's terms)."""
    if item["kind"] == "fact":
        front, back = fact_face(item["text"], item["data"])
        return "qa", front, back
    front, back = quote_face(item["text"], item["data"], note_terms)
    return "cloze", front, back


# -- scheduling ------------------------------------------------------------------------------
def scheduler() -> Scheduler:
    return Scheduler(enable_fuzzing=False)


# -- the terminal session ----------------------------------------------------------------------
def run_review(bank: Reviewer, limit: int | None = 20, ask: Callable[[str], str] | None = None,
               show: Callable[[str], None] | None = None) -> dict[str, int]:
    """Ask each due card: show the front, reveal on Enter, read a rating 1-4 (``q`` quits)."""
    ask = _eof_quits(ask or input)
    show = show or print
    counts = {name: 0 for name in RATINGS.values()}
    cards = bank.due_cards(limit=limit)
    if not cards:
        show("Nothing is due.")
    for n, card in enumerate(cards, 1):
        show(f"[{n}/{len(cards)}] {'问' if card.kind == 'qa' else '填空'}  ({card.source})")
        show(card.front)
        if ask("Enter to reveal (q to quit) ").strip().lower() == "q":
            break
        show(f"→ {card.back}")
        rating = _read_rating(ask)
        if rating is None:
            break
        bank.review(card.id, rating)
        counts[RATINGS[rating]] += 1
    return counts


def _eof_quits(ask: Callable[[str], str]) -> Callable[[str], str]:
    def safe(prompt: str) -> str:
        try:
            return ask(prompt)
        except EOFError:
            return "q"

    return safe


def _read_rating(ask: Callable[[str], str]) -> int | None:
    for _ in range(5):
        answer = ask("Rate 1 Again · 2 Hard · 3 Good · 4 Easy (q to quit) ").strip().lower()
        if answer == "q":
            return None
        if answer in {"1", "2", "3", "4"}:
            return int(answer)
    return None
