"""News pages (人民网, 新华网, paper editions, the blog that publishes the corpus, unknown sites).

Known sites are read with the selectors in :data:`SITES` (data, one row per site); an unknown
site falls back to trafilatura for its main text.  Every reader lays the document out like the
notation: a ``title`` block, an optional ``source`` line, then paragraphs, headings, breaks and
images, with the page's own bold/colour/highlight marks kept as spans.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from lxml.html import HtmlElement

from jingdu.errors import NotAnArticle
from jingdu.ingest.generic import generic_blocks, is_boilerplate
from jingdu.ingest.html import (
    SKIP_TAGS,
    RawBlock,
    Walker,
    add_blocks,
    clean_text,
    drop_trailing_breaks,
    meta_content,
    page_base,
)
from jingdu.model import Doc, DocBuilder, Meta, Span

SHANGHAI = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Site:
    """How to read one kind of page; every field is a list of XPath expressions tried in order."""

    name: str
    detect: tuple[str, ...]  # the page is of this kind when one of these matches
    body: tuple[str, ...]
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    account: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()  # elements inside the body that are not text
    site_name: str = ""
    source_quote: bool = False  # a leading blockquote with 原文链接 is the source line
    cut_at: tuple[str, ...] = ()  # the article ends before the first of these body children
    boilerplate: bool = False  # drop paragraph-level boilerplate (promotion links, 责任编辑 …) from the body


SITES: tuple[Site, ...] = (
    Site("blog",
         detect=('//article[contains(@class,"single")]//div[@id="content"]',),
         body=('//article[contains(@class,"single")]//div[@id="content"]',),
         title=('//h1[contains(@class,"single-title")]',),
         date=('//div[contains(@class,"post-meta")]//span[starts-with(@title,"发布于")]/@title',
               '//div[contains(@class,"post-meta")]//time/@datetime'),
         drop=('.//a[contains(@class,"heading-mark")]',),
         # the blog's notes end where the post's password-protected (encrypted) part begins
         cut_at=('self::fixit-encryptor',),
         source_quote=True),
    Site("people",
         detect=('//div[@id="rwb_zw"]', '//div[contains(@class,"rm_txt_con")]'),
         body=('//div[@id="rwb_zw"]', '//div[contains(@class,"rm_txt_con")]', '//div[@class="box_con"]'),
         title=('//div[contains(@class,"text_title")]//h1', '//div[contains(@class,"rm_txt")]//h1', '//h1'),
         date=('//div[contains(@class,"text_title")]//div[contains(@class,"box01")]/div[1]',
               '//div[contains(@class,"col-1-1")]', '//meta[@name="publishdate"]/@content'),
         drop=('.//div[contains(@class,"edit")]', './/div[contains(@class,"zdfy")]',
               './/div[contains(@class,"box_pic")][not(.//img)]'),
         site_name="人民网", boilerplate=True),
    Site("paper",
         detect=('//div[@id="ozoom"]',),
         body=('//div[@id="ozoom"]',),
         title=('//div[contains(@class,"article")]/h1', '//h1'),
         date=('//div[contains(@class,"date")]', '//p[contains(@class,"date")]'),
         site_name="人民日报"),
    Site("xinhua",
         detect=('//div[@id="p-detail"]', '//div[@id="detail"]', '//span[@id="detailContent"]'),
         body=('//div[@id="p-detail"]', '//div[@id="detail"]', '//span[@id="detailContent"]'),
         title=('//div[contains(@class,"h-title")]', '//span[contains(@class,"title")]', '//h1'),
         date=('//span[contains(@class,"h-time")]', '//div[contains(@class,"header-time")]',
               '//span[contains(@class,"time")]'),
         drop=('.//div[contains(@class,"lb")]', './/div[contains(@class,"zan-wap")]',
               './/div[contains(@class,"p-tags")]', './/div[contains(@class,"tiyi")]'),
         site_name="新华网"),
)
#: Site names by host, for pages whose name is not in their tags.
HOST_NAMES: dict[str, str] = {
    "people.com.cn": "人民网", "xinhuanet.com": "新华网", "news.cn": "新华网", "cctv.com": "央视网",
    "gmw.cn": "光明网", "chinadaily.com.cn": "中国日报网", "qstheory.cn": "求是网", "gov.cn": "中国政府网",
    "cyol.com": "中国青年网", "chinanews.com.cn": "中国新闻网", "ce.cn": "中国经济网",
}
_TITLE_SUFFIX = re.compile(r"\s*(?:[-_|–—]{1,2}|——)\s*([^-_|–—]{2,12})\s*$")
_DATE = re.compile(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})")
#: Where a page states its publish time, tried in order after a site rule's own place.
DATE_META = ("article:published_time", "og:release_date", "publishdate", "PubDate", "pubdate", "publish_date",
             "weibo: article:create_at", "datePublished", "og:article:published_time")
#: How many characters of text after the title are searched for a date like 2019年9月7日 15:10.
DATE_NEAR_TITLE = 300
#: og:site_name values that name a platform, not the publisher.
NOT_A_SITE = frozenset({"微信公众平台"})
_CJK_NAME = r"[\u4e00-\u9fff·]{2,4}(?:[ 、，,]+[\u4e00-\u9fff·]{2,4})*(?=[\s，,。；;)）]|$)"
#: ``作者：张三``, ``记者 张三 李四``, ``文/张三`` in the lines after the title.
_AUTHOR_NEAR_TITLE = (
    re.compile(r"作者\s*[:：]\s*(\S.{0,30})"),
    re.compile(r"记者(?:\s*[:：]\s*|\s+)(" + _CJK_NAME + ")"),
    re.compile(r"(?:^|\s)文\s*[/／|｜]\s*(" + _CJK_NAME + ")"),
)
_SOURCE_NEAR_TITLE = (re.compile(r"来源\s*[:：]\s*(\S{2,30})"),)  # a source's name has no spaces
#: Where a field's value ends: the next label, a date or a separator.
_FIELD_END = re.compile(r"\s{2,}|\u3000|\s*[【\[]"
                        r"|\s*(?:来源|作者|记者|编辑|责任编辑|发布|时间|日期|字号|浏览|阅读|分享|参与|评论|举报)"
                        r"|\s*\d{2,4}[-/年.]|\s*[|｜]")
_SOURCE_LINE = re.compile(r"原文链接|微信公众号|^来源")
_BLOB = re.compile(r"^[A-Za-z0-9+/=]{60,}$")


# -- small helpers -----------------------------------------------------------------------------
def first_text(root: HtmlElement, xpaths: tuple[str, ...]) -> str:
    for xp in xpaths:
        for hit in root.xpath(xp):
            v = clean_text(hit if isinstance(hit, str) else hit.text_content())
            if v:
                return v
    return ""


def first_element(root: HtmlElement, xpaths: tuple[str, ...]) -> HtmlElement | None:
    for xp in xpaths:
        hits = [h for h in root.xpath(xp) if not isinstance(h, str)]
        if hits:
            return max(hits, key=lambda h: len(h.text_content()))
    return None


def parse_date(text: str) -> str:
    """ISO 8601 in Asia/Shanghai from the first date in ``text``; '' when none.  A full ISO
    timestamp with an offset (``2019-09-07T07:10:53Z``) is converted to Shanghai time."""
    iso = _ISO.search(text or "")
    if iso:
        try:
            stamp = datetime.fromisoformat(iso.group(0).replace("Z", "+00:00"))
        except ValueError:
            stamp = None
        if stamp is not None and stamp.tzinfo is not None:
            return stamp.astimezone(SHANGHAI).isoformat()
    m = _DATE.search(text or "")
    if not m:
        return ""
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hh, mm, ss = (int(m.group(i)) if m.group(i) else 0 for i in (4, 5, 6))
    try:
        return datetime(y, mo, d, hh, mm, ss, tzinfo=SHANGHAI).isoformat()
    except ValueError:
        return ""


def site_of(root: HtmlElement, url: str, fallback: str = "") -> str:
    """The publishing site or account: JSON-LD ``publisher.name``, ``og:site_name`` (never
    WeChat's 微信公众平台), the host's known name, the site rule's name, a ``来源：…`` line near the
    title, then the title's ``_网站`` suffix."""
    name = next((n for n in (_ld_name(item.get("publisher")) for item in json_ld(root)) if n), "")
    if name:
        return name
    name = meta_content(root, "og:site_name", "site_name", "application-name")
    if name and name not in NOT_A_SITE:
        return name
    try:
        host = urlparse(url).hostname or ""
    except ValueError:  # not a valid URL
        host = ""
    for domain, label in HOST_NAMES.items():
        if host == domain or host.endswith("." + domain):
            return label
    if fallback:
        return fallback
    name = _near_title_field(root, _SOURCE_NEAR_TITLE)
    if name:
        return name
    m = _TITLE_SUFFIX.search(clean_text(root.findtext(".//title") or ""))
    return m.group(1) if m else ""


def page_author(root: HtmlElement) -> str:
    """The article's author: JSON-LD ``author.name``, ``<meta name="author">`` /
    ``article:author``, then ``作者：张三`` / ``记者 张三`` / ``文/张三`` near the title.  Values that
    are not names (numbers, URLs, long text) are passed over."""
    for item in json_ld(root):
        name = _ld_name(item.get("author"))
        if _is_name(name):
            return name
    for key in ("author", "article:author", "og:article:author"):
        name = meta_content(root, key)
        if _is_name(name):
            return name
    return _near_title_field(root, _AUTHOR_NEAR_TITLE)


def _ld_name(value: object) -> str:
    """``name`` of a JSON-LD person/organisation (or a list of them, joined by 、), or a plain string."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return clean_text(str(value.get("name") or ""))
    if isinstance(value, list):
        return "、".join(n for n in (_ld_name(v) for v in value) if n)
    return ""


def _is_name(value: str) -> bool:
    return (0 < len(value) <= 30 and "://" not in value and "@" not in value
            and bool(re.search(r"[A-Za-z\u4e00-\u9fff]", value)))


def _near_title_text(root: HtmlElement) -> str:
    """The text of the elements after the page's first <h1> (or its parent's), a few hundred characters."""
    h1 = next(iter(root.xpath("//h1")), None)
    if h1 is None:
        return _after_title_text(root)
    parts: list[str] = []
    for el in h1.itersiblings():
        if isinstance(el.tag, str):
            parts.append(clean_text(" ".join(el.itertext())))
        if sum(map(len, parts)) > DATE_NEAR_TITLE:
            break
    text = " | ".join(p for p in parts if p)  # a field's value never runs into the next element
    if not text:
        parent = h1.getparent()
        text = clean_text(" ".join(parent.itertext())) if parent is not None else ""
    return text[:DATE_NEAR_TITLE]


def _after_title_text(root: HtmlElement) -> str:
    """For a page without <h1>: the page's visible text (elements apart by `` | ``) just after the
    first place its title is shown (a ``<strong>`` in a table cell, a ``<div class="tit">`` …)."""
    title = page_title(root, None)
    text = visible_text(root, sep=" | ")
    at = text.find(title) if len(title) >= 4 else -1
    if at < 0:
        return ""
    return text[at + len(title):at + len(title) + DATE_NEAR_TITLE].strip(" |")


def _near_title_field(root: HtmlElement, patterns: tuple[re.Pattern[str], ...]) -> str:
    text = _near_title_text(root)
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            value = _FIELD_END.split(m.group(1).strip(), maxsplit=1)[0].strip(" ：:|｜/，,。")
            if _is_name(value):
                return value
    return ""


def page_title(root: HtmlElement, site: Site | None) -> str:
    title = first_text(root, site.title) if site else ""
    if not title:
        title = next((clean_text(str(item["headline"])) for item in json_ld(root)
                      if isinstance(item.get("headline"), str) and item["headline"].strip()), "")
    if not title:
        title = meta_content(root, "og:title", "twitter:title")
    if not title:
        raw = clean_text(root.findtext(".//title") or "")
        title = _shown_title(root, raw) or (re.split(r"\s*(?:--|_|\||-\s)", raw)[0] if raw else "")
    return title


def _shown_title(root: HtmlElement, raw: str) -> str:
    """The longest heading-like text of the page (h1–h3, a ``…title…``/``tit`` class, bold text)
    that the ``<title>`` starts with: ``<title>标题-某某新闻网</title>`` shown as ``<h2>标题</h2>``."""
    if not raw:
        return ""
    xp = ('//body//*[self::h1 or self::h2 or self::h3 or self::strong or self::b or self::font '
          'or contains(@class,"title") or contains(@class,"tit") or contains(@class,"bt")]')
    found = [clean_text(el.text_content()) for el in root.xpath(xp)]
    return max((t for t in found if len(t) >= 4 and raw.startswith(t)), key=len, default="")


def detect_site(root: HtmlElement) -> Site | None:
    for site in SITES:
        if any(root.xpath(xp) for xp in site.detect):
            return site
    return None


def json_ld(root: HtmlElement) -> list[dict[str, object]]:
    """The page's JSON-LD objects (an @graph is flattened); broken scripts are skipped."""
    out: list[dict[str, object]] = []
    for script in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                graph = item.get("@graph")
                out += [g for g in graph if isinstance(g, dict)] if isinstance(graph, list) else [item]
    return out


