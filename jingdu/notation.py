"""Read and write the note notation (Markdown with inline HTML marks, see shared/NOTATION.md).

``read_note(source) -> Doc`` understands every variant the corpus and its tools write:
``<span style="background:#fff88f">``, ``<mark …>``, ``==…==``, ``<strong>``/``<b>``/``**``,
``<font color=…>``, ``<u>``, nested layers, an unclosed ``<font>`` (ends with its line), raw
HTML paragraphs (``<p>``, ``<h4 …>``), fences, tables, images, a Hugo front matter and the
site footer; and the Markdown of clippers and Obsidian, kept as the page's structure: links with
titles and references, autolinks, footnotes, emphasis, strikethrough, wikilinks and embeds.
``write_note(doc) -> str`` renders a document back; a block whose text and marks are unchanged is
written byte for byte as it was read, and a block that would read back otherwise is written with
its Markdown-like characters as entities.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

from jingdu.blocks import Heading, atx_prefix, signature, structure
from jingdu.errors import InputError
from jingdu.model import HIGHLIGHT_COLOUR, TEXT_BLOCKS, Block, Doc, DocBuilder, Meta, Span, block_digest

HIGHLIGHT_TAG = f'<span style="background:{HIGHLIGHT_COLOUR}">'
DEFAULT_TAGS: dict[str, str] = {
    "highlight": HIGHLIGHT_TAG,
    "bold": "<strong>",
    "red": '<font color="#ff0000">',
    "underline": "<u>",
}
#: Nesting order when spans cover the same text: outermost first.
LAYER_RANK: dict[str, int] = {"link": 0, "highlight": 1, "background": 2, "bold": 3, "red": 4,
                              "color": 5, "underline": 6}
#: The notation's paragraph indent (two of them) is layout: a block prefix, not article text.
INDENT_CHAR = "\u3000"
VOID_TAGS = frozenset({"br", "img", "hr", "meta", "input", "wbr"})
_STAR, _EQ, _EM = "jdstar", "jdeq", "jdem"
#: Emphasis, ``*要点*`` (and ``_要点_`` where no letter or digit touches it from outside, as CommonMark
#: reads it): the page's structure, which marks stay out of, not a layer of the reader's.  It may
#: hold tags, not a bare ``<``.
_IN_TAG = r"<[A-Za-z/][^<>\n]*>"
_MD_EM = re.compile(rf"(?<![*\\])(\*)(?=[^\s*])((?:[^*\n<>]|{_IN_TAG})+?)(?<![\s*\\])\*(?!\*)"
                    rf"|(?<![\w\\])(_)(?=[^\s_])((?:[^_\n<>]|(?<=\w)_(?=\w)|{_IN_TAG})+?)(?<![\s_\\])_(?!\w)")
#: Strikethrough (``~~旧说法~~``, GFM: Hugo, Obsidian), structure as emphasis is.
_MD_DEL = re.compile(rf"(?<!~)(~~)(?=[^\s~])((?:[^~\n<>]|{_IN_TAG})+?)(?<![\s~])~~(?!~)")
EMPHASIS = frozenset({"*", "_", "~~"})
#: What follows a link's or image's text: ``(url)``, ``(<url>)``, ``(url "title")``, or a reference ``[ref]``.
_MD_TAIL = (r"(?:\([ \t]*(?:<[^<>\n]*>|[^()\s]*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*\)"
            r"|\[[^\[\]\n]*\])")
_MD_LINK = re.compile(rf"(?<!!)\[([^\[\]]*)\]({_MD_TAIL})")
_MD_IMAGE = re.compile(rf"!\[[^\[\]]*\]{_MD_TAIL}")
#: Markup kept as written, not text: autolinks (``<https://…>``, ``<a@b.cn>``), footnote references
#: (``[^1]``) and the label opening a footnote's definition (``[^1]: ``).
_MD_VOID = re.compile(r"^\[\^[^\[\]\s]+\]:[ \t]*|\[\^[^\[\]\s]+\]"
                      r"|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>"
                      r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>")
#: Obsidian's wikilinks: ``[[页面]]``, ``[[页面|显示的字]]`` (a link: its shown words are text) and
#: embeds ``![[图.png]]`` (kept as written, not text).
_WIKI = re.compile(r"(!?)\[\[([^\[\]\n|]+?)(\|[^\[\]\n]*)?\]\]")
_TAG = re.compile(r"(<[A-Za-z/!?][^<>]*>)")
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_CODE_HIDE = frozenset("<>&*=[]!`")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: Layers that are the page's structure (a mark never crosses them) or its source bytes.
STRUCTURE_LAYERS = frozenset({"link", "html", "entity", "void", "code"})
_FOOTER = re.compile(r"\n---\n\s*\n?> (?:作者|URL:)")
#: Container markup before a line's text: block quote markers, then a list item's marker.
_CONTAINER = re.compile(r"^(?:[ \t]*>[ \t]?)*(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_HTML_BLOCK = re.compile(r"^<(p|h[1-6]|div|section|blockquote|center)\b[^>]*>", re.I)
_RED = ("#ff0000", "red")


class NotationError(InputError, ValueError):
    """Text that cannot be read as a note (a :class:`~jingdu.errors.JingduError`: a 4xx, a named
    per-file error)."""


# -- inline markup ---------------------------------------------------------------------------
def _layer_of(tag: str, attrs: dict[str, str]) -> str:
    style = attrs.get("style", "").replace(" ", "").lower()
    if tag == "span":
        if f"background:{HIGHLIGHT_COLOUR}" in style:
            return "highlight"
        return "background" if "background" in style else "html"
    if tag == "mark":
        return "highlight"
    if tag in ("strong", "b"):
        return "bold"
    if tag == "font":
        return "red" if attrs.get("color", "").lower() in _RED else "color"
    if tag == "u":
        return "underline"
    if tag == "a":
        return "link"
    return "html"


class _InlineParser(HTMLParser):
    """Turns one line of inline markup into text and spans (offsets relative to the line)."""

    def __init__(self, entities: list[str], voids: list[str], codes: list[str], tails: list[str],
                 wikis: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.entities, self.voids, self.codes, self.tails, self.wikis = entities, voids, codes, tails, wikis
        self.parts: list[str] = []
        self.pos = 0
        self.stack: list[tuple[str, int, str, str]] = []  # (tag name, start, layer, raw tag)
        self.spans: list[Span] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag == "jdvoid":  # an image, embed, autolink or footnote label: a zero-width object kept as written
            self.spans.append(Span(self.pos, self.pos, "void", self.voids[int(dict(attrs).get("n") or 0)]))
            return
        if tag in VOID_TAGS:
            self.spans.append(Span(self.pos, self.pos, "void", raw))
            return
        a = {k: (v or "") for k, v in attrs}
        if tag == "jdent":
            layer, raw = "entity", self.entities[int(a.get("n", "0"))]
        elif tag == "jdcode":
            layer, raw = "code", self.codes[int(a.get("n", "0"))]
        elif tag == _STAR:
            layer, raw = "bold", "**"
        elif tag == _EQ:
            layer, raw = "highlight", "=="
        elif tag == _EM:
            layer, raw = "html", a.get("d") or "*"
        elif tag == "jdlink":
            layer, raw = "link", "[]" + self.tails[int(a.get("n", "0"))]
        elif tag == "jdwiki":  # its opening as written: [[ or [[页面|
            layer, raw = "link", self.wikis[int(a.get("n", "0"))]
        else:
            layer = _layer_of(tag, a)
        self.stack.append((tag, self.pos, layer, raw))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}/>"
        self.spans.append(Span(self.pos, self.pos, "void", raw))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self._close(self.stack.pop(i))
                return

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.pos += len(data)

    def _close(self, entry: tuple[str, int, str, str]) -> None:
        _, start, layer, raw = entry
        if self.pos > start:
            self.spans.append(Span(start, self.pos, layer, raw))

    def finish(self) -> tuple[str, list[Span]]:
        self.close()
        while self.stack:  # unclosed tags end with their line
            self._close(self.stack.pop())
        return "".join(self.parts), self.spans


def _markdown_to_tags(line: str, references: frozenset[str]) -> tuple[str, list[str]]:
    """``**``, ``==`` and links as tags; the links' tails (``(url "title")``, ``[ref]``) as written.
    ``[text][ref]`` is a link only when the note defines ``ref`` (else CommonMark shows it as is)."""
    line = re.sub(r"\*\*(.+?)\*\*", rf"<{_STAR}>\1</{_STAR}>", line, flags=re.S)
    line = re.sub(r"==(.+?)==", rf"<{_EQ}>\1</{_EQ}>", line, flags=re.S)
    line = _MD_DEL.sub(lambda m: f'<{_EM} d="~~">{m.group(2)}</{_EM}>', line)
    line = _MD_EM.sub(lambda m: f'<{_EM} d="{m.group(1) or m.group(3)}">{m.group(2) or m.group(4)}</{_EM}>', line)
    tails: list[str] = []

    def link(m: re.Match[str]) -> str:
        tail = m.group(2)
        if tail.startswith("[") and reference_label(tail[1:-1] or m.group(1)) not in references:
            return m.group(0)
        tails.append(tail)
        return f'<jdlink n="{len(tails) - 1}">{m.group(1)}</jdlink>'

    return _MD_LINK.sub(link, line), tails


def _mark_code(line: str) -> tuple[str, list[str]]:
    """Code spans (```x```) wrapped in ``<jdcode>``, their text hidden from the other rules."""
    fences: list[str] = []

    def wrap(m: re.Match[str]) -> str:
        fences.append(m.group(1))
        hidden = "".join(f"&#{ord(c)};" if c in _CODE_HIDE else c for c in m.group(2))
        return f'<jdcode n="{len(fences) - 1}">{hidden}</jdcode>'

    return _CODE.sub(wrap, line), fences


def _mark_entities(line: str) -> tuple[str, list[str]]:
    """Entities of the text (not of tags, not in code) wrapped in ``<jdent>`` so their source is kept."""
    found: list[str] = []

    def wrap(m: re.Match[str]) -> str:
        if html.unescape(m.group(0)) == m.group(0):
            return m.group(0)
        found.append(m.group(0))
        return f'<jdent n="{len(found) - 1}">{m.group(0)}</jdent>'

    out: list[str] = []
    in_code = False
    for part in _TAG.split(line):
        if part.startswith("<"):
            in_code = part.startswith("<jdcode") or (in_code and not part.startswith("</jdcode"))
            out.append(part)
        else:
            out.append(part if in_code else _ENTITY.sub(wrap, part))
    return "".join(out), found


_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]\n]+)\]:", re.M)


def reference_label(label: str) -> str:
    """A link reference's label as CommonMark matches it (case and runs of space do not count)."""
    return " ".join(label.split()).casefold()


