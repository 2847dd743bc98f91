"""Exports of the workbench: notes in the notation (Markdown), Hugo posts, Anki decks.

A note is exported with its own marks and the user's; suggestions the user has not accepted are
left out, so the export is what ``jingdu train`` learns from.  Hugo posts are written by
:mod:`jingdu.publish`.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from jingdu.errors import InputError
from jingdu.model import Doc
from jingdu.notation import write_note
from jingdu.publish import post
from jingdu.web.store import Export

FORMATS = ("md", "hugo", "anki", "collection")


def without_suggestions(doc: Doc) -> Doc:
    layers = {k: [s for s in v if s.origin != "model"] for k, v in doc.layers.items()}
    return Doc(doc.text, doc.blocks, layers, doc.meta)


def note_markdown(doc: Doc, include_model: bool = False) -> str:
    return write_note(doc if include_model else without_suggestions(doc))


def hugo_post(doc: Doc) -> str:
    return post(without_suggestions(doc))


def anki_deck(cards: list[tuple[str, str, str]], name: str) -> bytes:
    import genanki

    def ident(s: str) -> int:
        return int(hashlib.sha1(s.encode("utf-8")).hexdigest()[:8], 16)

    model = genanki.Model(ident("jingdu-model"), "jingdu", fields=[{"name": "Front"}, {"name": "Back"},
                                                                   {"name": "Note"}],
                          templates=[{"name": "Card", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<br><small>{{Note}}</small>"}])
    deck = genanki.Deck(ident("jingdu-deck-" + name), f"jingdu::{name}")
    from html import escape

    for front, back, note_id in cards:
        deck.add_note(genanki.Note(model=model, fields=[escape(front), escape(back), escape(note_id)],
                                   guid=genanki.guid_for(back, note_id)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(out))
        return out.read_bytes()


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def safe_name(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name).strip("-")
    return keep[:60] or "jingdu"


def export(fmt: str, docs: list[Doc], cards: list[tuple[str, str, str]], name: str = "jingdu") -> Export:
    """One file: a note (``md``/``hugo``), a zip of notes, or an Anki deck (``anki``)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    base = safe_name(name)
    if fmt == "collection":
        lines = [f"# {name}", ""]
        lines += [f"- {back}（{note_id}）" for _front, back, note_id in cards]
        return Export("\n".join(lines).encode("utf-8") + b"\n", "text/markdown; charset=utf-8", f"{base}.md")
    if fmt == "anki":
        return Export(anki_deck(cards, base), "application/octet-stream", f"{base}.apkg")
    if not docs:
        raise InputError("nothing to export: the bank has no notes")
    render = note_markdown if fmt == "md" else hugo_post
    if len(docs) == 1:
        return Export(render(docs[0]).encode("utf-8"), "text/markdown; charset=utf-8", f"{base}.md")
    files = {f"{safe_name(d.meta.id or str(i))}.md": render(d) for i, d in enumerate(docs)}
    return Export(_zip(files), "application/zip", f"{base}-{fmt}.zip")
