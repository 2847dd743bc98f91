"""The user's corrections as marks: add, accept, reject and remove spans of one layer.

Marks are kept apart from the note as read: ``user`` spans (the user's own marks; an accepted
suggestion becomes one) and ``rejected`` model spans (suggestions the user turned down).  The
note shown is the stored one with the rejected suggestions left out and the user's marks added,
so ``jingdu train`` sees the user's corrections as marks like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jingdu.errors import InputError
from jingdu.model import SCORED_LAYERS, Doc, Span, merge_spans

#: Layers a user may mark in the workbench.
MARKABLE: tuple[str, ...] = (*SCORED_LAYERS, "underline")


@dataclass(frozen=True)
class MarkSet:
    """The user's spans and the model spans they rejected, per note."""

    user: tuple[Span, ...] = ()
    rejected: tuple[tuple[str, int, int], ...] = ()  # (layer, start, end) of model spans


def check_range(doc: Doc, layer: str, start: int, end: int) -> None:
    if layer not in MARKABLE:
        raise InputError(f"cannot mark layer {layer!r}; one of {', '.join(MARKABLE)}")
    if not 0 <= start < end <= len(doc.text):
        raise InputError(f"bad range [{start}, {end}) for a text of {len(doc.text)} characters")


def apply(doc: Doc, marks: MarkSet) -> Doc:
    """The note as the user sees it: suggestions they rejected gone, their own marks added."""
    if not marks.user and not marks.rejected:
        return doc
    rejected = set(marks.rejected)
    layers: dict[str, list[Span]] = {}
    for name, spans in doc.layers.items():
        layers[name] = [s for s in spans if not (s.origin == "model" and (s.layer, s.start, s.end) in rejected)]
    for sp in marks.user:
        if sp.end <= len(doc.text):
            layers.setdefault(sp.layer, []).append(sp)
    return Doc(doc.text, doc.blocks, layers, doc.meta)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without the blanks (line breaks, ideographic spaces) at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InputError("the selection holds only blanks")
    return start, end


def _model_spans(doc: Doc, layer: str, start: int, end: int) -> list[Span]:
    return [s for s in doc.spans(layer) if s.origin == "model" and s.start < end and s.end > start]


def _cut(spans: Iterable[Span], layer: str, start: int, end: int) -> list[Span]:
    """User spans with ``[start, end)`` of ``layer`` taken out."""
    out: list[Span] = []
    for s in spans:
        if s.layer != layer or s.end <= start or s.start >= end:
            out.append(s)
            continue
        if s.start < start:
            out.append(Span(s.start, start, s.layer, s.tag, "user"))
        if s.end > end:
            out.append(Span(end, s.end, s.layer, s.tag, "user"))
    return out


def add_mark(shown: Doc, marks: MarkSet, layer: str, start: int, end: int) -> MarkSet:
    """Mark ``[start, end)`` as the user's; suggestions of the layer inside it are accepted."""
    check_range(shown, layer, start, end)
    start, end = trim(shown.text, start, end)
    accepted = [s for s in _model_spans(shown, layer, start, end) if s.start >= start and s.end <= end]
    user = [*marks.user, Span(start, end, layer, None, "user")]
    rejected = {*marks.rejected, *((s.layer, s.start, s.end) for s in accepted)}
    return MarkSet(tuple(sorted(merge_spans(user))), tuple(sorted(rejected)))


def accept_mark(shown: Doc, marks: MarkSet, layer: str, start: int, end: int) -> MarkSet:
    """Turn the suggestion ``[start, end)`` of ``layer`` into the user's mark."""
    check_range(shown, layer, start, end)
    if not any(s.start == start and s.end == end for s in _model_spans(shown, layer, start, end)):
        raise InputError(f"no suggested {layer} mark at [{start}, {end})")
    return add_mark(shown, marks, layer, start, end)


def remove_mark(shown: Doc, marks: MarkSet, layer: str, start: int, end: int) -> MarkSet:
    """Take ``[start, end)`` of ``layer`` out: the user's marks are cut, suggestions rejected."""
    check_range(shown, layer, start, end)
    rejected = {*marks.rejected, *((s.layer, s.start, s.end) for s in _model_spans(shown, layer, start, end))}
    return MarkSet(tuple(sorted(_cut(marks.user, layer, start, end))), tuple(sorted(rejected)))


def suggestions(doc: Doc) -> list[Span]:
    """The model's marks still waiting for the user's word, in reading order."""
    return sorted((s for s in doc.all_spans() if s.origin == "model" and s.layer in MARKABLE),
                  key=lambda s: (s.start, s.layer))
