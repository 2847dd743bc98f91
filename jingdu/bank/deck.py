"""How good a review deck is: cards, questions and fragments, for the default deck and for every
quote and fact, next to the naive question (period + subject, no fragment check) as the baseline.

``jingdu bench cards`` prints it for a bank."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jingdu.bank import Bank

#: Punctuation a question must not open with (an opening quote or bracket may).
LEADING_PUNCT = re.compile(r"^[，。、；：？！）)”’》】,.;:?!]")
#: A question with this many characters or fewer before its "？" is a fragment.
SHORT = 6


@dataclass
class DeckStats:
    cards: int = 0
    cloze: int = 0
    qa: int = 0
    questions: int = 0  # qa cards that ask a question above their sentence
    short: int = 0  # questions of SHORT characters or fewer before the "？"
    leading_punct: int = 0  # questions opening with punctuation


def is_fragment(question: str) -> bool:
    """A question that cannot be answered on its own: too short or opening with punctuation."""
    return len(question.rstrip("？")) <= SHORT or bool(LEADING_PUNCT.match(question))


def _count(out: DeckStats, questions: list[str]) -> None:
    out.questions += len(questions)
    out.short += sum(len(q.rstrip("？")) <= SHORT for q in questions)
    out.leading_punct += sum(bool(LEADING_PUNCT.match(q)) for q in questions)


def deck_stats(bank: Bank, every: bool) -> DeckStats:
    """The cards the default deck (or, with ``every``, every quote and fact) would hold."""
    from jingdu.bank.export import _rows

    out = DeckStats()
    asked = []
    for row in _rows(bank, ("quote", "fact"), None, every=every):
        out.cards += 1
        if row["card"] == "cloze":
            out.cloze += 1
            continue
        out.qa += 1
        if "\n" in row["front"]:
            asked.append(row["front"].split("\n", 1)[0])
    _count(out, asked)
    return out


def naive_stats(bank: Bank) -> DeckStats:
    """The baseline: every fact asked as its period and subject joined, with no fragment check."""
    out = DeckStats()
    asked = []
    for hit in bank.items(kind="fact"):
        out.cards += 1
        out.qa += 1
        subject, period = hit.data.get("subject") or "", hit.data.get("period") or ""
        if subject:
            asked.append(f"{'' if period in subject else period}{subject}？")
    _count(out, asked)
    return out
