"""``jingdu bench ingest``: jingdu, trafilatura and gne scored on the same pages against reference
bodies (pages and references written here; the gne pages in ../shared in a slow test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.cli import app
from jingdu.ingest import bench
from jingdu.ingest.bench import references_from_gne_result, run_ingest_bench, trafilatura_text

BODY = ("春分过后，江南的油菜花开满了田野，远远望去像一片金色的海洋。"
        "村里的老人说，今年雨水充足，收成一定不错。孩子们放学后沿着田埂奔跑，笑声传得很远。"
        "傍晚时分，炊烟升起，河面上倒映着晚霞，整个村庄安静下来。")
PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>江南春色_某某网</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>
<article><h1>江南春色</h1><p>{BODY[:31]}</p><p>{BODY[31:77]}</p><p>{BODY[77:]}</p></article>
<div class="footer">版权所有 © 某某网</div></body></html>"""
EMPTY = '<!doctype html><html><head><meta charset="utf-8"><title>空</title></head><body><div></div></body></html>'


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    pages, ref = tmp_path / "pages", tmp_path / "ref"
    (pages / "site").mkdir(parents=True)
    (ref / "site").mkdir(parents=True)
    (pages / "site" / "a.html").write_text(PAGE, encoding="utf-8")
    (ref / "site" / "a.txt").write_text(BODY, encoding="utf-8")
    (pages / "empty.html").write_text(EMPTY, encoding="utf-8")
    (ref / "empty.txt").write_text(BODY, encoding="utf-8")
    (pages / "unreferenced.html").write_text(PAGE, encoding="utf-8")
    return pages, ref


def test_scores_each_page_and_counts_pages_without_text(tmp_path: Path) -> None:
    pages, ref = _folders(tmp_path)
    report = run_ingest_bench(pages, ref, {"jingdu": None, "trafilatura": trafilatura_text, "gne": None})
    rows = {r.name: r for r in report.rows}
    assert set(rows) == {"site/a.html", "empty.html"} and report.unreferenced == 1
    assert rows["site/a.html"].scores["jingdu"] == pytest.approx(1.0)
    assert rows["empty.html"].scores["jingdu"] == 0.0 and rows["empty.html"].empty["jingdu"]
    assert report.empty_count("jingdu") == 1
    assert report.mean("jingdu") == pytest.approx(0.5)
    assert report.mean("gne") is None and report.empty_count("gne") is None


def test_a_peer_runs_in_the_same_table(tmp_path: Path) -> None:
    pages, ref = _folders(tmp_path)
    half = BODY[: len(BODY) // 2]
    report = run_ingest_bench(pages, ref, {"jingdu": None, "gne": lambda html: half if "江南" in html else ""})
    rows = {r.name: r for r in report.rows}
    assert 0.5 < rows["site/a.html"].scores["gne"] < 0.8  # precision 1, recall about a half
    assert report.empty_count("gne") == 1
    assert "gne" in report.render().splitlines()[0]


def test_cli_prints_the_table_and_says_gne_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "gne_extractor", lambda: None)
    pages, ref = _folders(tmp_path)
    res = CliRunner().invoke(app, ["bench", "ingest", str(pages), "--reference", str(ref)])
    assert res.exit_code == 0, res.output
    assert "gne not installed" in res.output
    assert "site/a.html" in res.output and "mean F1" in res.output and "no text" in res.output
    assert "trafilatura" in res.output


def test_cli_without_references_fails_with_a_message(tmp_path: Path) -> None:
    pages, _ = _folders(tmp_path)
    (tmp_path / "none").mkdir()
    res = CliRunner().invoke(app, ["bench", "ingest", str(pages), "--reference", str(tmp_path / "none")])
    assert res.exit_code == 1 and "no page" in res.output and "Traceback" not in res.output


def test_references_from_gne_result(tmp_path: Path) -> None:
    result = tmp_path / "gne-result.txt"
    result.write_text('>>>>>>>>tests/site/a.html>>>>>>>>\n{\n  "title": "江南春色",\n  "content": "第一段\\n第二段"\n}\n'
                      "<<<<<<<<<<<<\n>>>>>>>>tests/b.html>>>>>>>>\n{\n  \"content\": \"另一篇\"\n}\n<<<<<<<<\n",
                      encoding="utf-8")
    written = references_from_gne_result(result, tmp_path / "ref")
    assert [p.relative_to(tmp_path / "ref").as_posix() for p in written] == ["site/a.txt", "b.txt"]
    assert (tmp_path / "ref" / "site" / "a.txt").read_text(encoding="utf-8") == "第一段\n第二段\n"


@pytest.mark.slow
def test_on_the_gne_pages_against_gnes_answers(pages_dir: Path, tmp_path: Path) -> None:
    gne = pages_dir / "gne"
    if not (gne / "gne-result.txt").is_file():
        pytest.skip("no gne pages in ../shared/pages")
    assert len(references_from_gne_result(gne / "gne-result.txt", tmp_path)) >= 15
    report = run_ingest_bench(gne, tmp_path)
    assert len(report.rows) >= 15
    ours, theirs = report.mean("jingdu"), report.mean("trafilatura")
    assert ours is not None and theirs is not None
    assert ours >= 0.95 and ours > theirs + 0.1
    assert report.empty_count("jingdu") == 0


def test_a_crash_on_one_page_is_reported_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages, ref = _folders(tmp_path)

    def broken(html: str, name: str = "") -> str:
        if "江南" in html:
            raise RuntimeError("boom")
        return ""

    monkeypatch.setattr(bench, "jingdu_text", broken)
    report = run_ingest_bench(pages, ref, {"jingdu": None, "gne": None})
    assert len(report.rows) == 2 and report.empty_count("jingdu") == 2
    assert "site/a.html: jingdu failed: RuntimeError: boom" in report.render()
