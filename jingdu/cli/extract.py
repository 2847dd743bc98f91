"""``jingdu extract``, ``jingdu outline`` and ``jingdu bench extract``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from jingdu.cli.common import INPUT_ERRORS, err_console, fail, out_console, print_failures, reason_of
from jingdu.model import Doc
from jingdu.pipeline import process, read, run_batch


class ExtractFormat(StrEnum):
    json = "json"
    md = "md"


class OutlineFormat(StrEnum):
    mermaid = "mermaid"
    md = "md"


def card(data: dict[str, object]) -> str:
    """A readable Markdown card of one ``extract`` result."""
    src = data.get("source") or {}
    assert isinstance(src, dict)
    lines = [f"# {data.get('title') or data.get('id') or 'untitled'}", ""]
    if src.get("account") or src.get("url"):
        lines += [f"> {src.get('account', '')} {src.get('url', '')}".rstrip(), ""]
    lines += ["## 数据 facts", ""]
    for f in data["facts"]:  # type: ignore[union-attr]
        ctx = " · ".join(str(x) for x in (f.get("period"), f.get("subject")) if x)
        lines.append(f"- **{f['surface']}** = {f['value']:,} {f['unit']} ({f['kind']})" + (f" — {ctx}" if ctx else ""))
    lines += ["", "## 提法 terms", ""]
    lines.append("、".join(f"{t['term']}×{t['count']}" for t in data["terms"][:30]))  # type: ignore[index]
    lines += ["", "## 金句 quotes", ""]
    for q in data["quotes"]:  # type: ignore[union-attr]
        lines.append(f"- {q['text']} _({', '.join(q['patterns'])})_")
    outline = data["outline"]
    assert isinstance(outline, dict)
    lines += ["", "## 结构 outline", ""]
    for s in outline["sections"]:
        lines.append(f"- {s['heading']}" + (f"：{s['topic']}" if s.get("topic") else ""))
    return "\n".join(lines) + "\n"


def _each(inputs: list[str], render: Callable[[Doc], str]) -> int:
    """Print ``render`` of each input as it is done; failed inputs are named at the end."""
    failed: list[tuple[str, str]] = []
    for outcome in run_batch(inputs, lambda name: render(read(name))):
        if outcome.error is not None or outcome.value is None:
            failed.append((outcome.name, outcome.error or "no output"))
            continue
        sys.stdout.write(outcome.value)
        sys.stdout.flush()
    print_failures(failed)
    return 1 if failed else 0


def extract_cmd(
    inputs: Annotated[list[str], typer.Argument(help="Notes, pages, text files or URLs.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines (the default).")] = False,
    fmt: Annotated[ExtractFormat, typer.Option("--format", "-f", help="json: one object per line; md: a card.")]
    = ExtractFormat.json,
) -> None:
    """Extract figures, policy terms, quotable lines and the outline of each input."""
    def render(doc: Doc) -> str:
        extraction = process(doc).extraction
        assert extraction is not None
        data = extraction.to_dict()
        if as_json or fmt is ExtractFormat.json:
            return json.dumps(data, ensure_ascii=False) + "\n"
        return card(data) + "\n"

    raise typer.Exit(_each(inputs, render))


def outline_cmd(
    input_: Annotated[str, typer.Argument(metavar="INPUT", help="A note, page, text file or URL.")],
    fmt: Annotated[OutlineFormat, typer.Option("--format", "-f", help="mermaid: a mindmap; md: Markdown.")]
    = OutlineFormat.mermaid,
) -> None:
    """Draw the outline of an article as a Mermaid mind map or a Markdown outline."""
    from jingdu.extract import outline_markdown, outline_mermaid

    raise typer.Exit(_each([input_], outline_mermaid if fmt is OutlineFormat.mermaid else outline_markdown))


def bench_extract_cmd(
    corpus: Annotated[Path, typer.Option("--corpus", help="Corpus folder (with annotated/ and plain/).")]
    = Path("../shared/corpus"),
    limit: Annotated[int, typer.Option(help="At most this many notes (0 = all).")] = 60,
    examples: Annotated[int, typer.Option(help="Examples shown of each disagreement.")] = 5,
) -> None:
    """Compare figure extraction with jionlp's money and time parsers on the corpus."""
    from jingdu.extract.bench import BenchError, run_bench

    try:
        report = run_bench(corpus, limit=limit)
    except BenchError as exc:
        err_console.print(f"[yellow]skipped:[/yellow] {escape(str(exc))}")
        raise typer.Exit(0) from None
    except INPUT_ERRORS as exc:
        raise fail(reason_of(exc)) from None
    out_console.print(report.render(examples), soft_wrap=True, markup=False)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
    app.command("outline")(outline_cmd)
    bench_app.command("extract")(bench_extract_cmd)
