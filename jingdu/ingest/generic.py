"""The main text of a page no site rule knows: several readings, chosen by agreement.

Readings: trafilatura in its default and recall modes (text), a gne-style text-density choice
over the DOM (an element), and the page's own ``<article>`` / ``itemprop=articleBody`` hint.
Each text reading is anchored back onto the DOM (the element whose text agrees best with it), so
that the chosen body is always an element of the page and is walked like a site rule's body
(marks, images, headings kept).  The element the readings agree on most wins; its blocks then
lose paragraph-level boilerplate (相关阅读, 责任编辑, share bars, hot lists, copyright lines) and
unsupported edge lines (a navigation link before the article, comments after it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from lxml.html import HtmlElement

from jingdu.ingest.html import SKIP_TAGS, RawBlock, Walker, clean_text


@dataclass(frozen=True)
class GenericTunables:
    """Thresholds of the generic extractor."""

    min_body_chars: int = 40  # an element with less text is never the body
    min_text_chars: int = 10  # trafilatura's text alone, when shorter, is not an article
    anchor_min_ratio: float = 0.5  # an anchored element's text is at least this share of the reading …
    anchor_max_ratio: float = 4.0  # … and at most this many times it
    edge_support: float = 0.5  # an edge block stays when this share of its 4-grams is in another reading
    edge_max_chars: int = 60  # only edge blocks up to this length may be trimmed
    boilerplate_max_chars: int = 80  # boilerplate patterns apply to blocks up to this length
    disclaimer_max_chars: int = 300  # a 免责声明 paragraph up to this length is boilerplate
    tail_min_chars: int = 150  # a 相关阅读 line ends the article only after this much text
    agreement_floor: float = 0.3  # below this, no reading is trusted and trafilatura's text is used
    extra_max_links: float = 0.4  # an outer element adding this share of link text loses to the inner one …
    extra_min_prose: float = 0.5  # … as does one whose added text has under this share of the inner's punctuation
    extra_neutral_chars: int = 10  # an outer element adding at most this much text (本站讯) adds nothing
    list_min_links: float = 0.6  # an element with this share of link text is a headline list, not an article
    anchor_faithful: float = 0.8  # an anchored element whose text has this F1 to the reading's text is that text
    button_max_chars: int = 4  # a block this short without punctuation may be a button …
    button_min_run: int = 3  # … and this many of them ending the body are a bar of buttons
    chrome_max_prose: float = 0.5  # an element named like chrome but holding this share of the page's punctuation stays


TUNABLES = GenericTunables()
#: Containers the density reading considers.
CONTAINERS = frozenset({"div", "article", "section", "main", "td", "body", "span", "font", "center"})
#: Elements dropped before any reading: page chrome.
CHROME_TAGS = SKIP_TAGS | {"header", "footer", "aside"}
CHROME_HINT = re.compile(r"comment|footer|sidebar|side-bar|recommend|related|share|hot-?list|breadcrumb|"
                         r"(?:^|[\s_-])nav(?:$|[\s_-])|copyright|toolbar|pinglun|tuijian|xiangguan|rank",
                         re.I)
#: Hints that name a comments section: such an element is dropped however much prose it holds.
COMMENT_HINT = re.compile(r"comment|pinglun|reply", re.I)
PUNCT = frozenset("，。！？；：、“”…")
#: Punctuation inside sentences of prose (a label's colon, a list's 、 are not).
SENTENCE = frozenset("，。！？；")
#: A block matching one of these (and short) is boilerplate.
BOILERPLATE = tuple(re.compile(p) for p in (
    # a byline (names, not a sentence: 记者：为什么…？ in an interview is the article's)
    r"^[(（【\[]?\s*(?:责任编辑|责编|编辑|审核|校对|监制|主编|值班编辑|作者|记者|通讯员)\s*[:：][^。！？?!]{0,40}$",
    r"^(?:广告|推广|赞助)$",
    r"^[(（【\[]?\s*(?:相关阅读|相关新闻|相关推荐|相关文章|延伸阅读|推荐阅读|热门推荐|热点推荐|猜你喜欢|大家都在看|"
    r"更多精彩|精彩推荐|热门文章|热门新闻|24小时热|今日热点|排行榜?)",
    r"^(?:点击进入|点击查看|点击阅读|查看原文|阅读原文|展开全文|返回首页|返回顶部|上一篇|下一篇)",
    r"(?:分享到|分享至|扫一扫|扫描二维码|关注我们|微信公众号二维码|打开微信|一键分享)",
    r"(?:版权所有|版权声明|Copyright|©|未经授权|不得转载|禁止转载|转载请注明|ICP备|公网安备)",
    r"^[(（]?\s*(?:责任编辑|责编|编辑|校对|审核|监制|记者|通讯员|实习生)\s*[\u4e00-\u9fff]{2,4}"
    r"(?:\s+(?:编辑|校对|审核|监制|记者|通讯员|实习生)\s*[\u4e00-\u9fff]{2,4})*\s*[)）]?$",
    r"点[【\[]?在看|点个在看|长按识别二维码|长按二维码",
    r">>\s*$|》》\s*$",
    r"^[(（]?\s*(?:来源|本文来源|文章来源|稿源|信息来源)\s*[:：][^。！？]{0,30}$",
    r"^(?:举报|纠错|打印|收藏|评论|点赞|字号)(?:\s|$)",
    r"^(?:[【\[]\s*(?:打印本页|打印此文|打印|关闭窗口|关闭|纠错|收藏|返回顶部|发表评论|告诉好友)\s*[】\]]\s*)+$",
    r"^(?=.*(?:上一页|下一页|尾页|共\s*\d+\s*页))(?:上一页|下一页|首页|尾页|共\s*\d+\s*页|第\s*\d+\s*页|\d+|\s)+$",
    r"浏览器不支持|请升级(?:您的)?浏览器|does not support the video",  # a video's placeholder
    r"[【\[]\s*点击(?:投票|查看|进入|阅读|购买|报名|下载|参与|观看)\s*[】\]]",  # a promotion's call to click
    r"^[+＋]?\s*(?:关注|已关注|订阅|分享)\s*[:：]?$",  # a follow or share button
    r"^(?:已收藏|收藏成功|知道了|我知道了)[!！。]?$|查看所有收藏",  # a dialog's lines
    r"^(?:评论|跟帖|留言)\s*[(（]\d+[)）]$|^登录\s*后参与讨论|^请关注.{0,20}公众号",
))
#: A publisher's disclaimer (【免责声明】本文仅代表作者本人观点…), boilerplate even when long.
DISCLAIMER = re.compile(r"^[【\[(（]?\s*(?:免责声明|特别声明|郑重声明|声明)\s*[】\])）:：]")
#: A block that starts a tail of recommendations: everything from it on is dropped.
TAIL_START = re.compile(r"^[(（【\[]?\s*(?:相关\W{0,3}(?:阅读|新闻|推荐|报道)|此前报道|往期回顾|往期推荐|"
                        r"延伸\W{0,3}(?:阅读|推荐)|推荐阅读|热门推荐|猜你喜欢|大家都在看|"
                        r"网友评论|热门评论|最新评论|我要评论|发表评论|精彩评论|全部评论|评论区|"
                        r"网友留言|读者留言|全部留言|最新留言|精选留言)")


#: A line that only dates the article (``2020年09月11日 18:05``, ``2020-09-11 来源：某某网``): metadata, not body.
DATELINE = re.compile(r"^(?:(?:发布|更新)?(?:时间|日期)\s*[:：]\s*)?\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
                      r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?:\s*(?:来源|作者|编辑)\s*[:：]\s*\S{0,20})*"
                      r"(?:\s+[^\s，。！？；：]{2,12})?\s*$")  # (a source's name alone after the date)


class Reading(NamedTuple):
    name: str
    element: HtmlElement | None
    text: str


def grams(text: str, n: int = 4) -> Counter[str]:
    t = re.sub(r"\s+", "", text)
    return Counter(t[i:i + n] for i in range(max(len(t) - n + 1, 0)))


def f1(a: Counter[str], b: Counter[str]) -> float:
    hit = sum((a & b).values())
    if not hit:
        return 0.0
    p, r = hit / sum(a.values()), hit / sum(b.values())
    return 2 * p * r / (p + r)


def element_text(el: HtmlElement) -> str:
    return clean_text(" ".join(t for t in el.itertext()))


# -- preparing the tree --------------------------------------------------------------------------
def strip_chrome(root: HtmlElement, tunables: GenericTunables = TUNABLES) -> HtmlElement:
    """A copy of the page without scripts, navigation, comments sections and other chrome."""
    from copy import deepcopy

    tree = deepcopy(root)
    page_punct = _punct(tree)
    for el in list(tree.iter()):
        tag = el.tag if isinstance(el.tag, str) else ""
        if el.getparent() is None:
            continue
        if not tag or tag in CHROME_TAGS or (tag != "body" and _chrome_hint(el, page_punct, tunables)):
            el.drop_tree()
    return tree


def _punct(el: HtmlElement) -> int:
    return sum(ch in PUNCT for t in el.itertext() for ch in t)


def _chrome_hint(el: HtmlElement, page_punct: int, tunables: GenericTunables) -> bool:
    """Whether the element's class or id names page chrome (share bar, related links, …).  An
    element holding most of the page's sentences is the article all the same (a class like
    ``js_img_share_area`` around the body), unless it is named a comments section."""
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not CHROME_HINT.search(hint) or _is_article_hint(el):
        return False
    if COMMENT_HINT.search(hint):
        return True
    return _punct(el) < tunables.chrome_max_prose * page_punct


def _is_article_hint(el: HtmlElement) -> bool:
    return el.tag == "article" or el.get("itemprop") == "articleBody"


# -- readings --------------------------------------------------------------------------------------
@dataclass
class _Stats:
    chars: int = 0
    link_chars: int = 0
    tags: int = 0
    link_tags: int = 0
    punct: int = 0
    sentence: int = 0  # sentence punctuation only (SENTENCE)


def _stats(el: HtmlElement, out: dict[HtmlElement, _Stats]) -> _Stats:
    st = _Stats()
    own = (el.text or "").strip()
    st.chars, st.punct, st.sentence = len(own), sum(ch in PUNCT for ch in own), sum(ch in SENTENCE for ch in own)
    is_link = el.tag == "a"
    for child in el:
        if not isinstance(child.tag, str):
            continue
        c = _stats(child, out)
        tail = (child.tail or "").strip()
        st.chars += c.chars + len(tail)
        st.punct += c.punct + sum(ch in PUNCT for ch in tail)
        st.sentence += c.sentence + sum(ch in SENTENCE for ch in tail)
        st.link_chars += c.link_chars
        st.tags += c.tags + 1
        st.link_tags += c.link_tags
    if is_link:
        st.link_chars, st.link_tags = st.chars, st.link_tags + 1
    out[el] = st
    return st


def tree_stats(tree: HtmlElement) -> dict[HtmlElement, _Stats]:
    stats: dict[HtmlElement, _Stats] = {}
    body = tree.find(".//body")
    _stats(body if body is not None else tree, stats)
    return stats


def density_reading(stats: dict[HtmlElement, _Stats], tunables: GenericTunables = TUNABLES) -> Reading:
    """gne-style: the container with the best text density (text outside links per tag),
    weighted by its punctuation and its amount of text."""
    best, best_score = None, 0.0
    for el, st in stats.items():
        text = st.chars - st.link_chars
        if el.tag not in CONTAINERS or text < tunables.min_body_chars:
            continue
        density = text / max(st.tags - st.link_tags, 1)
        score = density * math.log10(st.punct + 2) * math.log(text + 1)
        if score > best_score:
            best, best_score = el, score
    return Reading("density", best, element_text(best) if best is not None else "")


def adds_prose(outer: _Stats, inner: _Stats, tunables: GenericTunables = TUNABLES) -> bool | None:
    """Whether what ``outer`` adds to ``inner`` is prose like the inner's: not mostly link text, and
    as dense in sentence punctuation as half the inner's; None when it adds (next to) no text."""
    extra = outer.chars - inner.chars
    if extra <= tunables.extra_neutral_chars:
        return None
    links = (outer.link_chars - inner.link_chars) / extra
    prose = ((outer.sentence - inner.sentence) / extra) / max(inner.sentence / max(inner.chars, 1), 1e-6)
    return links < tunables.extra_max_links and prose > tunables.extra_min_prose


