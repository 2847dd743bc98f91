"""``jingdu bank …``, ``jingdu review``, ``jingdu publish`` and ``jingdu bench search``."""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.markup import escape

from jingdu.cli.common import err_console, fail, out_console, print_failures, progress, terminal_safe
from jingdu.errors import JingduError

T = TypeVar("T")
DB_HELP = "The bank file (default: $JINGDU_HOME/bank.db or ~/.local/share/jingdu/bank.db)."
INPUT_EXTS = (".md", ".markdown", ".txt", ".html", ".htm", ".json")
BENCH_QUERIES = ("新质生产力", "乡村振兴", "高质量发展", "习近平", "改革", "粤港澳大湾区", "人工智能",
                 "基层治理", "民生", "科技创新", "生态环境", "就业", "共同富裕", "中国式现代化", "默想")

ALL_HELP = "Every quote and fact, not only your highlights and the key facts."

bank_app = typer.Typer(help="The material bank: add notes, search, retag, export, collect.", no_args_is_help=True)


@contextmanager
def _bank(db: Path | None) -> Iterator[Any]:
    from jingdu.bank import Bank

    try:
        bank = Bank(db)
    except JingduError as exc:
        raise fail(str(exc)) from None
    try:
        yield bank
    except JingduError as exc:
        raise fail(str(exc)) from None
    except sqlite3.DatabaseError as exc:  # damage met in a part of a large bank not checked when opened
        from jingdu.bank.schema import diagnose

        raise fail(str(diagnose(bank.path, exc))) from None
    finally:
        bank.close()


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given; a directory stands for the notes and pages under it."""
    out: list[str] = []
    for name in inputs:
        p = Path(name)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.suffix.lower() in INPUT_EXTS and f.is_file())
        else:
            out.append(name)
    return out


@bank_app.command("add")
def add_cmd(inputs: list[str] = typer.Argument(..., help="Notes, pages or folders to add (or update)."),
            annotate: bool = typer.Option(False, "--annotate", help="Let the model mark the notes first."),
            replace: bool = typer.Option(False, "--replace", help="Drop the model's stored marks of notes added "
                                         "again (kept by default unless --annotate brings new ones)."),
            db: Path | None = typer.Option(None, "--db", help=DB_HELP),
            jobs: int = typer.Option(0, "--jobs", help="Worker processes (0: automatic)."),
            as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Add notes to the bank; a bad input is named and the rest go in (exit code 1 if any failed).

    A note added again keeps the user's marks (moved with their words when the text changed; a
    mark whose words are gone is reported and kept in `jingdu bank orphans`).  Two files with
    the same name in different folders are two notes."""
    names = expand_inputs(inputs)
    with _bank(db) as bank, progress(len(names)) as bar:
        task = bar.add_task("adding", total=len(names))
        start = time.perf_counter()
        report = bank.add_paths(names, annotate=annotate, replace=replace, jobs=jobs or None,
                                progress=lambda done, total, name: bar.update(task, completed=done))
        took = time.perf_counter() - start
    print_failures(report.failed)
    for note, layer, words in report.orphaned:
        err_console.print(f"[yellow]orphaned:[/yellow] note {note}: {layer} mark on 「{escape(words)}」: "
                          "its words are no longer in the text", soft_wrap=True)
    if as_json:
        out_console.print_json(json.dumps({**report.to_dict(), "seconds": round(took, 2)}, ensure_ascii=False))
    err_console.print(f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
                      f"{len(report.failed)} failed in {took:.1f} s")
    if report.failed:
        raise typer.Exit(1)