def references(body: str) -> frozenset[str]:
    """The labels of the link reference definitions of a note's body (``[gov]: https://…``)."""
    return frozenset(reference_label(m.group(1)) for m in _DEFINITION.finditer(body))


def parse_inline(line: str, refs: frozenset[str] = frozenset()) -> tuple[str, list[Span]]:
    """Text and spans of one line of inline markup (offsets relative to the line).

    Entities become their characters in the text and ``entity`` spans that keep their source
    (``&emsp;``), so a line written back is the same bytes."""
    line, codes = _mark_code(line)
    voids: list[str] = []

    def void(m: re.Match[str]) -> str:
        voids.append(m.group(0))
        return f'<jdvoid n="{len(voids) - 1}">'

    wikis: list[str] = []

    def wiki(m: re.Match[str]) -> str:
        if m.group(1):
            return void(m)
        shown = m.group(3)[1:] if m.group(3) else m.group(2)
        if not shown.strip():
            return void(m)
        wikis.append(m.group(0)[: len(m.group(0)) - len(shown) - 2])
        return f'<jdwiki n="{len(wikis) - 1}">{shown}</jdwiki>'

    line = _MD_VOID.sub(void, _MD_IMAGE.sub(void, _WIKI.sub(wiki, line)))
    tagged, tails = _markdown_to_tags(line, refs)
    marked, entities = _mark_entities(tagged)
    p = _InlineParser(entities, voids, codes, tails, wikis)
    p.feed(marked)
    text, spans = p.finish()
    return text, spans


