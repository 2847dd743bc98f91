"""From what a user gives (text, HTML, Markdown, a URL, a file) to a note with suggestions."""

from __future__ import annotations

import logging

from jingdu.errors import InputError, JingduError
from jingdu.ingest import IngestOptions, load, load_bytes, load_text
from jingdu.model import Doc, DocBuilder, Meta
from jingdu.web.options import WebOptions

log = logging.getLogger("jingdu.web")
#: The keys a JSON body may carry, and the ingest format each means.
SOURCE_KEYS: dict[str, str] = {"text": "auto", "html": "html", "markdown": "md", "url": "url"}


def _plain_text(text: str) -> Doc:
    """Plain text when ``jingdu.ingest.text`` is not installed: first line the title."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n") if ln.strip()]
    b = DocBuilder()
    for i, line in enumerate(lines):
        b.add("title" if i == 0 and len(line) <= 60 and len(lines) > 1 else "paragraph", line)
    return b.build(Meta(title=lines[0] if lines else ""))


def read_source(kind: str, value: str, options: WebOptions, name: str = "") -> Doc:
    """Read one input; ``kind`` is a key of :data:`SOURCE_KEYS`."""
    if kind not in SOURCE_KEYS:
        raise InputError(f"give one of {', '.join(SOURCE_KEYS)}")
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{kind!r} is empty")
    if kind == "url":
        if not options.allow_url:
            raise InputError("reading from a URL is turned off on this server")
        if not value.startswith(("http://", "https://")):
            raise InputError("only http(s) URLs can be read")
        return load(value.strip(), IngestOptions(max_bytes=options.max_body * 4))
    try:
        return load_text(value, name, IngestOptions(fmt=SOURCE_KEYS[kind]))
    except ModuleNotFoundError as exc:
        if exc.name == "jingdu.ingest.text":
            return _plain_text(value)
        raise


def read_upload(data: bytes, filename: str) -> Doc:
    try:
        return load_bytes(data, filename)
    except ModuleNotFoundError as exc:
        if exc.name == "jingdu.ingest.text":
            from jingdu.ingest.decode import decode_bytes

            return _plain_text(decode_bytes(data, None))
        raise


def storable(doc: Doc) -> Doc:
    """The note as it reads back from the notation the bank stores it in.

    Work-around: a reader may lay a note out so that the notation reads back a different text
    (the plain-text reader's paragraph indent ``\u3000\u3000`` is a block prefix, but the notation
    reads it as text), which would shift every suggested mark once stored.  The note is taken
    through the notation before it is annotated, so the offsets hold.
    """
    from jingdu.notation import read_note, write_note

    try:
        again = read_note(write_note(doc), note_id=doc.meta.id)
    except (JingduError, ValueError):
        return doc
    if again.text == doc.text:
        return doc
    return Doc(again.text, again.blocks, again.layers, doc.meta)


def suggest(doc: Doc, options: WebOptions) -> Doc:
    """The annotator's marks added as suggestions (origin ``model``); the note as is without it."""
    doc = storable(doc)
    if not options.annotate:
        return doc
    annotate = options.annotator
    if annotate is None:
        try:
            from jingdu.annotate import annotate
        except ImportError:
            return doc
    try:
        out = annotate(doc)
    except JingduError as exc:  # no model shipped yet, or a bad one: the note stays as read
        log.warning("no suggestions: %s", exc)
        return doc
    except Exception:  # the model is optional: a failure leaves the note unmarked, not broken
        log.exception("the annotator failed; the note is kept without suggestions")
        return doc
    return out if isinstance(out, Doc) and out.text == doc.text else doc


def body_source(body: dict[str, object]) -> tuple[str, str]:
    """The (key, value) of a JSON body holding exactly one source key."""
    given = [k for k in SOURCE_KEYS if k in body]
    if len(given) != 1:
        raise InputError(f"give exactly one of {', '.join(repr(k) for k in SOURCE_KEYS)}")
    value = body[given[0]]
    if not isinstance(value, str):
        raise InputError(f"{given[0]!r} must be a string")
    return given[0], value
