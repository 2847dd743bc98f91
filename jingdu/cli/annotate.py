"""Commands of the annotator: annotate, train, eval, bench annotate."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import typer
from rich.table import Table

from jingdu.cli.common import OUT_HELP, fail, out_console, progress, write_batch
from jingdu.errors import JingduError
from jingdu.pipeline import PipelineOptions, annotate, read

DEFAULT_CORPUS = Path("../shared/corpus")


def _annotate_one(name: str, options: PipelineOptions) -> dict[str, str]:
    from jingdu.annotate import dumps_report
    from jingdu.notation import write_note

    doc = annotate(read(name, options), options)
    out = {".md": write_note(doc)}
    if options.explain:
        out[".explain.json"] = dumps_report(doc)
    return out


def annotate_cmd(
    inputs: list[str] = typer.Argument(..., help="Articles: notes, HTML pages, text, JSON or URLs."),
    out: Path = typer.Option(..., "-o", "--out", help=OUT_HELP),
    model: str | None = typer.Option(None, "--model", help="Model file or directory (default: the shipped one); "
                                     "'personal': the bank's personal model (`jingdu train --from-bank`)."),
    replace: bool = typer.Option(False, "--replace", help="Drop the input's own highlight/bold/red marks first."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    explain: bool = typer.Option(False, "--explain", help="Also write DIR/<stem>.explain.json: why each mark."),
    db: Path | None = typer.Option(None, "--db", help="The bank holding the personal model (with --model personal)."),
) -> None:
    """Mark articles as the close reader does: highlight, bold and red; the words never change."""
    from jingdu.annotate import load_model

    annotator = None
    try:
        if model == "personal":
            from jingdu.bank.models import personal_annotator

            annotator, model = personal_annotator(db, replace), None
        load_model(model)  # a bad model is one error, not one per input
    except JingduError as exc:
        raise fail(str(exc)) from None
    options = PipelineOptions(annotate=True, replace=replace, model=model, explain=explain, extract=False,
                              annotator=annotator)
    result = write_batch(inputs, partial(_annotate_one, options=options), out, label="annotate", jobs=jobs)
    raise typer.Exit(result.exit_code)


def train_cmd(
    notes: list[str] = typer.Argument(None, help="Annotated notes to learn from."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Model file (.json) or directory (gets model.json)."),
    mine: list[Path] = typer.Option([], "--mine", help="Unmarked posts (files or directories) to mine terms from."),
    folds: int = typer.Option(4, "--folds", min=2, help="Folds used to calibrate the thresholds."),
    from_bank: bool = typer.Option(False, "--from-bank", help="Train the bank's personal model from the workbench's "
                                   "corrections (accepted, rejected, added marks) and store it in the bank."),
    db: Path | None = typer.Option(None, "--db", help="The bank (with --from-bank)."),
) -> None:
    """Learn an annotator from annotated notes (e.g. your own 30 notes, in your own style), or
    (--from-bank) a personal model from the corrections in the bank."""
    from jingdu.annotate import train_files

    if from_bank:
        _train_from_bank(db)
        return
    if not notes or out is None:
        raise fail("give the notes to learn from and -o MODEL, or --from-bank")
    try:
        model = train_files(notes, out, mine, folds)
    except (JingduError, ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    out_console.print(f"trained on {model.info.get('notes')} notes -> {out}")


def _train_from_bank(db: Path | None) -> None:
    from jingdu.bank.models import totals, train_bank

    try:
        stored = train_bank(db)
    except (JingduError, OSError) as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"personal model v{stored.version}: {len(stored.notes)} notes ({totals(stored.notes)}); "
                        "F1 on them under grouped CV")
    for col in ("layer", "default", "personal", "sure", "used"):
        table.add_column(col)
    for layer, sc in stored.scores.items():
        table.add_row(layer, f"{sc['default']:.3f}", f"{sc['personal']:.3f}", f"{sc['confidence']:.0%}",
                      "yes" if sc["use"] else "no")
    out_console.print(table)


def bench_personal(
    corpus: Path = typer.Option(DEFAULT_CORPUS, "--corpus", help="Corpus directory (plain/ posts, annotated/ notes)."),
    quick: bool = typer.Option(False, "--quick", help="10 notes to correct and 10 held out, steps 0/5/10, the "
                               "reader on 20 notes, no model trained on the reader's notes alone."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Simulated readers of distinct styles correct the default's suggestions: F1 on their held-out notes
    after 0/5/10/20/40 corrected notes, personal model next to the default and to a model trained on the
    reader's notes alone; and the corpus's reader herself (grouped CV)."""
    from jingdu.annotate import load_model
    from jingdu.annotate.personal_bench import bench, report

    try:
        result = bench(corpus, load_model(), quick=quick, alone=not quick)
    except (JingduError, OSError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        out_console.print_json(json.dumps(result, ensure_ascii=False))
    else:
        out_console.print(report(result), markup=False, highlight=False, soft_wrap=True)


def eval_cmd(
    notes: list[str] = typer.Argument(..., help="Annotated notes (or `glossary POSTS...`: the 规范词 suggestions)."),
    folds: int = typer.Option(5, "--folds", "-k", min=2, help="Folds, grouped by article."),
    mine: list[Path] = typer.Option([], "--mine", help="Unmarked posts (files or directories) to mine terms from."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    repeats: int = typer.Option(1, "--repeats", "-r", min=1,
                                help="Different splits to average over (the first is the plain interleaved one)."),
) -> None:
    """Cross-validate the annotator grouped by article, next to lead, TextRank, n-gram LR and dictionary baselines.

    `jingdu eval glossary POSTS...` evaluates `jingdu suggest` on the glossary posts' exercises instead."""
    if notes[0] == "glossary":
        from jingdu.cli.glossary import eval_glossary

        return eval_glossary(notes[1:], as_json)
    from jingdu.annotate import evaluate_files
    from jingdu.annotate.evaluate import group_names, summary_rows

    try:
        with progress(repeats) as bar:
            task = bar.add_task("splits", total=repeats)
            result = evaluate_files(notes, folds, mine, repeats, lambda done, _: bar.update(task, completed=done))
    except (JingduError, ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        out_console.print_json(json.dumps(result, ensure_ascii=False))
        return
    splits = f", mean of {repeats} splits" if repeats > 1 else ""
    table = Table(title=f"grouped {result['folds']}-fold CV on {result['notes']} notes (referee metric{splits}; "
                        "\"other\" predicts unseen news articles)")
    for col in ("notes", "system", "layer", "P", "R", "F1", *(("F1 min", "F1 max") if repeats > 1 else ())):
        table.add_column(col)
    runs = result.get("runs") or [result]
    for group in group_names(result):
        n = result["notes"] if group == "all" else runs[0]["groups"][group]["notes"]  # type: ignore[index]
        for system, layer, p, r, f, lo, hi in summary_rows(result, group):
            spread = (f"{lo:.3f}", f"{hi:.3f}") if repeats > 1 else ()
            table.add_row(f"{group} ({n})", system, layer, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", *spread)
        table.add_section()
    out_console.print(table)


def bench_annotate(
    corpus: Path = typer.Option(DEFAULT_CORPUS, "--corpus", help="Corpus directory (uses its plain/ posts)."),
    n: int = typer.Option(300, "-n", min=1, help="Number of posts."),
    model: str | None = typer.Option(None, "--model", help="Model file or directory."),
) -> None:
    """CPU time of annotating N posts against jieba segmenting them (alternating post by post, and as whole
    processes; target <= 1.5x), and the cold start (< 0.5 s)."""
    from jingdu.annotate.bench import bench

    try:
        r = bench(corpus, n, model)
    except (JingduError, OSError) as exc:
        raise fail(str(exc)) from None
    out_console.print(f"{r['posts']:.0f} posts, {r['chars']:.0f} chars, CPU time, alternating post by post: "
                      f"jieba {r['jieba_ms_per_post']:.1f} ms/post ({r['jieba_s']:.2f} s), annotate "
                      f"{r['annotate_ms_per_post']:.1f} ms/post ({r['annotate_s']:.2f} s), ratio {r['ratio']:.2f}x")
    out_console.print(f"whole processes (imports, model load, reading the posts included): jieba "
                      f"{r['process_jieba_s']:.2f} s, annotate {r['process_annotate_s']:.2f} s, "
                      f"ratio {r['process_ratio']:.2f}x (target <= 1.5x)")
    out_console.print(f"model load + first annotation (fresh process): {r['cold_start_s']:.2f} s (target < 0.5 s; "
                      f"{r['cold_with_imports_s']:.2f} s with the imports)")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.command("annotate")(annotate_cmd)
    app.command("train")(train_cmd)
    app.command("eval")(eval_cmd)
    bench_app.command("annotate")(bench_annotate)
    bench_app.command("personal")(bench_personal)
