"""Marks as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each span becomes an ``Annotation`` whose target has a ``TextQuoteSelector`` (exact, prefix,
suffix) and a ``TextPositionSelector`` (code-point offsets into ``Doc.text``); the layer is a
tagging body.  All of a note's annotations form one ``AnnotationCollection``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from jingdu.model import Doc, Span

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_WINDOW = 32
MOTIVATION = {"highlight": "highlighting", "bold": "highlighting", "red": "classifying"}


def source_iri(doc: Doc) -> str:
    if doc.meta.url:
        return doc.meta.url
    digest = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()[:16]
    return f"urn:jingdu:note:{doc.meta.id or digest}"


def annotation(doc: Doc, sp: Span, n: int) -> dict[str, Any]:
    src = source_iri(doc)
    return {
        "@context": CONTEXT,
        "id": f"{src}#{sp.layer}-{n}",
        "type": "Annotation",
        "motivation": MOTIVATION.get(sp.layer, "highlighting"),
        "creator": {"type": "Software" if sp.origin == "model" else "Person", "name": sp.origin},
        "body": {"type": "TextualBody", "purpose": "tagging", "value": sp.layer},
        "target": {
            "source": src,
            "selector": [
                {"type": "TextQuoteSelector", "exact": doc.text[sp.start:sp.end],
                 "prefix": doc.text[max(0, sp.start - CONTEXT_WINDOW):sp.start],
                 "suffix": doc.text[sp.end:sp.end + CONTEXT_WINDOW]},
                {"type": "TextPositionSelector", "start": sp.start, "end": sp.end},
            ],
        },
    }


def to_w3c(doc: Doc, layers: tuple[str, ...] = ("highlight", "bold", "red", "underline")) -> dict[str, Any]:
    """The note's marks in ``layers`` as a W3C AnnotationCollection with one page."""
    items = [annotation(doc, sp, n) for layer in layers for n, sp in enumerate(doc.spans(layer))]
    return {
        "@context": CONTEXT,
        "id": f"{source_iri(doc)}#annotations",
        "type": "AnnotationCollection",
        "label": doc.title,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
