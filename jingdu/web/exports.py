"""Exports of the workbench: notes in the notation (Markdown) and Hugo posts; Anki decks and
theme collections are the bank's own (:mod:`jingdu.bank.export`).

The notes come from :meth:`jingdu.bank.Bank.export_doc`, the one place that says what an
export holds, so the workbench and ``jingdu publish`` write the same marks.  Hugo posts are
written by :mod:`jingdu.publish`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from jingdu.errors import InvalidRequest
from jingdu.model import Doc
from jingdu.notation import renderable, write_note
from jingdu.publish import post

FORMATS = ("md", "hugo", "anki", "collection")


@dataclass(frozen=True)
class Export:
    data: bytes
    media_type: str
    filename: str


def note_markdown(doc: Doc) -> str:
    """The note in the notation, every mark in HTML markup (as CommonMark renders it)."""
    return write_note(renderable(doc))


def hugo_post(doc: Doc) -> str:
    return post(doc)


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
        raise InvalidRequest(f"unknown note export format {fmt!r}; one of md, hugo")
    if not docs:
        raise InvalidRequest("nothing to export: the bank has no notes")
    base = safe_name(name)
    render = note_markdown if fmt == "md" else hugo_post
    if len(docs) == 1:
        return Export(render(docs[0]).encode("utf-8"), "text/markdown; charset=utf-8", f"{base}.md")
    files = {f"{safe_name(d.meta.id or str(i))}.md": render(d) for i, d in enumerate(docs)}
    return Export(_zip(files), "application/zip", f"{base}-{fmt}.zip")
