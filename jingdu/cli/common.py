"""What every command shares: consoles, the progress bar, and writing a batch's outputs.

The batch itself runs in :func:`jingdu.pipeline.run_batch` (per-input errors, worker
processes); :func:`write_batch` names each input's output files so that two inputs never
overwrite each other (``post.md``, then ``post-2.md`` for a second ``…/post.md``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console, ConsoleRenderable, RenderHook
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from jingdu.fsutil import unique_stems, write_atomic
from jingdu.pipeline import INPUT_ERRORS, reason_of, run_batch

__all__ = ["INPUT_ERRORS", "OUT_HELP", "BatchResult", "err_console", "fail", "out_console", "print_failures",
           "progress", "reason_of", "write_batch"]

#: C0 and C1 control characters (but newline and tab) and the bidirectional overrides: a note's
#: text could move the cursor, recolour or retitle the terminal, or hide words with them.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                          *range(0x2066, 0x206A)], "\ufffd")


def terminal_text(text: str) -> str:
    """``text`` with every control character shown as U+FFFD (one for one, so offsets hold)."""
    return text.translate(_CONTROL)


class _PrintableHook(RenderHook):
    """Every string and Text printed through a console has its control characters replaced."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        out: list[ConsoleRenderable] = []
        for r in renderables:
            if isinstance(r, str):
                r = terminal_text(r)  # type: ignore[assignment]
            elif isinstance(r, Text) and r.plain != terminal_text(r.plain):
                r = r.copy()
                r.plain = terminal_text(r.plain)
            out.append(r)
        return out


def terminal_safe(console: Console) -> Console:
    """``console``, printing no control character of the text it is given (its own styles stay)."""
    console.push_render_hook(_PrintableHook())
    return console


err_console = terminal_safe(Console(stderr=True, highlight=False))
out_console = terminal_safe(Console(highlight=False))
OUT_HELP = ("Directory for DIR/<input stem>.md; inputs with the same file stem get distinct names "
            "(post.md, post-2.md, … in the order given).")
#: What a command's work returns for one input: output suffix (".md", ".explain.json") -> content.
Outputs = Mapping[str, str | bytes]


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


def write_batch(inputs: Iterable[str], work: Callable[[str], Outputs], out_dir: Path, *,
                label: str = "working", jobs: int = 1) -> BatchResult:
    """Run ``work`` on each input and write its outputs to ``out_dir/<stem><suffix>``.

    ``<stem>`` is the input's file stem, made distinct when two inputs share one
    (:func:`jingdu.fsutil.unique_stems`).  A bad input is reported by name with its reason; the
    others still go through.
    """
    names = list(dict.fromkeys(inputs))
    stems = unique_stems(names)
    result = BatchResult()
    with progress(len(names)) as bar:
        task = bar.add_task(label, total=len(names))
        for outcome in run_batch(names, work, jobs=jobs, progress=lambda done, *_: bar.update(task, completed=done)):
            if outcome.error is not None or outcome.value is None:
                result.failed.append((outcome.name, outcome.error or "no output"))
                continue
            try:
                paths = [write_atomic(out_dir / f"{stems[outcome.name]}{suffix}", data)
                         for suffix, data in outcome.value.items()]
                result.written.append(paths[0])
            except (OSError, UnicodeError) as exc:
                result.failed.append((outcome.name, f"cannot write output: {exc}"))
    report(result)
    return result


def print_failures(failed: list[tuple[str, str]]) -> None:
    """One line per failed input: its name and the reason."""
    for name, reason in failed:
        err_console.print(f"[red]failed:[/red] {escape(name)}: {escape(reason)}", soft_wrap=True)


def report(result: BatchResult) -> None:
    print_failures(result.failed)
    err_console.print(f"{len(result.written)} written, {len(result.failed)} failed")
