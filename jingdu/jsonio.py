"""The JSON form of a note (schema ``jingdu.note/1``, documented in docs/json-schema.md).

::

    {"schema": "jingdu.note/1",
     "meta":   {"id", "title", "account", "url", "published", "author", "tags", "categories"},
     "text":   "<Doc.text>",
     "blocks": [{"kind", "start", "end", "level", "prefix", "suffix", "tail", "raw", "digest"}],
     "layers": {"highlight": [{"start", "end", "tag", "origin"}], "bold": [...], "red": [...], ...}}

Offsets are code-point offsets into ``text``.  ``raw``/``digest`` let a writer give back the
original markup of a block whose text and marks are unchanged; both may be omitted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jingdu.errors import InputError
from jingdu.model import BLOCK_KINDS, SCORED_LAYERS, TEXT_BLOCKS, Block, Doc, Meta, Span, SpanError

SCHEMA = "jingdu.note/1"


def span_dict(sp: Span) -> dict[str, Any]:
    out: dict[str, Any] = {"start": sp.start, "end": sp.end, "origin": sp.origin}
    if sp.tag is not None:
        out["tag"] = sp.tag
    if sp.note:
        out["note"] = sp.note
    return out


def to_dict(doc: Doc, *, layout: bool = True) -> dict[str, Any]:
    """The note as a JSON-ready dict.

    ``layout=False`` leaves out the source markup of text blocks (their text and marks are
    re-rendered); layout blocks (breaks, fences, tables …) always keep theirs.
    """
    blocks = []
    for b in doc.blocks:
        item: dict[str, Any] = {"kind": b.kind, "start": b.start, "end": b.end}
        if b.level:
            item["level"] = b.level
        for key in ("prefix", "suffix"):
            if getattr(b, key):
                item[key] = getattr(b, key)
        item["tail"] = b.tail
        if b.raw is not None and (layout or b.kind not in TEXT_BLOCKS):
            item["raw"] = b.raw
            if b.digest:
                item["digest"] = b.digest
        blocks.append(item)
    layers = {name: [span_dict(s) for s in spans] for name, spans in doc.layers.items()}
    for name in SCORED_LAYERS:
        layers.setdefault(name, [])
    return {"schema": SCHEMA, "meta": doc.meta.to_dict(), "text": doc.text, "blocks": blocks, "layers": layers}


def to_json(doc: Doc, *, indent: int | None = 1) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=indent) + "\n"


def _block(data: Mapping[str, Any]) -> Block:
    kind = data.get("kind")
    if kind not in BLOCK_KINDS:
        raise InputError(f"unknown block kind {kind!r}")
    return Block(kind, int(data["start"]), int(data["end"]), int(data.get("level", 0)),
                 str(data.get("prefix", "")), str(data.get("suffix", "")), data.get("raw"),
                 data.get("digest"), str(data.get("tail", "\n\n")))


def from_dict(data: Mapping[str, Any]) -> Doc:
    """A Doc from its JSON form; errors name what is wrong."""
    if not isinstance(data, Mapping) or "text" not in data:
        raise InputError("not a jingdu note: a JSON object with a 'text' is expected")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise InputError(f"unsupported schema {schema!r} (this jingdu reads {SCHEMA})")
    text = data["text"]
    if not isinstance(text, str):
        raise InputError("'text' must be a string")
    _check_shape(data)
    try:
        blocks = [_block(b) for b in data.get("blocks") or []] or [Block("paragraph", 0, len(text))]
        spans = [Span(int(s["start"]), int(s["end"]), name, s.get("tag"), s.get("origin", "note"), s.get("note"))
                 for name, items in (data.get("layers") or {}).items() for s in items]
        return Doc.build(blocks, text, spans, Meta.from_dict(data.get("meta") or {}))
    except (KeyError, TypeError, AttributeError, OverflowError) as exc:
        raise InputError(f"malformed note JSON: missing or bad field {exc}") from exc
    except (SpanError, ValueError) as exc:
        raise InputError(f"malformed note JSON: {exc}") from exc


def _check_shape(data: Mapping[str, Any]) -> None:
    """The containers are what the schema says, and no string holds a lone surrogate."""
    blocks, layers, meta = data.get("blocks") or [], data.get("layers") or {}, data.get("meta") or {}
    if not isinstance(blocks, list) or not all(isinstance(b, Mapping) for b in blocks):
        raise InputError("malformed note JSON: 'blocks' must be a list of objects")
    if not isinstance(layers, Mapping) or not all(
            isinstance(items, list) and all(isinstance(s, Mapping) for s in items) for items in layers.values()):
        raise InputError("malformed note JSON: 'layers' must map each layer's name to a list of span objects")
    if not isinstance(meta, Mapping):
        raise InputError("malformed note JSON: 'meta' must be an object")
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"malformed note JSON: a string holds a lone surrogate ({exc.object[exc.start:exc.end]!a})"
                         ) from exc
    except (TypeError, ValueError) as exc:
        raise InputError(f"malformed note JSON: {exc}") from exc


def from_json(text: str) -> Doc:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc}") from exc
    return from_dict(data)
