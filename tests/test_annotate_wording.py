"""The highlight wording member: scores as scikit-learn's TF-IDF logistic model does, round-trips
through JSON, and is combined with the feature model's probabilities by their logits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jingdu.annotate import ngram as N

SENTENCES = ["要坚持以人民为中心的发展思想。", "今天上午天气晴朗。", "必须推动高质量发展不断取得新成效。",
             "会议由副市长主持。", "要把 新发展理念  贯彻到各领域。", "记者 ABC 在现场采访。"] * 3
LABELS = np.array([1, 0, 1, 0, 1, 0] * 3)
UNSEEN = ["要推动发展", "天气 很好  abc", "完全无关的一句"]


def test_scores_like_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=N.NGRAMS, min_df=N.MIN_DF, sublinear_tf=True)
    lr = LogisticRegression(C=N.C, max_iter=2000, class_weight="balanced").fit(vec.fit_transform(SENTENCES), LABELS)
    model = N.fit(SENTENCES, LABELS)
    assert model is not None
    assert np.allclose(model.proba(UNSEEN), lr.predict_proba(vec.transform(UNSEEN))[:, 1])


def test_round_trips_through_json() -> None:
    model = N.fit(SENTENCES, LABELS)
    assert model is not None
    again = N.NgramModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.proba(UNSEEN), model.proba(UNSEEN), atol=1e-3)


def test_one_class_gives_no_model() -> None:
    assert N.fit(SENTENCES, np.zeros(len(SENTENCES), dtype=int)) is None


@pytest.mark.parametrize("wording", [None, np.array([0.9, 0.1])])
def test_weight_zero_or_no_member_leaves_the_probabilities(wording: np.ndarray | None) -> None:
    probs = np.array([0.3, 0.2])
    assert np.array_equal(N.combine(probs, wording, 0.0 if wording is not None else 0.5), probs)


def test_wording_moves_the_combined_score_its_way() -> None:
    probs = np.array([0.3, 0.3])
    out = N.combine(probs, np.array([0.8, 0.2]), 0.5)
    assert out[0] > 0.3 > out[1]
