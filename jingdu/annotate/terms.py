"""Red: policy terms (提法).  A lexicon of the terms the reader marked in the training notes plus
quoted coinages mined from unmarked posts; a classifier decides which occurrences get marked
(the reader marks a term at some occurrences, often the first, often inside a highlight)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jingdu.annotate.features import SentInfo
from jingdu.annotate.lexicon import TermStats, find_terms

NAMES: tuple[str, ...] = (
    "prior", "marked_log", "docs_log", "mined_log", "known", "mined_only", "quoted", "len", "len_short",
    "first_occ", "occ_log", "count_log", "in_heading", "hl_prob", "para_first", "doc_density",
    "doc_prior", "sent_terms", "is_digit",
)


@dataclass(frozen=True, slots=True)
class Occ:
    start: int
    end: int
    term: str
    sent: int


def occurrences(text: str, infos: Sequence[SentInfo], words: frozenset[str]) -> list[Occ]:
    """Lexicon terms inside the article's sentences."""
    starts = [s.start for s in infos]
    out = []
    for s, e in find_terms(text, words):
        k = bisect_right(starts, s) - 1
        if k >= 0 and e <= infos[k].end:
            out.append(Occ(s, e, text[s:e], k))
    return out


def term_counts(occs: Sequence[Occ], n: int) -> list[int]:
    counts = [0] * n
    for o in occs:
        counts[o.sent] += 1
    return counts


def clean_term(t: str) -> str:
    return t.strip().strip("，。；：、,.;:")


def _stats_row(term: str, stats: TermStats, minus: tuple[Counter[str], Counter[str], Counter[str]] | None
               ) -> tuple[float, float, float, float]:
    marked, seen, docs = stats.marked[term], stats.seen[term], stats.docs[term]
    if minus is not None:
        marked -= minus[0][term]
        seen -= minus[1][term]
        docs -= minus[2][term]
    prior = (marked + 0.1) / (seen + 1.0)
    return prior, math.log1p(marked), math.log1p(docs), math.log1p(stats.mined[term])


def features(occs: Sequence[Occ], infos: Sequence[SentInfo], stats: TermStats, hl_probs: np.ndarray,
             minus: tuple[Counter[str], Counter[str], Counter[str]] | None = None) -> np.ndarray:
    """One row of :data:`NAMES` per occurrence; ``minus`` removes the article's own counts."""
    X = np.zeros((len(occs), len(NAMES)), dtype=np.float32)
    if not occs:
        return X
    count = Counter(o.term for o in occs)
    seen: Counter[str] = Counter()
    rows = [_stats_row(t, stats, minus) for t in (o.term for o in occs)]
    doc_prior = float(np.mean([r[0] for r in rows]))
    density = len(occs) / max(len(infos), 1)
    per_sent = Counter(o.sent for o in occs)
    for i, o in enumerate(occs):
        prior, mlog, dlog, minlog = rows[i]
        seen[o.term] += 1
        s = infos[o.sent]
        L = o.end - o.start
        X[i] = (prior, mlog / 4, dlog / 3, minlog / 5, float(mlog > 0), float(mlog == 0 and minlog > 0),
                float(o.term.startswith("“")), min(L, 20) / 10, float(L <= 2), float(seen[o.term] == 1),
                math.log(seen[o.term]), math.log(count[o.term]) / 3, float(s.kind == "heading"),
                float(hl_probs[o.sent]), float(s.index == 0), min(density, 3.0), doc_prior,
                min(per_sent[o.sent], 5) / 5, float(any(c.isdigit() for c in o.term)))
    return X


def available(occ: Occ, stats: TermStats, minus: tuple[Counter[str], Counter[str], Counter[str]]) -> bool:
    """Whether the term would be in a lexicon built without this article."""
    return stats.marked[occ.term] - minus[0][occ.term] > 0 or stats.mined[occ.term] > 0
