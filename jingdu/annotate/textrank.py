"""TextRank over sentences (a baseline): a similarity graph over jieba words, then PageRank."""

from __future__ import annotations

import math

import numpy as np

from jingdu.segment import words

_STOP = frozenset("的了和是在与及等也都就而并对为以把将从到这那有中上下，。、；：“”！？")


def _similarity(a: set[str], b: set[str]) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def textrank(texts: list[str], damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """A PageRank score per sentence."""
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    toks = [{w for w in words(t) if w.strip() and w not in _STOP} for t in texts]
    W = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            W[i, j] = W[j, i] = _similarity(toks[i], toks[j])
    out = W.sum(axis=1)
    out[out == 0] = 1.0
    M = W / out[:, None]
    r = np.full(n, 1.0 / n)
    for _ in range(iterations):
        r = (1 - damping) / n + damping * (M.T @ r)
    return r