# -- rendering inline markup -----------------------------------------------------------------
def open_tag(sp: Span) -> str:
    if sp.layer == "void":
        return sp.tag or ""
    if sp.tag:
        return "[" if sp.layer == "link" and sp.tag.startswith("[]") else sp.tag
    if sp.layer in DEFAULT_TAGS:
        return DEFAULT_TAGS[sp.layer]
    raise NotationError(f"no markup known for layer {sp.layer!r}; give the span a tag")


_TAIL_URL = re.compile(r"^\[\]\([ \t]*(?:<([^<>\n]*)>|([^()\s]*))")


def link_url(tag: str | None) -> str:
    """The destination of a Markdown link's tag (``[](url "title")`` → ``url``); "" for a
    reference link (``[][ref]``) or another tag."""
    m = _TAIL_URL.match(tag or "")
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else ""


def close_tag(sp: Span) -> str:
    tag = open_tag(sp)
    if tag in ("**", "==") or tag in EMPHASIS or sp.layer == "code":
        return tag
    if sp.layer == "link" and tag.startswith("[["):
        return "]]"
    if tag == "[":
        return (sp.tag or "")[1:]
    m = re.match(r"<([A-Za-z][\w-]*)", tag)
    return f"</{m.group(1)}>" if m else ""


def escape_text(text: str) -> str:
    """Plain text as notation text: what would read as markup (tags, entities, ``**``, ``==``,
    backticks) is written as entities, so a CommonMark renderer shows the text as it is."""
    return _escape(text)


