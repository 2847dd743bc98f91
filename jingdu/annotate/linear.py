"""A logistic model stored as plain numbers: dense feature weights, an intercept and an optional
character n-gram vocabulary with weights.  Fitting uses scikit-learn (training only); scoring is
numpy, so loading a model and annotating never imports scikit-learn."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from jingdu.annotate.features import char_ngrams, ngram_scores
from jingdu.annotate.lexicon import most_common


@dataclass
class Linear:
    names: tuple[str, ...]
    weights: np.ndarray
    intercept: float = 0.0
    ngrams: dict[str, float] = field(default_factory=dict)

    def logits(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        z = dense @ self.weights + self.intercept if len(dense) else np.zeros(0, dtype=np.float32)
        if self.ngrams and texts is not None and len(texts):
            z = z + ngram_scores(list(texts), self.ngrams)
        return z

    def proba(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense, texts)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each named feature's share of this row's logit (weight times value)."""
        return {n: float(w * x) for n, w, x in zip(self.names, self.weights, row, strict=True) if x}

    def reasons(self, row: np.ndarray, text: str | None = None, k: int = 3) -> list[str]:
        """The ``k`` features that pushed this row up the most (for ``--explain``)."""
        contrib = self.contributions(row)
        if self.ngrams and text:
            grams = [(g, self.ngrams[g]) for g in char_ngrams(text) if g in self.ngrams]
            if grams:
                top = sorted(grams, key=lambda kv: -kv[1])[:3]
                contrib["words:" + "/".join(g for g, _ in top)] = sum(v for _, v in grams) / math.sqrt(len(grams))
        return top_reasons(contrib, k)

    def to_dict(self) -> dict[str, object]:
        return {"names": list(self.names), "weights": [round(float(w), 5) for w in self.weights],
                "intercept": round(self.intercept, 5),
                "ngrams": {g: round(v, 4) for g, v in self.ngrams.items() if abs(v) >= 1e-4}}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Linear:
        names = tuple(str(n) for n in data["names"])  # type: ignore[union-attr]
        weights = np.asarray(data["weights"], dtype=np.float32)
        if len(weights) != len(names):
            raise ValueError("weights and feature names differ in length")
        ngrams = {str(k): float(v) for k, v in dict(data.get("ngrams") or {}).items()}  # type: ignore[call-overload]
        return cls(names, weights, float(data.get("intercept", 0.0)), ngrams)  # type: ignore[arg-type]


def top_reasons(contrib: dict[str, float], k: int = 3) -> list[str]:
    """The ``k`` largest positive contributions as "name (+0.42)"."""
    top = sorted(((v, n) for n, v in contrib.items() if v > 0), reverse=True)[:k]
    return [f"{n} ({v:+.2f})" for v, n in top]


def _vocab(texts: Sequence[str], min_df: int, limit: int) -> dict[str, int]:
    df: Counter[str] = Counter()
    for t in texts:
        df.update(char_ngrams(t))
    kept = [g for g, n in most_common(df, limit) if n >= min_df]
    return {g: i for i, g in enumerate(kept)}


def _ngram_matrix(texts: Sequence[str], vocab: dict[str, int]):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for i, t in enumerate(texts):
        idx = [vocab[g] for g in char_ngrams(t) if g in vocab]
        if idx:
            v = 1.0 / math.sqrt(len(idx))
            rows.extend([i] * len(idx))
            cols.extend(idx)
            vals.extend([v] * len(idx))
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float64)


def fit(names: Sequence[str], dense: np.ndarray, y: np.ndarray, texts: Sequence[str] | None = None,
        *, C: float = 1.0, min_df: int = 3, vocab_limit: int = 40000,
        sample_weight: np.ndarray | None = None) -> Linear:
    """Fit a logistic regression; with ``texts``, also on their character n-grams (``sample_weight``
    per row, optional)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:  # one class only: a constant model
        p = 0.999 if len(y) and y[0] else 0.001
        return Linear(tuple(names), np.zeros(len(names), dtype=np.float32), math.log(p / (1 - p)))
    vocab = _vocab(texts, min_df, vocab_limit) if texts is not None else {}
    X = csr_matrix(dense.astype(np.float64))
    if vocab:
        X = hstack([X, _ngram_matrix(texts or [], vocab)], format="csr")
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(X, y, sample_weight=sample_weight)
    coef = clf.coef_[0]
    d = len(names)
    grams = {g: float(coef[d + i]) for g, i in vocab.items()}
    return Linear(tuple(names), coef[:d].astype(np.float32), float(clf.intercept_[0]), grams)
