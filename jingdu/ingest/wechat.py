"""WeChat public-account article pages (mp.weixin.qq.com), served or saved from a browser.

The body is ``#js_content`` (read even when hidden by its style: served pages hide it until
their scripts run); title, account, author and time come from meta tags and script variables
(see ``shared/pages/README.md``).  Pages that are not articles (deleted, blocked, the anti-bot
check, image and text posts) raise :class:`~jingdu.errors.NotAnArticle` with a clear message.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta, timezone

from lxml.html import HtmlElement

from jingdu.errors import NotAnArticle
from jingdu.ingest.html import RawBlock, Walker, add_blocks, clean_text, drop_trailing_breaks, meta_content
from jingdu.model import Doc, DocBuilder, Meta, Span

SHANGHAI = timezone(timedelta(hours=8))
_Q = r"""(?:htmlDecode\(\s*)?(["'])((?:\\.|(?!\1).)*)\1"""
#: Script variables, tried in order, for each field.
SCRIPT_VARS: dict[str, tuple[str, ...]] = {
    "title": (r"var\s+msg_title\s*=\s*" + _Q,),
    "account": (r"var\s+nickname\s*=\s*" + _Q,),
    "author": (r"var\s+author\s*=\s*" + _Q,),
    "url": (r"var\s+msg_link\s*=\s*" + _Q,),
    "time": (r"var\s+ct\s*=\s*" + _Q, r"var\s+create_time\s*=\s*" + _Q, r"oriCreateTime\s*=\s*" + _Q),
    "show_type": (r"item_show_type\s*=\s*" + _Q,),
}
#: Elements, tried in order, for each field when the scripts do not say.
SELECTORS: dict[str, tuple[str, ...]] = {
    "title": ('//*[@id="activity-name"]', '//h1[contains(@class,"rich_media_title")]'),
    "account": ('//*[@id="js_name"]', '//*[@id="post-user"]', '//*[contains(@class,"account_nickname_inner")]'),
    "body": ('//*[@id="js_content"]',),
}
#: Non-article pages: (XPath or text test, message).
DELETED = ('//*[contains(@class,"weui-msg__title")]', "the article was deleted by its publisher")
BLOCKED = ('//*[contains(@class,"mesg-block")]', "the article is blocked (it cannot be viewed)")
ANTIBOT = (("环境异常", "完成验证"), "WeChat showed its anti-bot check (环境异常 … 完成验证) instead of the article")
SHOW_TYPES = {"8": "this is an image post (item_show_type 8), not an article",
              "10": "this is a text post (item_show_type 10), not an article"}


# -- script variables ---------------------------------------------------------------------------
def js_unescape(s: str) -> str:
    """A JavaScript string literal's value, then HTML entities decoded."""
    def sub(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "xu":
            return chr(int(esc[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(esc, esc)

    s = re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", sub, s)
    return htmllib.unescape(htmllib.unescape(s))


def script_var(html: str, field: str) -> str:
    for pattern in SCRIPT_VARS[field]:
        for m in re.finditer(pattern, html):
            value = clean_text(js_unescape(m.group(2)))
            if value:
                return value
    return ""


def first_text(root: HtmlElement, xpaths: tuple[str, ...]) -> str:
    for xp in xpaths:
        for el in root.xpath(xp):
            v = clean_text(el.text_content())
            if v:
                return v
    return ""


def epoch_to_iso(value: str) -> str:
    m = re.search(r"\d{9,11}", value or "")
    if not m:
        return ""
    return datetime.fromtimestamp(int(m.group(0)), SHANGHAI).isoformat()


# -- non-articles -------------------------------------------------------------------------------
def check_article(root: HtmlElement, html: str, body: HtmlElement | None) -> None:
    """Raise NotAnArticle for deleted, blocked, anti-bot, image and text posts."""
    for xpath, message in (DELETED, BLOCKED):
        hits = root.xpath(xpath)
        if hits and body is None:
            detail = clean_text(hits[0].text_content())
            raise NotAnArticle(f"{message}" + (f" ({detail})" if detail else ""))
    words, message = ANTIBOT
    if body is None and all(w in html for w in words):
        raise NotAnArticle(message)
    show = script_var(html, "show_type")
    if show in SHOW_TYPES and (body is None or show == "10"):
        raise NotAnArticle(SHOW_TYPES[show])
    if body is None:
        raise NotAnArticle("no article body (#js_content) on this WeChat page")


# -- the reader ---------------------------------------------------------------------------------
def body_element(root: HtmlElement) -> HtmlElement | None:
    for xp in SELECTORS["body"]:
        hits = root.xpath(xp)
        if hits:
            return hits[0]
    return None


def body_blocks(body: HtmlElement) -> list[RawBlock]:
    walker = Walker(keep_hidden=True, image_attrs=("data-src", "data-original", "src"))
    return drop_trailing_breaks(walker.walk(body))


def source_line(account: str, link: str) -> tuple[str, list[Span]]:
    """``X微信公众号 原文链接`` with the link on 原文链接, as the notation writes it."""
    text = f"{account}微信公众号"
    if not link:
        return text, []
    start = len(text) + 1
    return f"{text} 原文链接", [Span(start, start + 4, "link", f"[]({link})")]


def read_wechat(root: HtmlElement, html: str, url: str = "", note_id: str = "") -> Doc:
    """Read a WeChat article page into a document."""
    body = body_element(root)
    check_article(root, html, body)
    assert body is not None
    title = meta_content(root, "og:title", "twitter:title") or script_var(html, "title") \
        or first_text(root, SELECTORS["title"])
    title = clean_text(htmllib.unescape(title))
    account = script_var(html, "account") or first_text(root, SELECTORS["account"])
    author = script_var(html, "author") or meta_content(root, "og:article:author", "author")
    published = ""
    for pattern in SCRIPT_VARS["time"]:
        m = re.search(pattern, html)
        if m and (published := epoch_to_iso(m.group(2))):
            break
    link = meta_content(root, "og:url") or script_var(html, "url") or url
    blocks = body_blocks(body)
    if not any(b.raw is None for b in blocks) and not blocks:
        raise NotAnArticle("the WeChat article has no text or images")
    builder = DocBuilder()
    if title:
        builder.add("title", title, prefix="# ")
    if account:
        builder.add("source", *source_line(account, link), prefix="> ")
    add_blocks(builder, blocks)
    meta = Meta(title=title, account=account, url=link, published=published, author=author, id=note_id)
    return builder.build(meta)
