"""A small gradient-boosted tree ensemble stored as plain numbers (no pickle).

Fitting (training only) is histogram gradient boosting in numpy, scikit-learn's
``HistGradientBoostingClassifier`` step for step (its fitted trees are private, so they are grown
here; a test checks that both score alike).  The trees are flat arrays (feature, threshold,
children, value per node) that load from JSON and score with numpy, so annotating never imports
scikit-learn.  ``reasons`` attributes a score to the features on each row's path through the trees
(the change of node value at each split), for ``--explain``.  :class:`Blend` averages the logits
of several models (trees and a logistic model); :func:`fit_blend` trains the blend that highlight
and red use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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

    def logits(self, dense: np.ndarray) -> np.ndarray:
        """All trees at once: every row walks every tree one level per step."""
        z = np.full(len(dense), self.base, dtype=np.float64)
        if not self.trees or not len(dense):
            return z
        feature, threshold, left, right, value = (a.ravel() for a in self._stacked())
        flat = np.ascontiguousarray(dense).ravel()
        rows = (np.arange(len(dense)) * dense.shape[1])[:, None]
        first = (np.arange(len(self.trees)) * (len(value) // len(self.trees)))[None, :]  # each tree's node 0
        at = np.broadcast_to(first, (len(dense), len(self.trees))).copy()  # flat index of each row's node
        for _ in range(64):  # deeper than any tree we fit
            lo = left.take(at)
            inner = lo >= 0
            if not inner.any():
                break
            go_left = flat.take(rows + feature.take(at)) <= threshold.take(at)
            at = np.where(inner, first + np.where(go_left, lo, right.take(at)), at)
        return z + value.take(at).sum(axis=1)

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

    def proba(self, dense: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of this row's score: the value changes at its splits on the row's paths."""
        contrib = dict.fromkeys(self.names, 0.0)
        for t in self.trees:
            for f, v in t.path(row):
                contrib[self.names[f]] += v
        return contrib

    def reasons(self, row: np.ndarray, k: int = 3) -> list[str]:
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

    def logits(self, dense: np.ndarray) -> np.ndarray:
        return np.mean([p.logits(dense) for p in self.parts], axis=0)

    def proba(self, dense: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(dense)))

    def reasons(self, row: np.ndarray, k: int = 3) -> list[str]:
        total: dict[str, float] = {}
        for p in self.parts:
            for n, v in p.contributions(row).items():
                total[n] = total.get(n, 0.0) + v / len(self.parts)
        return top_reasons(total, k)

    def to_dict(self) -> dict[str, object]:
        return {"kind": "blend", "parts": [p.to_dict() for p in self.parts]}


#: What a layer's model is: a logistic model, boosted trees, or a blend of them (all score dense rows).
Scorer = Linear | Trees | Blend


#: Bins of a feature's values, and the least hessian a child may hold (scikit-learn's defaults).
MAX_BINS = 255
MIN_HESSIAN = 1e-3


def _bin_thresholds(col: np.ndarray) -> np.ndarray:
    """Cut points between a feature's bins: the midpoints of its distinct values, or quantiles when
    it has more than :data:`MAX_BINS` of them (a value goes to bin ``i`` when ``t[i-1] < x <= t[i]``)."""
    distinct = np.unique(col)
    if len(distinct) == 1:
        return np.zeros(0)
    if len(distinct) <= MAX_BINS:
        cuts = sliding_window_view(distinct, 2).mean(axis=1)
    else:
        cuts = np.unique(np.percentile(np.sort(col), np.linspace(0, 100, MAX_BINS + 1)[1:-1],
                                       method="averaged_inverted_cdf"))
    return np.clip(cuts, None, 1e300)