def hint_reading(tree: HtmlElement, tunables: GenericTunables = TUNABLES) -> Reading:
    hits = tree.xpath('//*[@itemprop="articleBody"] | //article')
    hits = [h for h in hits if len(element_text(h)) >= tunables.min_body_chars]
    el = max(hits, key=lambda h: len(element_text(h)), default=None)
    return Reading("article", el, element_text(el) if el is not None else "")


def trafilatura_readings(html: str) -> list[Reading]:
    try:
        import trafilatura
    except ImportError:  # an incomplete install (lxml_html_clean missing): the DOM readings remain
        return []
    out = []
    for name, recall in (("trafilatura", False), ("trafilatura-recall", True)):
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=recall) or ""
        out.append(Reading(name, None, text))
    return out


def anchor(tree: HtmlElement, reading: Reading, tunables: GenericTunables = TUNABLES) -> Reading:
    """The element whose text agrees best with a text reading (char-4-gram F1)."""
    target = grams(reading.text)
    size = sum(target.values())
    if not size:
        return reading
    best, best_f1 = None, 0.0
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag not in CONTAINERS | {"p"}:
            continue
        text = element_text(el)
        n = len(re.sub(r"\s+", "", text))
        if not tunables.anchor_min_ratio * size <= n <= tunables.anchor_max_ratio * size:
            continue
        score = f1(grams(text), target)
        if score > best_f1:
            best, best_f1 = el, score
    if best is None:
        return reading
    return Reading(reading.name, best, reading.text)


