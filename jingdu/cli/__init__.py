"""The ``jingdu`` command.  Each stage registers its commands from its own module; commands
parse arguments, call one library function and turn domain errors into a message and an exit
code (see :mod:`jingdu.cli.common`)."""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

import typer

from jingdu.cli import helptext

helptext.install()
app = typer.Typer(help="精读 jingdu: ingest, mark, extract, bank, review and publish official-media articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings=helptext.HELP_OPTIONS)
bench_app = typer.Typer(help="Benchmarks that print ratios against a baseline measured in the same run.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def jingdu_version() -> str:
    try:
        return version("jingdu")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"jingdu {jingdu_version()}")
        raise typer.Exit()


@app.callback()
def _main(show_version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                            help="Print jingdu's version and exit.")) -> None:
    """精读 jingdu: ingest, mark, extract, bank, review and publish official-media articles."""


#: Modules under jingdu.cli that register commands (each has ``register(app, bench_app)``).
COMMAND_MODULES = ("notes", "annotate", "extract", "bank", "glossary", "web")
for _name in COMMAND_MODULES:
    importlib.import_module(f"jingdu.cli.{_name}").register(app, bench_app)
helptext.tidy(app)


def main() -> None:
    app()
