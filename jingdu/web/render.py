"""The note as safe HTML for the workbench.

Each block becomes one element; its text is cut at every mark boundary into flat segments
``<span class="t hl-note bd-user" data-o="123">…</span>`` whose classes name the layers and
origins covering it and whose ``data-o`` is the segment's offset in ``Doc.text`` (the page's
script turns a selection back into offsets with it).  Every piece of article text is escaped,
and the finished HTML goes through nh3 with an allow-list, so nothing from an article (script,
event handler, ``javascript:`` URL, style) reaches the page.
"""

from __future__ import annotations

import re
from html import escape

import nh3

from jingdu.model import Block, Doc, Span
from jingdu.notation import parse_inline

#: Layers shown in the workbench and their CSS class prefixes.
SHOWN: dict[str, str] = {"highlight": "hl", "bold": "bd", "red": "rd", "underline": "ul"}
ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "span", "hr", "pre", "code", "br",
                "table", "thead", "tbody", "tr", "th", "td", "a", "div", "figure", "figcaption"}
ALLOWED_ATTRS = {"*": {"class", "data-o", "data-b"}, "a": {"href", "title"}}


def sanitize(html: str) -> str:
    """The allow-list pass every rendered note goes through."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def _classes(spans: list[Span], a: int, b: int) -> str:
    names = ["t"]
    for sp in spans:
        if sp.start <= a and sp.end >= b:
            names.append(f"{SHOWN[sp.layer]}-{sp.origin}")
    return " ".join(sorted(set(names), key=names.index))


def render_text(doc: Doc, start: int, end: int) -> str:
    """``Doc.text[start:end]`` as flat segments with their marks as classes."""
    spans = [s for layer in SHOWN for s in doc.spans(layer) if s.start < end and s.end > start]
    cuts = sorted({start, end, *(max(s.start, start) for s in spans), *(min(s.end, end) for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        out.append(f'<span class="{_classes(spans, a, b)}" data-o="{a}">{escape(doc.text[a:b])}</span>')
    return "".join(out)


def _table(raw: str) -> str:
    rows = [r.strip() for r in raw.splitlines() if r.strip().startswith("|")]
    rows = [r for r in rows if not re.fullmatch(r"\|[\s:|-]+\|?", r)]
    html = ["<table class=\"md-table\">"]
    for i, row in enumerate(rows):
        cells = [parse_inline(c.strip())[0] for c in row.strip("|").split("|")]
        tag = "th" if i == 0 else "td"
        html.append("<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>")
    html.append("</table>")
    return "".join(html)


def render_block(doc: Doc, index: int, block: Block) -> str:
    inner = render_text(doc, block.start, block.end)
    attrs = f'data-b="{index}"'
    kind = block.kind
    if kind == "title":
        return f'<h1 class="title" {attrs}>{inner}</h1>'
    if kind == "heading":
        level = min(max(block.level or 3, 2), 6)
        return f"<h{level} {attrs}>{inner}</h{level}>"
    if kind == "source":
        link = ""
        url = doc.meta.url
        if url.startswith(("http://", "https://")):
            link = f' <a class="orig" href="{escape(url)}">原文</a>'
        return f'<blockquote class="source" {attrs}>{inner}{link}</blockquote>'
    if kind == "quote":
        return f"<blockquote {attrs}>{inner}</blockquote>"
    if kind in ("paragraph", "html"):
        return f"<p {attrs}>{inner}</p>"
    if kind == "break":
        return "<hr>"
    if kind == "fence":
        body = "\n".join((block.raw or "").splitlines()[1:-1])
        return f'<pre class="fence"><code>{escape(body)}</code></pre>'
    if kind == "table":
        return _table(block.raw or "")
    if kind == "image":
        alt = re.match(r"!\[([^\]]*)\]", (block.raw or "").strip())
        return f'<p class="image">［图片{("：" + escape(alt.group(1))) if alt and alt.group(1) else ""}］</p>'
    return ""  # footer, front matter, blank lines


def render_doc(doc: Doc) -> str:
    """The whole note as sanitised HTML (the ``<article>`` body of the note page)."""
    return sanitize("\n".join(filter(None, (render_block(doc, i, b) for i, b in enumerate(doc.blocks)))))
