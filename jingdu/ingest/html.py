"""HTML pages to documents: the shared element walker.

:func:`jingdu.ingest.page.read_html` parses a page and hands it to :mod:`jingdu.ingest.wechat`
(WeChat public-account articles) or :mod:`jingdu.ingest.news` (news sites, paper editions, the
blog that publishes the corpus, anything else).  Both readers turn the article's body element
into blocks with :class:`Walker`, which keeps the original's own marks (bold, colours,
highlights) as spans and never rewrites a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from jingdu.errors import InputError
from jingdu.model import HIGHLIGHT_COLOUR, DocBuilder, Span

#: Elements whose content is never article text.
SKIP_TAGS = frozenset({"script", "style", "noscript", "svg", "button", "input", "select", "textarea",
                       "iframe", "template", "form", "nav", "object", "embed", "video", "audio",
                       "mpvoice", "qqmusic", "mp-common-videosnap", "head", "title", "meta", "link",
                       "fixit-encryptor", "label"})
#: Elements that start a new block.
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside",
                        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                        "blockquote", "table", "tr", "td", "th", "thead", "tbody", "pre", "figure",
                        "figcaption", "center", "hr", "body", "tab-container"})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: Colour names a page may use, as RGB.
COLOR_NAMES = {"red": (255, 0, 0), "black": (0, 0, 0), "white": (255, 255, 255), "blue": (0, 0, 255),
               "green": (0, 128, 0), "gray": (128, 128, 128), "grey": (128, 128, 128),
               "orange": (255, 165, 0), "purple": (128, 0, 128), "darkred": (139, 0, 0),
               "crimson": (220, 20, 60)}
#: A ``<font color>`` is the reader's red when R is at least this and G, B at most that.  Only
#: ``<font>`` marks the reader's layer (the notation's ``<font color="#ff0000">``, as the corpus's
#: blog publishes its readers' notes); a colour in a page's CSS is the publisher's and is kept as
#: its own ``color`` span, whatever its hue.
RED_MIN_R, RED_MAX_GB = 150, 90
#: Text colours that are not marks (body text in black and greys).
PLAIN_MAX_CHANNEL_SPREAD = 24
HIGHLIGHT_BG = HIGHLIGHT_COLOUR
#: Strings that only WeChat article pages (and their error pages) contain.
WECHAT_MARKERS = ('id="js_content"', "id='js_content'", "var msg_title", "weui-msg__title", "mesg-block",
                  "rich_media_title", 'content="微信公众平台"')
_WS = re.compile(r"[ \t\r\n\f\v\u200b\ufeff]+")
_BOLD_WEIGHT = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)


# -- colours -------------------------------------------------------------------------------------
def parse_color(value: str) -> tuple[int, int, int] | None:
    """RGB of a CSS colour (#rgb, #rrggbb, rgb(), rgba(), a few names); None when unknown."""
    v = value.strip().lower().rstrip(";").strip()
    if v in COLOR_NAMES:
        return COLOR_NAMES[v]
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", v)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) == 0:
            return None
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def color_mark(value: str, reader: bool = True) -> tuple[str, str | None] | None:
    """The (layer, tag) of a text colour: the reader's red (``reader``: a ``<font color>``), the
    publisher's colour (any colour of a page's CSS, or a non-red ``<font>``), None for body greys."""
    rgb = parse_color(value)
    if rgb is None:
        return None
    r, g, b = rgb
    if reader and r >= RED_MIN_R and g <= RED_MAX_GB and b <= RED_MAX_GB:
        return "red", None
    if max(rgb) - min(rgb) <= PLAIN_MAX_CHANNEL_SPREAD:
        return None  # black, greys: ordinary text
    return "color", f'<font color="{hex_color(rgb)}">'


def background_mark(value: str) -> tuple[str, str | None] | None:
    v = value.strip().lower().replace(" ", "")
    if not v or v in ("none", "transparent", "initial", "inherit", "unset"):
        return None
    if v.startswith(HIGHLIGHT_BG):
        return "highlight", None
    rgb = parse_color(v)
    if rgb is None or rgb == (255, 255, 255):
        return None
    return "background", f'<span style="background:{v}">'


def style_of(el: HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for decl in (el.get("style") or "").split(";"):
        if ":" in decl:
            k, v = decl.split(":", 1)
            out[k.strip().lower()] = v.strip()
    return out


def is_hidden(el: HtmlElement) -> bool:
    st = style_of(el)
    return st.get("display", "").lower() == "none" or el.get("hidden") is not None


def marks_of(el: HtmlElement) -> list[tuple[str, str | None]]:
    """The marks an element puts on its text, as (layer, tag)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    out: list[tuple[str, str | None]] = []
    if tag in ("strong", "b"):
        out.append(("bold", None))
    elif tag == "mark":
        out.append(("highlight", "<mark>"))
    elif tag == "u":
        out.append(("underline", None))
    elif tag == "a" and (el.get("href") or "").startswith(("http://", "https://")):
        out.append(("link", f"[]({el.get('href')})"))
    elif tag == "font" and el.get("color"):
        m = color_mark(el.get("color", ""))
        if m:
            out.append(m)
    st = style_of(el)
    if tag not in ("strong", "b") and _BOLD_WEIGHT.search(el.get("style") or ""):
        out.append(("bold", None))
    if "color" in st and tag != "font":
        m = color_mark(st["color"], reader=False)
        if m:
            out.append(m)
    bg = st.get("background-color") or st.get("background")
    if bg:
        m = background_mark(bg)
        if m:
            out.append(m)
    return out


# -- walking an element into blocks -----------------------------------------------------------
@dataclass
class RawBlock:
    """One block as read from the page: kind, text, spans relative to it, markup around it."""

    kind: str
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    level: int = 0
    prefix: str = ""
    raw: str | None = None


@dataclass
class _Open:
    layer: str
    tag: str | None
    start: int


class Walker:
    """Turns an element tree into :class:`RawBlock` objects.

    ``keep_hidden`` keeps elements hidden by ``display:none`` (WeChat hides whole bodies);
    ``skip`` is a predicate for elements to drop (sidebars, share bars …).
    """

    def __init__(self, keep_hidden: bool = True, skip: object = None, image_attrs: Iterable[str] = ("data-src", "src"),
                 line_breaks: bool = True, base_url: str = "") -> None:
        self.base_url = base_url
        self.blocks: list[RawBlock] = []
        self.keep_hidden = keep_hidden
        self.skip = skip
        self.image_attrs = tuple(image_attrs)
        self.line_breaks = line_breaks
        self._parts: list[str] = []
        self._pos = 0
        self._spans: list[Span] = []
        self._open: list[_Open] = []
        self._context: list[str] = []
        self._pending_prefix = ""

    # text and marks
    def _text(self, s: str | None) -> None:
        if not s:
            return
        s = _WS.sub(" ", s.replace("\xa0", " "))
        if s == " " and (not self._parts or self._parts[-1].endswith(" ")):
            return
        self._parts.append(s)
        self._pos += len(s)

    def _close_open(self, entry: _Open) -> None:
        if self._pos > entry.start:
            self._spans.append(Span(entry.start, self._pos, entry.layer, entry.tag))

    def flush(self) -> None:
        text = "".join(self._parts)
        for entry in self._open:
            self._close_open(entry)
            entry.start = 0
        spans = self._spans
        self._parts, self._spans, self._pos = [], [], 0
        lead = len(text) - len(text.lstrip(" "))
        body = text.strip(" ")
        if not body.strip():  # nothing but a page's own 　　 indent (or other blank) is no block
            return
        fixed = []
        for sp in spans:
            s, e = max(sp.start - lead, 0), min(sp.end - lead, len(body))
            if e > s:
                fixed.append(Span(s, e, sp.layer, sp.tag))
        self.blocks.append(self._make_block(body, fixed))

    def _make_block(self, text: str, spans: list[Span]) -> RawBlock:
        ctx = self._context
        heading = next((HEADINGS[t] for t in reversed(ctx) if t in HEADINGS), 0)
        if heading:
            return RawBlock("heading", text, spans, level=heading, prefix="#" * max(heading, 2) + " ")
        prefix = self._pending_prefix
        self._pending_prefix = ""
        if "blockquote" in ctx:
            return RawBlock("quote", text, spans, prefix="> " + prefix)
        return RawBlock("paragraph", text, spans, prefix=prefix)

    def layout(self, kind: str, raw: str) -> None:
        self.flush()
        self.blocks.append(RawBlock(kind, raw=raw))

    # the walk
    def walk(self, el: HtmlElement) -> list[RawBlock]:
        self._walk(el)
        self.flush()
        return self.blocks

    def _walk(self, el: HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS or (self.skip is not None and self.skip(el)):  # type: ignore[operator]
            return
        if not self.keep_hidden and is_hidden(el):
            return
        if tag == "br":
            if self.line_breaks:
                self.flush()
            else:
                self._text(" ")
            return
        if tag == "hr":
            self.layout("break", "------\n\n")
            return
        if tag == "img":
            self._image(el)
            return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            if tag == "li":
                parent = el.getparent()
                self._pending_prefix = "1. " if parent is not None and parent.tag == "ol" else "- "
        opened = [_Open(layer, mtag, self._pos) for layer, mtag in marks_of(el)]
        self._open.extend(opened)
        self._context.append(tag)
        self._text(el.text)
        for child in el:
            self._walk(child)
            self._text(child.tail)
        for entry in opened:
            self._close_open(entry)
            self._open.remove(entry)
        if block:
            self.flush()
        self._context.pop()

    def _image(self, el: HtmlElement) -> None:
        src = next((el.get(a) for a in self.image_attrs if el.get(a)), "")
        if not src or src.startswith("data:") or src.endswith((".svg", ".gif")) and "loading" in src:
            return
        src = resolve_url(src, self.base_url)
        self.layout("image", f"![]({src.replace(' ', '%20')})\n\n")


# -- building documents -------------------------------------------------------------------------
def add_blocks(builder: DocBuilder, blocks: Iterable[RawBlock]) -> None:
    """Add walked blocks in the notation's layout (paragraphs start with two U+3000)."""
    for b in blocks:
        if b.raw is not None:
            builder.add(b.kind, raw=b.raw, tail="")
            continue
        prefix = b.prefix
        if b.kind == "paragraph" and not prefix and not b.text.startswith("\u3000"):
            prefix = "\u3000\u3000"
        builder.add(b.kind, b.text, b.spans, level=b.level, prefix=prefix)


def drop_trailing_breaks(blocks: list[RawBlock]) -> list[RawBlock]:
    out = list(blocks)
    while out and out[-1].kind == "break":
        out.pop()
    while out and out[0].kind == "break":
        out.pop(0)
    return [b for i, b in enumerate(out) if not (b.kind == "break" and i and out[i - 1].kind == "break")]


#: Characters XML does not allow (C0 controls but tab and line ends, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_html(html: str) -> HtmlElement:
    """Parse a page; a clear :class:`InputError` when it is not HTML at all."""
    if not html or not html.strip():
        raise InputError("the page is empty")
    if "\x00" in html[:4096]:
        raise InputError("this is a binary file, not HTML")
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    html = _NOT_XML.sub(" ", html)  # control characters lxml parses but refuses to set again
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot read this page as HTML ({exc})") from exc
    return root


def meta_content(root: HtmlElement, *names: str) -> str:
    """The first non-empty <meta property|name=…> content among ``names``."""
    for name in names:
        for el in root.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
            v = (el.get("content") or "").strip()
            if v:
                return v
    return ""


def page_base(root: HtmlElement, url: str = "") -> str:
    """The URL a page's relative links resolve against: ``<base href>`` joined to the page's URL;
    without a URL, the page's own canonical link or ``og:url``; '' when nothing absolute is known."""
    page_url = url or _own_url(root)
    for href in root.xpath("//base/@href"):
        joined = safe_join(page_url, href.strip())
        if joined.startswith(("http://", "https://")):
            return joined
    return page_url


def safe_join(base: str, href: str) -> str:
    """``urljoin``, or ``href`` as is when either is not a valid URL (``http://[::1``)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _own_url(root: HtmlElement) -> str:
    for v in [*root.xpath('//link[@rel="canonical"]/@href'), meta_content(root, "og:url")]:
        if v and v.strip().startswith(("http://", "https://")):
            return v.strip()
    return ""


def resolve_url(src: str, base: str) -> str:
    """``src`` made absolute against ``base`` (protocol-relative ``//host/…`` too); as is without a base."""
    if not base or src.startswith(("http://", "https://")):
        return src
    return safe_join(base, src)


def clean_text(s: str) -> str:
    return _WS.sub(" ", s.replace("\xa0", " ")).strip()


def is_wechat(html: str, url: str = "") -> bool:
    if "mp.weixin.qq.com" in url:
        return True
    if any(k in html for k in WECHAT_MARKERS):
        return True
    return "环境异常" in html and "完成验证" in html
