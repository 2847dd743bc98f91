"""A logistic model stored as plain numbers: named feature weights and an intercept.  Fitting uses
scikit-learn (training only); scoring is numpy, so loading a model and annotating never imports
scikit-learn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Linear:
    names: tuple[str, ...]
    weights: np.ndarray
    intercept: float = 0.0

    def logits(self, dense: np.ndarray) -> np.ndarray:
        return dense @ self.weights + self.intercept if len(dense) else np.zeros(0, dtype=np.float32)

    def proba(self, dense: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each named feature's share of this row's logit (weight times value)."""
        return {n: float(w * x) for n, w, x in zip(self.names, self.weights, row, strict=True) if x}

    def reasons(self, row: np.ndarray, k: int = 3) -> list[str]:
        """The ``k`` features that pushed this row up the most (for ``--explain``)."""
        return top_reasons(self.contributions(row), k)

    def to_dict(self) -> dict[str, object]:
        return {"names": list(self.names), "weights": [round(float(w), 5) for w in self.weights],
                "intercept": round(self.intercept, 5)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Linear:
        names = tuple(str(n) for n in data["names"])  # type: ignore[union-attr]
        weights = np.asarray(data["weights"], dtype=np.float32)
        if len(weights) != len(names):
            raise ValueError("weights and feature names differ in length")
        if data.get("ngrams"):  # older files carry an empty table: character n-grams are no longer scored
            raise ValueError("character n-gram weights are no longer supported (retrain with `jingdu train`)")
        return cls(names, weights, float(data.get("intercept", 0.0)))  # type: ignore[arg-type]


def top_reasons(contrib: dict[str, float], k: int = 3) -> list[str]:
    """The ``k`` largest positive contributions as "name (+0.42)"."""
    top = sorted(((v, n) for n, v in contrib.items() if v > 0), reverse=True)[:k]
    return [f"{n} ({v:+.2f})" for v, n in top]


def fit(names: Sequence[str], dense: np.ndarray, y: np.ndarray, *, C: float = 1.0,
        sample_weight: np.ndarray | None = None) -> Linear:
    """Fit a logistic regression (``sample_weight`` per row, optional)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:  # one class only: a constant model
        p = 0.999 if len(y) and y[0] else 0.001
        return Linear(tuple(names), np.zeros(len(names), dtype=np.float32), math.log(p / (1 - p)))
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(dense.astype(np.float64), y, sample_weight=sample_weight)
    return Linear(tuple(names), clf.coef_[0].astype(np.float32), float(clf.intercept_[0]))
