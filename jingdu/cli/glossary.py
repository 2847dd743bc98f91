"""``jingdu glossary add/list/edit/delete``, ``jingdu suggest`` and ``jingdu eval glossary``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from jingdu.cli.bank import DB_HELP, _bank, expand_inputs
from jingdu.cli.common import err_console, fail, out_console, print_failures
from jingdu.errors import JingduError

glossary_app = typer.Typer(help="The 规范词 glossary: add posts or your own lists, list, edit, delete.",
                           no_args_is_help=True)


@glossary_app.command("add")
def add_cmd(inputs: list[str] = typer.Argument(..., help="Glossary posts (`- #### 术语` sections), your own "
                                               ".csv (term,definition,scenarios,group,theme) or Markdown lists."),
            theme: str | None = typer.Option(None, "--theme", help="Theme of these entries (default: the post's "
                                             "title without 规范词, or the CSV's theme column)."),
            db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Read glossary terms (term sections only; exercises and their answers are never read) into the bank.

    A bad file is named and the others go in (exit code 1 if any failed)."""
    from jingdu.bank.themes import theme_list
    from jingdu.glossary import read_file
    from jingdu.glossary.encoder import default_encoder

    failed: list[tuple[str, str]] = []
    with _bank(db) as bank:
        known = set(theme_list()) | {t for t, _ in bank.glossary_themes()}
        for name in expand_inputs(inputs):
            try:
                entries = read_file(name, theme)
                added, updated = bank.glossary_add(entries, origin="post" if name.endswith(".md") else "user")
            except JingduError as exc:
                failed.append((name, str(exc).removeprefix(f"{Path(name)}: ")))
                continue
            out_console.print(f"{escape(name)}: {added} added, {updated} updated "
                              f"({escape(entries[0].theme or 'no theme')})", soft_wrap=True)
        new = sorted({t for t, _ in bank.glossary_themes()} - known)
        if new:
            out_console.print(f"new themes: {escape(', '.join(new))}; {bank.retheme()} items rethemed")
        if default_encoder() is not None and bank.suggester().encoder is not None:
            # the entries are encoded now, not at the first suggestion
            err_console.print("the sentence encoder has read the glossary's entries")
    print_failures(failed)
    if failed:
        raise typer.Exit(1)


