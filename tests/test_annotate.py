"""The annotator: words never change, marks kept or replaced, model files, CLI, own-style training."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.annotate import annotate, explain_report, load_model, metrics, save_model, train
from jingdu.cli import app
from jingdu.model import Span
from jingdu.notation import read_note, write_note

FIXTURES = Path(__file__).parent / "fixtures"
STYLE = FIXTURES / "style_numbers"
runner = CliRunner()


def _plain_words(note: str) -> str:
    seq, _ = metrics.chars(note)
    return "".join(c for c, _ in seq)


def _style_docs():
    return [read_note(p.read_text(encoding="utf-8"), p.stem) for p in sorted(STYLE.glob("*.md"))]


@pytest.fixture(scope="module")
def style_model():
    return train(_style_docs(), folds=3)


def test_words_never_change(sample_note_text: str) -> None:
    doc = read_note(sample_note_text).without_layers(["highlight", "bold", "red"])
    out = annotate(doc, replace=True)
    assert out.text == doc.text
    assert _plain_words(write_note(out)) == _plain_words(sample_note_text)
    assert metrics.score_pair(sample_note_text, write_note(out)) is not None
    assert all(sp.origin == "model" for layer in ("highlight", "bold", "red") for sp in out.spans(layer))
    assert out.spans("highlight")
    policy = {"乡村全面振兴", "新质生产力", "中国式现代化"}
    assert {doc.span_text(sp) for sp in out.spans("red")} <= policy


def test_policy_terms_rank_first_for_red(sample_note_text: str) -> None:
    # a short article of an unknown account: whether its best terms pass the calibrated threshold
    # is the model's call, but its core policy terms must be its best red candidates
    model = load_model()
    low = dataclasses.replace(model, thresholds={**model.thresholds, "red_t": 0.0})
    doc = read_note(sample_note_text).without_layers(["highlight", "bold", "red"])
    out = annotate(doc, low, replace=True, explain=True)
    ranked = sorted(out.spans("red"), key=lambda sp: -float((sp.note or "p=0:").split(":")[0][2:]))
    assert {doc.span_text(sp) for sp in ranked[:3]} == {"乡村全面振兴", "新质生产力", "中国式现代化"}


def test_existing_marks_kept_unless_replace(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    user = Span(0, 2, "bold", origin="user")
    doc = doc.with_spans([user])
    kept = annotate(doc)
    assert user in kept.spans("bold")
    assert set(doc.spans("highlight")) <= set(kept.spans("highlight"))
    replaced = annotate(doc, replace=True)
    assert user not in replaced.spans("bold")
    assert all(sp.origin == "model" for sp in replaced.spans("highlight"))


def test_explain_gives_reasons(sample_note_text: str) -> None:
    out = annotate(read_note(sample_note_text), replace=True, explain=True)
    report = explain_report(out)
    assert report and all(r["why"] and str(r["why"]).startswith(("p=", "fallback: ")) for r in report)
    assert any(str(r["why"]).startswith("p=") for r in report)


def test_model_round_trip_is_json_not_pickle(tmp_path: Path, style_model) -> None:
    path = save_model(style_model, tmp_path / "m")
    raw = path.read_bytes()
    assert not raw.startswith(b"\x80")  # a pickle starts with PROTO
    data = json.loads(raw)
    assert data["format"] == "jingdu-annotator"
    again = load_model(tmp_path / "m")
    doc = read_note((STYLE / "s1_orchard.md").read_text(encoding="utf-8"))
    assert annotate(doc, again, replace=True) == annotate(doc, style_model, replace=True)


def test_shipped_model_is_small_and_safe() -> None:
    from jingdu.annotate import DEFAULT_MODEL

    files = list(DEFAULT_MODEL.iterdir())
    assert (DEFAULT_MODEL / "MODEL_CARD.md").is_file()
    assert sum(f.stat().st_size for f in files) < 5_000_000
    assert not any(f.suffix in (".pkl", ".pickle", ".joblib") for f in files)


def test_bad_model_is_a_clear_error(tmp_path: Path) -> None:
    from jingdu.errors import ModelError

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ModelError):
        load_model(bad)
    with pytest.raises(ModelError):
        load_model(tmp_path / "missing.json")


def test_retired_red_gamma_is_read_only_when_it_changed_nothing(tmp_path: Path, style_model) -> None:
    """Older files carry the red account-prior weight ``red_gamma``: 0 (no shift) loads, anything else is refused."""
    from jingdu.errors import ModelError

    data = style_model.to_dict()
    for gamma, loads in ((0.0, True), (1.0, False)):
        path = tmp_path / f"gamma{gamma}.json"
        path.write_text(json.dumps({**data, "thresholds": {**data["thresholds"], "red_gamma": gamma}}), encoding="utf-8")
        if loads:
            assert load_model(path).thresholds == style_model.thresholds
        else:
            with pytest.raises(ModelError, match="red_gamma"):
                load_model(path)


NEW_ARTICLE = """# 湖畔小城的新公园

