"""What the note page shows besides the text: figures, outline and mind map, all from the
note's stored :class:`~jingdu.extract.Extraction`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jingdu.extract import Extraction, outline_mermaid


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


def figures(extracted: Extraction) -> list[Figure]:
    """The extractor's facts as table rows."""
    return [Figure(f.subject or f.surface, float(f.value), f.unit, f.sentence, f.start, f.surface, f.period or "")
            for f in extracted.facts]


def chart(figs: list[Figure], limit: int = 12) -> list[dict[str, Any]]:
    """One bar per figure; bars are scaled within their unit (values in different units are not
    comparable, so each unit's largest value gets the full width)."""
    chosen = [f for f in figs if f.value > 0][:limit]
    top: dict[str, float] = {}
    for f in chosen:
        top[f.unit] = max(top.get(f.unit, 0.0), f.value)
    return [{"label": f.label, "value": f.value, "unit": f.unit, "width": round(300 * f.value / top[f.unit], 1),
             "shown": f.surface or f"{f.value:g}{f.unit}", "y": 8 + i * 26} for i, f in enumerate(chosen)]


def outline(extracted: Extraction) -> OutlineNode:
    """Title, lead and sections (heading, topic sentence) of the extractor's outline as a tree."""
    data = extracted.outline
    root = OutlineNode(data.title or "(untitled)", 0)
    if data.lead:
        root.children.append(OutlineNode(data.lead[:80]))
    for sec in data.sections:
        node = OutlineNode(sec.heading, sec.start)
        if sec.topic:
            node.children.append(OutlineNode(sec.topic[:80]))
        root.children.append(node)
    return root


def mermaid(extracted: Extraction) -> str:
    """The note's mind map in mermaid ``mindmap`` syntax."""
    return outline_mermaid(extracted.outline)
