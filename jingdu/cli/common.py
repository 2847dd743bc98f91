"""What every command shares: the batch runner (per-input errors, progress bar, exit code)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jingdu.errors import JingduError
from jingdu.fsutil import stem_of, write_atomic

T = TypeVar("T")
err_console = Console(stderr=True, highlight=False)
out_console = Console(highlight=False)
#: Exceptions that mean "this input is bad", reported per input without a traceback.
INPUT_ERRORS: tuple[type[BaseException], ...] = (JingduError, OSError, UnicodeError, ValueError)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as an error and return the Exit to raise."""
    err_console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def progress(total: int) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=True,
                    disable=total < 2 or os.environ.get("JINGDU_NO_PROGRESS") == "1")


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def reason_of(exc: BaseException) -> str:
    """The one-line reason an input failed: a domain error's message, else the error's type too."""
    return str(exc) if isinstance(exc, JingduError) else f"{type(exc).__name__}: {exc}"


def _one(work: Callable[[str], T], name: str) -> tuple[str, T | None, str | None]:
    try:
        return name, work(name), None
    except INPUT_ERRORS as exc:
        return name, None, reason_of(exc)


def run_batch(inputs: Iterable[str], work: Callable[[str], str | bytes], out_dir: Path, ext: str,
              *, label: str = "working", jobs: int = 1) -> BatchResult:
    """Run ``work`` on each input and write its result to ``out_dir/<stem>.<ext>``.

    A bad input is reported by name with its reason; the others still go through.  With
    ``jobs > 1`` inputs are processed in worker processes (``work`` must be picklable).
    """
    names = list(inputs)
    result = BatchResult()
    with progress(len(names)) as bar:
        task = bar.add_task(label, total=len(names))
        if jobs > 1 and len(names) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                outcomes = pool.map(_one, [work] * len(names), names)
                for outcome in outcomes:
                    _record(outcome, out_dir, ext, result)
                    bar.advance(task)
        else:
            for name in names:
                _record(_one(work, name), out_dir, ext, result)
                bar.advance(task)
    report(result)
    return result


def _record(outcome: tuple[str, object, str | None], out_dir: Path, ext: str, result: BatchResult) -> None:
    name, data, error = outcome
    if error is not None or not isinstance(data, (str, bytes)):
        result.failed.append((name, error or "no output"))
        return
    try:
        result.written.append(write_atomic(out_dir / f"{stem_of(name)}.{ext}", data))
    except OSError as exc:
        result.failed.append((name, f"cannot write output: {exc}"))


def print_failures(failed: list[tuple[str, str]]) -> None:
    """One line per failed input: its name and the reason."""
    for name, reason in failed:
        err_console.print(f"[red]failed:[/red] {escape(name)}: {escape(reason)}", soft_wrap=True)


def report(result: BatchResult) -> None:
    print_failures(result.failed)
    done = len(result.written)
    msg = f"{done} written, {len(result.failed)} failed"
    err_console.print(msg)
