"""Marks as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each span becomes an ``Annotation`` whose target has a ``TextQuoteSelector`` (exact, prefix,
suffix) and a ``TextPositionSelector`` (code-point offsets into ``Doc.text``); the layer is a
tagging body.  All of a note's annotations form one ``AnnotationCollection`` whose single
``AnnotationPage`` has its own id.  An annotation's id is derived from its layer, offsets and
quote (not its position in the list), so it stays the same when other marks are added or removed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from jingdu.model import Doc, Span

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WINDOW = 32
ID_DIGEST_CHARS = 16
MOTIVATION = {"highlight": "highlighting", "bold": "highlighting", "red": "classifying"}
DEFAULT_LAYERS = ("highlight", "bold", "red", "underline")


def source_iri(doc: Doc) -> str:
    if doc.meta.url:
        return doc.meta.url
    digest = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:16]
    return f"urn:jingdu:note:{doc.meta.id or digest}"


def annotation_id(doc: Doc, sp: Span) -> str:
    """``<source>#<layer>-<digest of layer, offsets and quote>``: stable across other marks' edits."""
    key = f"{sp.layer}\x1f{sp.start}\x1f{sp.end}\x1f{doc.text[sp.start:sp.end]}"
    return f"{source_iri(doc)}#{sp.layer}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:ID_DIGEST_CHARS]}"


def now_utc() -> str:
    """The current time as an xsd:dateTime in UTC (the model's form for ``created``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _quote_selector(doc: Doc, sp: Span) -> dict[str, Any]:
    selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": doc.text[sp.start:sp.end]}
    prefix = doc.text[max(0, sp.start - CONTEXT_WINDOW):sp.start]
    suffix = doc.text[sp.end:sp.end + CONTEXT_WINDOW]
    if prefix:
        selector["prefix"] = prefix
    if suffix:
        selector["suffix"] = suffix
    return selector


def annotation(doc: Doc, sp: Span, created: str) -> dict[str, Any]:
    src = source_iri(doc)
    return {
        "@context": CONTEXT,
        "id": annotation_id(doc, sp),
        "type": "Annotation",
        "motivation": MOTIVATION.get(sp.layer, "highlighting"),
        "created": created,
        "creator": {"type": "Software" if sp.origin == "model" else "Person", "name": sp.origin},
        "body": {"type": "TextualBody", "purpose": "tagging", "value": sp.layer},
        "target": {
            "source": src,
            "selector": [
                _quote_selector(doc, sp),
                {"type": "TextPositionSelector", "start": sp.start, "end": sp.end},
            ],
        },
    }


def to_w3c(doc: Doc, layers: tuple[str, ...] = DEFAULT_LAYERS, created: str | None = None) -> dict[str, Any]:
    """The note's marks in ``layers`` as a W3C AnnotationCollection with one page.

    ``created`` (an xsd:dateTime) stamps every annotation; the time of the export by default."""
    stamp = created or now_utc()
    items = [annotation(doc, sp, stamp) for layer in layers for sp in doc.spans(layer)]
    collection = f"{source_iri(doc)}#annotations"
    return {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": doc.title,
        "total": len(items),
        "first": {"id": f"{collection}-page-1", "type": "AnnotationPage", "partOf": collection,
                  "startIndex": 0, "items": items},
    }
