"""What the note page shows besides the text: figures, outline and mind map.

Uses :mod:`jingdu.extract`; should the extractor fail on a note, the page falls back to small
readers of the note's own marks (bold spans with a number are figures, headings and highlights
make the outline) rather than going down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jingdu.extract import extract, outline_mermaid
from jingdu.model import Doc

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)\s*(%|％|万亿元|亿元|万元|元|万人|人|个|项|家|公里|千米|米|吨|万吨|倍|年)?")
_SENT_END = "。！？；!?;"


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str
    text: str
    start: int | None = None
    surface: str = ""
    period: str = ""


@dataclass
class OutlineNode:
    title: str
    start: int | None = None
    children: list[OutlineNode] = field(default_factory=list)


def extract_or_none(doc: Doc) -> dict[str, Any] | None:
    """The extractor's answer for ``doc``, or None when it fails."""
    try:
        return extract(doc)
    except Exception:  # an extractor failure must not take the page down
        return None


def _sentence_at(doc: Doc, pos: int) -> tuple[int, int]:
    start = max(doc.text.rfind("\n", 0, pos), max(doc.text.rfind(c, 0, pos) for c in _SENT_END)) + 1
    ends = [i for i in (doc.text.find(c, pos) for c in _SENT_END + "\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(doc.text))


def _to_float(raw: str) -> float | None:
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def figures(doc: Doc, extracted: dict[str, Any] | None = None) -> list[Figure]:
    """Numbers worth a table: the extractor's facts, else bold spans holding a number."""
    out: list[Figure] = []
    for fact in (extracted or {}).get("facts") or []:
        if not isinstance(fact, dict):
            continue
        text = str(fact.get("text") or fact.get("sentence") or "")
        value = fact.get("value")
        num = _to_float(str(value)) if value is not None else None
        m = _NUMBER.search(str(fact.get("figure") or fact.get("number") or text))
        if num is None and m:
            num = _to_float(m.group(1))
        if num is None:
            continue
        unit = str(fact.get("unit") or (m.group(2) if m and m.group(2) else ""))
        surface = str(fact.get("surface") or "")
        label = str(fact.get("label") or fact.get("subject") or fact.get("indicator") or surface or text[:24])
        start = fact.get("start")
        out.append(Figure(label, num, unit, text, start if isinstance(start, int) else None, surface,
                          str(fact.get("period") or "")))
    if out or extracted and extracted.get("facts") is not None:
        return out
    for sp in doc.spans("bold"):
        words = doc.span_text(sp)
        m = _NUMBER.search(words)
        if not m or not m.group(2):
            continue
        num = _to_float(m.group(1))
        if num is None:
            continue
        label = words[: m.start()].strip("，, ：:") or words
        s, e = _sentence_at(doc, sp.start)
        out.append(Figure(label[-24:], num, m.group(2), doc.text[s:e].strip(), sp.start, m.group(0)))
    return out


def chart(figs: list[Figure], limit: int = 12) -> list[dict[str, Any]]:
    """One bar per figure; bars are scaled within their unit (values in different units are not
    comparable, so each unit's largest value gets the full width)."""
    chosen = [f for f in figs if f.value > 0][:limit]
    top: dict[str, float] = {}
    for f in chosen:
        top[f.unit] = max(top.get(f.unit, 0.0), f.value)
    return [{"label": f.label, "value": f.value, "unit": f.unit, "width": round(300 * f.value / top[f.unit], 1),
             "shown": f.surface or f"{f.value:g}{f.unit}", "y": 8 + i * 26} for i, f in enumerate(chosen)]


def outline(doc: Doc, extracted: dict[str, Any] | None = None) -> OutlineNode:
    """Title, section headings, and under each the section's first highlighted sentence."""
    data = (extracted or {}).get("outline")
    if isinstance(data, dict) and data.get("title") is not None:
        return _node_from(data)
    root = OutlineNode(doc.title or doc.meta.title or "(untitled)", 0)
    current = root
    highlights = [s for s in doc.spans("highlight")]
    taken: set[int] = set()
    for b in doc.blocks:
        if b.kind == "heading" and b.end > b.start:
            current = OutlineNode(doc.block_text(b).strip(), b.start)
            root.children.append(current)
        elif b.kind in ("paragraph", "quote", "html"):
            for i, sp in enumerate(highlights):
                if b.start <= sp.start < b.end and i not in taken and len(current.children) < 3:
                    taken.add(i)
                    current.children.append(OutlineNode(doc.span_text(sp).strip()[:60], sp.start))
    return root


def _node_from(data: dict[str, Any]) -> OutlineNode:
    """The extractor's outline (title, lead, sections of heading + topic sentence) as a tree."""
    start = data.get("start")
    node = OutlineNode(str(data.get("title") or data.get("heading") or data.get("text") or ""),
                       start if isinstance(start, int) else None)
    for key in ("lead", "topic"):
        if data.get(key):
            node.children.append(OutlineNode(str(data[key])[:80]))
    for kid in data.get("children") or data.get("sections") or []:
        if isinstance(kid, dict):
            node.children.append(_node_from(kid))
    return node


def _mm_text(text: str) -> str:
    return re.sub(r"[()\[\]{}\"<>]", " ", text).strip() or "…"


def mermaid(doc: Doc, tree: OutlineNode) -> str:
    """The note's mermaid ``mindmap`` source: the extractor's, or ``tree``'s should it fail."""
    try:
        return str(outline_mermaid(doc))
    except Exception:  # like extract_or_none: the page shows the outline's own mind map
        pass
    lines = ["mindmap", f"  root(({_mm_text(tree.title)}))"]

    def walk(node: OutlineNode, depth: int) -> None:
        for kid in node.children:
            lines.append("  " * depth + _mm_text(kid.title))
            walk(kid, depth + 1)

    walk(tree, 2)
    return "\n".join(lines)
