"""Review with FSRS: cards made from bank items, scheduled by the ``fsrs`` package (v6).

* a ``quote`` item becomes a **cloze** card: its red terms (the note's red marks inside the
  quote) are blanked; without red marks, the bank's terms of that note found in the quote;
  failing those, its longest word;
* a ``fact`` item becomes a **question** card: ``2025年前三季度，江城规上工业总产值？`` above its
  sentence with the figure blanked → ``1.26万亿元``, built from the fact's period, subject and
  surface; a subject that is a fragment asks no question (the blanked sentence is the front).

A deck holds, by default, the reader's highlights and the key facts (:func:`key_fact`); the
bank marks them when it draws a note's items.

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
    def due_cards(self, limit: int | None = None, every: bool = False) -> list[ReviewCard]: ...
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
    """The question card of a figure: ``2025年前三季度，江城规上工业总产值？`` above its sentence with
    the figure blanked; the answer is the figure.  A subject that is only a fragment of its
    clause (``佛山等``, ``）``, ``运动员``) asks no question: the blanked sentence alone is the front."""
    surface = str(data.get("surface") or "")
    at = text.find(surface) if surface else -1
    sentence = cloze(text, [[at, at + len(surface)]])[0] if at >= 0 else text
    ask = question(data.get("subject"), data.get("period"))
    front = f"{ask}\n{sentence}" if ask else sentence
    return front, surface or text


#: What a clause cut before its figure leaves hanging at its ends (dropped from the subject).
_LEAD_CUT = re.compile(r"^[\W_的了和与及或在其这而并且共均已都将还又从对把被向使让给由]+")
_TAIL_CUT = re.compile(r"[\W_的了在将要和与及或较为是达约近超共等到至前后第每不有再同仅已也都把被向从对由给以]+$")
#: A question is at least this long before its "？"; shorter ones are fragments.
MIN_QUESTION = 7


def question(subject: object, period: object) -> str | None:
    """``{period}，{subject}？`` for a figure, or None when the subject is a fragment: shorter than
    four characters once trimmed, holding another figure's digits, or unbalanced quotes."""
    subj = _LEAD_CUT.sub("", str(subject or "").strip())
    subj = _TAIL_CUT.sub("", subj)
    when = str(period or "").strip()
    if when.endswith(("截至", "至")):
        when = ""  # 截至 without its date says nothing
    if len(subj) < 4 or re.search(r"[0-9０-９%％]", subj) or not _balanced(subj):
        return None
    dated = bool(when) and when not in subj and not re.fullmatch(r"[\W_]+", when)
    asked = f"{when}，{subj}" if dated else subj
    return f"{asked}？" if len(asked) >= MIN_QUESTION else None


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("“”", "（）", "()", "《》", "‘’", "【】"))


def key_fact(data: dict[str, Any], marked: bool) -> bool:
    """Whether a figure belongs in the default deck: it asks a real question and either the reader
    marked it (bold or highlight) or it is a dated amount, growth, share or rank."""
    if question(data.get("subject"), data.get("period")) is None:
        return False
    return marked or (bool(data.get("period")) and data.get("kind") in ("amount", "growth", "share", "rank"))


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
               show: Callable[[str], None] | None = None, every: bool = False) -> dict[str, int]:
    """Ask each due card: show the front, reveal on a key (Enter), read a rating 1-4 (``q`` quits).

    ``ask`` reads one answer: a line by default; the CLI gives it a single key press in a terminal."""
    ask = _eof_quits(ask or input)
    show = show or print
    counts = {name: 0 for name in RATINGS.values()}
    cards = bank.due_cards(limit=limit, every=every)
    if not cards:
        show("Nothing is due.")
    for n, card in enumerate(cards, 1):
        show(f"[{n}/{len(cards)}] {'问' if card.kind == 'qa' else '填空'}  ({card.source})")
        show(card.front)
        if ask("Any key reveals (q quits) ").strip().lower() == "q":
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
        answer = ask("Rate 1 Again · 2 Hard · 3 Good · 4 Easy (q quits) ").strip().lower()
        if answer == "q":
            return None
        if answer in {"1", "2", "3", "4"}:
            return int(answer)
    return None
