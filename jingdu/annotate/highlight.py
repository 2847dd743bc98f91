"""Highlight: a sentence classifier with a per-article decision.

Each sentence gets a probability from its features (position, section structure, cues, terms,
title overlap, figures, the neighbour sentences, the genre and rarity of its wording measured on
unmarked posts) and the same features minus their article mean (so the model ranks sentences
within their article).  An article gets as many highlights as the average of its expected count
(the sum of its probabilities) and the training notes' rate times its length, its most likely
sentences first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from jingdu.annotate.features import HL_NAMES, SentInfo, han_bigrams, highlight_matrix
from jingdu.annotate.lexicon import most_common
from jingdu.annotate.spans import f1, layer_mask
from jingdu.model import Doc

#: Weight of the article's own expected count against the training notes' rate (see :func:`decide`).
OWN_WEIGHT = 0.5


@dataclass
class SentTable:
    """The sentences of one article with their features."""

    infos: list[SentInfo]
    dense: np.ndarray


def sent_table(doc: Doc, infos: list[SentInfo], term_counts: list[int],
               lex: dict[str, list[float]] | None = None) -> SentTable:
    return SentTable(infos, highlight_matrix(doc, infos, term_counts, lex))


def columns(dense: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The columns of a :data:`NAMES` matrix that a model was trained on (older models use fewer)."""
    if tuple(names) == NAMES:
        return dense
    pos = {n: i for i, n in enumerate(NAMES)}
    return dense[:, [pos[n] for n in names]]


#: Posts in the voice of commentary (评论) and of news transcripts; told apart by their first lines.
COMMENTARY = re.compile(r"央视快评|人民日报|评论员")
NEWS = re.compile(r"新闻联播")
_SPLIT = re.compile(r"[。！？；!?;\n]")


def lex_table(posts: Iterable[str], min_df: int = 5, limit: int = 40000) -> dict[str, list[float]]:
    """bigram -> [log-ratio of its rate in commentary vs news sentences, IDF over posts].

    Only unmarked text is used (no labels); bigrams in at least ``min_df`` posts, the ``limit``
    most frequent."""
    df: Counter[str] = Counter()
    com: Counter[str] = Counter()
    news: Counter[str] = Counter()
    n_com = n_news = n_docs = 0
    for text in posts:
        sents = [t for t in _SPLIT.split(text) if len(t) > 5]
        grams = [han_bigrams(t) for t in sents]
        df.update(set().union(*grams) if grams else set())
        n_docs += 1
        first = text.lstrip().split("\n", 1)[0]
        if NEWS.search(first):
            target, n_news = news, n_news + len(sents)
        elif COMMENTARY.search(text[:300]):
            target, n_com = com, n_com + len(sents)
        else:
            continue
        for g in grams:
            target.update(g)
    if not n_docs:
        return {}
    out = {}
    for g, n in most_common(df, limit):
        if n < min_df:
            break
        ratio = math.log((com[g] + 1) / (n_com + 1)) - math.log((news[g] + 1) / (n_news + 1))
        out[g] = [round(ratio, 2), round(math.log(n_docs / n), 2)]
    return out


def sent_labels(doc: Doc, infos: Sequence[SentInfo], layer: str = "highlight") -> np.ndarray:
    """1 for each sentence whose non-space characters are at least half in ``layer``."""
    mask = layer_mask(doc, layer)
    out = np.zeros(len(infos), dtype=np.int64)
    for i, s in enumerate(infos):
        idx = [k for k in range(s.start, s.end) if not doc.text[k].isspace()]
        if idx and mask[idx].mean() >= 0.5:
            out[i] = 1
    return out


def decide(probs: np.ndarray, rate: float) -> np.ndarray:
    """Which sentences of one article are marked: its ``k`` most likely, where ``k`` averages two
    estimates of how many the reader marks there: the sum of the probabilities (the article's
    expected count) and ``rate`` (the training notes' share of highlighted sentences) times its
    length.  Across articles the expected count alone hardly follows the reader's density (rank
    correlation 0.06 out of fold), so it is shrunk halfway to the average."""
    sel = np.zeros(len(probs), dtype=bool)
    if not len(probs):
        return sel
    k = int(round(OWN_WEIGHT * float(probs.sum()) + (1 - OWN_WEIGHT) * rate * len(probs)))
    sel[np.argsort(-probs, kind="stable")[:k]] = True
    return sel


#: Thresholds tried for the highlight probability (:func:`best_threshold`).
HL_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(76))


def decide_threshold(probs: np.ndarray, t: float) -> np.ndarray:
    """Which sentences of one article are marked under a probability threshold ``t`` (calibrated
    on out-of-fold predictions): the article's own scores decide how many."""
    return probs >= t


def decide_mix(probs: np.ndarray, rate: float, t: float) -> np.ndarray:
    """The article's most likely sentences, as many as the mean of the count rule's ``k``
    (:func:`decide`) and the number of sentences at or above the threshold ``t``."""
    sel = np.zeros(len(probs), dtype=bool)
    if not len(probs):
        return sel
    k = int(round(0.5 * int(decide(probs, rate).sum()) + 0.5 * int((probs >= t).sum())))
    sel[np.argsort(-probs, kind="stable")[:k]] = True
    return sel


def best_threshold(items: Sequence[tuple[np.ndarray, np.ndarray]], grid: Sequence[float] = HL_GRID,
                   ) -> tuple[float, float]:
    """The threshold of ``grid`` with the best micro sentence F1 over (probs, labels) per article."""
    p = np.concatenate([pr for pr, _ in items]) if items else np.zeros(0)
    y = np.concatenate([lab for _, lab in items]) if items else np.zeros(0)
    best = (0.5, -1.0)
    for t in grid:
        sel = p >= t
        score = f1(int((sel & (y == 1)).sum()), int(sel.sum()), int(y.sum()))
        if score > best[1]:
            best = (t, score)
    return best


def base_rate(labels: Sequence[np.ndarray]) -> float:
    """The share of highlighted sentences over all training articles."""
    n = sum(len(y) for y in labels)
    return round(sum(int(y.sum()) for y in labels) / n, 4) if n else 0.0


def micro_f1(items: Sequence[tuple[np.ndarray, np.ndarray]], rate: float) -> float:
    """Micro sentence F1 of :func:`decide` over (probs, labels) per article."""
    tp = npred = ngold = 0
    for probs, y in items:
        sel = decide(probs, rate)
        tp += int((sel & (y == 1)).sum())
        npred += int(sel.sum())
        ngold += int(y.sum())
    return f1(tp, npred, ngold)


NAMES = HL_NAMES
