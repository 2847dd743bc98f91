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


#: The chart's drawing box (SVG user units): width, the longest bar, characters a label line holds.
CHART_WIDTH, BAR_MAX, LABEL_CHARS = 330, 220, 26
LINE, BAR, GAP, HEAD = 15, 12, 9, 20


def _wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """A label in lines of at most ``width`` characters (whole, never cut)."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def chart(figs: list[Figure], limit: int = 12) -> dict[str, Any]:
    """The figures as bars grouped by unit (秒, 个 and 亿元 are never on one axis): each group has a
    heading, each bar its whole label above it; bars are scaled within their unit; a unit with a
    single figure gets no bar (it compares with nothing); ``limit`` bars at most.

    Returns ``{"height": …, "groups": [{"unit", "y", "bars": [{"lines": [{"text", "y"}], "y",
    "width", "shown", "value_x"}]}]}`` in SVG user units of a box :data:`CHART_WIDTH` wide."""
    groups: dict[str, list[Figure]] = {}
    for f in figs:
        if f.value > 0:
            groups.setdefault(f.unit or "—", []).append(f)
    # a unit with one figure compares with nothing (the table above lists it): no bar of its own
    groups = {unit: members[:limit] for unit, members in groups.items() if len(members) >= 2}
    kept = 0
    for unit in list(groups):
        groups[unit] = groups[unit][:max(0, limit - kept)]
        kept += len(groups[unit])
        if len(groups[unit]) < 2:
            del groups[unit]
    y = 0.0
    out = []
    for unit, members in groups.items():
        top = max(f.value for f in members)
        y += HEAD
        group: dict[str, Any] = {"unit": unit, "y": y - 6, "bars": []}
        for f in members:
            lines = []
            for text in _wrap(f.label):
                y += LINE
                lines.append({"text": text, "y": y - 3})
            width = round(max(2.0, BAR_MAX * f.value / top), 1)
            group["bars"].append({"lines": lines, "y": y + 1, "width": width, "value_x": width + 4,
                                  "shown": f.surface or f"{f.value:g}{f.unit}", "label": f.label})
            y += BAR + GAP
        out.append(group)
    return {"height": round(y + 4), "groups": out, "width": CHART_WIDTH}


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
