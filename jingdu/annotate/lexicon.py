"""Term lexicons: statistics and term mining (matching is :func:`jingdu.segment.find_words`).

A lexicon maps a term to its statistics in the training notes (how often the reader marked it,
how often it occurred) and, for terms mined from unmarked posts, how many posts use it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

_CJK = "\u4e00-\u9fff"
#: Quoted coinages in unmarked posts: “百千万工程”, “十五五”.
QUOTED_COINAGE = re.compile(rf"“([{_CJK}][{_CJK}0-9A-Za-z、·]{{1,11}})”")


#: One article's counts per term: (marked, seen, docs, present), as :class:`TermStats` holds them
#: summed over the notes; subtracted to leave the article out of its own statistics.
Minus = tuple[Counter[str], Counter[str], Counter[str], Counter[str]]


@dataclass
class TermStats:
    """Counts of one lexicon: marked[t] (times marked in notes), seen[t] (occurrences in notes),
    docs[t] (notes that marked it), present[t] (notes in which it occurs) and mined[t]
    (unmarked posts using it)."""

    marked: Counter[str] = field(default_factory=Counter)
    seen: Counter[str] = field(default_factory=Counter)
    docs: Counter[str] = field(default_factory=Counter)
    mined: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)

    def words(self) -> frozenset[str]:
        return frozenset(set(self.marked) | set(self.mined))

    def counts(self, term: str, minus: Minus | None = None) -> tuple[int, int, int, int]:
        """(marked, seen, docs, present) of ``term``, less one article's own counts (``minus``)."""
        own = (0, 0, 0, 0) if minus is None else tuple(c[term] for c in minus)
        return (self.marked[term] - own[0], self.seen[term] - own[1], self.docs[term] - own[2],
                self.present[term] - own[3])

    def add(self, counts: Minus) -> None:
        """Add one article's counts (see :func:`article_counts`)."""
        for mine, own in zip((self.marked, self.seen, self.docs, self.present), counts, strict=True):
            mine.update(own)

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {"marked": dict(self.marked), "seen": dict(self.seen), "docs": dict(self.docs),
                "mined": dict(self.mined), "present": dict(self.present)}

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, int]]) -> TermStats:
        return cls(*(Counter(data.get(k, {})) for k in ("marked", "seen", "docs", "mined", "present")))


def article_counts(terms: Sequence[str], y: np.ndarray) -> Minus:
    """One article's counts: its candidates' ``terms`` and whether the reader marked each (``y``)."""
    marked = Counter(t for t, v in zip(terms, y, strict=True) if v)
    return marked, Counter(terms), Counter(set(marked)), Counter(set(terms))


def count_terms(per_doc: Iterable[Minus], mined: Counter[str]) -> TermStats:
    """The statistics of a lexicon over the notes (``per_doc`` from :func:`article_counts`)."""
    stats = TermStats(mined=Counter(mined))
    for counts in per_doc:
        stats.add(counts)
    return stats


def most_common(counts: Counter[str], limit: int | None = None) -> list[tuple[str, int]]:
    """``counts.most_common(limit)`` with ties in a fixed order (by the key), so that a cut at
    ``limit`` does not depend on insertion order (sets iterate in an order that changes from run
    to run with Python's string hashing)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def mine_terms(texts: Iterable[str], min_docs: int = 3, limit: int = 6000,
               pattern: re.Pattern[str] = QUOTED_COINAGE) -> Counter[str]:
    """Quoted coinages (with their quotes, and bare when 3+ characters long) used by at least
    ``min_docs`` texts (document frequency).  ``pattern`` finds a quoted phrase, its group 1 the
    phrase itself (the annotator's default; the extractor's term table allows figures too)."""
    df: Counter[str] = Counter()
    for text in texts:
        found = {m.group(0) for m in pattern.finditer(text)}
        found |= {m.group(1) for m in pattern.finditer(text) if len(m.group(1)) >= 3}
        df.update(found)
    kept = [(t, n) for t, n in most_common(df, limit or None) if n >= min_docs]
    return Counter(dict(kept))
