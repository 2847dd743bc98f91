"""Span helpers shared by the layers: gold labels, greedy selection, span-level F1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jingdu.model import Doc

Range = tuple[int, int]


def layer_mask(doc: Doc, layer: str) -> np.ndarray:
    mask = np.zeros(len(doc.text) + 1, dtype=bool)
    for sp in doc.spans(layer):
        mask[sp.start:sp.end] = True
    return mask


def gold_ranges(doc: Doc, layer: str) -> list[Range]:
    """The layer as the referee sees it: maximal runs of marked characters."""
    out: list[Range] = []
    for sp in sorted(doc.spans(layer), key=lambda s: s.start):
        if out and sp.start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], sp.end))
        else:
            out.append((sp.start, sp.end))
    return out


def good(p: Range, g: Range) -> bool:
    ov = min(p[1], g[1]) - max(p[0], g[0])
    return ov > 0 and ov >= 0.5 * max(p[1] - p[0], g[1] - g[0])


def labels(cands: Sequence[Range], gold: Sequence[Range]) -> np.ndarray:
    """1 for each candidate that would match some gold span."""
    out = np.zeros(len(cands), dtype=np.int64)
    gi = 0
    gs = sorted(gold)
    for i, c in enumerate(cands):
        while gi < len(gs) and gs[gi][1] <= c[0]:
            gi += 1
        j = gi
        while j < len(gs) and gs[j][0] < c[1]:
            if good(c, gs[j]):
                out[i] = 1
                break
            j += 1
    return out


def greedy(cands: Sequence[Range], probs: np.ndarray, threshold: float) -> list[int]:
    """Indices of candidates kept: best first, at or above ``threshold``, never touching another."""
    taken: list[Range] = []
    keep: list[int] = []
    for i in np.argsort(-probs, kind="stable"):
        if probs[i] < threshold:
            break
        s, e = cands[i]
        if any(s <= te and ts <= e for ts, te in taken):
            continue
        taken.append((s, e))
        keep.append(int(i))
    return sorted(keep, key=lambda k: cands[k][0])


def match_count(pred: Sequence[Range], gold: Sequence[Range]) -> int:
    """True positives as the referee counts them (each gold span used once)."""
    used: set[int] = set()
    tp = 0
    for p in sorted(pred):
        for gi, g in enumerate(gold):
            if gi not in used and good(p, g):
                used.add(gi)
                tp += 1
                break
    return tp


def f1(tp: int, npred: int, ngold: int) -> float:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def best_threshold(items: Sequence[tuple[Sequence[Range], np.ndarray, Sequence[Range]]],
                   grid: Sequence[float]) -> tuple[float, float]:
    """The threshold of ``grid`` with the best micro span F1 over (candidates, probs, gold) per doc."""
    best = (0.5, -1.0)
    best_key = (-1.0, 0)
    for t in grid:
        tp = npred = ngold = 0
        for cands, probs, gold in items:
            pred = [cands[i] for i in greedy(cands, probs, t)]
            tp += match_count(pred, gold)
            npred += len(pred)
            ngold += len(gold)
        score = f1(tp, npred, ngold)
        if (score, -npred) > best_key:  # ties (e.g. nothing to find): mark less
            best, best_key = (t, score), (score, -npred)
    return best
