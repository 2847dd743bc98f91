"""A small gradient-boosted tree ensemble stored as plain numbers (no pickle).

Fitting uses scikit-learn's ``HistGradientBoostingClassifier`` (training only); the fitted trees
are copied into flat arrays (feature, threshold, children, value per node) that load from JSON
and score with numpy, so annotating never imports scikit-learn.  ``reasons`` attributes a score
to the features on each row's path through the trees (the change of node value at each split),
for ``--explain``.  :class:`Blend` averages the logits of several models (trees and a logistic
model), and :func:`fit_kind` trains the kind of model a layer asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jingdu.annotate.linear import Linear, top_reasons
from jingdu.annotate.linear import fit as fit_linear

#: Shallow, strongly regularised trees: 54 notes give a few thousand sentences and red candidates.
PARAMS: dict[str, Any] = {"max_iter": 300, "learning_rate": 0.03, "max_depth": 2, "min_samples_leaf": 150}


@dataclass
class Tree:
    """One regression tree; node ``i`` is a leaf when ``left[i] < 0``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def path(self, row: np.ndarray) -> list[tuple[int, float]]:
        """(feature, change of value) for each split on ``row``'s way to its leaf."""
        out, node = [], 0
        while self.left[node] >= 0:
            nxt = self.left[node] if row[self.feature[node]] <= self.threshold[node] else self.right[node]
            out.append((int(self.feature[node]), float(self.value[nxt] - self.value[node])))
            node = nxt
        return out