def page_date(root: HtmlElement) -> str:
    """The publish time from JSON-LD, the page's <meta> tags, or a date just after the title."""
    for item in json_ld(root):
        found = parse_date(str(item.get("datePublished") or item.get("dateCreated") or ""))
        if found:
            return found
    found = parse_date(meta_content(root, *DATE_META))
    if found:
        return found
    for xp in ('//*[@itemprop="datePublished"]/@content', "//time/@datetime"):
        found = next((parse_date(v) for v in root.xpath(xp) if parse_date(v)), "")
        if found:
            return found
    return _date_near_title(root)


def _date_near_title(root: HtmlElement) -> str:
    h1 = next(iter(root.xpath("//h1")), None)
    if h1 is None:
        return parse_date(_after_title_text(root))
    text = ""
    for el in h1.itersiblings():
        if not isinstance(el.tag, str):
            continue
        text += " " + clean_text(el.text_content())
        if len(text) > DATE_NEAR_TITLE:
            break
    if not text.strip():
        parent = h1.getparent()
        text = clean_text(parent.text_content()) if parent is not None else ""
    return parse_date(text[:DATE_NEAR_TITLE])


# -- body ---------------------------------------------------------------------------------------
def _drop(body: HtmlElement, xpaths: tuple[str, ...]) -> None:
    for xp in xpaths:
        for el in body.xpath(xp):
            parent = el.getparent()
            if parent is not None:
                el.drop_tree()


