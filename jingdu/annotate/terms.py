"""Red: policy terms (提法).  Candidates are occurrences of a lexicon (the terms the reader marked in
the training notes plus quoted coinages mined from unmarked posts) and the article's own quoted
phrases (“静”, “百千万工程”); a classifier decides which get marked (the reader marks a term at some
occurrences, often the first, often inside a highlight, and marks some articles far more densely
than others)."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jingdu.annotate import trees
from jingdu.annotate.features import SentInfo, topic_page
from jingdu.annotate.lexicon import Minus, TermStats, article_counts, count_terms
from jingdu.annotate.linear import Linear
from jingdu.annotate.spans import best_threshold, gold_ranges, labels
from jingdu.annotate.trees import Scorer
from jingdu.segment import find_words

if TYPE_CHECKING:
    from jingdu.annotate.annotator import Prepared

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
    inner_count = {t: sum(s.text.count(t) for s in infos) for t in inner if t}
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


# -- training -----------------------------------------------------------------------------------
def doc_counts(prep: Prepared) -> Minus:
    """The article's own red counts (marked, seen, docs, present) per term, to leave it out of the statistics."""
    y = labels([(o.start, o.end) for o in prep.occs], gold_ranges(prep.doc, "red"))
    return article_counts([o.term for o in prep.occs], y)


def _fit(rows: Sequence[tuple[np.ndarray, np.ndarray]], C: float, doc_power: float, kind: str) -> Scorer:
    """Over the candidates: boosted trees (``kind="trees"``), a logistic model with regularisation
    ``C`` (``"linear"``), or the two blended (``"blend"``)."""
    full = [r for r in rows if len(r[0])]
    names = (*NAMES, "acct_rate")
    if not full:
        return Linear(names, np.zeros(len(names), dtype=np.float32), -7.0)
    X = np.vstack([r[0] for r in full])
    y = np.concatenate([r[1] for r in full])
    w = np.concatenate([np.full(len(r[1]), len(r[1]) ** -doc_power) for r in full])
    w = w * (len(w) / w.sum())
    return trees.fit_kind(kind, names, X, y, C=C, sample_weight=w)


def train(preps: Sequence[Prepared], hl: Sequence[np.ndarray], mined: Counter[str], acct: Sequence[float], *,
          folds: int, C: float, grid: Sequence[float], doc_power: float = 0.0, kind: str = "blend"
          ) -> tuple[Scorer, TermStats, float, float, float]:
    """The red model, its term statistics (leave-one-article-out for each training row), and the
    threshold, its F1 and the account weight ``gamma`` chosen on grouped out-of-fold predictions."""
    from jingdu.annotate.training import folds_of

    ys = [labels([(o.start, o.end) for o in p.occs], gold_ranges(p.doc, "red")) for p in preps]
    per_doc = [article_counts([o.term for o in p.occs], y) for p, y in zip(preps, ys, strict=True)]
    stats = count_terms(per_doc, mined)
    rows, cands = [], []
    for p, y, h, minus, a in zip(preps, ys, hl, per_doc, acct, strict=True):
        keep = [i for i, o in enumerate(p.occs) if available(o, stats, minus)]
        occs = [p.occs[i] for i in keep]
        X = features(occs, p.infos, stats, h, minus)
        rows.append((np.hstack([X, np.full((len(X), 1), a, dtype=np.float32)]), y[keep]))
        cands.append([(o.start, o.end) for o in occs])
    oof: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for fold in folds_of(len(rows), folds):
        held = set(fold.tolist())
        m = _fit([r for i, r in enumerate(rows) if i not in held], C, doc_power, kind)
        for i in fold:
            oof[i] = m.proba(rows[i][0]) if len(rows[i][0]) else np.zeros(0)
    best = (0.5, -1.0, 0.0)
    for gamma in GAMMAS:
        items = [(c, shift(pr, a, gamma), gold_ranges(p.doc, "red"))
                 for c, pr, p, a in zip(cands, oof, preps, acct, strict=True)]
        t, score = best_threshold(items, grid)
        if score > best[1] + 1e-4:
            best = (t, score, gamma)
    return _fit(rows, C, doc_power, kind), stats, best[0], best[1], best[2]


#: Weights of the account prior in the per-article decision, chosen on out-of-fold F1.
GAMMAS = (0.0, 0.5, 1.0, 2.0, 3.0)


def shift(p: np.ndarray, acct: float, gamma: float) -> np.ndarray:
    """Probabilities moved by ``gamma`` times the article's account prior (log-odds)."""
    if not gamma or not len(p):
        return p
    z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1)) + gamma * acct
    return 1.0 / (1.0 + np.exp(-z))
