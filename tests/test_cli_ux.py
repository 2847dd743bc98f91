"""The CLI as a user meets it: ``-h`` and ``--version``, help without Typer's type labels, and
``publish`` going on past a missing file and saying what it wrote."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import typer.main
from typer.testing import CliRunner

from jingdu.cli import app, jingdu_version
from jingdu.cli.helptext import unwrap

runner = CliRunner()
FIX = Path(__file__).parent / "fixtures" / "bank"


def _paths(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [path]
    for name, cmd in getattr(group, "commands", {}).items():
        out += _paths(cmd, (*path, name))
    return out


PATHS = _paths(typer.main.get_command(app))


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "jingdu" for p in PATHS])
def test_help_is_clean_and_answers_to_h(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert not re.search(r"<(?:bool|str|int|float|path|list\[[^\]]*\])>", result.output), result.output
    assert not re.search(r"\{\w+\}", result.output), result.output


def test_version() -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.output.strip() == f"jingdu {jingdu_version()}"


def test_types_read_as_click_names() -> None:
    out = runner.invoke(app, ["convert", "-h"], env={"COLUMNS": "200"}).output
    assert "[md|json|html|w3c]" in out and "PATH" in out and "Usage: jingdu convert [OPTIONS] INPUTS..." in \
        re.sub(r"\s+", " ", out).replace("root ", "jingdu ")


def test_docstring_paragraphs_are_unwrapped() -> None:
    assert unwrap("One line\n    continued.\n\n    Second\n    paragraph.") == "One line continued.\n\nSecond paragraph."


def test_publish_goes_on_past_a_missing_file_and_says_what_it_wrote(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = runner.invoke(app, ["publish", str(FIX / "keji.md"), str(tmp_path / "missing.md"),
                                 str(FIX / "xiangcun.md"), "--hugo", str(site)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    written = sorted((site / "content" / "posts").glob("*.md"))
    assert len(written) == 2
    for path in written:
        assert f"wrote {path}" in result.output
    assert "missing.md" in result.output and "2 written, 1 failed" in result.output


def test_publish_success_exits_zero_and_prints_its_posts(tmp_path: Path) -> None:
    result = runner.invoke(app, ["publish", str(FIX / "keji.md"), "--hugo", str(tmp_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0 and "wrote " in result.output and "1 written, 0 failed" in result.output