def _source_block(el: HtmlElement) -> RawBlock | None:
    """A leading blockquote naming the source (``X微信公众号 原文链接``) as a source line."""
    text = clean_text(el.text_content())
    if not text or not _SOURCE_LINE.search(text) or len(text) > 120:
        return None
    spans = []
    for a in el.iter("a"):
        label, href = clean_text(a.text_content()), a.get("href") or ""
        at = text.find(label) if label else -1
        if at >= 0 and href:
            spans.append(Span(at, at + len(label), "link", f"[]({href})"))
    return RawBlock("source", text, spans, prefix="> ")


def _is_blob(block: RawBlock) -> bool:
    return block.raw is None and bool(_BLOB.match(block.text.replace(" ", "")))


def _cut(body: HtmlElement, xpaths: tuple[str, ...]) -> None:
    children = list(body)
    for i, child in enumerate(children):
        if any(child.xpath(xp) for xp in xpaths):
            for rest in children[i:]:
                body.remove(rest)
            return


def body_blocks(body: HtmlElement, site: Site, url: str = "") -> list[RawBlock]:
    _drop(body, site.drop)
    _cut(body, site.cut_at)
    blocks: list[RawBlock] = []
    children = list(body)
    if site.source_quote and children and children[0].tag == "blockquote":
        quote = children[0]
        parts = [c for c in quote if c.tag == "p"]
        first = parts[0] if len(parts) > 1 else quote
        src = _source_block(first)
        if src is not None:
            blocks.append(src)
            (first if first is not quote else quote).drop_tree()
    walker = Walker(keep_hidden=False, base_url=url)
    blocks += [b for b in walker.walk(body) if not _is_blob(b)]
    if site.boilerplate:
        blocks = [b for b in blocks if not is_boilerplate(b)]
    return drop_trailing_breaks(blocks)


