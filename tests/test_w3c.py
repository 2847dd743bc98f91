"""The W3C export against the Web Annotation Data Model's MUST clauses
(https://www.w3.org/TR/annotation-model/), written out here as small checks; stable ids; created."""

from __future__ import annotations

import re
from typing import Any

from jingdu.model import Span
from jingdu.notation import read_note
from jingdu.w3c import CONTEXT, to_w3c

IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("type")
    return t if isinstance(t, list) else [t]


def _context_ok(obj: dict[str, Any]) -> bool:
    ctx = obj.get("@context")
    return ctx == CONTEXT or (isinstance(ctx, list) and CONTEXT in ctx)


def selector_errors(sel: dict[str, Any]) -> list[str]:
    if sel.get("type") == "TextQuoteSelector":
        ok = isinstance(sel.get("exact"), str) and all(isinstance(sel.get(k, ""), str) for k in ("prefix", "suffix"))
        return [] if ok else ["TextQuoteSelector needs a string exact"]
    if sel.get("type") == "TextPositionSelector":
        s, e = sel.get("start"), sel.get("end")
        ok = isinstance(s, int) and isinstance(e, int) and 0 <= s <= e
        return [] if ok else ["TextPositionSelector needs 0 <= start <= end integers"]
    return [f"unknown selector {sel.get('type')}"]


def annotation_errors(a: dict[str, Any], embedded: bool = False) -> list[str]:
    errs = []
    if not embedded and not _context_ok(a):
        errs.append("@context must hold the anno.jsonld context")
    if not (isinstance(a.get("id"), str) and IRI.match(a["id"])):
        errs.append("an Annotation must have exactly one IRI id")
    if "Annotation" not in _types(a):
        errs.append("type must include Annotation")
    targets = a.get("target")
    if not targets:
        errs.append("an Annotation must have at least one target")
    for t in targets if isinstance(targets, list) else [targets]:
        if isinstance(t, dict):
            if not (isinstance(t.get("source"), str) and IRI.match(t["source"])):
                errs.append("a SpecificResource must have one IRI source")
            sels = t.get("selector", [])
            for sel in sels if isinstance(sels, list) else [sels]:
                errs += selector_errors(sel)
    bodies = a.get("body", [])
    for b in bodies if isinstance(bodies, list) else [bodies]:
        if "TextualBody" in _types(b) and not isinstance(b.get("value"), str):
            errs.append("a TextualBody must have a string value")
        if "purpose" in b and b["purpose"] not in MOTIVATIONS:
            errs.append("purpose must be a motivation")
    if a.get("motivation") not in MOTIVATIONS:
        errs.append("motivation must be one of the model's")
    if "created" in a and not DATETIME.match(a["created"]):
        errs.append("created must be an xsd:dateTime with a timezone")
    return errs


def page_errors(p: dict[str, Any]) -> list[str]:
    errs = []
    if not (isinstance(p.get("id"), str) and IRI.match(p["id"])):
        errs.append("an AnnotationPage must have an IRI id")
    if "AnnotationPage" not in _types(p):
        errs.append("type must include AnnotationPage")
    if not isinstance(p.get("items"), list):
        errs.append("an AnnotationPage must have items")
    if "startIndex" in p and not (isinstance(p["startIndex"], int) and p["startIndex"] >= 0):
        errs.append("startIndex must be a non-negative integer")
    for item in p.get("items", []):
        errs += annotation_errors(item, embedded=True)
    return errs


def collection_errors(c: dict[str, Any]) -> list[str]:
    errs = []
    if not _context_ok(c):
        errs.append("@context must hold the anno.jsonld context")
    if not (isinstance(c.get("id"), str) and IRI.match(c["id"])):
        errs.append("an AnnotationCollection must have an IRI id")
    if "AnnotationCollection" not in _types(c):
        errs.append("type must include AnnotationCollection")
    if "total" in c and not (isinstance(c["total"], int) and c["total"] >= 0):
        errs.append("total must be a non-negative integer")
    first = c.get("first")
    if isinstance(first, dict):
        errs += page_errors(first)
        if c.get("total") != len(first.get("items", [])):
            errs.append("total must count the items")
    return errs


def test_export_meets_the_models_must_clauses(sample_note_text: str) -> None:
    coll = to_w3c(read_note(sample_note_text))
    assert coll["first"]["items"]
    assert collection_errors(coll) == []


def test_annotation_page_has_an_id(sample_note_text: str) -> None:
    page = to_w3c(read_note(sample_note_text))["first"]
    assert IRI.match(page["id"]) and page["id"] != to_w3c(read_note(sample_note_text))["id"]


def test_every_annotation_is_stamped_created(sample_note_text: str) -> None:
    items = to_w3c(read_note(sample_note_text), created="2025-03-08T12:00:00Z")["first"]["items"]
    assert {a["created"] for a in items} == {"2025-03-08T12:00:00Z"}
    assert all(DATETIME.match(a["created"]) for a in to_w3c(read_note(sample_note_text))["first"]["items"])


def test_ids_are_unique(sample_note_text: str) -> None:
    ids = [a["id"] for a in to_w3c(read_note(sample_note_text))["first"]["items"]]
    assert len(ids) == len(set(ids))


def _ids(doc) -> set[str]:
    return {a["id"] for a in to_w3c(doc)["first"]["items"]}


def test_ids_do_not_shift_when_a_mark_is_added(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    assert _ids(doc) < _ids(doc.with_spans([Span(0, 2, "bold")]))


def test_ids_do_not_shift_when_a_mark_is_removed(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    gone = doc.spans("bold")[0]
    fewer = doc.with_spans([s for s in doc.spans("bold") if s != gone], replace_layers=["bold"])
    assert len(_ids(doc) - _ids(fewer)) == 1 and _ids(fewer) < _ids(doc)


def test_empty_context_is_left_out() -> None:
    doc = read_note("# 标题\n\n<strong>加粗</strong>\n")
    quote = to_w3c(doc)["first"]["items"][0]["target"]["selector"][0]
    assert "suffix" not in quote or quote["suffix"]