def _gradients(y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and hessian of the log loss at the logits ``raw`` (float32, as scikit-learn keeps them)."""
    with np.errstate(over="ignore"):
        e = np.exp(-raw)
        g = ((1 - y) - y * e) / (1 + e)
        h = e / (1 + e) ** 2
    low = raw <= -37  # exp(-raw) overflows: first-order terms in exp(raw)
    if low.any():
        g[low] = np.exp(raw[low]) - y[low]
        h[low] = np.exp(raw[low])
    return g.astype(np.float32), h.astype(np.float32)


@dataclass(eq=False)
class _Node:
    rows: np.ndarray
    grad: float
    hess: float
    value: float
    depth: int
    hist: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    split: tuple[int, int, _Node, _Node] | None = None  # feature, bin, left, right


class _Grower:
    """Grows one tree on binned features as scikit-learn's ``HistGradientBoostingClassifier`` does:
    same bins, histograms (the larger child's by subtraction), gain, constraints and order of float
    operations, so the shipped model is the same to the last stored digit.  Unlike it: all rows are
    binned (it bins a sample of 200,000), and there is no limit on leaves (its 31 never binds trees
    of :data:`PARAMS`' depth)."""

    def __init__(self, binned: np.ndarray, n_bins: np.ndarray, params: dict[str, Any]) -> None:
        from scipy.sparse import csr_matrix

        n, n_features = binned.shape
        self.binned = binned
        cells = (binned + np.arange(n_features) * (MAX_BINS + 1)).ravel()
        # one row per (feature, bin) holding the rows in that bin, in order: a product with it sums
        # each bin's values row by row, as scikit-learn's histograms do
        self.cells = csr_matrix((np.ones(n * n_features), cells, np.arange(0, n * n_features + 1, n_features)),
                                shape=(n, n_features * (MAX_BINS + 1))).T.tocsr()
        self.shape = (n_features, MAX_BINS + 1)
        self.usable = np.arange(MAX_BINS)[None, :] < (n_bins - 1)[:, None]  # bins a split may follow
        self.root_counts = self._sums(np.ones(n)).astype(np.int64)
        self.max_depth, self.min_leaf = params["max_depth"], params["min_samples_leaf"]

    def _sums(self, w: np.ndarray) -> np.ndarray:
        return np.asarray(self.cells @ w).reshape(self.shape)

    def hist(self, rows: np.ndarray, g: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sums of gradients, hessians and row counts per feature and bin (row by row, in order)."""
        if len(rows) == len(g):
            return self._sums(g.astype(np.float64)), self._sums(h.astype(np.float64)), self.root_counts
        out = []
        for w in (g, h, np.ones(len(g), dtype=np.float32)):
            only = np.zeros(len(g))  # other rows add zeros, which change no sum
            only[rows] = w[rows]
            out.append(self._sums(only))
        return out[0], out[1], out[2].astype(np.int64)

    def best_split(self, node: _Node) -> tuple[int, int, float, float] | None:
        """(feature, bin, left gradient, left hessian) of the split with the largest gain."""
        assert node.hist is not None
        grad_l, hess_l, n_l = (np.cumsum(a[:, :MAX_BINS], axis=1) for a in node.hist)
        grad_r, hess_r, n_r = node.grad - grad_l, node.hess - hess_l, len(node.rows) - n_l
        ok = (self.usable & (n_l >= self.min_leaf) & (n_r >= self.min_leaf)
              & (hess_l >= MIN_HESSIAN) & (hess_r >= MIN_HESSIAN))
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = node.grad * node.value - grad_l * _leaf(grad_l, hess_l) - grad_r * _leaf(grad_r, hess_r)
        gain = np.where(ok & (gain > 0), gain, -1.0)
        f, b = np.unravel_index(int(np.argmax(gain)), gain.shape)  # the first best: lowest feature, then bin
        return (int(f), int(b), float(grad_l[f, b]), float(hess_l[f, b])) if gain[f, b] > 0 else None

    def grow(self, g: np.ndarray, h: np.ndarray) -> tuple[_Node, list[_Node]]:
        """The root and the leaves of a tree over the rows' gradients ``g`` and hessians ``h``."""
        root = _Node(np.arange(len(g)), 0.0, 0.0, 0.0, 0, self.hist(np.arange(len(g)), g, h))
        root.grad, root.hess = float(root.hist[0][0].sum()), float(root.hist[1][0].sum())
        leaves, todo = [], [root]
        if len(root.rows) < 2 * self.min_leaf or root.hess < MIN_HESSIAN:
            leaves, todo = [root], []
        while todo:
            node = todo.pop(0)
            split = self.best_split(node)
            if split is None:
                leaves.append(node)
                continue
            f, b, grad_l, hess_l = split
            left = self.binned[node.rows, f] <= b
            grad_r, hess_r = node.grad - grad_l, node.hess - hess_l
            kids = (_Node(node.rows[left], grad_l, hess_l, _leaf(grad_l, hess_l), node.depth + 1),
                    _Node(node.rows[~left], grad_r, hess_r, _leaf(grad_r, hess_r), node.depth + 1))
            node.split = (f, b, *kids)
            grown = [k for k in kids if node.depth + 1 < self.max_depth and len(k.rows) >= 2 * self.min_leaf]
            leaves += [k for k in kids if k not in grown]
            if grown:  # the smaller child's histogram is summed, the larger one's is the parent's minus it
                small, large = kids if len(kids[0].rows) < len(kids[1].rows) else kids[::-1]
                small.hist = self.hist(small.rows, g, h)
                large.hist = tuple(p - s for p, s in zip(node.hist, small.hist, strict=True))  # type: ignore[assignment]
                todo += grown
            node.hist = None
        return root, leaves


def _leaf(grad: Any, hess: Any) -> Any:
    """The Newton step of a leaf (before the learning rate)."""
    return -grad / (hess + 0.0 + 1e-15)


def _as_tree(root: _Node, cuts: Sequence[np.ndarray]) -> Tree:
    """Node arrays in depth-first order; inner values are count-weighted means of their leaves (so
    that a path's value changes add up to the leaf value)."""
    feature, threshold, left, right, value, count = [], [], [], [], [], []

    def add(node: _Node) -> int:
        i = len(value)
        for column, x in ((feature, 0), (threshold, 0.0), (left, -1), (right, -1), (value, node.value),
                          (count, float(len(node.rows)))):
            column.append(x)
        if node.split is not None:
            f, b, lo, hi = node.split
            feature[i], threshold[i] = f, float(cuts[f][b])
            left[i] = add(lo)
            right[i] = add(hi)
        return i

    add(root)
    tree = Tree(np.asarray(feature, dtype=np.int64), np.asarray(threshold, dtype=np.float64),
                np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), np.asarray(value))
    for i in range(len(value) - 1, -1, -1):  # children come after their parent
        if tree.left[i] >= 0:
            cl, cr = count[tree.left[i]], count[tree.right[i]]
            tree.value[i] = (tree.value[tree.left[i]] * cl + tree.value[tree.right[i]] * cr) / max(cl + cr, 1.0)
    return tree


def fit(names: Sequence[str], X: np.ndarray, y: np.ndarray, params: dict[str, Any] | None = None) -> Trees:
    """Fit a boosted tree ensemble for the log loss: each round grows a tree of Newton steps on
    binned features (see :class:`_Grower`)."""
    if len(set(y.tolist())) < 2:  # one class only: a constant model
        p = 0.999 if len(y) and y[0] else 0.001
        return Trees(tuple(names), [], float(np.log(p / (1 - p))))
    prm = params or PARAMS
    X = np.asarray(X, dtype=np.float64)
    yf = y.astype(np.float64)
    cuts = [_bin_thresholds(X[:, f]) for f in range(X.shape[1])]
    binned = np.column_stack([np.searchsorted(c, X[:, f], side="left") for f, c in enumerate(cuts)])
    grower = _Grower(binned, np.array([len(c) + 1 for c in cuts]), prm)
    eps = 10 * np.finfo(np.float64).eps
    mean = float(np.clip(np.average(yf), eps, 1 - eps))
    base = float(np.log(mean / (1 - mean)))
    raw = np.full(len(yf), base)
    trees = []
    for _ in range(prm["max_iter"]):
        root, leaves = grower.grow(*_gradients(yf, raw))
        for leaf in leaves:
            leaf.value *= prm["learning_rate"]
            raw[leaf.rows] += leaf.value
        trees.append(_as_tree(root, cuts))
    return Trees(tuple(names), trees, base)


def scorer_from_dict(data: dict[str, Any]) -> Scorer:
    """A stored model: boosted trees (``"kind": "trees"``), a blend, or a logistic model."""
    kind = data.get("kind")
    if kind == "blend":
        parts = [scorer_from_dict(p) for p in data["parts"]]
        if not parts or any(isinstance(p, Blend) for p in parts) or len({p.names for p in parts}) != 1:
            raise ValueError("a blend needs one or more plain models of the same features")
        return Blend(parts)  # type: ignore[arg-type]
    return Trees.from_dict(data) if kind == "trees" else Linear.from_dict(data)


def fit_blend(names: Sequence[str], X: np.ndarray, y: np.ndarray, *, C: float) -> Blend:
    """Boosted trees and a logistic model (regularisation ``C``) of the same rows, blended."""
    return Blend([fit(names, X, y), fit_linear(names, X, y, C=C)])
