"""The ``jingdu`` command.  Each stage registers its commands from its own module; commands
parse arguments, call one library function and turn domain errors into a message and an exit
code (see :mod:`jingdu.cli.common`)."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="精读 jingdu: ingest, mark, extract, bank, review and publish official-media articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
bench_app = typer.Typer(help="Benchmarks that print ratios against a baseline measured in the same run.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")

#: Modules under jingdu.cli that register commands (each has ``register(app, bench_app)``).
COMMAND_MODULES = ("notes", "annotate", "extract", "bank", "glossary", "web")
for _name in COMMAND_MODULES:
    importlib.import_module(f"jingdu.cli.{_name}").register(app, bench_app)


def main() -> None:
    app()
