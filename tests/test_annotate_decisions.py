"""The bold fallback (figures and named people), the highlight threshold rule, eval groups and the
model cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from jingdu.annotate import DEFAULT_MODEL, annotate, load_model, note_groups
from jingdu.annotate import annotator as A
from jingdu.annotate import bold as B
from jingdu.annotate import highlight as H
from jingdu.annotate.features import sentence_infos
from jingdu.notation import read_note

ARTICLE = ("# 某县推进产业振兴\n\n> 作者：本报记者\n\n"
           "　　数据显示，2024年某县地区生产总值达512亿元，同比增长6.1%；规上工业企业达到213家，"
           "粮食产量提高到48.5万吨。\n\n"
           "　　“要让群众得到实惠。”某县县委书记周明远说。\n\n"
           "　　必须坚持因地制宜，走出一条特色发展之路。\n")


def test_key_spans_figures_with_units_and_people_with_titles() -> None:
    doc = read_note(ARTICLE)
    found = [(doc.text[a:e], kind) for a, e, kind in B.key_spans(sentence_infos(doc), [], 4, 4)]
    texts = [t for t, _ in found]
    assert "达512亿元" in texts and "同比增长6.1%" in texts and "达到213家" in texts
    assert "某县县委书记周明远" in texts
    assert not any(t.startswith("2024") for t in texts)  # a year is not a figure
    assert sum(k == "figure" for _, k in found) <= 4
    # the shipped fallback: the first named person and the first two figures with their units
    shipped = [doc.text[a:e] for a, e, _ in B.key_spans(sentence_infos(doc), [])]
    assert shipped == ["某县县委书记周明远", "达512亿元", "同比增长6.1%"]


def test_key_spans_leave_taken_ranges_alone() -> None:
    doc = read_note(ARTICLE)
    infos = sentence_infos(doc)
    everything = [(0, len(doc.text))]
    assert B.key_spans(infos, everything) == []


def test_annotate_bolds_figures_or_people_on_a_news_article() -> None:
    out = annotate(read_note(ARTICLE), replace=True)
    bold = [out.span_text(s) for s in out.spans("bold") if s.origin == "model"]
    assert bold, "bold is never empty on an article with figures and named officials"
    assert out.text == read_note(ARTICLE).text


def test_the_demo_article_bolds_its_official_and_its_figures() -> None:
    from importlib import resources

    doc = read_note(resources.files("jingdu.examples").joinpath("sample.md").read_text(encoding="utf-8"))
    bold = [doc.text[s.start:s.end] for s in annotate(doc, replace=True).spans("bold")]
    assert any("李青山" in b for b in bold), bold
    assert sum(any(ch.isdigit() for ch in b) for b in bold) >= 2, bold


def test_a_figure_is_added_where_the_model_bolds_none() -> None:
    from jingdu.annotate.annotator import predict

    doc = read_note(ARTICLE)
    model = load_model(DEFAULT_MODEL)
    spans = predict(doc, model, bold_fallback="missing")
    bold = [doc.text[s.start:s.end] for s in spans if s.layer == "bold"]
    figures = [b for b in bold if any(c.isdigit() for c in b)]
    assert figures, "an article with figures gets its key figures in bold"
    assert len(predict(doc, model, bold_fallback=False)) <= len(spans)


def test_demo_prints_all_three_layers() -> None:
    from jingdu.cli import app

    res = CliRunner().invoke(app, ["demo"])
    assert res.exit_code == 0, res.output
    line = [ln for ln in res.output.splitlines() if ln.startswith("marks:")][-1]
    counts = dict(part.strip().split() for part in line.removeprefix("marks:").split(","))
    assert all(int(counts[k]) > 0 for k in ("highlight", "bold", "red")), line


def test_threshold_decision_follows_the_article_scores() -> None:
    probs = np.array([0.9, 0.6, 0.2, 0.1])
    assert H.decide_threshold(probs, 0.5).tolist() == [True, True, False, False]
    t, f = H.best_threshold([(probs, np.array([1, 1, 0, 0]))])
    assert 0.2 < t <= 0.6 and f == 1.0


TOPIC_PAGE = ("# 让老街巷的烟火气更浓\n\n## 背景介绍\n\n老街巷里开起了社区食堂，老人吃上了热乎饭。"
              "社区还请来志愿者，每周上门陪老人聊天。\n\n## 理清脉络\n\n（1）回应老人的急难愁盼。\n\n"
              "这是基层治理最直接的意义。\n\n（2）完善社区服务体系。\n\n"
              "金句：小食堂连着大民生，一碗热饭暖人心。群众的饭碗就是治理的试金石。\n")


@pytest.mark.parametrize(("text", "weight"), [(TOPIC_PAGE, 0.0), (ARTICLE, None)])
def test_highlight_decides_by_the_threshold_for_its_kind_of_page(text: str, weight: float | None) -> None:
    """A 申论 topic page: the feature model's probability at its own threshold (no wording member);
    any other article: the blend with the wording member at the threshold calibrated for it."""
    model = load_model()
    doc = read_note(text)
    prep = A.prepare(doc, model.red_words, model.bold_words, model.hl_lex)
    assert bool(prep.table.dense[0, A._DOC_TOPIC]) is (weight == 0.0)
    dense = A.with_column(H.columns(prep.table.dense, model.highlight.names[:-1]),
                          model.rates.features(doc.meta.account)[0])
    score, t = model.highlight_scores(model.highlight.proba(dense), prep.infos, weight)
    expected = [(s.start, s.end, f"p={p:.2f}") for s, p in zip(prep.infos, score, strict=True) if p >= t]
    got = [(s.start, s.end, s.note.split(":")[0]) for s in A.predict(doc, model, explain=True)
           if s.layer == "highlight"]
    assert got == expected and got


def test_note_groups_read_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "annotated").mkdir()
    notes = []
    for i in range(2):
        p = tmp_path / "annotated" / f"n{i}.md"
        p.write_text("# 标题\n\n正文一句话。\n", encoding="utf-8")
        notes.append(str(p))
    rows = [{"id": f"n{i}", "file": f"annotated/n{i}.md", "categories": c} for i, c in enumerate((["申论"], ["时政"]))]
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    docs = [read_note(Path(n).read_text(encoding="utf-8")) for n in notes]
    assert note_groups(notes, docs) == ["申论", "other"]


def test_load_model_is_cached_by_file_and_mtime(tmp_path: Path) -> None:
    f = tmp_path / "model.json"
    shutil.copy(DEFAULT_MODEL / "model.json", f)
    a = load_model(f)
    assert load_model(f) is a
    with f.open("a", encoding="utf-8") as fh:  # a changed file (size and time) is read again
        fh.write("\n")
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_model(f) is not a
