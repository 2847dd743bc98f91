"""A standalone HTML page that shows a note as the blog does (yellow, bold, red), sanitised.

The page is rendered from the document model, never from the article's own markup: every
character of text is escaped, marks become a fixed set of tags and classes, links and images
keep only http(s) URLs, and the body is passed through nh3's allow-list sanitiser as well.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

from jingdu.model import HIGHLIGHT_COLOUR, Block, Doc, Span
from jingdu.notation import _block_spans, link_url, parse_inline, render_inline

ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "hr", "mark", "strong", "span",
                "u", "a", "img", "br", "pre", "code", "figure", "figcaption", "section", "div",
                "table", "thead", "tbody", "tr", "th", "td", "em", "del"}
#: ``data-o``/``data-b`` are the workbench's text offsets and block indices.
ALLOWED_ATTRS = {"*": {"class", "data-origin", "data-o", "data-b"}, "a": {"href", "title"},
                 "img": {"src", "alt", "loading"}}
CSS = """
body{max-width:46rem;margin:2rem auto;padding:0 1rem;font:17px/1.9 "Noto Serif CJK SC","Songti SC",serif;color:#222}
h1{font-size:1.6rem;line-height:1.4} blockquote{color:#666;border-left:3px solid #ddd;margin:0;padding-left:1rem}
mark.hl{background:"""+HIGHLIGHT_COLOUR+""";color:inherit} span.red{color:#ff0000} span.color{color:#00aaff}
mark.background{background:rgba(240,200,0,.2)} [data-origin=model]{outline:1px dashed #c90;outline-offset:1px}
pre{background:#f6f6f6;padding:.8rem;overflow:auto} img{max-width:100%}
"""
_SAFE_URL = re.compile(r"^https?://", re.I)


def _url_of(tag: str | None) -> str:
    url = link_url(tag)
    if url:
        return url if _SAFE_URL.match(url) else ""
    m = re.search(r"\]\(([^)]*)\)|href=\"([^\"]*)\"|src=\"([^\"]*)\"", tag or "")
    url = next((g for g in (m.groups() if m else ()) if g), "")
    return url if _SAFE_URL.match(url) else ""


#: Markdown's emphasis and strikethrough as the page shows them.
_EMPHASIS_TAGS = {"*": "em", "_": "em", "~~": "del"}


def _void(tag: str) -> str:
    """A zero-width object as HTML: a line break, an autolink (``<https://…>``) as its link."""
    if tag.lower().startswith("<br"):
        return "<br>"
    url = tag[1:-1] if tag.startswith("<") and tag.endswith(">") else ""
    if _SAFE_URL.match(url):
        return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'
    return html.escape(url) if "@" in url and ":" not in url else ""  # an e-mail address, not linked


def _open(sp: Span) -> str:
    origin = f' data-origin="{sp.origin}"' if sp.origin != "note" else ""
    if sp.layer == "void":
        return _void(sp.tag or "")
    if sp.layer == "link":
        url = _url_of(sp.tag)
        return f'<a href="{html.escape(url)}">' if url else "<span>"
    if sp.layer == "html" and sp.tag in _EMPHASIS_TAGS:
        return f"<{_EMPHASIS_TAGS[sp.tag]}>"
    return {
        "highlight": f'<mark class="hl"{origin}>', "bold": f"<strong{origin}>",
        "red": f'<span class="red"{origin}>', "underline": "<u>", "color": '<span class="color">',
        "background": '<mark class="background">', "code": "<code>",
    }.get(sp.layer, "<span>")


def _close(sp: Span) -> str:
    if sp.layer == "void":
        return ""
    if sp.layer == "link":
        return "</a>" if _url_of(sp.tag) else "</span>"
    if sp.layer == "html" and sp.tag in _EMPHASIS_TAGS:
        return f"</{_EMPHASIS_TAGS[sp.tag]}>"
    return {"highlight": "</mark>", "bold": "</strong>", "underline": "</u>",
            "background": "</mark>", "code": "</code>"}.get(sp.layer, "</span>")


def _inline(doc: Doc, block: Block) -> str:
    spans = [Span(s.start - block.start, s.end - block.start, s.layer, s.tag, s.origin)
             for s in _block_spans(doc, block)]
    return render_inline(doc.block_text(block), spans, escape=html.escape, opener=_open, closer=_close,
                         entities=False)


def _table(raw: str) -> str:
    rows = [r.strip() for r in raw.splitlines() if r.strip().startswith("|")]
    rows = [r for r in rows if not re.fullmatch(r"\|[\s:|-]+\|?", r)]
    out = ['<table class="md-table">']
    for i, row in enumerate(rows):
        cells = [parse_inline(c.strip())[0] for c in row.strip("|").split("|")]
        tag = "th" if i == 0 else "td"
        out.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _image(raw: str, show: bool) -> str:
    if not show:  # the workbench does not load remote images
        alt = re.match(r"!\[([^\]]*)\]", raw)
        caption = "：" + html.escape(alt.group(1)) if alt and alt.group(1) else ""
        return f'<p class="image">［图片{caption}］</p>'
    url = _url_of(raw.replace("![", "[", 1))
    return f'<figure><img src="{html.escape(url)}" alt="" loading="lazy"></figure>' if url else ""


def _layout(block: Block, images: bool) -> str:
    raw = (block.raw or "").strip()
    if block.kind == "break":
        return "<hr>"
    if block.kind == "image":
        return _image(raw, images)
    if block.kind == "table":
        return _table(raw)
    if block.kind == "fence":
        body = "\n".join(raw.splitlines()[1:-1])
        return f'<pre class="fence"><code>{html.escape(body)}</code></pre>'
    return ""  # footer, front matter, blank lines


def block_html(doc: Doc, block: Block, *, inline: Callable[[Doc, Block], str] = _inline, attrs: str = "",
               images: bool = True) -> str:
    """One block as HTML; ``inline`` renders its text and marks, ``attrs`` go on its element."""
    at = f" {attrs}" if attrs else ""
    if block.kind == "title":
        return f'<h1 class="title"{at}>{inline(doc, block)}</h1>'
    if block.kind == "heading":
        level = min(max(block.level or 3, 2), 6)
        return f"<h{level}{at}>{inline(doc, block)}</h{level}>"
    if block.kind in ("source", "quote"):
        return f'<blockquote class="{block.kind}"{at}>{inline(doc, block)}</blockquote>'
    if block.kind in ("paragraph", "html"):
        return f"<p{at}>{inline(doc, block)}</p>"
    return _layout(block, images)


def sanitize(fragment: str) -> str:
    """nh3's allow-list over a fragment: no script, no event handler, http(s) links only."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def note_fragment(doc: Doc) -> str:
    """The note's body as sanitised HTML (no <html> shell), for pages that embed it."""
    return sanitize("\n".join(h for b in doc.blocks if (h := block_html(doc, b))))


def to_html_page(doc: Doc) -> str:
    """A complete, self-contained HTML page for the note."""
    title = html.escape(doc.title or "jingdu note")
    return (
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src https: http:; "
        "style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<article>\n"
        f"{note_fragment(doc)}\n</article>\n</body>\n</html>\n"
    )


# -- raw HTML inside Markdown (Hugo posts): the same allow-list, the Markdown left as it is -----
#: What a post may keep of a note's raw HTML: the marks of the notation, layout and embeds.
POST_TAGS = ALLOWED_TAGS | {"font", "em", "b", "i", "s", "del", "sup", "sub", "small", "ul", "ol", "li",
                            "iframe", "video", "audio", "source", "center", "caption", "tfoot", "col", "colgroup",
                            "details", "summary", "ruby", "rt", "rp"}
POST_ATTRS = {"*": {"class", "align"}, "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "span": {"style"}, "p": {"style"}, "section": {"style"}, "div": {"style"}, "font": {"color"},
              "iframe": {"src", "width", "height", "frameborder", "allowfullscreen"},
              "video": {"src", "controls", "width", "height", "poster"}, "audio": {"src", "controls"},
              "source": {"src", "type"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
POST_STYLES = {"background", "background-color", "color", "font-weight", "font-style", "text-align",
               "text-decoration", "text-indent"}
_VOID = {"img", "br", "hr", "source", "col"}
_ATTR = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)"""
_MD_HTML = re.compile(
    r"(?P<fence>^(?P<f>`{3,}|~{3,})[^\n]*\n.*?^(?P=f)[ \t]*$)"           # fenced code: as written
    r"|(?P<code>`[^`\n]+`)"                                               # inline code: as written
    r"|(?P<sc>\{\{(?P<sd>[<%])(?P<sin>.*?)(?P<se>[%>])\}\})"                   # a Hugo shortcode
    r"|(?P<auto><https?://[^\s<>]*>)"                                     # an autolink
    r"|(?P<raw><(?P<rn>script|style|textarea|title|xmp|noscript|template|noembed|noframes|plaintext)\b"
    r"[^>]*>.*?(?:</(?P=rn)\s*>|\Z))"                                     # raw-text elements: dropped whole
    r"|(?P<close></(?P<cn>[A-Za-z][A-Za-z0-9-]*)\s*>)"
    r"|(?P<open><(?P<on>[A-Za-z][A-Za-z0-9-]*)" + _ATTR + r"*\s*/?>)"
    r"|(?P<lt><)"                                                         # anything else that starts a tag
    r"|(?P<dest>(?:\]\(|^[ ]{0,3}\[[^\]\n]+\]:)[ \t]*)(?P<url>[^\s()<>]*)",  # a link's destination
    re.S | re.M | re.I)


def _clean_tag(token: str, name: str) -> str:
    cleaned = nh3.clean(token, tags=POST_TAGS, attributes=POST_ATTRS, url_schemes={"http", "https"},
                        filter_style_properties=POST_STYLES, link_rel="noopener noreferrer nofollow",
                        strip_comments=True)
    return cleaned if name in _VOID else re.sub(rf"</{re.escape(name)}>$", "", cleaned)


def _md_token(m: re.Match[str]) -> str:
    if m.group("fence") or m.group("code") or m.group("auto"):
        return m.group(0)
    if m.group("raw"):
        return ""
    if m.group("sc"):  # Hugo prints an escaped one as written: never let its "<" open a tag
        inner = m.group("sin").replace("<", "&lt;")
        inner = inner if inner[:1].isspace() or inner.startswith("/*") and inner[2:3].isspace() else (
            "/* " + inner[2:] if inner.startswith("/*") else " " + inner)
        return "{{" + m.group("sd") + inner + m.group("se") + "}}"
    if m.group("dest") is not None:
        return m.group("dest") + (m.group("url") if link_ok(m.group("url")) else "#")
    if m.group("close"):
        return m.group(0) if m.group("cn").lower() in POST_TAGS else ""
    if m.group("open"):
        name = m.group("on").lower()
        return _clean_tag(m.group(0), name) if name in POST_TAGS else ""
    return "&lt;"  # a comment, a doctype, a malformed tag: shown as text, never parsed as HTML


def link_ok(url: str) -> bool:
    """Whether a Markdown link's destination is safe: http(s), mailto, or relative (entities and
    backslash escapes read as a Markdown renderer reads them)."""
    plain = re.sub(r"\\(.)", r"\1", html.unescape(url))
    plain = "".join(ch for ch in plain if ch > " " and ch != "\x7f")
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", plain)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


def sanitize_markdown(text: str) -> str:
    """Raw HTML in a Markdown text cleaned as the pages clean it (allowed tags and attributes,
    http(s) URLs, no script, style, event handler or comment); the Markdown itself, code spans and
    fences, and the marks of the notation are left as they are."""
    return _MD_HTML.sub(_md_token, text)
