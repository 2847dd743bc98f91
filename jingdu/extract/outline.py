"""The article's structure: sections with headings, levels and topic sentences; a Mermaid
``mindmap`` and a Markdown outline of it.

Headings are the note's heading blocks; an article without them falls back to its paragraphs
that read like headings (一、…, （一）…, a short line without closing punctuation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jingdu.extract.record import as_dict
from jingdu.model import Block, Doc
from jingdu.segment import split_block

_PSEUDO_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])")
_CLOSING = tuple("。！？；…”")
TOPIC_MAX = 80


@dataclass(frozen=True, slots=True)
class Section:
    """One section: ``heading`` is ``Doc.text[start:start+len(heading)]``; ``end`` ends its body."""

    heading: str
    level: int
    topic: str | None
    start: int
    end: int
    paragraphs: int

    def to_dict(self) -> dict[str, object]:
        return as_dict(self)


def _topic(doc: Doc, blocks: list[Block]) -> str | None:
    for b in blocks:
        if b.kind in ("paragraph", "html", "quote") and b.end > b.start:
            sents = split_block(doc.block_text(b), b.start)
            if sents:
                text = doc.text[sents[0][0]:sents[0][1]]
                return text if len(text) <= TOPIC_MAX else text[:TOPIC_MAX] + "…"
    return None


def _is_heading(doc: Doc, b: Block) -> bool:
    if b.kind == "heading":
        return True
    if b.kind != "paragraph":
        return False
    text = doc.block_text(b).strip()
    return bool(_PSEUDO_HEADING.match(text)) and len(text) <= 40 or (
        4 <= len(text) <= 24 and not text.endswith(_CLOSING) and "，" not in text)


def _level(doc: Doc, b: Block) -> int:
    if b.kind == "heading":
        return b.level or 3
    text = doc.block_text(b).strip()
    return 4 if text.startswith("（") else 3


def lead(doc: Doc) -> str | None:
    """The topic sentence of the article: the first sentence of its first paragraph."""
    return _topic(doc, [b for b in doc.blocks if b.kind in ("paragraph", "html")][:1])


def find_sections(doc: Doc) -> list[Section]:
    """Sections in text order."""
    blocks = [b for b in doc.blocks if b.kind not in ("title", "source", "frontmatter", "footer")]
    heads = [i for i, b in enumerate(blocks) if b.kind == "heading" and b.end > b.start]
    if not heads:
        heads = [i for i, b in enumerate(blocks) if _is_heading(doc, b)]
    out: list[Section] = []
    for k, i in enumerate(heads):
        body = blocks[i + 1: heads[k + 1] if k + 1 < len(heads) else len(blocks)]
        text_body = [b for b in body if b.kind in ("paragraph", "html", "quote") and b.end > b.start]
        end = text_body[-1].end if text_body else blocks[i].end
        heading = doc.block_text(blocks[i]).strip()
        out.append(Section(heading, _level(doc, blocks[i]), _topic(doc, text_body), blocks[i].start, end,
                           len(text_body)))
    return out


@dataclass(frozen=True, slots=True)
class Outline:
    """The article's title, lead (its first sentence) and sections."""

    title: str
    lead: str | None
    sections: tuple[Section, ...]

    def to_dict(self) -> dict[str, object]:
        return {"title": self.title, "lead": self.lead, "sections": [s.to_dict() for s in self.sections]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outline:
        return cls(str(data["title"]), data.get("lead"), tuple(Section(**s) for s in data["sections"]))


def outline(doc: Doc) -> Outline:
    """The article's outline: title, lead and sections."""
    return Outline(doc.title, lead(doc), tuple(find_sections(doc)))


# -- renderings --------------------------------------------------------------------------------
_MERMAID_SWAP = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】", "{": "｛", "}": "｝", '"': "”",
                               "'": "’", "`": "’", "<": "＜", ">": "＞", "#": "＃", ":": "：", ";": "；"})


def mermaid_text(text: str, limit: int = 40) -> str:
    """Text safe inside a Mermaid node: brackets, quotes and markup swapped for full-width forms."""
    clean = " ".join(text.split()).translate(_MERMAID_SWAP)
    return clean if len(clean) <= limit else clean[:limit] + "…"


def outline_mermaid(source: Doc | Outline) -> str:
    """A Mermaid ``mindmap`` of a document or of its (stored) outline: the title as a circle
    root, sections as rounded nodes and their topic sentences as plain leaves.  Two spaces of
    indentation per level."""
    out = source if isinstance(source, Outline) else outline(source)
    lines = ["mindmap", f"  root(({mermaid_text(out.title or 'untitled') or 'untitled'}))"]
    sections = out.sections
    base = min((s.level for s in sections), default=3)
    for n, s in enumerate(sections, 1):
        depth = 2 + max(0, s.level - base)
        lines.append("  " * depth + f"s{n}({mermaid_text(s.heading) or '…'})")
        if s.topic:
            lines.append("  " * (depth + 1) + mermaid_text(s.topic))
    if not sections and out.lead:
        lines.append("    " + mermaid_text(out.lead))
    return "\n".join(lines) + "\n"


def outline_markdown(doc: Doc) -> str:
    """The outline as Markdown: title, lead, then headings with their topic sentences."""
    lines = [f"# {doc.title or 'untitled'}", ""]
    first = lead(doc)
    if first:
        lines += [f"> {first}", ""]
    for s in find_sections(doc):
        lines.append(f"{'#' * min(6, max(2, s.level))} {s.heading}")
        if s.topic:
            lines += ["", f"- {s.topic}"]
        lines.append("")
    return "\n".join(lines)