def choose(readings: list[Reading], tunables: GenericTunables = TUNABLES) -> Reading | None:
    """The element reading that agrees most with the other readings: mean F1 of its element's
    text to the texts of readings that landed elsewhere (to all texts when every one agrees)."""
    texts = [(r, grams(r.text)) for r in readings]
    best, best_score = None, -1.0
    for r in readings:
        if r.element is None:
            continue
        own = grams(element_text(r.element))
        others = [g for o, g in texts if o.element is not r.element and g] or [g for _, g in texts if g]
        score = sum(f1(own, g) for g in others) / max(len(others), 1)
        if score > best_score:
            best, best_score = r, score
    if best is None or best_score < tunables.agreement_floor:
        return None
    return best


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that make a paragraph break: an element without any inside is one paragraph.
BREAKS = ("p", "div", "br", "li", "section", "table", "tr", "h1", "h2", "h3", "h4", "blockquote")


def is_fragment(el: HtmlElement) -> bool:
    """Whether the element is a single paragraph (no paragraph breaks inside)."""
    return not any(isinstance(d.tag, str) and d.tag in BREAKS for d in el.iterdescendants())


def grow_fragments(readings: list[Reading], stats: dict[HtmlElement, _Stats],
                   tunables: GenericTunables = TUNABLES) -> list[Reading]:
    """An element reading that is one paragraph (the densest paragraph of the body, a text-only
    ``<div>`` among others) grows while each parent adds prose, not links or labels."""
    out = []
    for r in readings:
        el = r.element
        if r.name.startswith("trafilatura") or el is None or not is_fragment(el):
            out.append(r)
            continue
        while el.getparent() is not None and el.getparent().tag != "body" and el in stats and el.getparent() in stats:
            if adds_prose(stats[el.getparent()], stats[el], tunables) is False:
                break
            el = el.getparent()
        out.append(Reading(r.name, el, element_text(el)) if el is not r.element else r)
    return out