def _escape(text: str) -> str:
    text = re.sub(r"&(?=[A-Za-z#][A-Za-z0-9]*;)", "&amp;", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return text.replace("**", "&#42;&#42;").replace("==", "&#61;&#61;").replace("`", "&#96;")


def split_at_structure(spans: list[Span], text: str = "") -> list[Span]:
    """Marks cut where a link or an inline HTML element begins or ends, so that a mark never
    crosses the page's structure (``[<strong>a</strong>b](url)``, not two links).  A mark never
    falls inside a code span; one around a whole code span stays (see :func:`_may_wrap`).  (An
    entity is one character: a mark begins or ends beside it, never inside.)"""
    walls = sorted({p for s in spans if s.layer in ("link", "html", "code") for p in (s.start, s.end)})
    code = [(s.start, s.end) for s in spans if s.layer == "code"]
    emphasis = [(s.start, s.end) for s in spans if s.layer == "html" and s.tag in EMPHASIS]
    wikilinks = [(s.start, s.end) for s in spans if s.layer == "link" and (s.tag or "").startswith("[[")]
    out: list[Span] = []
    for sp in spans:
        if sp.layer in STRUCTURE_LAYERS:
            out.append(sp)
            continue
        cuts = [sp.start, *(w for w in walls if sp.start < w < sp.end), sp.end]
        for a, b in (_around(p, emphasis, wikilinks) for p in zip(cuts, cuts[1:], strict=False)):
            if not any(s <= a and b <= e and ((a, b) != (s, e) or not _may_wrap(sp, text[s:e])) for s, e in code):
                out.append(sp if (a, b) == (sp.start, sp.end) else Span(a, b, sp.layer, sp.tag, sp.origin))
    return out


def _rank(sp: Span) -> int:
    """Nesting rank of a span (:data:`LAYER_RANK`); a wikilink nests inside the marks around it."""
    return 99 if sp.layer == "link" and (sp.tag or "").startswith("[[") else LAYER_RANK.get(sp.layer, 9)


def _around(piece: tuple[int, int], emphasis: list[tuple[int, int]],
            wikilinks: list[tuple[int, int]]) -> tuple[int, int]:
    """A piece of a mark widened to the whole of the emphasis whose delimiters it touches from inside
    (a tag between ``*`` and the text would stop CommonMark reading the ``*`` as emphasis), or of
    the wikilink it is in (a wikilink's words are its target: a tag inside breaks it)."""
    a, b = piece
    for s, e in wikilinks:
        if s <= a and b <= e:
            return s, e
    for s, e in emphasis:
        if s <= a and b <= e and (a == s or b == e):
            return s, e
    return a, b


def _may_wrap(sp: Span, code: str) -> bool:
    """A suggested mark does not wrap code holding a ``<`` in HTML: a plain HTML parser (the
    referee's) would read a tag from there to the mark's closing ``>``."""
    return sp.tag == "**" or sp.origin != "model" or "<" not in code


def render_inline(text: str, spans: list[Span], *, escape: Callable[[str], str] = _escape,
                  opener: Callable[[Span], str] = open_tag, closer: Callable[[Span], str] = close_tag,
                  entities: bool = True) -> str:
    """Render text with spans (relative offsets) as nested inline markup.

    Marks are cut at links, inline HTML and entities (:func:`split_at_structure`); marks that
    cross each other are closed and reopened so the output nests.  ``escape``, ``opener`` and
    ``closer`` let other writers (the HTML page) reuse the nesting with their own markup; with
    ``entities`` the text of an ``entity`` span is written as its source (``&emsp;``).
    """
    spans = split_at_structure(spans, text)
    literal = {s.start: s for s in spans if s.layer == "entity"} if entities else {}
    code = [(s.start, s.end) for s in spans if s.layer == "code"]
    ordered = sorted((s for s in spans if s.layer not in ("void", "entity")),
                     key=lambda s: (s.start, -s.end, _rank(s)))
    voids = sorted((s for s in spans if s.layer == "void"), key=lambda s: s.start)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[Span] = []
    nxt, vi = 0, 0
    for i, pos in enumerate(cuts):
        reopen: list[Span] = []
        while any(s.end <= pos for s in stack):
            top = stack.pop()
            out.append(closer(top))
            if top.end > pos:
                reopen.append(top)
        while vi < len(voids) and voids[vi].start == pos:
            out.append(opener(voids[vi]))
            vi += 1
        for s in reversed(reopen):
            out.append(opener(s))
            stack.append(s)
        while nxt < len(ordered) and ordered[nxt].start == pos:
            out.append(opener(ordered[nxt]))
            stack.append(ordered[nxt])
            nxt += 1
        if i + 1 < len(cuts):
            piece, ent = text[pos:cuts[i + 1]], literal.get(pos)
            if ent is not None and ent.end == cuts[i + 1]:
                out.append(ent.tag or "")
            elif entities and any(s <= pos < e for s, e in code):
                out.append(piece)  # code as written
            else:
                out.append(escape(piece))
    return "".join(out)


# -- block structure ---------------------------------------------------------------------------
@dataclass
class _Pending:
    kind: str
    lines: list[str] = field(default_factory=list)
    level: int = 0


def _split_footer(source: str) -> tuple[str, str]:
    matches = list(_FOOTER.finditer(source))
    if not matches:
        return source, ""
    cut = matches[-1].start() + 1
    return source[:cut], source[cut:]


def _split_front_matter(source: str) -> tuple[str, str]:
    if source.startswith("---\n"):
        end = source.find("\n---\n", 4)
        if end > 0:
            return source[: end + 5], source[end + 5:]
    return "", source


def _classify(line: str, heading: Heading | None, seen_title: bool) -> tuple[str, int]:
    s = line.strip(" \t\r\n")  # an ideographic-space indent makes a paragraph
    if heading is not None:
        level = heading.level
        return ("title", 1) if level == 1 and not seen_title else ("heading", level)
    if s.startswith(">"):
        return "quote", 0
    if _MD_IMAGE.fullmatch(s):
        return "image", 0
    hm = _HTML_BLOCK.match(s)
    if hm:
        tag = hm.group(1).lower()
        return ("heading", int(tag[1])) if tag[0] == "h" and tag[1:].isdigit() else ("html", 0)
    return "paragraph", 0


def _group_lines(body: str) -> list[tuple[_Pending, str]]:
    """Cut the body into blocks: (block, its raw text including the blank lines after it).

    Layout (HTML embeds, code, tables, breaks, shortcodes) and headings are where CommonMark
    puts them (:mod:`jingdu.blocks`); every other non-blank line is a text block of its own."""
    lines = body.splitlines(keepends=True)
    found = structure(body)
    blocks: list[tuple[_Pending, str]] = []
    i, seen_title = 0, False
    while i < len(lines):
        line = lines[i]
        run = found.layout.get(i)
        if run is not None:
            chunk = lines[run.start:run.end]
            blocks.append((_Pending(run.kind, chunk), "".join(chunk)))
            i = run.end
            continue
        if not line.strip():
            if blocks:
                blk, raw = blocks[-1]
                blocks[-1] = (blk, raw + line)
            else:
                blocks.append((_Pending("blank", [line]), line))
            i += 1
            continue
        heading = found.headings.get(i)
        kind, level = _classify(line, heading, seen_title)
        seen_title = seen_title or kind == "title"
        if heading is not None and heading.setext:  # the text line and its underline
            chunk = lines[i:i + 2]
            blocks.append((_Pending(kind, chunk, level), "".join(chunk)))
            i += 2
            continue
        blocks.append((_Pending(kind, [line], level), line))
        i += 1
    return blocks


def _inline_frame(kind: str, lines: list[str]) -> tuple[str, str, str]:
    """(prefix, content, suffix) of a text block (one line, or a setext heading's two)."""
    content = lines[0].rstrip("\r\n")
    if len(lines) == 2:  # setext heading: the underline is markup after the text
        return "", content, lines[0][len(content):] + lines[1].rstrip("\r\n")
    atx = atx_prefix(content) if kind in ("title", "heading") else None
    if atx is not None:
        text = content[len(atx[0]):]
        closing = re.search(r"[ \t]+#+[ \t]*$|^#+[ \t]*$", text)  # an optional closing sequence
        cut = closing.start() if closing else len(text)
        return atx[0], text[:cut], text[cut:]
    hm = _HTML_BLOCK.match(content.lstrip())
    if hm and kind in ("html", "heading"):
        lead = len(content) - len(content.lstrip())
        prefix = content[: lead + hm.end()]
        rest = content[lead + hm.end():]
        close = re.search(rf"</{hm.group(1)}>\s*$", rest, re.I)
        if close:
            return prefix, rest[: close.start()], rest[close.start():]
        return prefix, rest, ""
    lead = _CONTAINER.match(content)
    cut = lead.end() if lead else 0
    if kind != "quote" and cut == 0:
        cut = len(content) - len(content.lstrip(INDENT_CHAR))
    return content[:cut], content[cut:], ""


def _is_source_line(text: str) -> bool:
    return "原文链接" in text or "微信公众号" in text or text.startswith(("来源", "来源：", "来源:"))


# -- metadata ------------------------------------------------------------------------------------
def render_front_matter(fields: dict[str, str | list[str]]) -> str:
    """A YAML front matter block; every value a JSON-quoted scalar or list (valid YAML)."""
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---"]) + "\n\n"


def _yaml_value(val: str) -> object:
    if val[:1] in ('"', "["):
        try:
            return json.loads(val)
        except json.JSONDecodeError:
            pass
    if val.startswith("[") and val.endswith("]"):
        return [v.strip().strip("\"'") for v in val[1:-1].split(",") if v.strip()]
    return val.strip("\"'")


def _front_matter_meta(fm: str) -> dict[str, object]:
    data: dict[str, object] = {}
    for line in fm.splitlines()[1:-1]:
        m = re.match(r"^(\w+):\s*(.*)$", line)
        if m:
            data[m.group(1)] = _yaml_value(m.group(2).strip())
    mapped: dict[str, object] = {k: data[k] for k in ("title", "tags", "categories", "author", "url", "id")
                                 if k in data}
    if "date" in data:
        mapped["published"] = data["date"]
    if "account" in data or "source" in data:
        mapped["account"] = data.get("account") or data.get("source")
    if "original" in data and "url" not in mapped:
        mapped["url"] = data["original"]
    return mapped


_FOOTER_KEYS = {"作者": "author", "来源": "account", "发布": "published", "URL": "url"}


def _footer_meta(footer: str) -> dict[str, str]:
    """Author, account, publish date and URL from the footer's ``> 作者: …`` lines."""
    out: dict[str, str] = {}
    for m in re.finditer(r"^> (作者|来源|发布|URL):\s*(.*?)\s*$", footer, re.M):
        value = re.sub(r"^\[([^\]]*)\]\([^)]*\)$", r"\1", m.group(2))  # [name](link) -> name
        if value:
            out[_FOOTER_KEYS[m.group(1)]] = value
    return out


def _source_meta(text: str, spans: list[Span]) -> dict[str, object]:
    data: dict[str, object] = {}
    acc = re.split(r"微信公众号|\s*原文链接|\s+", text.strip(), maxsplit=1)[0].strip()
    if acc:
        data["account"] = acc
    for sp in spans:
        if sp.layer == "link" and (url := link_url(sp.tag)):
            data["url"] = url
    return data


# -- public API ------------------------------------------------------------------------------------
def read_note(source: str, note_id: str = "") -> Doc:
    """Read a note in the notation into a :class:`Doc`."""
    if "\x00" in source:
        raise NotationError("this is not text (it contains NUL bytes)")
    front, rest = _split_front_matter(source)
    body, footer = _split_footer(rest)
    builder = DocBuilder()
    meta: dict[str, object] = {"id": note_id}
    if front:
        builder.add("frontmatter", raw=front, tail="")
        meta.update(_front_matter_meta(front))
    seen_paragraph = False
    refs = references(body)
    for pending, raw in _group_lines(body):
        kind = pending.kind
        if kind not in TEXT_BLOCKS:
            builder.add(kind, raw=raw, tail="")
            continue
        prefix, content, suffix = _inline_frame(kind, pending.lines)
        text, spans = parse_inline(content, refs)
        if kind == "quote" and not seen_paragraph and _is_source_line(text):
            kind = "source"
            meta.update({k: v for k, v in _source_meta(text, spans).items() if k not in meta or not meta[k]})
        if kind == "title":
            meta.setdefault("title", text.strip())
        seen_paragraph = seen_paragraph or kind in ("paragraph", "html")
        tail = raw[len(prefix) + len(content) + len(suffix):]
        builder.add(kind, text, spans, level=pending.level, prefix=prefix, suffix=suffix, raw=raw, tail=tail)
    if footer:
        builder.add("footer", raw=footer, tail="")
        for key, value in _footer_meta(footer).items():
            meta.setdefault(key, value)
            meta[key] = meta[key] or value
    return builder.build(Meta.from_dict(meta))


_DEFAULT_LAYOUT = {"break": "------", "footer": "", "blank": "", "frontmatter": "", "fence": "",
                   "image": "", "table": "", "raw": "", "shortcode": ""}


def _block_spans(doc: Doc, block: Block) -> list[Span]:
    out = []
    for sp in doc.all_spans():
        if sp.layer == "void":
            if block.start <= sp.start <= block.end:
                out.append(sp)
        elif sp.start < block.end and sp.end > block.start and block.end > block.start:
            out.append(Span(max(sp.start, block.start), min(sp.end, block.end), sp.layer, sp.tag, sp.origin))
    return out


def render_block(doc: Doc, block: Block) -> str:
    """One block in the notation, with the blank lines that follow it."""
    if block.kind not in TEXT_BLOCKS:
        return block.raw if block.raw is not None else _DEFAULT_LAYOUT.get(block.kind, "") + block.tail
    spans = _block_spans(doc, block)
    text = doc.block_text(block)
    if block.raw is not None and block.digest == block_digest(text, spans, block.start):
        return block.raw
    rel = [Span(s.start - block.start, s.end - block.start, s.layer, s.tag, s.origin) for s in spans]
    line = render_inline(text, rel)
    if any(c in text for c in _DELIMITERS):
        line = _keep_structure(line, text, rel, block)
    return block.prefix + line + block.suffix + block.tail


def _keep_structure(line: str, text: str, spans: list[Span], block: Block) -> str:
    """``line`` unless it reads back as other words, or a mark beside a ``*``, ``_``, ``~`` or ``[``
    changed the structure as jingdu reads it or as CommonMark (markdown-it-py) parses it, from the
    block as read (its ``raw``; a new block: its text with those characters as entities); then the
    line with those characters written as entities, or, should that differ too, the block without
    marks."""
    structure_only = [s for s in spans if s.layer in STRUCTURE_LAYERS]
    bare = None if block.raw is not None else render_inline(text, structure_only, escape=_escape_delimiters)
    shape = signature(block.raw if block.raw is not None else block.prefix + (bare or "") + block.suffix)
    refs = _references_of(text, spans)
    for candidate in (line, render_inline(text, spans, escape=_escape_delimiters)):
        if not _changed(candidate, text, spans, refs) and signature(block.prefix + candidate + block.suffix) == shape:
            return candidate
    return bare if bare is not None else render_inline(text, structure_only, escape=_escape_delimiters)


def _references_of(text: str, spans: list[Span]) -> frozenset[str]:
    """The labels of the reference links among ``spans`` (``[字][gov]``, ``[gov][]``), which the
    note defines: a line of the block reads them back as links."""
    return frozenset(reference_label(s.tag[3:-1] or text[s.start:s.end]) for s in spans
                     if s.layer == "link" and (s.tag or "").startswith("[]["))


def _changed(line: str, text: str, spans: list[Span], refs: frozenset[str]) -> bool:
    """Whether ``line`` reads back as other words or other emphasis than ``text`` and ``spans``."""
    again, found = parse_inline(line, refs)
    return again != text or _emphasis(found) != _emphasis(spans)


def _emphasis(spans: list[Span]) -> list[tuple[int, int]]:
    return sorted((s.start, s.end) for s in spans if s.layer == "html" and s.tag in EMPHASIS)


#: Characters of the text that can open Markdown structure (emphasis, strikethrough, links,
#: images, footnotes, wikilinks) once written beside a mark or beside each other.
_DELIMITERS = {"*": "&#42;", "_": "&#95;", "~": "&#126;", "[": "&#91;"}


def _escape_delimiters(text: str) -> str:
    """:func:`escape_text`, with every character of :data:`_DELIMITERS` an entity: text that stays
    text beside a mark."""
    out = _escape(text)
    for ch, entity in _DELIMITERS.items():
        out = out.replace(ch, entity)
    return out


def renderable(doc: Doc) -> Doc:
    """The document with every mark in HTML markup, as exports write it: a ``**`` or ``==``
    that CommonMark would not parse as a delimiter (``**例：**近年来``) becomes ``<strong>`` /
    the highlight ``<span>``.  The words and all other markup stay as they are."""
    convert = [s for s in doc.all_spans() if s.tag in ("**", "==")]
    if not convert:
        return doc
    spans = [replace(s, tag=None) if s in convert else s for s in doc.all_spans()]
    return Doc(doc.text, doc.blocks, _by_layer(spans), doc.meta)


def _by_layer(spans: list[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for sp in spans:
        out.setdefault(sp.layer, []).append(sp)
    return out


def meta_footer(doc: Doc) -> str:
    """The note's closing footer in the notation's own form (``---`` then ``> 作者: …`` lines),
    holding what the notation has no other place for: author, the publishing site or account
    (``> 来源:``, when the note has an author too), publish date and URL.  Readers
    and the referee leave the footer out of the article's text (the referee knows a footer by its
    ``> 作者`` line, so a note with only a URL — a fetched page without author or date — names the
    site as its author).  Empty when there is nothing."""
    m = doc.meta
    author = m.author or m.account or (urlsplit(m.url).hostname or "" if m.url else "")
    if not (author or m.published):
        return ""
    lines = [f"> 作者: {author}  "]
    if m.author and m.account and m.account != m.author:
        lines.append(f"> 来源: {m.account}  ")
    if m.published:
        lines.append(f"> 发布: {m.published}  ")
    if m.url:
        lines.append(f"> URL: {m.url}  ")
    return "---\n\n" + "\n".join(lines) + "\n"


def write_note(doc: Doc, *, footer: bool = False) -> str:
    """Render a document in the notation.

    With ``footer=True`` a note that has no footer gets one holding its author, publish date and
    URL (see :func:`meta_footer`), the way the corpus's notes end.
    """
    body = "".join(render_block(doc, b) for b in doc.blocks)
    if footer and not any(b.kind == "footer" for b in doc.blocks):
        end = meta_footer(doc)
        if end:
            return body.rstrip("\n") + "\n\n" + end
    return body
