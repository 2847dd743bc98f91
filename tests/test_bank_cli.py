"""``jingdu bank …`` and ``jingdu bench search``; the whole shared corpus (slow)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.cli import app

FIX = Path(__file__).parent / "fixtures" / "bank"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_add_names_the_bad_file_and_exits_nonzero(tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    code, out = _run("bank", "add", str(FIX / "xiangcun.md"), str(FIX / "broken.md"), str(FIX / "keji.md"),
                     "--db", db)
    assert code == 1 and "broken.md" in out and "2 added" in out
    code, out = _run("bank", "search", "新质生产力", "--kind", "quote", "--json", "--db", db)
    hits = json.loads(out)
    assert code == 0 and hits and all(h["kind"] == "quote" and "新质生产力" in h["text"] for h in hits)
    code, out = _run("bank", "tag", str(hits[0]["id"]), "我的主题", "--db", db)
    assert code == 0 and "我的主题" in out
    code, out = _run("bank", "stats", "--json", "--db", db)
    assert json.loads(out)["notes"] == 2


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    code, out = _run("bank", "search", "新质", "--kind", "bogus", "--db", str(tmp_path / "b.db"))
    assert code == 1 and "unknown kind" in out and "Traceback" not in out
    code, out = _run("bank", "tag", "999", "x", "--db", str(tmp_path / "b.db"))
    assert code == 1 and "no item 999" in out


@pytest.mark.slow
@pytest.mark.corpus
def test_whole_corpus_with_a_broken_file(corpus_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken-post.md"
    shutil.copy(FIX / "broken.md", broken)
    db = str(tmp_path / "corpus.db")
    inputs = [str(corpus_dir / "annotated"), str(corpus_dir / "plain"), str(broken)]
    start = time.perf_counter()
    code, out = _run("bank", "add", *inputs, "--db", db)
    took = time.perf_counter() - start
    assert code == 1 and "broken-post.md" in out and "684 added" in out
    assert took <= 120, f"adding the corpus took {took:.0f} s"
    _, stats = _run("bank", "stats", "--json", "--db", db)
    code, out = _run("bank", "add", *inputs, "--db", db)
    assert "684 unchanged" in out
    assert _run("bank", "stats", "--json", "--db", db)[1] == stats
    code, out = _run("bank", "search", "新质生产力", "--json", "--limit", "50", "--db", db)
    hits = json.loads(out)
    assert code == 0 and hits and all("新质生产力" in h["text"] for h in hits)
    assert all({"kind", "text", "note", "score"} <= set(h) for h in hits)
    code, out = _run("bank", "search", "新质生产力", "--kind", "quote", "--json", "--db", db)
    assert {h["kind"] for h in json.loads(out)} == {"quote"}
    code, out = _run("bench", "search", "--db", db, "--runs", "2")
    assert code == 0 and "LIKE scan baseline" in out and "ratio" in out