def lead_siblings(el: HtmlElement, stats: dict[HtmlElement, _Stats], tunables: GenericTunables = TUNABLES
                  ) -> list[HtmlElement]:
    """The elements just before the body that are prose like it (a lead paragraph in a summary box
    of its own), in page order; a heading, a link list or a line of labels ends the search."""
    body = stats.get(el)
    if body is None or not body.sentence:
        return []
    out: list[HtmlElement] = []
    for sib in el.itersiblings(preceding=True):
        if not isinstance(sib.tag, str):
            continue
        st = stats.get(sib)
        if st is None or sib.tag in HEADINGS or not st.chars:
            break
        if (st.link_chars / st.chars >= tunables.extra_max_links
                or (st.sentence / st.chars) / (body.sentence / body.chars) <= tunables.extra_min_prose
                or is_boilerplate(RawBlock("paragraph", element_text(sib)), tunables)):
            break
        out.append(sib)
    return out[::-1]


def faithful_anchor(readings: list[Reading], tunables: GenericTunables = TUNABLES) -> Reading | None:
    """When no reading agrees with the others (the density reading found a fragment, say), the
    element a trafilatura text was anchored to, when that element's text is the text itself."""
    for r in readings:
        if (r.name.startswith("trafilatura") and r.element is not None and r.text
                and f1(grams(element_text(r.element)), grams(r.text)) >= tunables.anchor_faithful):
            return r
    return None


