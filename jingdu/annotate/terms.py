"""Red: policy terms (提法).  Candidates are occurrences of a lexicon (the terms the reader marked in
the training notes plus quoted coinages mined from unmarked posts) and the article's own quoted
phrases (“静”, “百千万工程”); a classifier decides which get marked (the reader marks a term at some
occurrences, often the first, often inside a highlight, and marks some articles far more densely
than others).  The classifier is trained in :mod:`jingdu.annotate.training`."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jingdu.annotate.features import SentInfo, topic_page
from jingdu.annotate.lexicon import Minus, TermStats
from jingdu.segment import find_words

NAMES: tuple[str, ...] = (
    "prior", "marked_log", "docs_log", "mined_log", "known", "mined_only", "quoted", "len", "len_short",
    "first_occ", "occ_log", "count_log", "in_heading", "hl_prob", "para_first", "doc_density",
    "doc_prior", "sent_terms", "is_digit", "from_quote", "quote_short", "inner_count_log", "doc_quotes",
    "doc_topic", "doc_rate", "present_log",
)
#: The article's own quoted phrases: “静”, “百千万工程”, “走在前、作示范、挑大梁”.
QUOTED = re.compile(r"“[^“”\n。！？；]{1,20}”")


@dataclass(frozen=True, slots=True)
class Occ:
    start: int
    end: int
    term: str
    sent: int
    quoted: bool = False  # found as a quoted phrase of the article, not through the lexicon


def occurrences(text: str, infos: Sequence[SentInfo], words: frozenset[str]) -> list[Occ]:
    """Lexicon terms inside the article's sentences."""
    starts = [s.start for s in infos]
    out = []
    for s, e in find_words(text, words):
        k = bisect_right(starts, s) - 1
        if k >= 0 and e <= infos[k].end:
            out.append(Occ(s, e, text[s:e], k))
    return out


def with_quotes(text: str, infos: Sequence[SentInfo], occs: Sequence[Occ]) -> list[Occ]:
    """``occs`` plus the article's quoted phrases (flagged ``quoted``, found with or without the lexicon)."""
    have = {(o.start, o.end): o for o in occs}
    starts = [s.start for s in infos]
    for m in QUOTED.finditer(text):
        s, e = m.span()
        k = bisect_right(starts, s) - 1
        if k >= 0 and e <= infos[k].end:
            have[(s, e)] = Occ(s, e, m.group(), k, True)
    return sorted(have.values(), key=lambda o: (o.start, -o.end))


def term_counts(occs: Sequence[Occ], n: int) -> list[int]:
    counts = [0] * n
    for o in occs:
        counts[o.sent] += 1
    return counts


def clean_term(t: str) -> str:
    return t.strip().strip("，。；：、,.;:")


def _stats_row(term: str, stats: TermStats, minus: Minus | None) -> tuple[float, ...]:
    """prior (share of occurrences marked), log marked, log notes marking it, log posts using it,
    doc rate (share of the notes holding it that mark it), log notes holding it."""
    marked, seen, docs, present = stats.counts(term, minus)
    prior = (marked + 0.1) / (seen + 1.0)
    return (prior, math.log1p(marked), math.log1p(docs), math.log1p(stats.mined[term]),
            (docs + 0.1) / (present + 1.0), math.log1p(present) / 3)


def features(occs: Sequence[Occ], infos: Sequence[SentInfo], stats: TermStats, hl_probs: np.ndarray,
             minus: Minus | None = None) -> np.ndarray:
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
    inner = {o.term.strip("“”") for o in occs}
    joined = "\x00".join(s.text for s in infos)  # no term holds \x00: the same counts as sentence by sentence
    inner_count = {t: joined.count(t) for t in inner if t}
    doc_quotes = sum(o.term.startswith("“") for o in occs) / max(len(infos), 1)
    topic = float(topic_page(list(infos)))
    for i, o in enumerate(occs):
        prior, mlog, dlog, minlog, doc_rate, present_log = rows[i]
        seen[o.term] += 1
        s = infos[o.sent]
        L = o.end - o.start
        X[i] = (prior, mlog / 4, dlog / 3, minlog / 5, float(mlog > 0), float(mlog == 0 and minlog > 0),
                float(o.term.startswith("“")), min(L, 20) / 10, float(L <= 2), float(seen[o.term] == 1),
                math.log(seen[o.term]), math.log(count[o.term]) / 3, float(s.kind == "heading"),
                float(hl_probs[o.sent]), float(s.index == 0), min(density, 3.0), doc_prior,
                min(per_sent[o.sent], 5) / 5, float(any(c.isdigit() for c in o.term)),
                float(o.quoted and mlog == 0 and minlog == 0), float(o.quoted and L <= 4),
                math.log1p(inner_count.get(o.term.strip("“”"), 0)) / 3, min(doc_quotes, 3.0), topic,
                doc_rate, present_log)
    return X


def available(occ: Occ, stats: TermStats, minus: Minus) -> bool:
    """Whether the term would be in a lexicon built without this article."""
    return occ.quoted or stats.counts(occ.term, minus)[0] > 0 or stats.mined[occ.term] > 0
