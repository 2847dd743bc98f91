"""Highlight: a sentence classifier with a per-article decision.

Each sentence gets a probability from its features (position, cues, terms, title overlap,
article-level shape) and character n-grams.  A sentence is marked when its probability reaches
``min(t, beta * best sentence of the article)``: the article's own score distribution decides how
much is marked, and ``t``/``beta`` are calibrated on grouped out-of-fold predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jingdu.annotate.features import DENSE_NAMES, SentInfo, dense_matrix
from jingdu.annotate.spans import f1, layer_mask
from jingdu.model import Doc

T_GRID = tuple(round(0.04 + 0.02 * i, 3) for i in range(34))
BETA_GRID = (0.5, 0.65, 0.8, 0.9, 2.0)


@dataclass
class SentTable:
    """The sentences of one article with their features."""

    infos: list[SentInfo]
    dense: np.ndarray

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.infos]


def sent_table(doc: Doc, infos: list[SentInfo], term_counts: list[int]) -> SentTable:
    return SentTable(infos, dense_matrix(doc, infos, term_counts))


def sent_labels(doc: Doc, infos: Sequence[SentInfo], layer: str = "highlight") -> np.ndarray:
    """1 for each sentence whose non-space characters are at least half in ``layer``."""
    mask = layer_mask(doc, layer)
    out = np.zeros(len(infos), dtype=np.int64)
    for i, s in enumerate(infos):
        idx = [k for k in range(s.start, s.end) if not doc.text[k].isspace()]
        if idx and mask[idx].mean() >= 0.5:
            out[i] = 1
    return out


def decide(probs: np.ndarray, t: float, beta: float) -> np.ndarray:
    """Which sentences of one article are marked."""
    if not len(probs):
        return np.zeros(0, dtype=bool)
    cut = min(t, beta * float(probs.max()))
    return probs >= cut


def calibrate(items: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float, float]:
    """(t, beta, F1) maximizing micro sentence F1 over (probs, labels) per article."""
    best = (0.5, 2.0, -1.0)
    best_key = (-1.0, 0)
    for beta in BETA_GRID:
        for t in T_GRID:
            tp = npred = ngold = 0
            for probs, y in items:
                sel = decide(probs, t, beta)
                tp += int((sel & (y == 1)).sum())
                npred += int(sel.sum())
                ngold += int(y.sum())
            score = f1(tp, npred, ngold)
            if (score, -npred) > best_key:  # ties (e.g. nothing to find): mark less
                best, best_key = (t, beta, score), (score, -npred)
    return best


NAMES = DENSE_NAMES
