"""Where a note's blocks are, decided the way CommonMark decides them (markdown-it-py).

The notation is read line by line (each text line a block of its own, so that a block's text
maps onto its source), but which lines are *layout* — kept as they are and never article text —
is what a CommonMark renderer (Hugo's goldmark, Obsidian, markdown-it) says:

* in HTML blocks (all seven kinds), the lines of an embed element (``<iframe>``, ``<video>``,
  ``<script>`` … from its start tag to its end tag), of a comment or declaration, and of a tag
  written over several lines; the other lines of an HTML block (``<p>…</p>``, ``<h3 …>…</h3>``,
  text between them) are text lines;
* fenced and indented code, tables, thematic breaks;
* lines that hold only Hugo shortcodes (``{{< … >}}``, ``{{% … %}}``);
* link reference definitions (``[gov]: https://…``), which a renderer does not show;

and which lines are headings (ATX, setext, and headings inside list items or block quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

#: HTML elements whose block is an embed or program, not article text.
EMBED_TAGS = frozenset({"iframe", "video", "audio", "object", "embed", "script", "style", "svg", "canvas", "form",
                        "input", "select", "textarea", "button", "noscript", "template", "pre", "table", "math",
                        "picture", "source", "map", "area", "frameset", "frame"})
SHORTCODE_LINE = re.compile(r"^[ \t]*(?:\{\{[<%].*?[%>]\}\}[ \t]*)+\r?$")
_VOID = frozenset({"embed", "input", "source", "area", "frame"})
_ATX = re.compile(r"^((?:[ \t]*(?:>|[-*+]|\d{1,9}[.)]))*[ \t]*)(#{1,6})(?:[ \t]+|$)")


@dataclass(frozen=True)
class Layout:
    """A run of lines ``[start, end)`` that is layout of one kind."""

    kind: str  # raw (an HTML block) | fence (code) | table | break | shortcode
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    """A heading: its level, and its underline line when it is a setext heading."""

    level: int
    setext: bool = False


@dataclass(frozen=True)
class Structure:
    """What CommonMark makes of a note's body, by line."""

    layout: dict[int, Layout]  # first line -> the layout run starting there
    headings: dict[int, Heading]  # heading line -> heading
    inside: frozenset[int]  # every line that a layout run covers


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


class _LayoutLines(HTMLParser):
    """Which lines of an HTML block are not text: inside an embed element, a comment or
    declaration, or a tag written over several lines."""

    def __init__(self, n_lines: int) -> None:
        super().__init__(convert_charrefs=True)
        self.n = n_lines
        self.marked: set[int] = set()
        self.open: list[tuple[str, int]] = []  # embed elements not yet closed: (tag, first line)

    def _mark(self, first: int, last: int) -> None:
        self.marked.update(range(first, min(last, self.n - 1) + 1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        raw = self.get_starttag_text() or ""
        last = line + raw.count("\n")
        if last > line:
            self._mark(line, last)
        if tag in EMBED_TAGS:
            self._mark(line, last)
            if tag not in _VOID:
                self.open.append((tag, line))

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0] - 1
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                self._mark(self.open[i][1], line)
                del self.open[i:]
                return

    def _whole(self, text: str) -> None:
        line = self.getpos()[0] - 1
        self._mark(line, line + text.count("\n"))

    handle_comment = handle_decl = handle_pi = unknown_decl = _whole

    def lines(self, text: str) -> set[int]:
        self.feed(text)
        self.close()
        for _, first in self.open:  # an embed never closed runs to the block's end
            self._mark(first, self.n - 1)
        if self.rawdata and self.rawdata.lstrip().startswith("<"):  # a tag left unfinished at the end
            self._mark(self.getpos()[0] - 1, self.n - 1)
        return self.marked


def layout_lines(lines: list[str]) -> set[int]:
    """The indices of the lines of an HTML block that are layout, not text."""
    return _LayoutLines(len(lines)).lines("\n".join(lines))


def structure(body: str) -> Structure:
    """Layout runs and headings of ``body`` (line numbers are 0-based)."""
    lines = body.splitlines()
    layout: dict[int, Layout] = {}
    headings: dict[int, Heading] = {}
    shown: set[int] = set()  # lines of the top-level blocks a renderer shows
    for tok in _parser().parse(body):
        if tok.map is None:
            continue
        start, end = tok.map
        if tok.level == 0:
            shown.update(range(start, end))
        if tok.type == "html_block":
            for first, last in _runs(sorted(start + i for i in layout_lines(lines[start:end]))):
                layout[first] = Layout("raw", first, last + 1)
        elif tok.type in ("fence", "code_block"):
            layout[start] = Layout("fence", start, end)
        elif tok.type == "table_open":
            layout[start] = Layout("table", start, end)
        elif tok.type == "hr":
            layout[start] = Layout("break", start, end)
        elif tok.type == "heading_open":
            headings[start] = Heading(int(tok.tag[1]), tok.markup in ("=", "-"))
    inside = {i for run in layout.values() for i in range(run.start, run.end)}
    for i, line in enumerate(lines):
        if i not in inside and i not in headings and SHORTCODE_LINE.match(line):
            layout[i] = Layout("shortcode", i, i + 1)
            inside.add(i)
    definitions = [i for i, line in enumerate(lines) if line.strip() and i not in shown and i not in inside]
    for first, last in _runs(definitions):  # what a renderer consumed and does not show
        layout[first] = Layout("raw", first, last + 1)
        inside.update(range(first, last + 1))
    return Structure(layout, headings, frozenset(inside))


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs ``(first, last)`` of sorted numbers."""
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def atx_prefix(line: str) -> tuple[str, int] | None:
    """``(prefix, level)`` of an ATX heading line: container markers and ``#``s with the space
    after them (``  - #### ``, ``> ### ``)."""
    m = _ATX.match(line)
    return (m.group(0), len(m.group(2))) if m else None


#: Inline tags that are marks (they come and go with annotation); every other tag is structure.
MARK_TAGS = frozenset({"span", "strong", "b", "font", "u", "mark"})
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
_MARK_TAG = re.compile(r"</?(?:" + "|".join(sorted(MARK_TAGS)) + r")\b[^<>]*>", re.I)


def signature(markdown: str) -> list[tuple[str, ...]]:
    """The CommonMark structure of a note as markdown-it-py parses it, without its words and
    marks: block kinds and heading levels, HTML blocks, code, link targets, images and inline
    HTML other than the marks' tags.  Annotating a note must leave it unchanged."""
    out: list[tuple[str, ...]] = []
    for tok in _parser().parse(markdown):
        if tok.type == "html_block":
            out.append((tok.type, _MARK_TAG.sub("", tok.content)))
        elif tok.type in ("fence", "code_block"):
            out.append((tok.type, tok.content))
        elif tok.type.endswith("_open") or tok.type == "hr":
            out.append((tok.type, tok.tag))
        elif tok.type == "inline":
            out.extend(_inline_signature(tok.children or []))
    return out


def _inline_signature(children: list[Token]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for child in children:
        if child.type == "link_open":
            out.append(("link", str(child.attrs.get("href", ""))))
        elif child.type == "image":
            out.append(("image", str(child.attrs.get("src", ""))))
        elif child.type == "html_inline":
            m = _TAG_NAME.match(child.content)
            if not m or m.group(1).lower() not in MARK_TAGS:
                out.append(("html_inline", child.content))
        elif child.type in ("em_open", "code_inline", "hardbreak"):
            out.append((child.type, child.content))
    return out
