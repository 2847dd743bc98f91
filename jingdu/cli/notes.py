"""Commands for notes as data: ingest, convert, show, demo."""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from importlib import resources
from pathlib import Path

import typer
from rich.text import Text

from jingdu.cli.common import OUT_HELP, fail, out_console, write_batch
from jingdu.convert import extension, render
from jingdu.errors import JingduError
from jingdu.ingest import IngestOptions
from jingdu.model import HIGHLIGHT_COLOUR, SCORED_LAYERS, Doc
from jingdu.notation import write_note
from jingdu.pipeline import PipelineOptions, read

LAYER_STYLES = {"highlight": f"on {HIGHLIGHT_COLOUR}", "bold": "bold", "red": "#ff0000", "underline": "underline"}


class OutFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    w3c = "w3c"


def _ingest_one(name: str, options: PipelineOptions) -> dict[str, str]:
    return {".md": write_note(read(name, options), footer=True)}


def _convert_one(name: str, fmt: str) -> dict[str, str]:
    return {"." + extension(fmt): render(read(name), fmt)}


def ingest(
    inputs: list[str] = typer.Argument(..., help="Files (HTML pages, notes, text, JSON) or http(s) URLs."),
    out: Path = typer.Option(..., "-o", "--out", help=OUT_HELP),
    timeout: float = typer.Option(15.0, help="Seconds to wait for a URL."),
    max_mb: float = typer.Option(20.0, help="Refuse inputs larger than this many MB."),
    allow_private_fetch: bool = typer.Option(False, "--allow-private-fetch",
                                             help="Allow URLs on this machine or a private network."),
) -> None:
    """Read articles (WeChat pages, news pages, notes, plain text, URLs) into notes in the notation."""
    options = PipelineOptions(IngestOptions(max_bytes=int(max_mb * 1024 * 1024), timeout=timeout,
                                            allow_private=allow_private_fetch))
    result = write_batch(inputs, partial(_ingest_one, options=options), out, label="ingest")
    raise typer.Exit(result.exit_code)


def convert(
    inputs: list[str] = typer.Argument(..., help="Notes (.md) or JSON notes (.json)."),
    to: OutFormat = typer.Option(OutFormat.md, "--to", help="md, json, html (a standalone page) or w3c."),
    out: Path = typer.Option(..., "-o", "--out", help=OUT_HELP.replace(".md", ".<ext>")),
) -> None:
    """Convert notes between the notation, JSON, a standalone HTML page and W3C annotations."""
    result = write_batch(inputs, partial(_convert_one, fmt=to.value), out, label="convert")
    raise typer.Exit(result.exit_code)


def styled(doc: Doc) -> Text:
    """The note as Rich text: yellow background, bold and red as the blog shows them;
    the model's suggestions are underlined so they can be told from the reader's own marks."""
    out = Text()
    for block in doc.blocks:
        if block.kind == "break":
            out.append("─" * 20 + "\n\n", style="dim")
            continue
        if block.end <= block.start:
            continue
        piece = Text(doc.block_text(block))
        for layer, style in LAYER_STYLES.items():
            for sp in doc.spans(layer):
                if sp.end > block.start and sp.start < block.end:
                    extra = " underline" if sp.origin == "model" else ""
                    piece.stylize(style + extra, max(sp.start, block.start) - block.start,
                                  min(sp.end, block.end) - block.start)
        if block.kind in ("title", "heading"):
            piece.stylize("bold")
        lead = "\u3000\u3000" if block.kind in ("paragraph", "html") else "> " if block.kind == "source" else ""
        out.append(lead)
        out.append_text(piece)
        out.append("\n\n")
    return out


def show(note: str = typer.Argument(..., help="A note, page, text file or URL.")) -> None:
    """Print a note in the terminal with its marks in colour."""
    try:
        doc = read(note)
    except JingduError as exc:
        raise fail(f"{note}: {exc}") from None
    out_console.print(styled(doc))


def demo(
    save: Path | None = typer.Option(None, "-o", "--out", help="Also write the annotated note here."),
) -> None:
    """Annotate the bundled example article and show the result."""
    from jingdu.pipeline import annotate, read_text

    source = resources.files("jingdu.examples").joinpath("sample.md").read_text(encoding="utf-8")
    doc = annotate(read_text(source, "sample.md"))
    out_console.print(styled(doc))
    counts = ", ".join(f"{layer} {len(doc.spans(layer))}" for layer in SCORED_LAYERS)
    out_console.print(f"\n[dim]marks: {counts}[/dim]")
    if save is not None:
        from jingdu.fsutil import write_atomic

        write_atomic(save, write_note(doc))


def bench_ingest_cmd(
    pages: Path = typer.Argument(..., help="A folder of saved HTML pages (subfolders included)."),
    reference: Path = typer.Option(..., "--reference", help=(
        "A folder of reference bodies: for each page, a UTF-8 text file of the same relative path and "
        "stem with the suffix .txt holding the plain text of the article's body (no title, no markup; "
        "whitespace does not count). Pages without one are skipped.")),
) -> None:
    """Body text of jingdu, trafilatura and gne (if installed) on the same pages, by char-4-gram F1."""
    from jingdu.ingest.bench import run_ingest_bench

    try:
        report = run_ingest_bench(pages, reference)
    except JingduError as exc:
        raise fail(str(exc)) from None
    out_console.print(report.render(), soft_wrap=True, markup=False, highlight=False)


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    bench_app.command("ingest")(bench_ingest_cmd)
    app.command()(ingest)
    app.command()(convert)
    app.command()(show)
    app.command()(demo)
