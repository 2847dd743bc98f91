"""The :class:`Bank`: one SQLite file holding notes, their items, themes, user marks and cards.

>>> bank = Bank("/tmp/bank.db")                       # doctest: +SKIP
>>> bank.add_paths(["a.md", "b.md"]).failed          # doctest: +SKIP
>>> [h.text for h in bank.search("新质生产力", kind="quote")]   # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jingdu.bank.cards as cardlib
import jingdu.bank.glossary as gloss
import jingdu.bank.search as srch
from jingdu import pipeline
from jingdu.bank.items import DRAW_VERSION, Prepared, draw_items, note_themes, shown, spans_of, unpack
from jingdu.bank.schema import connect, default_path, diagnose, read_only, write_tx
from jingdu.bank.write import Rejected, load_stored, rewrite_marks, set_themes, stored_extraction, write_note
from jingdu.errors import InvalidRequest, JingduError, NotFound
from jingdu.extract import Extraction
from jingdu.glossary import Entry, Suggester, Suggestion
from jingdu.model import Doc, Span
from jingdu.pipeline import PipelineOptions, ProgressFn
from jingdu.review import ReviewCard


class TooSlow(JingduError):
    """A call to the bank ran past its time limit (:meth:`Bank.deadline`)."""

    code = "timeout"
    status = 503


@dataclass
class AddReport:
    """What ``add_paths`` did: per status counts, the inputs that failed (with reasons) and the
    marks that lost their words when a note's text changed (``(note id, layer, words)``)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    orphaned: list[tuple[int, str, str]] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "failed": [{"input": n, "reason": r} for n, r in self.failed],
                "orphaned": [{"note": n, "layer": layer, "text": t} for n, layer, t in self.orphaned]}


@dataclass(frozen=True)
class StoredNote:
    """A note as the bank holds it: ``doc`` has every span (the note's, the model's, the user's);
    ``rejected`` are the (layer, start, end) of the model's suggestions the user turned down."""

    id: int
    key: str
    doc: Doc
    rejected: Rejected
    record: dict[str, Any]

    @property
    def shown(self) -> Doc:
        """The note as the user sees it: rejected suggestions left out."""
        return shown(self.doc, self.rejected)

    @property
    def user(self) -> tuple[Span, ...]:
        return tuple(spans_of(self.doc, "user"))


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """A ``manifest.jsonl`` (one post a line, ``file`` relative to it) keyed by resolved file path."""
    out: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if entry.get("file"):
                out[str((path.parent / entry["file"]).resolve())] = entry
    return out


def _manifest_for(path: Path, cache: dict[Path, dict[str, dict[str, Any]]]) -> dict[str, Any] | None:
    for folder in (path.parent, path.parent.parent):
        man = folder / "manifest.jsonl"
        if folder not in cache:
            cache[folder] = load_manifest(man) if man.is_file() else {}
        entry = cache[folder].get(str(path.resolve()))
        if entry:
            return entry
    return None


def _with_manifest(doc: Doc, entry: dict[str, Any] | None) -> Doc:
    if not entry:
        return doc
    m = doc.meta
    return doc.with_meta(
        title=m.title or str(entry.get("title") or ""), published=m.published or str(entry.get("published") or ""),
        tags=tuple(dict.fromkeys([*m.tags, *entry.get("tags", [])])),
        categories=tuple(dict.fromkeys([*m.categories, *entry.get("categories", [])])))


def prepare(doc: Doc, options: PipelineOptions, source_path: str = "", source_hash: str = "",
            replace: bool = False) -> Prepared:
    """Everything the bank writes for ``doc``: annotated (when asked), extracted, items drawn."""
    processed = pipeline.process(doc, options)
    assert processed.extraction is not None
    themes = note_themes(processed.doc)
    return Prepared(processed.doc, processed.extraction, draw_items(processed.doc, processed.extraction, themes),
                    themes, source_path, source_hash, replace)


def prepare_path(name: str, options: PipelineOptions, replace: bool, entries: dict[str, Any]) -> Prepared:
    """Read and prepare one input (runs in worker processes); raises on a bad input."""
    entry = entries.get(name)
    doc = _with_manifest(pipeline.read(name, options), entry)
    path = Path(name)
    local = str(path.resolve()) if path.is_file() else ""
    return prepare(doc, options, local, source_hash(name, options, replace, entry), replace)