@dataclass
class Trees:
    names: tuple[str, ...]
    trees: list[Tree] = field(default_factory=list)
    base: float = 0.0
    _cache: tuple[np.ndarray, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def logits(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """All trees at once: every row walks every tree one level per step."""
        z = np.full(len(dense), self.base, dtype=np.float64)
        if not self.trees or not len(dense):
            return z
        feature, threshold, left, right, value = self._stacked()
        rows = np.arange(len(dense))[:, None]
        cols = np.arange(len(self.trees))[None, :]
        node = np.zeros((len(dense), len(self.trees)), dtype=np.int64)
        for _ in range(64):  # deeper than any tree we fit
            lo, hi = left[cols, node], right[cols, node]
            inner = lo >= 0
            if not inner.any():
                break
            go_left = dense[rows, feature[cols, node]] <= threshold[cols, node]
            node = np.where(inner, np.where(go_left, lo, hi), node)
        return z + value[cols, node].sum(axis=1)

    def _stacked(self) -> tuple[np.ndarray, ...]:
        """The trees' node arrays padded to one (trees x nodes) array each (cached)."""
        if self._cache is None:
            width = max(len(t.value) for t in self.trees)

            def pad(name: str, fill: float, dtype: type) -> np.ndarray:
                out = np.full((len(self.trees), width), fill, dtype=dtype)
                for i, t in enumerate(self.trees):
                    arr = getattr(t, name)
                    out[i, : len(arr)] = arr
                return out

            self._cache = (pad("feature", 0, np.int64), pad("threshold", 0.0, np.float64),
                           pad("left", -1, np.int64), pad("right", -1, np.int64), pad("value", 0.0, np.float64))
        return self._cache

    def proba(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense, texts)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of this row's score: the value changes at its splits on the row's paths."""
        contrib = dict.fromkeys(self.names, 0.0)
        for t in self.trees:
            for f, v in t.path(row):
                contrib[self.names[f]] += v
        return contrib

    def reasons(self, row: np.ndarray, text: str | None = None, k: int = 3) -> list[str]:
        """The ``k`` features that pushed this row up the most (for ``--explain``)."""
        return top_reasons(self.contributions(row), k)

    def to_dict(self) -> dict[str, object]:
        return {"kind": "trees", "names": list(self.names), "base": round(self.base, 6),
                "trees": [{"feature": t.feature.tolist(), "threshold": [float(x) for x in t.threshold],
                           "left": t.left.tolist(), "right": t.right.tolist(),
                           "value": [round(float(x), 6) for x in t.value]} for t in self.trees]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trees:
        names = tuple(str(n) for n in data["names"])
        trees = []
        for t in data["trees"]:
            tree = Tree(np.asarray(t["feature"], dtype=np.int64), np.asarray(t["threshold"], dtype=np.float64),
                        np.asarray(t["left"], dtype=np.int64), np.asarray(t["right"], dtype=np.int64),
                        np.asarray(t["value"], dtype=np.float64))
            n = len(tree.value)
            if not n:
                raise ValueError("a tree needs at least one node")
            if not all(len(a) == n for a in (tree.feature, tree.threshold, tree.left, tree.right)):
                raise ValueError("tree arrays differ in length")
            if ((tree.left >= n) | (tree.right >= n) | ((tree.left >= 0) & (tree.feature >= len(names)))).any():
                raise ValueError("tree refers to a node or feature it does not have")
            if ((tree.left >= 0) & ((tree.left <= np.arange(n)) | (tree.right <= np.arange(n)))).any():
                raise ValueError("tree children must follow their parent")
            trees.append(tree)
        return cls(names, trees, float(data.get("base", 0.0)))


@dataclass
class Blend:
    """Several models of the same rows, their logits averaged (trees and a logistic model for red:
    on five CV splits the blend beat either alone)."""

    parts: list[Linear | Trees]

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[0].names

    def logits(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        return np.mean([p.logits(dense, texts) for p in self.parts], axis=0)

    def proba(self, dense: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense, texts)))

    def reasons(self, row: np.ndarray, text: str | None = None, k: int = 3) -> list[str]:
        total: dict[str, float] = {}
        for p in self.parts:
            for n, v in p.contributions(row).items():
                total[n] = total.get(n, 0.0) + v / len(self.parts)
        return top_reasons(total, k)

    def to_dict(self) -> dict[str, object]:
        return {"kind": "blend", "parts": [p.to_dict() for p in self.parts]}


#: What a layer's model is: a logistic model, boosted trees, or a blend of them (all score dense rows).
Scorer = Linear | Trees | Blend


def _copy_tree(nodes: np.ndarray) -> Tree:
    """A scikit-learn predictor's nodes as a :class:`Tree`; inner values are count-weighted means of
    their leaves (so that a path's value changes add up to the leaf value)."""
    leaf = nodes["is_leaf"].astype(bool)
    left = np.where(leaf, -1, nodes["left"].astype(np.int64))
    right = np.where(leaf, -1, nodes["right"].astype(np.int64))
    value = nodes["value"].astype(np.float64).copy()
    count = nodes["count"].astype(np.float64)
    for i in range(len(nodes) - 1, -1, -1):  # children come after their parent
        if not leaf[i]:
            cl, cr = count[left[i]], count[right[i]]
            value[i] = (value[left[i]] * cl + value[right[i]] * cr) / max(cl + cr, 1.0)
    return Tree(nodes["feature_idx"].astype(np.int64), nodes["num_threshold"].astype(np.float64), left, right, value)


def fit(names: Sequence[str], X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None,
        params: dict[str, Any] | None = None) -> Trees:
    """Fit a boosted tree ensemble and copy it out of scikit-learn."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    if len(set(y.tolist())) < 2:  # one class only: a constant model
        p = 0.999 if len(y) and y[0] else 0.001
        return Trees(tuple(names), [], float(np.log(p / (1 - p))))
    clf = HistGradientBoostingClassifier(**(params or PARAMS), early_stopping=False, random_state=0)
    clf.fit(X.astype(np.float64), y, sample_weight=sample_weight)
    trees = [_copy_tree(it[0].nodes) for it in clf._predictors]
    return Trees(tuple(names), trees, float(np.ravel(clf._baseline_prediction)[0]))


def scorer_from_dict(data: dict[str, Any]) -> Scorer:
    """A stored model: boosted trees (``"kind": "trees"``), a blend, or a logistic model."""
    kind = data.get("kind")
    if kind == "blend":
        parts = [scorer_from_dict(p) for p in data["parts"]]
        if not parts or any(isinstance(p, Blend) for p in parts) or len({p.names for p in parts}) != 1:
            raise ValueError("a blend needs one or more plain models of the same features")
        return Blend(parts)  # type: ignore[arg-type]
    return Trees.from_dict(data) if kind == "trees" else Linear.from_dict(data)


#: The kinds of model a layer can be trained as.
KINDS = ("blend", "trees", "linear")


def fit_kind(kind: str, names: Sequence[str], X: np.ndarray, y: np.ndarray, *, C: float,
             sample_weight: np.ndarray | None = None, texts: Sequence[str] | None = None) -> Scorer:
    """A model of ``kind``: a logistic model (regularisation ``C``, character n-grams of ``texts``
    if given), boosted trees, or the two blended."""
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r} ({', '.join(KINDS)})")
    if kind == "trees":
        return fit(names, X, y, sample_weight)
    lin = fit_linear(names, X, y, texts, C=C, sample_weight=sample_weight)
    return lin if kind == "linear" else Blend([fit(names, X, y, sample_weight), lin])