def prefer_inner(chosen: Reading, readings: list[Reading], stats: dict[HtmlElement, _Stats],
                 tunables: GenericTunables = TUNABLES) -> Reading:
    """A reading nested inside the chosen element wins when what the outer one adds is not prose:
    mostly link text (hot lists, related links) or much sparser in sentence punctuation."""
    outer = stats.get(chosen.element) if chosen.element is not None else None
    if outer is None:
        return chosen
    for r in readings:
        inner = stats.get(r.element) if r.element is not None else None
        if inner is None or r.element is chosen.element or chosen.element not in r.element.iterancestors():
            continue
        if inner.chars < tunables.min_body_chars:
            continue
        if adds_prose(outer, inner, tunables) is False:
            return r
    return chosen


def prose_over_lists(texts: list[Reading], readings: list[Reading], stats: dict[HtmlElement, _Stats],
                     tunables: GenericTunables = TUNABLES) -> Reading | None:
    """When the readings disagree and every trafilatura text is a headline list (its element mostly
    link text), the longest element reading that is prose (a gallery page's caption, say)."""
    def links(r: Reading) -> float:
        st = stats.get(r.element) if r.element is not None else None
        return st.link_chars / st.chars if st is not None and st.chars else 0.0

    def chars(r: Reading) -> int:
        st = stats.get(r.element) if r.element is not None else None
        return st.chars if st is not None else 0

    lists = [r for r in readings if r.name.startswith("trafilatura") and r.element is not None
             and links(r) >= tunables.list_min_links]
    if not texts or len(lists) < len(texts):
        return None
    prose = [r for r in readings if not r.name.startswith("trafilatura") and r.element is not None
             and links(r) < 1 - tunables.list_min_links and chars(r) >= tunables.min_body_chars]
    return max(prose, key=chars, default=None)


# -- cleaning the chosen body's blocks ----------------------------------------------------------------
def is_boilerplate(block: RawBlock, tunables: GenericTunables = TUNABLES) -> bool:
    if block.raw is not None:
        return False
    text = block.text.strip()  # (a page's own 　　 indent too)
    if len(text) <= tunables.disclaimer_max_chars and DISCLAIMER.search(text):
        return True
    if len(text) > tunables.boilerplate_max_chars:
        return False
    return any(p.search(text) for p in BOILERPLATE)


def drop_boilerplate(blocks: list[RawBlock], tunables: GenericTunables = TUNABLES) -> list[RawBlock]:
    out: list[RawBlock] = []
    for b in blocks:
        if (b.raw is None and len(b.text) <= tunables.boilerplate_max_chars and TAIL_START.search(b.text.strip())
                and sum(len(o.text) for o in out) >= tunables.tail_min_chars):
            break
        if not is_boilerplate(b, tunables):
            out.append(b)
    return out


def trim_edges(blocks: list[RawBlock], support: list[Counter[str]], tunables: GenericTunables = TUNABLES,
               support_all: bool = False) -> list[RawBlock]:
    """Drop short text blocks at either end that no other reading has (every block counts as
    supported with ``support_all``), a leading dateline and a closing bar of buttons."""
    def supported(b: RawBlock) -> bool:
        if support_all or b.raw is not None or len(b.text) > tunables.edge_max_chars:
            return True
        own = grams(b.text)
        total = sum(own.values())
        if not total:
            return True
        return any(sum((own & g).values()) / total >= tunables.edge_support for g in support)

    out = list(blocks)
    while out and not supported(out[0]):
        out.pop(0)
    while out and not supported(out[-1]):
        out.pop()
    return drop_button_run(drop_leading_datelines(out, tunables), tunables)