def fallback_blocks(root: HtmlElement, html: str, base_url: str = "") -> list[RawBlock]:
    """Main text of a page no site rule knows (see :mod:`jingdu.ingest.generic`)."""
    return drop_trailing_breaks(generic_blocks(root, html, base_url))


# -- pages without text -------------------------------------------------------------------------
#: A page showing fewer characters than this (outside scripts, styles, forms …) has no article.
MIN_PAGE_CHARS = 20


def visible_text(root: HtmlElement, sep: str = " ") -> str:
    """The text a reader sees in the page's body (no scripts, styles, noscript notices, forms);
    ``sep`` stands between the texts of elements."""
    body = root.find(".//body")
    parts: list[str] = []

    def walk(el: HtmlElement) -> None:
        if isinstance(el.tag, str) and el.tag not in SKIP_TAGS:
            parts.append(el.text or "")
            for child in el:
                walk(child)
                parts.append(child.tail or "")
        # (a skipped element's tail is added by its parent)

    if body is not None:
        walk(body)
    if sep == " ":
        return clean_text(" ".join(parts))
    pieces = (clean_text(p) for p in parts)
    return sep.join(p for p in pieces if p)


def meta_refresh(root: HtmlElement) -> str:
    """Where a ``<meta http-equiv="refresh" content="0;url=…">`` sends the browser ('' when nowhere)."""
    for content in root.xpath('//meta[translate(@http-equiv,"REFSH","refsh")="refresh"]/@content'):
        m = re.search(r"url\s*=\s*['\"]?([^'\"\s]+)", str(content), re.I)
        if m:
            return m.group(1)
    return ""


