"""Stage 1, ingest: anything a user has (a WeChat page, a news page, a note, plain text, JSON,
a URL) becomes a :class:`~jingdu.model.Doc`.

``load(name)`` reads a file or URL; ``load_bytes(data, name)`` and ``load_text(text, name)``
do the same for content already in memory.  The format is told by content, not by the name
alone: HTML pages go to :mod:`jingdu.ingest.html`, notes to :mod:`jingdu.notation`, JSON
documents to :mod:`jingdu.jsonio`, everything else is plain text (:mod:`jingdu.ingest.text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jingdu.errors import InputError
from jingdu.fsutil import is_url, stem_of
from jingdu.ingest.decode import decode_bytes
from jingdu.model import Doc


@dataclass(frozen=True)
class IngestOptions:
    """Tunables of ingest."""

    max_bytes: int = 20 * 1024 * 1024  # a larger input is refused, not read
    timeout: float = 15.0  # seconds for a whole URL fetch (connect, redirects, every byte)
    allow_private: bool = False  # fetch from this machine / private networks (jingdu.ingest.guard)
    fmt: str = "auto"  # auto | html | md | text | json


DEFAULT_OPTIONS = IngestOptions()
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<meta|<body)|<div[\s>]|<section[\s>]|<p[\s>]", re.I)
_NOTE_SNIFF = re.compile(r"^# |<span style=\"background|<font color=|<strong>|\*\*|^> .*原文链接", re.M)


def sniff(text: str, name: str = "") -> str:
    """Which reader a text is for: html, md, json or text."""
    low = name.lower()
    head = text.lstrip()[:2000]
    if low.endswith(".json") or head.startswith("{"):
        return "json"
    if low.endswith((".md", ".markdown")):
        return "md"
    if low.endswith((".html", ".htm")) or re.match(r"\s*(<!doctype html|<html)", head, re.I):
        return "html"
    if _NOTE_SNIFF.search(head):
        return "md"
    if _HTML_SNIFF.search(head):
        return "html"
    return "text"


def load_text(text: str, name: str = "", options: IngestOptions = DEFAULT_OPTIONS, url: str = "") -> Doc:
    """Read text that is already decoded."""
    if not text.strip():
        raise InputError("the input is empty")
    fmt = options.fmt if options.fmt != "auto" else sniff(text, name)
    note_id = stem_of(name) if name else ""
    if fmt == "json":
        from jingdu.jsonio import from_json

        return from_json(text)
    if fmt == "md":
        from jingdu.notation import read_note

        return read_note(text, note_id=note_id)
    if fmt == "html":
        from jingdu.ingest.page import read_html

        return read_html(text, url=url, note_id=note_id)
    from jingdu.ingest.text import read_text

    return read_text(text, note_id=note_id)


def load_bytes(data: bytes, name: str = "", options: IngestOptions = DEFAULT_OPTIONS, url: str = "",
               charset: str | None = None) -> Doc:
    """Read raw bytes: checks size, decodes (UTF-8, GBK/GB18030 …) and reads."""
    if len(data) > options.max_bytes:
        raise InputError(f"the input is {len(data) / 1e6:.1f} MB, over the {options.max_bytes / 1e6:.0f} MB limit")
    return load_text(decode_bytes(data, charset), name, options, url=url)


def load(name: str, options: IngestOptions = DEFAULT_OPTIONS) -> Doc:
    """Read a file path or an http(s) URL."""
    if is_url(name):
        from jingdu.ingest.fetch import fetch

        page = fetch(name, timeout=options.timeout, max_bytes=options.max_bytes, allow_private=options.allow_private)
        return load_bytes(page.data, name, options, url=page.url, charset=page.charset)
    path = Path(name)
    if not path.exists():
        raise InputError("no such file")
    if path.is_dir():
        raise InputError("is a directory, not a file")
    size = path.stat().st_size
    if size > options.max_bytes:
        raise InputError(f"the file is {size / 1e6:.1f} MB, over the {options.max_bytes / 1e6:.0f} MB limit")
    return load_bytes(path.read_bytes(), name, options)