def drop_leading_datelines(blocks: list[RawBlock], tunables: GenericTunables = TUNABLES) -> list[RawBlock]:
    """Datelines among the short blocks before the first paragraph of prose (under the title)."""
    first_prose = next((i for i, b in enumerate(blocks) if b.raw is None and len(b.text) > tunables.edge_max_chars),
                       len(blocks))
    return [b for i, b in enumerate(blocks) if i >= first_prose or not _is_dateline(b)]


def _is_dateline(block: RawBlock) -> bool:
    return block.raw is None and bool(DATELINE.match(block.text.strip()))


def _is_button(block: RawBlock, tunables: GenericTunables) -> bool:
    text = block.text.strip().lstrip("-·•*").strip()
    return block.raw is None and len(text) <= tunables.button_max_chars and not any(ch in PUNCT for ch in text)


def drop_button_run(blocks: list[RawBlock], tunables: GenericTunables = TUNABLES) -> list[RawBlock]:
    """A run of tiny blocks ending the body (好文 钦佩 喜欢 …, 微信 微博 QQ) is a bar of buttons."""
    end = len(blocks)
    while end and _is_button(blocks[end - 1], tunables):
        end -= 1
    return blocks[:end] if len(blocks) - end >= tunables.button_min_run else blocks


def generic_blocks(root: HtmlElement, html: str, base_url: str = "",
                   tunables: GenericTunables = TUNABLES) -> list[RawBlock]:
    """Blocks of the page's main text; [] when no reading finds any.  Whenever trafilatura's
    default reading has text, the blocks hold text too (its text, when nothing else is left)."""
    texts = [r for r in trafilatura_readings(html) if r.text.strip()]
    blocks = _chosen_blocks(root, texts, base_url, tunables)
    if not any(b.raw is None for b in blocks):
        blocks = _text_blocks(texts[0].text if texts else trafilatura_default(html))
    return blocks


def trafilatura_default(html: str) -> str:
    """trafilatura's ``extract`` with its default settings ('' when it finds nothing or is missing)."""
    try:
        import trafilatura
    except ImportError:
        return ""
    return trafilatura.extract(html) or ""


def _chosen_blocks(root: HtmlElement, texts: list[Reading], base_url: str, tunables: GenericTunables
                   ) -> list[RawBlock]:
    tree = strip_chrome(root, tunables)
    stats = tree_stats(tree)
    readings = [anchor(tree, r, tunables) for r in texts]
    readings += [r for r in (density_reading(stats, tunables), hint_reading(tree, tunables)) if r.element is not None]
    # an element that is one boilerplate paragraph (a long 免责声明, say) is never the body
    readings = [r for r in readings
                if r.element is None or not is_boilerplate(RawBlock("paragraph", element_text(r.element)), tunables)]
    readings = grow_fragments(readings, stats, tunables)
    chosen = (choose(readings, tunables)
              or prose_over_lists(texts, readings, stats, tunables)
              or faithful_anchor(readings, tunables))
    if chosen is None or chosen.element is None:
        blocks = drop_boilerplate(_text_blocks(texts[0].text), tunables) if texts else []
        blocks = trim_edges(blocks, [], tunables, support_all=True)
        return blocks if sum(len(b.text) for b in blocks) >= tunables.min_text_chars else []
    chosen = prefer_inner(chosen, readings, stats, tunables)
    walker = Walker(keep_hidden=False, base_url=base_url)
    for lead in lead_siblings(chosen.element, stats, tunables):
        walker.walk(lead)
    blocks = drop_boilerplate(walker.walk(chosen.element), tunables)
    support = [grams(r.text) for r in readings if r is not chosen and r.text]
    return trim_edges(blocks, support, tunables)


def _text_blocks(text: str) -> list[RawBlock]:
    lines = (clean_text(line) for line in text.splitlines())
    return [RawBlock("paragraph", line) for line in lines if line]
