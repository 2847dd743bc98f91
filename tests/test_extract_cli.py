"""The extract, outline and bench extract commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.cli import app

NOTE = "# 某市经济稳中向好\n\n> 某市发布微信公众号 [原文链接](https://example.org/x)\n\n　　上半年，全市地区生产总值达1.2万亿元，同比增长5.1%。\n\n### 从“跟跑”到“领跑”\n\n　　新增高新技术企业超800家。\n"


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "n1.md"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_extract_json_line(note: Path) -> None:
    res = CliRunner().invoke(app, ["extract", str(note), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout.splitlines()[0])
    assert set(data) >= {"id", "title", "source", "facts", "terms", "quotes", "outline"}
    assert data["id"] == "n1"
    assert data["source"] == {"account": "某市发布", "url": "https://example.org/x"}
    assert [f["surface"] for f in data["facts"]] == ["1.2万亿元", "同比增长5.1%", "超800家"]


def test_extract_card(note: Path) -> None:
    res = CliRunner().invoke(app, ["extract", str(note), "--format", "md"])
    assert res.exit_code == 0
    assert "## 数据 facts" in res.stdout and "**超800家**" in res.stdout


def test_bad_input_named_and_others_still_run(note: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["extract", str(tmp_path / "missing.md"), str(note)])
    assert res.exit_code == 1
    assert "missing.md" in res.stderr
    assert len(res.stdout.splitlines()) == 1


@pytest.mark.parametrize(("fmt", "expected"), [("mermaid", "mindmap\n"), ("md", "# 某市经济稳中向好")])
def test_outline_formats(note: Path, fmt: str, expected: str) -> None:
    res = CliRunner().invoke(app, ["outline", str(note), "--format", fmt])
    assert res.exit_code == 0
    assert res.stdout.startswith(expected)


@pytest.mark.parametrize("args", [["extract"], ["outline"], ["bench", "extract"]])
def test_help(args: list[str]) -> None:
    res = CliRunner().invoke(app, [*args, "--help"])
    assert res.exit_code == 0 and "Usage" in res.stdout


def test_bench_on_a_tiny_corpus(tmp_path: Path) -> None:
    pytest.importorskip("jionlp")
    (tmp_path / "annotated").mkdir()
    (tmp_path / "annotated" / "n1.md").write_text(NOTE, encoding="utf-8")
    res = CliRunner().invoke(app, ["bench", "extract", "--corpus", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "ratio ours/jionlp" in res.stdout
