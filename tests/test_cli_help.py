"""Every command has help text (a command without one fails here)."""

from __future__ import annotations

import click
import pytest
import typer.main
from typer.testing import CliRunner

from jingdu.cli import COMMAND_MODULES, app

runner = CliRunner()


def _commands(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = [(path, group)]
    if isinstance(group, click.Group):
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