> 示例日报微信公众号 [原文链接](https://example.com/park)

　　湖畔的新公园正式开放，总面积达到<strong>320亩</strong>，种下乔木<strong>5800棵</strong>。

　　清晨有人跑步，傍晚有人散步，孩子们在草地上放风筝。

　　公园里修建了<strong>4.5公里</strong>的环湖步道，开园首月接待游客<strong>28万人次</strong>。

　　附近的居民说，推开窗就能看见湖水和树林，日子过得更舒心了。
"""


def test_user_style_numbers_only(style_model) -> None:
    """Trained on notes that bold only figures and mark nothing else, the model does the same."""
    gold = read_note(NEW_ARTICLE)
    out = annotate(gold.without_layers(["bold"]), style_model, replace=True)
    assert not out.spans("highlight") and not out.spans("red")
    bolds = [out.span_text(sp) for sp in out.spans("bold")]
    assert bolds and all(any(ch.isdigit() for ch in b) for b in bolds)
    counts = metrics.score_pair(NEW_ARTICLE, write_note(out))
    assert counts is not None
    tp, npred, ngold = counts["b"]
    assert tp >= 3 and npred <= ngold + 1


def test_cli_help_texts() -> None:
    for cmd in (["annotate"], ["train"], ["eval"], ["bench", "annotate"]):
        res = runner.invoke(app, [*cmd, "--help"])
        assert res.exit_code == 0, res.output
        assert len(res.output) > 200


def test_cli_train_and_annotate(tmp_path: Path, sample_note_text: str) -> None:
    model = tmp_path / "model"
    notes = [str(p) for p in sorted(STYLE.glob("*.md"))]
    res = runner.invoke(app, ["train", *notes, "-o", str(model), "--folds", "3"])
    assert res.exit_code == 0, res.output
    src = tmp_path / "in.md"
    src.write_text(NEW_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["annotate", str(src), str(tmp_path / "nope.md"), "-o", str(out),
                              "--model", str(model), "--explain", "--replace"])
    assert res.exit_code == 1  # one bad input, reported by name; the other written
    assert (out / "in.md").is_file() and (out / "in.explain.json").is_file()
    assert _plain_words((out / "in.md").read_text(encoding="utf-8")) == _plain_words(NEW_ARTICLE)


def test_cli_bad_model_exit_code(tmp_path: Path) -> None:
    src = tmp_path / "in.md"
    src.write_text(NEW_ARTICLE, encoding="utf-8")
    res = runner.invoke(app, ["annotate", str(src), "-o", str(tmp_path / "o"), "--model", str(tmp_path / "x.json")])
    assert res.exit_code == 1
    assert "Traceback" not in res.output


def test_red_candidates_include_the_articles_own_quotes() -> None:
    from jingdu.annotate.features import sentence_infos
    from jingdu.annotate.terms import occurrences, with_quotes

    doc = read_note("# 题\n\n　　要把“城乡融合”落到实处，推动高质量发展。城乡融合关键在“人”。\n")
    infos = sentence_infos(doc)
    occs = with_quotes(doc.text, infos, occurrences(doc.text, infos, frozenset({"高质量发展"})))
    found = {(o.term, o.quoted) for o in occs}
    assert found == {("“城乡融合”", True), ("高质量发展", False), ("“人”", True)}
    assert [o.start for o in occs] == sorted(o.start for o in occs)
