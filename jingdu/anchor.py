"""Marks follow their words when a note's text changes (a publisher's correction, a longer clip).

A span of the old text is found again in the new text the way Hypothesis re-anchors an
annotation: first by the diff of the two texts (a span inside an unchanged stretch moves with
it), then by its quote, told apart from other occurrences by the words around it.  A span whose
words are gone, or that could sit in two places equally well, is an *orphan*: it is reported,
never put on other words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from jingdu.model import Span

#: Characters of context compared on each side of a quote found more than once.
CONTEXT = 32


@dataclass(frozen=True)
class Reanchored:
    """The spans placed in the new text, and those that could not be (with their old offsets)."""

    spans: tuple[Span, ...]
    orphans: tuple[Span, ...]


def reanchor(old_text: str, new_text: str, spans: Iterable[Span]) -> Reanchored:
    """Each span of ``old_text`` placed on the same words of ``new_text``, or orphaned."""
    todo = list(spans)
    if old_text == new_text or not todo:
        return Reanchored(tuple(todo), ())
    blocks = _equal_blocks(old_text, new_text)
    placed: list[Span] = []
    orphans: list[Span] = []
    for sp in todo:
        start = _by_diff(blocks, sp) if sp.end > sp.start else None
        if start is None:
            start = _by_quote(old_text, new_text, sp)
        if start is None:
            orphans.append(sp)
        else:
            placed.append(replace(sp, start=start, end=start + (sp.end - sp.start)))
    return Reanchored(tuple(placed), tuple(orphans))


def _equal_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """``(old_start, old_end, new_start)`` of the stretches the two texts share, in order."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, j1) for tag, i1, i2, j1, _ in matcher.get_opcodes() if tag == "equal"]


def _by_diff(blocks: list[tuple[int, int, int]], sp: Span) -> int | None:
    for i1, i2, j1 in blocks:
        if i1 <= sp.start and sp.end <= i2:
            return sp.start - i1 + j1
    return None


def _by_quote(old: str, new: str, sp: Span) -> int | None:
    """The one place of the span's words in ``new`` whose surroundings fit best, if there is one."""
    quote = old[sp.start:sp.end]
    if not quote:
        return None
    hits = _occurrences(new, quote)
    if len(hits) <= 1:
        return hits[0] if hits else None
    before, after = old[max(0, sp.start - CONTEXT):sp.start], old[sp.end:sp.end + CONTEXT]
    scored = sorted(((_fit(new, i, len(quote), before, after), i) for i in hits), reverse=True)
    return scored[0][1] if scored[0][0] > scored[1][0] else None


def _fit(new: str, at: int, size: int, before: str, after: str) -> int:
    """How many characters of context agree on both sides of ``new[at:at+size]``."""
    here_before, here_after = new[max(0, at - CONTEXT):at], new[at + size:at + size + CONTEXT]
    left = 0
    while left < min(len(before), len(here_before)) and before[-1 - left] == here_before[-1 - left]:
        left += 1
    right = 0
    while right < min(len(after), len(here_after)) and after[right] == here_after[right]:
        right += 1
    return left + right


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out
