"""The note as safe HTML for the workbench.

Blocks are laid out by :func:`jingdu.htmlout.block_html` (one element each).  Their text is cut
at every mark boundary into flat segments ``<span class="t hl-note bd-user" data-o="123">…</span>``
whose classes name the layers and origins covering it and whose ``data-o`` is the segment's
offset in ``Doc.text`` (the page's script turns a selection back into offsets with it).  Every
piece of article text is escaped, and the finished HTML goes through
:func:`jingdu.htmlout.sanitize` (nh3, an allow-list), so nothing from an article (script, event
handler, ``javascript:`` URL, style) reaches the page.
"""

from __future__ import annotations

from html import escape

from jingdu.htmlout import block_html, sanitize
from jingdu.model import Block, Doc, Span

#: Layers shown in the workbench and their CSS class prefixes.
SHOWN: dict[str, str] = {"highlight": "hl", "bold": "bd", "red": "rd", "underline": "ul"}


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


def _segments(doc: Doc, block: Block) -> str:
    inner = render_text(doc, block.start, block.end)
    url = doc.meta.url
    if block.kind == "source" and url.startswith(("http://", "https://")):
        inner += f' <a class="orig" href="{escape(url)}">原文</a>'
    return inner


def render_block(doc: Doc, index: int, block: Block) -> str:
    return block_html(doc, block, inline=_segments, attrs=f'data-b="{index}"', images=False)


def render_doc(doc: Doc) -> str:
    """The whole note as sanitised HTML (the ``<article>`` body of the note page)."""
    return sanitize("\n".join(filter(None, (render_block(doc, i, b) for i, b in enumerate(doc.blocks)))))
