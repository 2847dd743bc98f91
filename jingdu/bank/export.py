"""Exports of the bank: an Anki deck (genanki), a CSV file and theme collections of quotes.

Anki note GUIDs derive from the item keys (stable across re-adds and banks), and the deck and
model ids are fixed, so importing a re-exported deck updates its cards instead of duplicating
them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jingdu.fsutil import web_url, write_atomic
from jingdu.notation import escape_text

if TYPE_CHECKING:
    from jingdu.bank import Bank

DECK_ID = 1_734_117_501
CLOZE_MODEL_ID = 1_734_117_502
QA_MODEL_ID = 1_734_117_503
CSV_FIELDS = ("id", "kind", "text", "themes", "title", "source", "url", "published", "front", "back")


def _int_id(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


def _rows(bank: Bank, kinds: tuple[str, ...], theme: str | None,
          notes: frozenset[str] | None = None, every: bool = True) -> list[dict[str, Any]]:
    """Items as export rows with their card faces; ``every=False`` keeps the default deck's
    (the reader's highlights and the key facts)."""
    from jingdu.review import faces

    out = []
    seen: set[int] = set()  # a sentence that is a quote and a fact is one item, one card
    for kind in kinds:
        for hit in bank.items(kind=kind, theme=theme):
            if hit.id in seen or (notes is not None and str(hit.note["id"]) not in notes):
                continue
            if not every and not hit.data.get("deck", True):  # (no flag: drawn before decks had one)
                continue
            seen.add(hit.id)
            item = hit.to_dict()
            card_kind, front, back = (faces(item, bank.note_terms(item["note"]["id"]))
                                      if item["kind"] in ("quote", "fact") else ("", "", ""))
            out.append({**item, "card": card_kind, "front": front, "back": back})
    return out


def export_anki(bank: Bank, path: str | os.PathLike[str], theme: str | None = None,
                deck_name: str = "精读 jingdu", notes: frozenset[str] | None = None, every: bool = False) -> int:
    """Write an ``.apkg`` with one card per quote (cloze) and fact (question); returns the count.

    The deck holds the reader's highlights and the key facts, or every quote and fact with
    ``every``; ``theme`` keeps the items of one theme, ``notes`` those of the given note ids."""
    import genanki

    from jingdu.review import ANSWER_SEP, BLANK

    cloze_model = genanki.Model(
        CLOZE_MODEL_ID, "jingdu cloze", model_type=genanki.Model.CLOZE,
        fields=[{"name": "Text"}, {"name": "Source"}],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<hr>{{Source}}"}])
    qa_model = genanki.Model(
        QA_MODEL_ID, "jingdu question", fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Source"}],
        templates=[{"name": "Card", "qfmt": "{{Question}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<br><small>{{Source}}</small>"}])
    deck = genanki.Deck(DECK_ID if theme is None else _int_id(f"deck:{theme}"), deck_name)
    count = 0
    for row in _rows(bank, ("quote", "fact"), theme, notes, every):
        source = _source_html(row["note"])
        tags = [t.replace(" ", "_") for t in row["themes"]]
        guid = genanki.guid_for(row["key"])
        if row["card"] == "cloze":
            text = _anki_cloze(row["front"], row["back"].split(ANSWER_SEP), BLANK)
            if "{{c1::" not in text:
                continue
            note = genanki.Note(model=cloze_model, fields=[text, source], tags=tags, guid=guid)
        else:
            front = _esc(row["front"]).replace("\n", "<br>")  # the question above its sentence
            note = genanki.Note(model=qa_model, fields=[front, _esc(row["back"]), source],
                                tags=tags, guid=guid)
        deck.add_note(note)
        count += 1
    _write_package(genanki.Package(deck), Path(path))
    return count


def _write_package(package: Any, target: Path) -> None:
    """genanki writes to a path: a temporary file next to ``target``, then one atomic rename
    (:func:`jingdu.fsutil.write_atomic`), so a killed export leaves the old deck whole."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".jingdu-anki-", dir=target.parent) as tmp:
        staged = Path(tmp) / "deck.apkg"
        package.write_to_file(str(staged))
        write_atomic(target, staged.read_bytes())


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def _anki_cloze(front: str, answers: list[str], blank: str) -> str:
    parts = front.split(blank)
    out = [_esc(parts[0])]
    for i, part in enumerate(parts[1:]):
        answer = answers[i] if i < len(answers) else ""
        out.append(f"{{{{c{i + 1}::{_esc(answer)}}}}}" + _esc(part))
    return "".join(out)


def _source_html(note: dict[str, Any]) -> str:
    title = _esc(note.get("title") or "")
    label = f"{title} · {_esc(note.get('source') or '')}".strip(" ·")
    url = web_url(note.get("url"))
    return f'<a href="{_esc(url)}">{label}</a>' if url else label


def export_csv(bank: Bank, path: str | os.PathLike[str], kinds: tuple[str, ...] = ("quote", "fact", "term"),
               theme: str | None = None) -> int:
    """Write items as CSV (UTF-8 with BOM so that spreadsheet programs read the Chinese)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    writer.writeheader()
    rows = _rows(bank, kinds, theme)
    for r in rows:
        n = r["note"]
        writer.writerow({"id": r["id"], "kind": r["kind"], "text": r["text"], "themes": " ".join(r["themes"]),
                         "title": n["title"], "source": n["source"], "url": n["url"], "published": n["published"],
                         "front": r["front"], "back": r["back"]})
    write_atomic(path, "\ufeff" + buf.getvalue())
    return len(rows)


def collect(bank: Bank, theme: str, title: str | None = None, limit: int | None = None) -> str:
    """A theme collection of quotes in Markdown (官媒<theme>金句集锦), each with source and link."""
    hits = bank.items(kind="quote", theme=bank.check_theme(theme), limit=limit)
    heading = title or f"官媒{theme}金句集锦"
    lines = [f"# {heading}", "", f"> {len(hits)} 条金句，按主题「{theme}」汇编自精读素材库。", ""]
    by_note: dict[int, list[Any]] = {}
    for h in hits:
        by_note.setdefault(h.note["id"], []).append(h)
    n = 0
    for group in by_note.values():
        note = group[0].note
        url = web_url(note["url"])
        url = url.replace("(", "%28").replace(")", "%29")
        link = f"[{escape_text(note['title'])}]({url})" if url else escape_text(note["title"])
        lines += [f"## {escape_text(note['title'])}", "", f"来源：{escape_text(note['source'] or '—')} · {link}", ""]
        for h in group:
            n += 1
            lines += [f"{n}. {escape_text(h.text.strip())}", ""]
    return "\n".join(lines).rstrip() + "\n"
