"""Pieces of the annotator's decisions: the 申论 topic-page features and the per-article count."""

from __future__ import annotations

import numpy as np
import pytest

from jingdu.annotate.features import TOPIC_NAMES, point_labels, sentence_infos, topic_matrix, topic_page
from jingdu.annotate.highlight import base_rate, decide
from jingdu.notation import read_note

TOPIC_NOTE = """# 让社区食堂飘出民生温度

## 背景介绍

社区食堂开进老街巷，老人吃上了热乎饭。这件小事折射出基层治理的用心。

## 理清脉络

（1）回应老人就餐需求。

这是最直接的意义。

（2）完善社区服务体系。

金句：小食堂连着大民生，一碗热饭暖人心。群众的饭碗就是治理的试金石。

金句主要强调民生的重要性。
"""

NEWS_NOTE = """# 江城推进老旧小区改造

　　今年以来，江城改造老旧小区42个。（1）居民反映的问题得到回应。

　　下一步，江城将继续推进改造工作。
"""


def _col(name: str, m: np.ndarray) -> list[float]:
    return m[:, TOPIC_NAMES.index(name)].tolist()


@pytest.mark.parametrize(("note", "expected"), [(TOPIC_NOTE, True), (NEWS_NOTE, False)])
def test_topic_page_is_told_by_its_headings(note: str, expected: bool) -> None:
    assert topic_page(sentence_infos(read_note(note))) is expected


def test_point_labels_stand_alone() -> None:
    infos = sentence_infos(read_note(TOPIC_NOTE))
    labels = [s.text for s, flag in zip(infos, point_labels(infos), strict=True) if flag]
    assert labels == ["（1）回应老人就餐需求。", "（2）完善社区服务体系。"]
    news = sentence_infos(read_note(NEWS_NOTE))
    assert not point_labels(news).any()  # a （1） inside a paragraph is no label


def test_jinju_marks_its_whole_paragraph_only() -> None:
    doc = read_note(TOPIC_NOTE)
    infos = sentence_infos(doc)
    m = topic_matrix(doc, infos)
    jinju = [s.text for s, v in zip(infos, _col("jinju", m), strict=True) if v]
    assert jinju == ["金句：小食堂连着大民生，一碗热饭暖人心。", "群众的饭碗就是治理的试金石。"]
    other = [s.text for s, v in zip(infos, _col("topic_other", m), strict=True) if v]
    assert "金句主要强调民生的重要性。" in other and "（1）回应老人就餐需求。" not in other


@pytest.mark.parametrize(("probs", "rate", "chosen"), [
    ([0.9, 0.1, 0.6, 0.4], 0.5, [0, 2]),     # expected 2.0, rate x length 2.0: the two most likely
    ([0.9, 0.1, 0.6, 0.4], 0.0, [0]),        # halfway between 2.0 and 0
    ([0.05, 0.1, 0.02], 0.0, []),             # expected 0.17, rate 0: nothing
    ([0.05, 0.1, 0.02], 0.5, [1]),            # halfway between 0.17 and 1.5: the most likely one
    ([], 0.5, []),
])
def test_decide_averages_expected_count_and_rate(probs: list[float], rate: float, chosen: list[int]) -> None:
    sel = decide(np.array(probs, dtype=np.float32), rate)
    assert np.flatnonzero(sel).tolist() == chosen


def test_base_rate_is_the_share_of_highlighted_sentences() -> None:
    assert base_rate([np.array([1, 0, 0, 0]), np.array([1, 1, 0, 0, 0, 0])]) == 0.3


def test_eval_repeats_reports_the_mean_and_spread_of_splits(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from jingdu.annotate.evaluate import summary_rows
    from jingdu.cli import app

    notes = sorted(str(p) for p in (Path(__file__).parent / "fixtures" / "style_numbers").glob("*.md"))
    res = CliRunner().invoke(app, ["eval", *notes, "--folds", "3", "--repeats", "2", "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.output)
    assert result["repeats"] == 2 and len(result["runs"]) == 2
    rows = {(r[0], r[1]): r for r in summary_rows(result)}
    f1s = [run["model"]["bold_spans"]["f1"] for run in result["runs"]]
    _, _, _, _, mean, lo, hi = rows[("model", "bold")]
    assert mean == pytest.approx(sum(f1s) / 2, abs=1e-4) and (lo, hi) == (min(f1s), max(f1s))
