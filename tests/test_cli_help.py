"""Every command has help text (a command without one fails here)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import typer.main
from typer.testing import CliRunner

from jingdu.cli import COMMAND_MODULES, app

runner = CliRunner()


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    # (Typer ships its own copy of click, so a group is told by its commands, not by click.Group)
    out = [(path, group)]
    if hasattr(group, "commands"):
        for name, cmd in group.commands.items():
            out += _commands(cmd, (*path, name))
    return out


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "jingdu" for p, _ in COMMANDS])
def test_command_has_help_text(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or command.short_help or "").strip(), f"jingdu {' '.join(path)} has no help text"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0


def test_every_stage_registers_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        assert hasattr(importlib.import_module(f"jingdu.cli.{name}"), "register")


def _documented() -> str:
    root = Path(__file__).resolve().parents[1]
    return "\n".join(p.read_text(encoding="utf-8") for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))])


LEAVES = [(p, c) for p, c in COMMANDS if p and not hasattr(c, "commands")]


def test_every_command_is_collected() -> None:
    assert len(LEAVES) >= 20 and ("bank", "add") in [p for p, _ in LEAVES]


@pytest.mark.parametrize(("path", "command"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_command_is_documented(path: tuple[str, ...], command: click.Command) -> None:
    """Each command is named in the README or docs/ (`jingdu bank add`, or in the table as `bank add`)."""
    words = " ".join(path)
    text = _documented()
    assert f"jingdu {words}" in text or f"`{words}" in text, f"jingdu {words} is not documented in README.md or docs/"
