"""Clean help texts for every command: ``-h`` next to ``--help``, click-style type names
(``PATH``, ``INTEGER``, ``[md|json]``; none for flags) instead of Typer's ``<path>``, ``<bool>``,
``<list[str]>``, arguments in the usage line as ``INPUTS...`` instead of ``{inputs}...``, and
docstrings whose hard-wrapped lines read as paragraphs.

Typer ≥ 0.2x labels types itself (``TyperOption.display_type``); :func:`install` replaces those
labels with click's own names, where such a method exists (older Typer versions print click's
names already)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import typer
from typer import core

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def _label(typer_label: str | None, flag: bool) -> str | None:
    """``<path>`` → ``PATH``, ``<list[str]>`` → ``TEXT``, ``<md|json>`` → ``[md|json]``; None for a flag."""
    if flag or not typer_label:
        return None
    label = typer_label.strip("<>")
    label = re.sub(r"^list\[(.*)\]$", r"\1", label)
    if label == "bool":
        return None
    if "|" in label:
        return f"[{label}]"
    return CLICK_NAMES.get(label, label.upper())


#: Typer's type labels → click's names.
CLICK_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "path": "PATH", "file": "FILE"}


def _usage_name(param: Any) -> str:
    name = (param.metavar or param.name or "").upper()
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def _rich_name(param: Any) -> str:
    return (param.metavar or param.name or "").upper() + ("..." if param.metavar is None and param.nargs != 1 else "")


def install() -> None:
    """Give Typer's parameters click's type names (once; harmless on versions without labels)."""
    for cls in (core.TyperOption, core.TyperArgument):
        typers = getattr(cls, "display_type", None)
        if typers is None or getattr(typers, "jingdu", False):
            continue

        def display_type(self: Any, ctx: Any, _typers: Any = typers) -> str | None:
            flag = bool(getattr(self, "is_flag", False) or getattr(self, "count", False))
            return _label(_typers(self, ctx), flag)

        display_type.jingdu = True  # type: ignore[attr-defined]
        cls.display_type = display_type  # type: ignore[method-assign]
    if hasattr(core.TyperArgument, "_usage_display_name"):
        core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    if hasattr(core.TyperArgument, "_rich_display_name"):
        core.TyperArgument._rich_display_name = _rich_name  # type: ignore[method-assign]


def unwrap(text: str) -> str:
    """A docstring's paragraphs each on one line (the source wraps them at 120 columns)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(re.sub(r"\s*\n\s*", " ", p).strip() for p in paragraphs)


def tidy(app: typer.Typer) -> None:
    """Unwrap the help of every command registered on ``app`` and its sub-apps."""
    for info in app.registered_commands:
        doc = info.help or inspect.getdoc(info.callback) or ""
        info.help = unwrap(doc) if doc else None
    for group in app.registered_groups:
        if group.typer_instance is not None:
            tidy(group.typer_instance)
