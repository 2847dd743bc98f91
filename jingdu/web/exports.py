"""Exports of the workbench: notes in the notation (Markdown) and Hugo posts; Anki decks and
theme collections are the bank's own (:mod:`jingdu.bank.export`).

A note is exported with its own marks and the user's; suggestions the user has not accepted are
left out, so the export is what ``jingdu train`` learns from.  Hugo posts are written by
:mod:`jingdu.publish`.
"""

from __future__ import annotations

import io
import zipfile

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


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def safe_name(name: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name).strip("-")
    return keep[:60] or "jingdu"


def export(fmt: str, docs: list[Doc], name: str = "jingdu") -> Export:
    """Notes in the notation (``md``) or as Hugo posts (``hugo``): one file, or a zip of several.

    Anki decks and theme collections come from the bank (:mod:`jingdu.bank.export`)."""
    if fmt not in ("md", "hugo"):
        raise InputError(f"unknown note export format {fmt!r}; one of md, hugo")
    if not docs:
        raise InputError("nothing to export: the bank has no notes")
    base = safe_name(name)
    render = note_markdown if fmt == "md" else hugo_post
    if len(docs) == 1:
        return Export(render(docs[0]).encode("utf-8"), "text/markdown; charset=utf-8", f"{base}.md")
    files = {f"{safe_name(d.meta.id or str(i))}.md": render(d) for i, d in enumerate(docs)}
    return Export(_zip(files), "application/zip", f"{base}-{fmt}.zip")
