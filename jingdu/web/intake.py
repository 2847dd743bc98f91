"""What a visitor gives (text, HTML, Markdown, a URL, a file) to a note with suggestions, through
:mod:`jingdu.pipeline`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace

from jingdu import pipeline
from jingdu.errors import InputError, InvalidRequest, JingduError
from jingdu.ingest import IngestOptions
from jingdu.model import Doc
from jingdu.web.options import WebOptions

log = logging.getLogger("jingdu.web")
#: The keys a JSON body may carry, and the ingest format each means.
SOURCE_KEYS: dict[str, str] = {"text": "auto", "html": "html", "markdown": "md", "url": "url"}


def _options(options: WebOptions, fmt: str = "auto") -> pipeline.PipelineOptions:
    ingest = IngestOptions(max_bytes=options.max_body * 4, fmt=fmt, timeout=options.fetch_timeout,
                           allow_private=options.allow_private_fetch)
    return pipeline.PipelineOptions(ingest, annotate=options.annotate, annotator=options.annotator, extract=False)


_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def gate(kind: str, options: WebOptions) -> AbstractContextManager[None]:
    """What a request reading ``kind`` holds while it waits and works: a fetch slot for a URL.

    Taken on the event loop *before* the job enters the work pool, so fetches past the limit are
    refused at once instead of taking the pool's queue from the other requests."""
    return fetch_slot(options) if kind == "url" else nullcontext()


@contextmanager
def fetch_slot(options: WebOptions) -> Iterator[None]:
    """One of ``options.max_fetches`` slots for a URL fetch; none free → 503 at once, so slow
    pages never hold every worker of the server (the other pages keep answering)."""
    with _SLOTS_LOCK:
        slots = _SLOTS.setdefault(options.max_fetches, threading.BoundedSemaphore(options.max_fetches))
    if not slots.acquire(blocking=False):
        raise JingduError(f"the server is already fetching {options.max_fetches} pages; try again in a moment",
                          code="busy", status=503)
    try:
        yield
    finally:
        slots.release()


def _capped(doc: Doc, options: WebOptions) -> Doc:
    """The note, unless its text is longer than the workbench reads (annotating it would take minutes)."""
    if len(doc.text) > options.max_text:
        raise InputError(f"the note is {len(doc.text):,} characters long, over the {options.max_text:,} "
                         "character limit of the workbench (use jingdu annotate for longer texts)",
                         code="too_large", status=413)
    return doc


def read_source(kind: str, value: str, options: WebOptions, name: str = "") -> Doc:
    """Read one input; ``kind`` is a key of :data:`SOURCE_KEYS`.  A URL is read by a caller that holds
    its :func:`gate`."""
    if kind not in SOURCE_KEYS:
        raise InvalidRequest(f"give one of {', '.join(SOURCE_KEYS)}")
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{kind!r} is empty")
    if kind == "url":
        if not options.allow_url:
            raise InvalidRequest("reading from a URL is turned off on this server", status=403, code="forbidden")
        if not value.strip().lower().startswith(("http://", "https://")):
            raise InputError("only http(s) URLs can be read")
        return _capped(pipeline.read(value.strip(), _options(options)), options)
    if kind in ("text", "markdown") and len(value) > 2 * options.max_text:  # refused before it is parsed
        raise InputError(f"the pasted text is {len(value):,} characters long, over the workbench's limit",
                         code="too_large", status=413)
    return _capped(pipeline.read_text(value, name, _options(options, SOURCE_KEYS[kind])), options)


def read_upload(data: bytes, filename: str, options: WebOptions) -> Doc:
    """Read an uploaded file (its format told by its name and bytes)."""
    return _capped(pipeline.read_bytes(data, filename, _options(options)), options)


def suggest(doc: Doc, options: WebOptions) -> Doc:
    """The annotator's marks added as suggestions (origin ``model``).

    The note stays as read when annotating is off or the annotator fails with a domain error
    (no model shipped, a bad one); any other error is a bug and is raised.
    """
    if not options.annotate:
        return doc
    try:
        return pipeline.process(doc, replace(_options(options), extract=False)).doc
    except JingduError as exc:
        log.warning("no suggestions: %s", exc)
        return doc


def body_source(body: dict[str, object]) -> tuple[str, str]:
    """The (key, value) of a JSON body holding exactly one source key."""
    given = [k for k in SOURCE_KEYS if k in body]
    if len(given) != 1:
        raise InvalidRequest(f"give exactly one of {', '.join(repr(k) for k in SOURCE_KEYS)}")
    value = body[given[0]]
    if not isinstance(value, str):
        raise InvalidRequest(f"{given[0]!r} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidRequest(f"{given[0]!r} holds a lone surrogate ({value[exc.start:exc.end]!a}), "
                             "which is not text") from exc
    return given[0], value
