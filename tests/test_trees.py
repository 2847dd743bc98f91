"""Boosted trees stored as plain numbers score exactly as scikit-learn does, and load safely."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jingdu.annotate.linear import Linear
from jingdu.annotate.trees import PARAMS, Blend, Trees, fit, scorer_from_dict


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    X = rng.normal(size=(3000, 4))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(size=3000) > 0).astype(int)
    return X, y


@pytest.fixture(scope="module")
def model(data: tuple[np.ndarray, np.ndarray]) -> Trees:
    return fit(["a", "b", "c", "d"], *data)


def _discrete() -> tuple[np.ndarray, np.ndarray]:
    """Few distinct values per feature (bins at midpoints), a constant column, rare positives."""
    rng = np.random.default_rng(3)
    X = np.column_stack([rng.integers(0, 6, 2000), rng.integers(0, 40, 2000) / 8, np.ones(2000),
                         rng.random(2000) < 0.3]).astype(np.float32)
    y = (X[:, 0] + X[:, 1] * X[:, 3] + rng.normal(size=2000) > 6).astype(int)
    return X, y


@pytest.mark.parametrize("kind", ["continuous", "discrete"])
def test_trees_are_grown_as_scikit_learn_grows_them(kind: str, model: Trees,
                                                     data: tuple[np.ndarray, np.ndarray]) -> None:
    """The numpy booster follows HistGradientBoostingClassifier: the same probabilities (to float
    noise) on quantile-binned and on midpoint-binned features."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = data if kind == "continuous" else _discrete()
    mine = model if kind == "continuous" else fit(["a", "b", "c", "d"], X, y)
    clf = HistGradientBoostingClassifier(**PARAMS, early_stopping=False, random_state=0).fit(X, y)
    assert np.allclose(mine.proba(X), clf.predict_proba(X)[:, 1], atol=1e-9)
    assert len(mine.trees) == PARAMS["max_iter"] and any(len(t.value) == 7 for t in mine.trees)


def test_json_round_trip_keeps_scores(model: Trees, data: tuple[np.ndarray, np.ndarray]) -> None:
    back = scorer_from_dict(json.loads(json.dumps(model.to_dict())))
    assert isinstance(back, Trees)
    assert np.allclose(back.proba(data[0]), model.proba(data[0]), atol=1e-5)


def test_path_contributions_add_up_to_the_score(model: Trees, data: tuple[np.ndarray, np.ndarray]) -> None:
    row = data[0][0]
    total = model.base + sum(t.value[0] + sum(v for _, v in t.path(row)) for t in model.trees)
    assert total == pytest.approx(float(model.logits(row[None, :])[0]))
    assert all(r.split(" ")[0] in model.names for r in model.reasons(row))


@pytest.mark.parametrize("mutate", [
    lambda t: t.update(left=[5, -1, -1]),          # a child that does not exist
    lambda t: t.update(feature=[9, 0, 0]),         # a feature the model does not have
    lambda t: t.update(left=[0, -1, -1]),          # a node that is its own child (a loop)
    lambda t: t.update(value=[0.0]),               # arrays of different lengths
    lambda t: t.update(feature=[], threshold=[], left=[], right=[], value=[]),  # no node at all
])
def test_broken_trees_are_rejected(mutate) -> None:  # type: ignore[no-untyped-def]
    tree = {"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
            "value": [0.0, -1.0, 1.0]}
    mutate(tree)
    with pytest.raises(ValueError):
        Trees.from_dict({"kind": "trees", "names": ["a"], "base": 0.0, "trees": [tree]})


def test_one_class_gives_a_constant_model() -> None:
    m = fit(["a"], np.zeros((5, 1)), np.zeros(5, dtype=int))
    assert m.trees == [] and np.all(m.proba(np.ones((3, 1))) < 0.01)


def test_blend_averages_logits_and_round_trips(model: Trees, data: tuple[np.ndarray, np.ndarray]) -> None:
    from jingdu.annotate.linear import fit as fit_linear

    X, y = data
    lin = fit_linear(list(model.names), X, y, C=1.0)
    blend = Blend([model, lin])
    assert np.allclose(blend.logits(X), (model.logits(X) + lin.logits(X)) / 2)
    back = scorer_from_dict(json.loads(json.dumps(blend.to_dict())))
    assert isinstance(back, Blend) and np.allclose(back.proba(X), blend.proba(X), atol=1e-4)
    assert all(r.split(" ")[0] in model.names for r in blend.reasons(X[0]))


@pytest.mark.parametrize("parts", [[], [{"kind": "blend", "parts": []}]])
def test_bad_blend_is_rejected(parts: list[object]) -> None:
    with pytest.raises(ValueError):
        scorer_from_dict({"kind": "blend", "parts": parts})


def test_logistic_model_files_with_ngram_weights_are_refused() -> None:
    """Older files carry an empty character n-gram table (read as before); weights in it are refused."""
    data = {"names": ["a"], "weights": [1.0], "intercept": 0.5, "ngrams": {}}
    assert isinstance(scorer_from_dict(data), Linear)
    with pytest.raises(ValueError, match="n-gram"):
        scorer_from_dict({**data, "ngrams": {"要": 2.0}})