@bank_app.command("orphans")
def orphans_cmd(note: str | None = typer.Argument(None, help="Only this note (its id in the bank)."),
                db: Path | None = typer.Option(None, "--db", help=DB_HELP),
                as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Marks whose words left a note's text when it was added again, with those words."""
    with _bank(db) as bank:
        rows = bank.orphans(note)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        out_console.print(f"note {r['note']}: {r['origin']} {r['layer']} 「{escape(r['text'])}」 ({r['found_at']})")
    err_console.print(f"{len(rows)} orphaned marks")


@bank_app.command("search")
def search_cmd(query: str = typer.Argument(..., help="Words to find (all of them; quote a phrase with spaces)."),
               kind: str | None = typer.Option(None, "--kind", help="quote, fact, term or note."),
               tag: str | None = typer.Option(None, "--tag", help="Only items of this theme."),
               source: str | None = typer.Option(None, "--source", help="Only notes from this account."),
               limit: int = typer.Option(20, "--limit", help="At most this many hits."),
               as_json: bool = typer.Option(False, "--json", help="Print the hits as a JSON list."),
               db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Full-text search (BM25-ranked): the matching terms on one line with their count of notes,
    then the sentences, then the notes; each text once, every hit holding every word."""
    with _bank(db) as bank:
        if as_json:
            hits = bank.search(query, kind=kind, theme=tag, source=source, limit=limit)
            print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=1))
            return
        page = bank.search_page(query, kind=kind, theme=tag, source=source, limit=limit)
    filters = [f"{name}={value}" for name, value in (("kind", kind), ("tag", tag), ("source", source)) if value]
    if filters:
        err_console.print(f"filters: {' '.join(filters)}")
    if page.terms:
        out_console.print("[red]terms[/red]  " + " · ".join(
            f"{escape(t.text)} [dim]({t.notes} notes)[/dim]" for t in page.terms))
    for h in page.hits:
        snip = escape(h.snippet).replace("<mark>", "[bold yellow]").replace("</mark>", "[/]")
        also = f" +{h.notes - 1} notes" if h.notes > 1 else ""
        out_console.print(f"[dim]{h.id:>6}[/dim] [cyan]{h.kind:5}[/cyan] {snip}  "
                          f"[dim]— {escape(h.note['title'])} · {escape(h.note['source'])}{also} {h.score:.2f}[/dim]")
    err_console.print(f"{len(page.hits)} hits, {len(page.terms)} terms")


@bank_app.command("tag")
def tag_cmd(item_id: int = typer.Argument(..., help="The item's id (from search)."),
            themes: list[str] = typer.Argument(..., help="Its new themes (replacing the old ones)."),
            db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Retag an item with your own themes (kept when its note is added again)."""
    with _bank(db) as bank:
        item = bank.tag(item_id, themes)
    out_console.print(f"{item_id}: {' '.join(item['themes'])}")


@bank_app.command("export")
def export_cmd(anki: Path | None = typer.Option(None, "--anki", help="Write an Anki deck (.apkg)."),
               csv_path: Path | None = typer.Option(None, "--csv", help="Write the items as CSV."),
               theme: str | None = typer.Option(None, "--theme", help="Only items of this theme."),
               every: bool = typer.Option(False, "--all", help=ALL_HELP),
               db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Export cards to Anki (re-exports update the same notes) and items to CSV.

    The Anki deck holds your highlights and the key facts; --all puts in every quote and fact."""
    from jingdu.bank.export import export_anki, export_csv

    if anki is None and csv_path is None:
        raise fail("say what to export: --anki FILE and/or --csv FILE", 2)
    start = time.perf_counter()
    with _bank(db) as bank:
        if anki is not None:
            with err_console.status(f"writing the Anki deck {anki} …"):
                cards = export_anki(bank, anki, theme=theme, every=every)
            err_console.print(f"{cards} cards → {anki}")
        if csv_path is not None:
            with err_console.status(f"writing {csv_path} …"):
                items = export_csv(bank, csv_path, theme=theme)
            err_console.print(f"{items} items → {csv_path}")
    err_console.print(f"exported in {time.perf_counter() - start:.1f} s")


@bank_app.command("collect")
def collect_cmd(theme: str = typer.Option(..., "--theme", help="The theme, e.g. 乡村振兴."),
                output: Path = typer.Option(..., "-o", "--output", help="The Markdown file to write."),
                title: str | None = typer.Option(None, "--title", help="Heading (default 官媒<theme>金句集锦)."),
                db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Compile a theme collection of quotes, each with its source and link."""
    from jingdu.bank.export import collect
    from jingdu.fsutil import write_atomic

    with _bank(db) as bank:
        text = collect(bank, theme, title=title)
    write_atomic(output, text)
    err_console.print(f"{sum(1 for _ in _numbered(text))} quotes → {output}")


def _numbered(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if line[:1].isdigit() and ". " in line[:6])


@bank_app.command("check")
def check_cmd(db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Check the whole bank file (SQLite's integrity_check); exit 1 and say what is wrong if it is damaged."""
    with _bank(db) as bank:
        problems = bank.check()
    if problems:
        for line in problems:
            err_console.print(escape(line), markup=False)
        raise fail(f"the bank {bank.path} is damaged; restore a copy, or save what is left with: "
                   f"sqlite3 {bank.path} .recover | sqlite3 recovered.db")
    out_console.print(f"{escape(str(bank.path))}: ok")


@bank_app.command("stats")
def stats_cmd(db: Path | None = typer.Option(None, "--db", help=DB_HELP),
              as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Counts: notes, items per kind and theme, marks, cards, reviews."""
    with _bank(db) as bank:
        stats = bank.stats()
    if as_json:
        print(json.dumps(stats, ensure_ascii=False, indent=1))
        return
    for key, value in stats.items():
        out_console.print(f"{key}: {escape(str(value))}")


def review_cmd(db: Path | None = typer.Option(None, "--db", help=DB_HELP),
               limit: int = typer.Option(20, "--limit", help="At most this many cards."),
               every: bool = typer.Option(False, "--all", help=ALL_HELP)) -> None:
    """Review due cards in the terminal: a key reveals, one key 1-4 rates (Again/Hard/Good/Easy), q quits.

    New cards come from your highlights and the key facts; --all takes every quote and fact."""
    from rich.console import Console

    from jingdu.cli.keys import key_reader
    from jingdu.review import run_review

    console = terminal_safe(Console(highlight=False, file=sys.stdout))

    def show_now(text: str) -> None:
        console.print(text, end="")
        console.file.flush()

    ask = key_reader(sys.stdin, show_now, lambda p: console.input(p))
    with _bank(db) as bank:
        counts = run_review(bank, limit=limit, ask=ask, show=lambda s: console.print(escape(s), soft_wrap=True),
                            every=every)
    console.print(" · ".join(f"{k} {v}" for k, v in counts.items()))


def bench_cards_cmd(db: Path | None = typer.Option(None, "--db", help="A filled bank."),
                    corpus: list[Path] = typer.Option([], "--corpus", help="Build a bank from these notes "
                                                                         "or folders first (repeatable).")) -> None:
    """Cards and fragment questions of the default deck and of --all, next to the naive question."""
    from jingdu.bank import Bank
    from jingdu.bank.deck import SHORT, deck_stats, naive_stats

    if db is None and not corpus:
        raise fail("give --db PATH or --corpus DIR", 2)
    tmp = tempfile.TemporaryDirectory() if db is None else None
    path = db or Path(tmp.name) / "bench.db"  # type: ignore[union-attr]
    try:
        with Bank(path) as bank:
            if corpus:
                bank.add_paths(expand_inputs([str(c) for c in corpus]))
            rows = [("naive questions (baseline)", naive_stats(bank)), ("jingdu --all", deck_stats(bank, True)),
                    ("jingdu default deck", deck_stats(bank, False))]
            notes = bank.stats()["notes"]
    except JingduError as exc:
        raise fail(str(exc)) from None
    finally:
        if tmp is not None:
            tmp.cleanup()
    out_console.print(f"{notes} notes; a question of ≤ {SHORT} characters before ？ is a fragment")
    out_console.print(f"{'deck':28} {'cards':>6} {'cloze':>6} {'qa':>6} {'questions':>9} {'≤6 chars':>8} "
                      f"{'lead punct':>10}")
    for name, r in rows:
        out_console.print(f"{name:28} {r.cards:6} {r.cloze:6} {r.qa:6} {r.questions:9} {r.short:8} "
                          f"{r.leading_punct:10}")


def publish_cmd(notes: list[str] = typer.Argument(..., help="Note files, or note ids in the bank."),
                hugo: Path = typer.Option(..., "--hugo", help="The Hugo (or Obsidian) site folder."),
                suggestions: bool = typer.Option(True, "--suggestions/--no-suggestions",
                                                 help="Keep the model's marks the user has not rejected "
                                                      "(as the workbench shows and exports them)."),
                db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Write Hugo/Obsidian posts: YAML front matter and the note in the notation.

    Prints each post it wrote; a note it cannot read (a missing file, an unknown id) is named with
    its reason, the others are still published, and the exit code is 1."""
    from jingdu.publish import publish_docs

    docs: list[Any] = []
    failed: list[tuple[str, str]] = []
    in_bank = [n for n in notes if not _looks_like_file(n)]
    bank = _open_bank(db) if in_bank else None
    try:
        for name in notes:
            try:
                if _looks_like_file(name) and not Path(name).is_file():
                    raise FileNotFoundError(f"no such file: {name}")
                docs.append(_doc_for(bank, name, suggestions))
            except (JingduError, OSError, UnicodeDecodeError, ValueError) as exc:
                failed.append((name, str(exc)))
        written = publish_docs(docs, hugo) if docs else []
    except (JingduError, OSError) as exc:
        raise fail(str(exc)) from None
    finally:
        if bank is not None:
            bank.close()
    for path in written:
        out_console.print(f"wrote {escape(str(path))}", soft_wrap=True)
    print_failures(failed)
    err_console.print(f"{len(written)} written, {len(failed)} failed")
    raise typer.Exit(1 if failed else 0)


def _looks_like_file(name: str) -> bool:
    """A path (a folder or a suffix in it) rather than a note's id or label in the bank."""
    return Path(name).is_file() or "/" in name or "\\" in name or Path(name).suffix.lower() in INPUT_EXTS


def _open_bank(db: Path | None) -> Any:
    from jingdu.bank import Bank

    try:
        return Bank(db)
    except JingduError as exc:
        raise fail(str(exc)) from None


def _doc_for(bank: Any, name: str, suggestions: bool) -> tuple[Any, list[str]]:
    if Path(name).is_file():
        from jingdu.bank.items import note_themes
        from jingdu.pipeline import read

        doc = read(name)
        if not doc.meta.published:  # a post is dated: published, else when the file was made
            stamp = datetime.fromtimestamp(Path(name).stat().st_mtime, UTC).isoformat(timespec="seconds")
            doc = doc.with_meta(published=stamp)
        return doc, note_themes(doc)
    note = bank.resolve(name)
    return bank.export_doc(note, suggestions), bank.get_note(note)["themes"]


def _median_ms(fn: Callable[[str], object], queries: tuple[str, ...], runs: int) -> float:
    times = []
    for q in queries:
        for _ in range(runs):
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_search_cmd(db: Path | None = typer.Option(None, "--db", help="A filled bank to search."),
                     corpus: Path | None = typer.Option(None, "--corpus", help="Build a bank from this corpus."),
                     runs: int = typer.Option(5, "--runs", help="Runs per query.")) -> None:
    """Median search time over the bank (FTS5 bigrams + BM25) next to a LIKE scan, same run."""
    from jingdu.bank import Bank

    if db is None and corpus is None:
        raise fail("give --db PATH or --corpus DIR", 2)
    tmp = tempfile.TemporaryDirectory() if db is None else None
    path = db or Path(tmp.name) / "bench.db"  # type: ignore[union-attr]
    try:
        with Bank(path) as bank:
            if corpus is not None:
                files = sorted(str(p) for p in corpus.glob("*/*.md"))
                t = time.perf_counter()
                report = bank.add_paths(files)
                err_console.print(f"added {report.added + report.updated + report.unchanged} notes "
                                  f"in {time.perf_counter() - t:.1f} s")
            stats = bank.stats()
            fts = _median_ms(lambda q: bank.search(q, limit=20), BENCH_QUERIES, runs)
            like = _median_ms(lambda q: bank.like_search(q, limit=20), BENCH_QUERIES, max(1, runs // 2))
    except JingduError as exc:
        raise fail(str(exc)) from None
    finally:
        if tmp is not None:
            tmp.cleanup()
    out_console.print(f"{stats['notes']} notes, {stats['items']} items, {len(BENCH_QUERIES)} queries")
    out_console.print(f"search (FTS5 bigram, BM25): median {fts:.2f} ms")
    out_console.print(f"LIKE scan baseline:         median {like:.2f} ms")
    out_console.print(f"ratio: {like / fts if fts else float('inf'):.1f}x faster; target ≤ 50 ms: "
                      f"{'met' if fts <= 50 else 'NOT met'}")


def bench_bank_cmd(posts: int = typer.Option(684, "--posts", min=1, help="How many posts the bank holds."),
                   corpus: Path = typer.Option(Path("../shared/corpus"), "--corpus",
                                               help="The corpus whose posts are copied."),
                   runs: int = typer.Option(20, "--runs", min=1, help="Runs per query."),
                   keep: Path | None = typer.Option(None, "--keep", help="Build the bank here and keep it.")) -> None:
    """A bank of N posts copied from a corpus: add rate, bytes a post, search (median, p95) next to a LIKE scan."""
    from jingdu.bank import bench

    tmp = tempfile.TemporaryDirectory() if keep is None else None
    db = keep or Path(tmp.name) / "bench.db"  # type: ignore[union-attr]
    try:
        with progress(posts) as bar:
            ready = bar.add_task("preparing the corpus", total=None)
            task = bar.add_task("building", total=posts)
            r = bench.run(db, corpus, posts, lambda done, _: bar.update(task, completed=done), runs,
                          lambda done, total: bar.update(ready, completed=done, total=total))
    except (JingduError, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    finally:
        if tmp is not None:
            tmp.cleanup()
    out_console.print(f"{r.posts} posts: added at {r.posts / r.add_seconds:.0f} posts/s, "
                      f"{r.bytes_per_post / 1024:.1f} KB a post on disk")
    out_console.print(f"home page listing: median {r.home_ms[0]:.2f} ms, p95 {r.home_ms[1]:.2f} ms (CPU)")
    out_console.print("query                      search median / p95     LIKE scan median / p95   ratio")
    for what, q in bench.QUERIES:
        (m, p), (lm, lp) = r.search_ms[q], r.like_ms[q]
        out_console.print(f"{what:18} {q:10} {m:8.2f} / {p:8.2f} ms   {lm:9.2f} / {lp:9.2f} ms   "
                          f"{lm / m if m else float('inf'):6.1f}x")
    (m, p), (lm, lp) = r.overall_ms, r.like_overall_ms
    out_console.print(f"{'all queries':29} {m:8.2f} / {p:8.2f} ms   {lm:9.2f} / {lp:9.2f} ms   "
                      f"{lm / m if m else float('inf'):6.1f}x")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    app.add_typer(bank_app, name="bank")
    app.command("review")(review_cmd)
    app.command("publish")(publish_cmd)
    bench_app.command("search")(bench_search_cmd)
    bench_app.command("bank")(bench_bank_cmd)
    bench_app.command("cards")(bench_cards_cmd)
