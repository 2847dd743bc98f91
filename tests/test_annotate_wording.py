"""The highlight wording member: scores as scikit-learn's TF-IDF logistic model does, round-trips
through JSON, and is combined with the feature model's probabilities by their logits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jingdu.annotate import ngram as N
from jingdu.annotate.annotator import Model
from jingdu.annotate.features import SentInfo

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


def _sample_scores() -> tuple[Model, list[SentInfo], np.ndarray]:
    from jingdu.annotate import highlight as H
    from jingdu.annotate import load_model
    from jingdu.annotate.annotator import prepare, with_column
    from jingdu.notation import read_note

    model = load_model()
    doc = read_note("# 题\n\n　　要坚持以人民为中心的发展思想。今天上午天气晴朗。必须推动高质量发展不断取得新成效。\n")
    prep = prepare(doc, model.red_words, model.bold_words, model.hl_lex)
    dense = with_column(H.columns(prep.table.dense, model.highlight.names[:-1]), 0.0)
    return model, prep.infos, model.highlight.proba(dense)


def test_bold_reads_the_highlight_score_with_the_wording_member() -> None:
    model, infos, hl = _sample_scores()
    assert model.thresholds["bold_w"] == model.thresholds["hl_w"] > 0
    combined = model.highlight_scores(hl, infos)[0]
    assert np.allclose(model.bold_hl(hl, infos), combined)
    assert not np.allclose(combined, hl)


def test_a_model_without_bold_weight_gives_bold_the_feature_scores() -> None:
    import dataclasses

    model, infos, hl = _sample_scores()
    old = dataclasses.replace(model, thresholds={k: v for k, v in model.thresholds.items() if k != "bold_w"})
    assert old.bold_hl(hl, infos) is hl


@pytest.mark.parametrize("bold_wording", [True, False])
def test_training_stores_the_bold_weight_only_when_asked(bold_wording: bool) -> None:
    from pathlib import Path

    from jingdu.annotate.features import sentence_infos
    from jingdu.annotate.training import TrainOptions, train
    from jingdu.model import Span
    from jingdu.notation import read_note

    style = Path(__file__).parent / "fixtures" / "style_numbers"
    docs = []
    for p in sorted(style.glob("*.md")):  # the style notes, their paragraphs' first sentences highlighted
        doc = read_note(p.read_text(encoding="utf-8"), p.stem)
        firsts = [Span(s.start, s.end, "highlight") for s in sentence_infos(doc) if s.index == 0 and s.kind != "heading"]
        docs.append(doc.with_spans(firsts))
    model = train(docs, options=TrainOptions(folds=3, bold_wording=bold_wording))
    assert model.wording is not None
    assert model.thresholds.get("bold_w") == (model.thresholds["hl_w"] if bold_wording else None)