def stated_body(root: HtmlElement) -> list[RawBlock]:
    """The body a page states in its JSON-LD (``articleBody``), one block a line; [] when none
    (or shorter than :data:`MIN_PAGE_CHARS`).  Pages whose scripts draw the article often carry it."""
    for item in json_ld(root):
        text = item.get("articleBody")
        if isinstance(text, str) and len(re.sub(r"\s", "", text)) >= MIN_PAGE_CHARS:
            lines = (clean_text(line) for line in re.split(r"[\r\n]+", text))
            return [RawBlock("paragraph", line) for line in lines if line]
    return []


def refuse_empty_page(root: HtmlElement) -> None:
    """A clear :class:`NotAnArticle` for a page that shows (almost) no text: frames only, images
    only, a shell that its scripts fill in, or nothing at all."""
    frames = root.xpath("//frame/@src | //iframe/@src")
    text = visible_text(root) if not root.xpath("//frameset") else ""
    if len(re.sub(r"\s", "", text)) >= MIN_PAGE_CHARS:
        return
    refresh = meta_refresh(root)
    if refresh:
        raise NotAnArticle(f"the page only sends the browser on to {refresh}: ingest that page")
    if frames:
        shown = ", ".join(str(f) for f in frames[:3])
        raise NotAnArticle(f"the page only frames other pages ({shown}): ingest the framed page itself")
    images = root.xpath("//body//img")
    if images:
        raise NotAnArticle(f"the page holds {len(images)} image(s) and no text")
    if root.xpath("//script"):
        raise NotAnArticle("the page's text is filled in by its scripts (a JavaScript shell): "
                           "save it from a browser once it has loaded, then ingest the saved file")
    if not text:
        raise NotAnArticle("the page shows no text")


# -- the reader ---------------------------------------------------------------------------------
def read_news(root: HtmlElement, html: str, url: str = "", note_id: str = "") -> Doc:
    """Read a news page (any site but WeChat) into a document."""
    site = detect_site(root)
    title = page_title(root, site)
    body = first_element(root, site.body) if site else None
    stated = stated_body(root)  # the page's own JSON-LD articleBody, for pages that show no text
    if body is None and not stated:
        refuse_empty_page(root)
    base = page_base(root, url)
    blocks = body_blocks(body, site, base) if body is not None and site else fallback_blocks(root, html, base)
    blocks = [b for b in blocks if not (b.kind != "source" and b.raw is None and b.text == title)]
    if not any(b.raw is None for b in blocks):
        blocks = stated
    if not any(b.raw is None for b in blocks):
        raise NotAnArticle("no article text found on this page")
    date_text = first_text(root, site.date) if site else ""
    published = parse_date(date_text) or page_date(root)
    source = next((b for b in blocks if b.kind == "source"), None)
    account = _account_from_source(source) if source else site_of(root, url, site.site_name if site else "")
    builder = DocBuilder()
    if title:
        builder.add("title", title, prefix="# ")
    add_blocks(builder, blocks)
    meta = Meta(title=title, account=account, url=_source_url(source) or url, published=published,
                author=page_author(root),
                tags=tuple(first_texts(root, '//a[contains(@class,"post-tag")]')),
                categories=tuple(first_texts(root, '//a[contains(@class,"post-category")]')), id=note_id)
    return builder.build(meta)


def first_texts(root: HtmlElement, xpath: str) -> list[str]:
    return [t for t in (clean_text(el.text_content()) for el in root.xpath(xpath)) if t]


def _account_from_source(block: RawBlock) -> str:
    return re.split(r"微信公众号|\s*原文链接|\s+", block.text.strip(), maxsplit=1)[0].strip()


def _source_url(block: RawBlock | None) -> str:
    if block is None:
        return ""
    for sp in block.spans:
        if sp.layer == "link" and sp.tag:
            return sp.tag[3:-1]
    return ""