def source_hash(name: str, options: PipelineOptions, replace: bool, entry: dict[str, Any] | None) -> str:
    """What a file was added from: its bytes, the flags and what is drawn (unchanged: skipped)."""
    try:
        data = Path(name).read_bytes() if Path(name).is_file() else b""
    except OSError:
        return ""
    if not data:
        return ""
    h = hashlib.blake2b(data, digest_size=12)
    flags = f"{DRAW_VERSION}\x1f{options.annotate}\x1f{options.model}\x1f{replace}\x1f{str(Path(name).resolve())}"
    h.update(f"\x1f{flags}\x1f{json.dumps(entry, sort_keys=True)}".encode())
    return h.hexdigest()


class Bank:
    """The material bank at ``path`` (default: :func:`jingdu.bank.schema.default_path`).

    Notes are named by the bank's id (an int) everywhere; :meth:`resolve` also takes the
    article's label (its file stem or URL key), which the CLI accepts for convenience.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, check: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.con: sqlite3.Connection = connect(self.path, check=check)

    def check(self) -> list[str]:
        """SQLite's full ``integrity_check`` of the bank file: ``[]`` when it is sound, else what is wrong."""
        try:
            rows = [str(r[0]) for r in self.con.execute("PRAGMA integrity_check(20)").fetchall()]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self.con.close()

    @property
    def read_only(self) -> bool:
        """Whether the bank was opened read-only (this process cannot write its file or folder)."""
        return read_only(self.con)

    def __enter__(self) -> Bank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Interrupt any statement still running ``seconds`` from now (:class:`TooSlow`; a write
        transaction it was in rolls back).  Any other SQLite error met meanwhile (a damaged page of
        a bank too large to be checked on every open) is the :class:`BankError` that names it."""
        end = time.monotonic() + seconds
        self.con.set_progress_handler(lambda: int(time.monotonic() > end), 10_000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise TooSlow(f"the bank took longer than {seconds:g} s for this request") from None
            raise
        except sqlite3.DatabaseError as exc:
            raise diagnose(self.path, exc) from exc
        finally:
            self.con.set_progress_handler(None, 0)

    def add_prepared(self, prepared: Prepared) -> tuple[str, int]:
        """Store a note made by :func:`prepare` (which may run anywhere, without the bank)."""
        with write_tx(self.con):
            written = write_note(self.con, prepared)
        return written.status, written.note

    # -- adding ---------------------------------------------------------------------------
    def add_doc(self, doc: Doc, *, annotate: bool = False, replace: bool = False,
                source_path: str = "") -> tuple[str, int]:
        """Add or update one document; returns ``(added|updated|unchanged, note id)``."""
        return self.add_prepared(prepare(doc, PipelineOptions(annotate=annotate), source_path, replace=replace))

    def add_paths(self, paths: Iterable[str], annotate: bool = False, progress: ProgressFn | None = None,
                  jobs: int | None = None, batch: int = 64, replace: bool = False) -> AddReport:
        """Add files (or URLs); a bad one is reported in ``failed`` by name and the rest go in.

        Inputs are prepared in ``jobs`` worker processes (default: the CPU count, at most 4) and
        written ``batch`` notes per transaction.  ``replace`` drops the stored model marks of a
        note added again (by default they are kept unless the new input brings its own).
        """
        names = list(dict.fromkeys(str(p) for p in paths))
        options = PipelineOptions(annotate=annotate)
        cache: dict[Path, dict[str, dict[str, Any]]] = {}
        entries = {n: e for n in names if Path(n).exists() and (e := _manifest_for(Path(n), cache))}
        known = {r[0] for r in self.con.execute("SELECT source_hash FROM notes WHERE source_hash != ''")}
        report = AddReport()
        todo = []
        for name in names:
            if known and source_hash(name, options, replace, entries.get(name)) in known:
                report.count("unchanged")
            else:
                todo.append(name)
        skipped = len(names) - len(todo)
        if progress and skipped:
            progress(skipped, len(names), "")
        jobs = jobs or pipeline.default_jobs()
        work = partial(prepare_path, options=options, replace=replace, entries=entries)
        pending: list[Prepared] = []
        tick = (lambda done, _total, name: progress(skipped + done, len(names), name)) if progress else None
        for outcome in pipeline.run_batch(todo, work, jobs=jobs if len(todo) >= 8 else 1, progress=tick):
            if outcome.value is None:
                report.failed.append((outcome.name, outcome.error or "failed"))
                continue
            pending.append(outcome.value)
            if len(pending) >= batch:
                self._write(pending, report)
        self._write(pending, report)
        return report

    def _write(self, pending: list[Prepared], report: AddReport) -> None:
        if not pending:
            return
        with write_tx(self.con):
            written = [write_note(self.con, p) for p in pending]
        for w in written:
            report.count(w.status)
            report.notes.append(w.note)
            report.orphaned.extend((w.note, layer, words) for layer, words in w.orphans)
        pending.clear()

    # -- reading --------------------------------------------------------------------------
    def resolve(self, ref: int | str) -> int:
        """The bank's id of a note given its id, its label (file stem) or its key."""
        if isinstance(ref, int) or str(ref).isdigit():
            row = self.con.execute("SELECT id FROM notes WHERE id = ?", (int(ref),)).fetchone()
        else:
            row = self.con.execute("SELECT id FROM notes WHERE note_id = ? OR key = ? ORDER BY id LIMIT 1",
                                   (ref, ref)).fetchone()
        if row is None:
            raise NotFound(f"no note {ref!r} in the bank")
        return int(row["id"])

    def note(self, ref: int | str) -> StoredNote:
        """The stored note: every span, the rejections and its record."""
        row = self.con.execute("SELECT * FROM notes WHERE id = ?", (self.resolve(ref),)).fetchone()
        doc, rejected = load_stored(row["doc"])
        return StoredNote(row["id"], row["key"], doc, rejected, note_record(row))

    def get_note(self, ref: int | str) -> dict[str, Any]:
        """A note's record (``id, note_id, title, source, url, published, tags, themes …``) and
        ``doc``, the note as the user sees it."""
        stored = self.note(ref)
        return {**stored.record, "doc": stored.shown}

    def get_doc(self, ref: int | str) -> Doc:
        """The note as the user sees it: its marks, the model's unrejected ones and the user's."""
        return self.note(ref).shown

    def export_doc(self, ref: int | str, suggestions: bool = True) -> Doc:
        """The note as every export writes it (CLI ``publish``, the workbench's Markdown and Hugo):
        as shown, or without the model's suggestions the user has not accepted."""
        stored = self.note(ref)
        doc = stored.shown
        if not doc.meta.published:  # an export is dated: published, else added
            doc = doc.with_meta(published=stored.record["added_at"])
        if suggestions:
            return doc
        return doc.with_spans([s for s in doc.all_spans() if s.origin != "model"], replace_layers=list(doc.layers))

    def extraction(self, ref: int | str) -> Extraction:
        """What was extracted from the note when it was stored (not extracted again)."""
        note = self.resolve(ref)
        row = self.con.execute("SELECT extraction FROM notes WHERE id = ?", (note,)).fetchone()
        if row["extraction"]:
            return Extraction.from_dict(json.loads(unpack(row["extraction"])))
        with write_tx(self.con):
            return stored_extraction(self.con, note)

    def recent_notes(self, n: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """The ``n`` notes changed last, after skipping ``offset`` of them (a page of the list)."""
        rows = self.con.execute(f"SELECT {RECORD} FROM notes ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                                (n, max(0, offset)))
        return [note_record(r) for r in rows]

    def note_count(self) -> int:
        return int(self.con.execute("SELECT COUNT(*) FROM notes").fetchone()[0])

    def notes(self, theme: str | None = None) -> list[dict[str, Any]]:
        recs = [note_record(r) for r in self.con.execute(f"SELECT {RECORD} FROM notes ORDER BY published DESC, id")]
        return [r for r in recs if theme is None or theme in r["themes"]]

    def sources(self) -> list[str]:
        """The accounts the bank's notes come from (kept as counters: no scan of the notes)."""
        rows = self.con.execute("SELECT name FROM facets WHERE facet = 'source' AND n > 0 ORDER BY name")
        return [r[0] for r in rows]

    def orphans(self, ref: int | str | None = None) -> list[dict[str, Any]]:
        """Marks whose words left the note's text when it was added again."""
        sql = 'SELECT id, note, layer, origin, start, "end", text, found_at FROM orphans'
        rows = self.con.execute(sql + " WHERE note = ? ORDER BY id", (self.resolve(ref),)) if ref is not None \
            else self.con.execute(sql + " ORDER BY id")
        return [dict(r) for r in rows]

    def item(self, item_id: int) -> dict[str, Any]:
        row = self.con.execute(srch.ITEM_SQL + " WHERE i.id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"no item {item_id} in the bank")
        return srch.hit_from_row(row, 0.0, []).to_dict()

    def items(self, kind: str | None = None, theme: str | None = None, source: str | None = None,
              limit: int | None = None) -> list[srch.Hit]:
        return srch.list_items(self.con, kind=kind, theme=theme, source=source, limit=limit)

    def note_terms(self, note: int) -> list[str]:
        """The term items of a note, its red marks first (cloze cards blank them)."""
        return [r[0] for r in self.con.execute(
            "SELECT text FROM items WHERE note = ? AND kind = 'term'"
            " ORDER BY json_extract(data, '$.kind') = 'red' DESC, id", (note,))]

    # -- searching ------------------------------------------------------------------------
    def search(self, query: str, kind: str | None = None, theme: str | None = None, source: str | None = None,
               limit: int = 20) -> list[srch.Hit]:
        """Full-text search (bigram FTS5, BM25); every hit holds every query term."""
        return srch.search(self.con, query, kind=kind, theme=theme, source=source, limit=limit)

    def search_page(self, query: str, kind: str | None = None, theme: str | None = None,
                    source: str | None = None, limit: int = 20) -> srch.SearchPage:
        """A search as a reader sees it: the matching terms grouped (with their count of notes),
        then the sentences, each text once, then the notes."""
        return srch.search_page(self.con, query, kind=kind, theme=theme, source=source, limit=limit)

    def like_search(self, query: str, kind: str | None = None, limit: int = 20) -> list[srch.Hit]:
        """The baseline: a LIKE scan of every item's text."""
        return srch.like_search(self.con, query, kind=kind, limit=limit)

    # -- the user's own work --------------------------------------------------------------
    def tag(self, item_id: int, themes: Sequence[str]) -> dict[str, Any]:
        """Replace an item's themes with ``themes`` (kept on re-add)."""
        with write_tx(self.con):
            if self.con.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise NotFound(f"no item {item_id} in the bank")
            set_themes(self.con, item_id, list(dict.fromkeys(themes)), by_user=True)
        return self.item(item_id)

    def set_marks(self, ref: int | str, user: Iterable[Span], rejected: Iterable[tuple[str, int, int]]) -> int:
        """Replace the user's marks and rejected suggestions of a note; its items follow (a
        highlighted sentence is a quote of origin ``user``, an accepted suggestion the same item)."""
        stored = self.note(ref)
        text = stored.doc.text
        spans = []
        for sp in user:
            if sp.end > len(text) or sp.end <= sp.start:
                raise InvalidRequest(f"mark [{sp.start}, {sp.end}) does not fit the note ({len(text)} chars)")
            spans.append(Span(sp.start, sp.end, sp.layer, sp.tag, "user"))
        keep = [s for s in stored.doc.all_spans() if s.origin != "user"]
        doc = stored.doc.with_spans([*keep, *spans], replace_layers=list(stored.doc.layers))
        refused = tuple(sorted({(layer, int(s), int(e)) for layer, s, e in rejected}))
        with write_tx(self.con):
            rewrite_marks(self.con, stored.id, doc, refused, list(stored.record["themes"]))
        return len(spans)

    def set_user_marks(self, ref: int | str, spans: Iterable[Span]) -> int:
        """Replace the user's marks on a note, keeping its rejections."""
        return self.set_marks(ref, spans, self.note(ref).rejected)

    # -- the 规范词 glossary ------------------------------------------------------------------
    def glossary_add(self, entries: Iterable[Entry], origin: str = "post") -> tuple[int, int]:
        """Add glossary entries (an entry with the same term, theme and source is updated)."""
        with write_tx(self.con):
            return gloss.add(self.con, entries, origin)

    def glossary(self, theme: str | None = None) -> list[Entry]:
        return gloss.entries(self.con, theme)

    def glossary_entry(self, entry_id: int) -> Entry:
        return gloss.get(self.con, entry_id)

    def glossary_edit(self, entry_id: int, changes: dict[str, Any]) -> Entry:
        with write_tx(self.con):
            return gloss.edit(self.con, entry_id, changes)

    def glossary_delete(self, entry_id: int) -> None:
        with write_tx(self.con):
            gloss.delete(self.con, entry_id)

    def glossary_themes(self) -> list[tuple[str, int]]:
        """The glossary's themes with their number of terms."""
        return gloss.themes(self.con)

    def retheme(self) -> int:
        """Give every item (not the user's retagged ones) its themes again, from the shipped
        vocabularies and those of the bank's own glossaries; returns how many changed."""
        from jingdu.bank.themes import item_themes, vocabularies_from_entries

        vocab = vocabularies_from_entries(self.glossary())
        rows = self.con.execute("SELECT id, text, themes FROM items WHERE themes_by_user = 0 AND kind != 'note'")
        changed = [(r["id"], new) for r in rows.fetchall()
                   if (new := item_themes(r["text"], (), vocab)) != json.loads(r["themes"])]
        with write_tx(self.con):
            for item_id, themes in changed:
                set_themes(self.con, item_id, themes)
        return len(changed)

    def theme_list(self) -> list[tuple[str, int]]:
        """Every theme (the vocabularies', the glossary's and those items carry) with its number of items."""
        from jingdu.bank.themes import theme_list

        counts = dict(self.themes())
        names = dict.fromkeys([*theme_list(), *(t for t, _ in self.glossary_themes()), *counts])
        return [(t, counts.get(t, 0)) for t in names]

    def check_theme(self, theme: str) -> str:
        """``theme`` if the bank knows it, else :class:`NotFound` naming the themes there are."""
        known = [t for t, _ in self.theme_list()]
        if theme not in known:
            raise NotFound(f"no theme {theme!r}; themes: {', '.join(known)}")
        return theme

    def suggester(self) -> Suggester:
        """A :class:`Suggester` over the bank's glossary (kept while the glossary is unchanged)."""
        stamp = self.con.execute("SELECT COUNT(*), MAX(updated_at), MAX(id) FROM glossary").fetchone()
        key = tuple(stamp)
        cached = getattr(self, "_suggester", None)
        if cached is None or cached[0] != key:
            cached = (key, Suggester(self.glossary()))
            self._suggester = cached
        return cached[1]

    def suggest(self, texts: Sequence[str], k: int = 5, theme: str | None = None,
                contexts: Sequence[str | None] | None = None) -> list[list[Suggestion]]:
        """Standard expressions for each text (``contexts``: the material around each), best first;
        with ``theme``, that theme's terms only."""
        return self.suggester().suggest_many(list(texts), k, contexts=contexts, theme=theme)

    # -- numbers --------------------------------------------------------------------------
    def themes(self) -> list[tuple[str, int]]:
        """Each theme with its number of items, the largest first."""
        return [(r[0], r[1]) for r in self.con.execute(
            "SELECT name, n FROM facets WHERE facet = 'theme' AND n > 0 ORDER BY n DESC, name")]

    def stats(self) -> dict[str, Any]:
        c = self.con
        kinds = {r[0]: r[1] for r in c.execute("SELECT kind, COUNT(*) FROM items GROUP BY kind")}
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        user = one("SELECT COALESCE(SUM(user_marks), 0) FROM notes")
        return {"path": str(self.path), "notes": one("SELECT COUNT(*) FROM notes"),
                "items": one("SELECT COUNT(*) FROM items"), "kinds": kinds, "themes": dict(self.themes()),
                "user_marks": user, "orphans": one("SELECT COUNT(*) FROM orphans"),
                "cards": one("SELECT COUNT(*) FROM cards"), "reviews": one("SELECT COUNT(*) FROM review_log")}

    # -- review (FSRS; the card faces and scheduling are jingdu.review's) ------------------
    def due_cards(self, limit: int | None = None, now: Any = None, every: bool = False) -> list[ReviewCard]:
        """Cards due at ``now`` (new items get their card here), oldest due first; new cards come
        from the default deck (highlights and key facts) unless ``every``."""
        return cardlib.due_cards(self, limit=limit, now=now, every=every)

    def review(self, card_id: int, rating: int, now: Any = None, duration_ms: int | None = None) -> dict[str, Any]:
        """Rate a card 1-4 (Again, Hard, Good, Easy); stores its new state and a review-log row."""
        return cardlib.review(self.con, card_id, rating, now=now, duration_ms=duration_ms)


#: The columns of a note's record (never its document: listings stay small).
RECORD = "id, note_id, title, account, url, published, tags, categories, themes, added_at, updated_at"


def note_record(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "note_id": row["note_id"], "title": row["title"], "source": row["account"],
            "url": row["url"], "published": row["published"], "tags": json.loads(row["tags"]),
            "categories": json.loads(row["categories"]), "themes": json.loads(row["themes"]),
            "added_at": row["added_at"], "updated_at": row["updated_at"]}