@glossary_app.command("list")
def list_cmd(theme: str | None = typer.Option(None, "--theme", help="Only this theme."),
             as_json: bool = typer.Option(False, "--json", help="One JSON object per entry."),
             db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """The glossary's entries (id, term, theme, group, definition); without --theme, also its themes."""
    with _bank(db) as bank:
        entries = bank.glossary(theme)
        known = bank.glossary_themes()
    if theme and not entries:
        raise fail(f"no glossary theme {theme!r}; themes: {', '.join(t for t, _ in known) or '(none)'}")
    if as_json:
        for e in entries:
            sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        return
    table = Table(show_lines=False)
    for col in ("id", "term", "theme", "group", "definition"):
        table.add_column(col, overflow="fold")
    for e in entries:
        table.add_row(str(e.id), escape(e.term), escape(e.theme), escape(e.group), escape(e.definition[:60]))
    out_console.print(table)
    if not theme:
        out_console.print("themes: " + ", ".join(f"{escape(t)} ({n})" for t, n in known))


@glossary_app.command("edit")
def edit_cmd(entry: int = typer.Argument(..., help="The entry's id (see `jingdu glossary list`)."),
             term: str | None = typer.Option(None, "--term", help="New term."),
             definition: str | None = typer.Option(None, "--definition", help="New definition (基本释义)."),
             scenario: list[str] = typer.Option([], "--scenario", help="New scenarios (应用场景), repeatable; "
                                                "replaces the old ones."),
             group: str | None = typer.Option(None, "--group", help="New group."),
             theme: str | None = typer.Option(None, "--theme", help="New theme."),
             db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Change a glossary entry."""
    changes = {k: v for k, v in {"term": term, "definition": definition, "group": group, "theme": theme}.items()
               if v is not None}
    if scenario:
        changes["scenarios"] = list(scenario)  # type: ignore[assignment]
    if not changes:
        raise fail("nothing to change: give --term, --definition, --scenario, --group or --theme")
    with _bank(db) as bank:
        e = bank.glossary_edit(entry, changes)
    out_console.print(f"{e.id}: {escape(e.term)} ({escape(e.theme)})")


@glossary_app.command("delete")
def delete_cmd(entries: list[int] = typer.Argument(..., help="Ids of the entries to delete."),
               db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Delete glossary entries (an unknown id is named; the others are deleted)."""
    failed: list[tuple[str, str]] = []
    with _bank(db) as bank:
        for entry in entries:
            try:
                bank.glossary_delete(entry)
            except JingduError as exc:
                failed.append((str(entry), str(exc)))
    print_failures(failed)
    if failed:
        raise typer.Exit(1)


def suggest_cmd(text: str | None = typer.Argument(None, help="The material (or use --file / --jsonl)."),
                file: Path | None = typer.Option(None, "--file", help="Read the material from this file."),
                jsonl: Path | None = typer.Option(None, "--jsonl", help='One {"text": …} a line; answers one '
                                                  'JSON line each ({"suggestions": [{"term", "score", "why"}]}).'),
                context: str | None = typer.Option(None, "--context",
                                                   help="The material around TEXT (e.g. the paragraph); "
                                                   'with --jsonl, a line\'s "context".'),
                k: int = typer.Option(5, "-k", min=1, max=50, help="How many suggestions."),
                theme: str | None = typer.Option(None, "--theme", help="Only terms of this glossary theme."),
                as_json: bool = typer.Option(False, "--json", help="Answer as JSON."),
                db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Standard expressions (规范词) for a piece of material, from the bank's glossary, with why each fits."""
    texts, bad, contexts = _texts(text, file, jsonl)
    with _bank(db) as bank:
        if not bank.glossary(theme):
            themes = [name for name, _ in bank.glossary_themes()]
            if theme and themes:
                raise fail(f"no glossary theme {theme!r}; themes: {', '.join(themes)}")
            raise fail("the glossary is empty: add glossary posts with `jingdu glossary add`")
        given = [i for i, t in enumerate(texts) if t is not None]
        answers = bank.suggest([texts[i] for i in given], k, theme,
                               [contexts.get(i, context) for i in given])
    it = iter(answers)
    for i, t in enumerate(texts):
        if t is None:
            sys.stdout.write(json.dumps({"error": bad[i]}, ensure_ascii=False) + "\n")
            continue
        sugs = next(it)
        if jsonl or as_json:
            sys.stdout.write(json.dumps({"suggestions": [s.to_dict() for s in sugs]}, ensure_ascii=False) + "\n")
        else:
            for n, s in enumerate(sugs, 1):
                theme = f" [dim]({escape(s.theme)})[/dim]" if s.theme else ""
                out_console.print(f"{n}. [bold]{escape(s.term)}[/bold]{theme} {s.score:.2f}  {escape(s.why[:80])}")
    if bad:
        raise typer.Exit(1)


def _texts(text: str | None, file: Path | None,
           jsonl: Path | None) -> tuple[list[str | None], dict[int, str], dict[int, str]]:
    given = [x for x in (text, file, jsonl) if x is not None]
    if len(given) != 1:
        raise fail("give the material as TEXT, --file or --jsonl (exactly one)")
    try:
        if text is not None:
            return [text], {}, {}
        if file is not None:
            return [file.read_text(encoding="utf-8")], {}, {}
        assert jsonl is not None
        lines = jsonl.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the input ({exc.__class__.__name__})") from None
    out: list[str | None] = []
    bad: dict[int, str] = {}
    contexts: dict[int, str] = {}
    for n, line in enumerate(ln for ln in lines if ln.strip()):
        try:
            row = json.loads(line)
            value, around = row["text"], row.get("context")
            if not isinstance(value, str) or not isinstance(around, str | None):
                raise TypeError
            out.append(value)
            if around:
                contexts[n] = around
        except (ValueError, KeyError, TypeError, AttributeError):
            bad[n] = f"line {n + 1}: expected {{\"text\": \"…\"}}"
            out.append(None)
    return out, bad, contexts


def eval_glossary(posts: list[str], as_json: bool = False) -> None:
    """Leave-one-post-out top-1/top-5 of `suggest` on the glossary posts' exercises, next to the
    character TF-IDF baseline of the same run."""
    from jingdu.glossary.evaluate import evaluate

    if not posts:
        raise fail("give the glossary posts: jingdu eval glossary POSTS...")
    try:
        report = evaluate(expand_inputs(posts))
    except JingduError as exc:
        raise fail(str(exc)) from None
    if as_json:
        out_console.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"规范词 suggestions: {report.entries} terms, leave-one-post-out "
                        "(exact / contains-either-way, top-1 / top-5)")
    for col in ("post", "n", "system", "exact@1", "exact@5", "contains@1", "contains@5"):
        table.add_column(col)
    for key in [*report.posts, "all"]:
        rows = [("jingdu", report.jingdu[key]), ("jingdu, no context", report.no_context[key]),
                ("char TF-IDF", report.baseline[key])]
        if key in report.encoder:
            rows.insert(1, ("jingdu + sentence encoder", report.encoder[key]))
        if key in report.given_theme:
            rows.insert(-1, ("jingdu, theme given (--theme)", report.given_theme[key]))
        for system, tally in rows:
            r = tally.row()
            table.add_row(key, str(r["n"]), system, *(f"{r[c]:.3f}" for c in
                                                      ("exact@1", "exact@5", "contains@1", "contains@5")))
        table.add_section()
    out_console.print(table)
    err_console.print("targets: exact@1 ≥ 0.55, exact@5 ≥ 0.80, contains@1 ≥ 0.70, contains@5 ≥ 0.92")




def themes_cmd(db: Path | None = typer.Option(None, "--db", help=DB_HELP),
               as_json: bool = typer.Option(False, "--json", help="As JSON {theme: items}.")) -> None:
    """Every theme (from the vocabularies, the glossary and the items) with its number of items."""
    with _bank(db) as bank:
        rows = bank.theme_list()
    if as_json:
        sys.stdout.write(json.dumps(dict(rows), ensure_ascii=False) + "\n")
        return
    for theme, n in rows:
        sys.stdout.write(f"{theme}\t{n}\n")


def retheme_cmd(db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Give every item its themes again from the vocabularies and the bank's own glossaries (the
    themes you set with `bank tag` are kept)."""
    with _bank(db) as bank:
        n = bank.retheme()
    out_console.print(f"{n} items rethemed")


def bench_themes_cmd(notes: list[str] = typer.Argument(..., help="NOTE=THEME pairs: a note and its own theme "
                                                       "(e.g. a018.md=基层治理)."),
                     as_json: bool = typer.Option(False, "--json", help="As JSON lines.")) -> None:
    """Share of a note's sentences whose first theme is the note's own: vocabulary themes per item next to
    the earlier keyword lexicon (with and without the note's themes inherited), in the same run."""
    from jingdu.bank.themes_bench import bench_note

    failed: list[tuple[str, str]] = []
    table = Table(title="first theme of each sentence = the note's own theme")
    for col in ("note", "theme", "sentences", "vocabulary (per item)", "no theme", "keywords (inherited)",
                "keywords (sentence alone)"):
        table.add_column(col)
    for pair in notes:
        name, _, theme = pair.partition("=")
        if not theme:
            failed.append((pair, "expected NOTE=THEME"))
            continue
        try:
            r = bench_note(name, theme).to_dict()
        except JingduError as exc:
            failed.append((name, str(exc)))
            continue
        if as_json:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        table.add_row(escape(Path(name).stem), escape(str(r["theme"])), str(r["sentences"]),
                      f"{r['vocabulary_first']:.3f}", f"{r['vocabulary_none']:.3f}", f"{r['keywords_first']:.3f}",
                      f"{r['keywords_own_first']:.3f}")
    if not as_json:
        out_console.print(table)
    print_failures(failed)
    if failed:
        raise typer.Exit(1)


def bench_suggest_cmd(posts: list[str] = typer.Argument(..., help="Glossary posts with exercises (p428.md …)."),
                      queries: int = typer.Option(40, "--queries", min=1, help="How many exercises to time."),
                      rounds: int = typer.Option(3, "--rounds", min=1, help="Rounds, the systems alternated."),
                      as_json: bool = typer.Option(False, "--json", help="As JSON {system: ms}.")) -> None:
    """CPU milliseconds per `suggest` query: jingdu with and without context, the logistic alone and, when
    installed, with the sentence encoder, next to the character TF-IDF baseline, alternated in the same run."""
    from jingdu.glossary.evaluate import SPEED_SYSTEMS, bench_speed

    try:
        ms = bench_speed(expand_inputs(posts), queries, rounds)
    except JingduError as exc:
        raise fail(str(exc)) from None
    if as_json:
        sys.stdout.write(json.dumps(ms, ensure_ascii=False) + "\n")
        return
    base = ms[SPEED_SYSTEMS[3]]
    table = Table(title=f"suggest: CPU ms per query (median of {rounds} alternated rounds)")
    for col in ("system", "ms", "× char TF-IDF"):
        table.add_column(col)
    for name, value in ms.items():
        table.add_row(escape(name), f"{value:.1f}", f"{value / max(base, 1e-9):.1f}")
    out_console.print(table)


def pack_cmd(topic: str = typer.Argument(..., help="The essay's topic or theme, e.g. 乡村振兴."),
             out: Path | None = typer.Option(None, "-o", "--out", help="pack.md (Markdown) or pack.docx (Word); "
                                             "default: Markdown on stdout."),
             per_group: int = typer.Option(8, "--per-group", min=1, help="At most this many 金句/数据/提法 per group."),
             db: Path | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """A topic pack: the theme's 规范词 with definitions, then the bank's best 金句, figures and 提法, grouped
    under the glossary's groups, each with its source and link."""
    from jingdu.bank.pack import write_pack

    with _bank(db) as bank:
        pack, data = write_pack(bank, topic, out, per_group)
    if out is None:
        sys.stdout.write(str(data))
        return
    counts = "，".join(f"{k} {v}" for k, v in pack.counts().items())
    err_console.print(f"{escape(pack.theme)}: {counts} → {escape(str(out))}")


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    from jingdu.cli.bank import bank_app

    app.add_typer(glossary_app, name="glossary")
    app.command("suggest")(suggest_cmd)
    app.command("pack")(pack_cmd)
    bank_app.command("themes")(themes_cmd)
    bank_app.command("retheme")(retheme_cmd)
    bench_app.command("themes")(bench_themes_cmd)
    bench_app.command("suggest")(bench_suggest_cmd)
