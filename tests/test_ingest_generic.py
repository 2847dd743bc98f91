"""Pages of sites no rule knows (the gne project's test pages in ../shared/pages/gne): the body is
the article, without comments, navigation or hot lists, and nothing of it is lost."""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from pathlib import Path

import pytest

from jingdu.ingest import load
from jingdu.ingest.generic import Reading, drop_boilerplate, f1, grams, prose_over_lists, tree_stats
from jingdu.ingest.html import RawBlock, parse_html

# (page, a sentence of the article, text of the page that is not the article).  Words of the pages
# stay in ../shared: a page's own words are given here as (length, sha1 prefix) and looked for by hash.
Words = str | tuple[int, str]
ARTICLES: list[tuple[str, Words, Words]] = [
    ("163/1.html", (22, "33fbd3690665c465"), "网友评论"),
    ("163/7.html", (17, "0e673db54b93a317"), (5, "e12a9c8ebdaca452")),
    ("guancha/2.html", (26, "c59cfe225894fa80"), "小编最近文章"),
    ("guancha/3.html", "", "小编最近文章"),
    ("sina/2.html", (28, "2a72c329f60242df"), "热门推荐"),
    ("thepaper/2.html", (13, "3637728667e9cf5e"), "点【在看】"),
    ("zsnews/1.html", (14, "f2d138fdd4e1bbc9"), "返回首页"),
    ("people/1.html", (12, "af2b15dc340ddf08"), (13, "e1974043a5526f42")),
    ("hexun/1.html", (20, "7bcebc019fe70832"), "免责声明"),  # the disclaimer is the densest element
    ("stcn/1.html", (22, "64ef3d6ea880b454"), (13, "4917fd5625711fe5")),
    ("ifeng/3.html", (12, "24ece2feffefde09"), (4, "d64c6a729b1789e3")),  # the body's class names it a share area
    ("ifeng/3.html", (12, "24ece2feffefde09"), (4, "a51fea70ea9f7a55")),  # … and a hot list's heading is not in it
]


def holds(text: str, words: Words) -> bool:
    """Whether ``text`` holds ``words`` (given as themselves, or as their length and sha1 prefix)."""
    if isinstance(words, str):
        return words in text
    size, digest = words
    return any(hashlib.sha1(text[i:i + size].encode()).hexdigest()[:16] == digest
               for i in range(len(text) - size + 1))


def _gne(pages: Path) -> Path:
    gne = pages / "gne"
    if not gne.is_dir():
        pytest.skip("no gne pages in ../shared/pages")
    return gne


@pytest.mark.parametrize(("name", "sentence", "unwanted"), ARTICLES, ids=[f"{a[0]}-{i}" for i, a in enumerate(ARTICLES)])
def test_body_is_the_article(pages_dir: Path, name: str, sentence: Words, unwanted: Words) -> None:
    text = load(str(_gne(pages_dir) / name)).text
    assert holds(text, sentence)
    assert not holds(text, unwanted)


def test_date_from_meta_in_shanghai_time() -> None:
    from jingdu.ingest.page import read_html

    page = ('<html><head><meta property="article:published_time" content="2019-09-07T07:10:53Z"></head><body>'
            '<article><h1>标题</h1><p>河畔的柳树抽出了新芽，孩子们在岸边放风筝，傍晚的风里有青草的味道。'
            '河畔的柳树抽出了新芽，孩子们在岸边放风筝。</p></article></body></html>')
    assert read_html(page).meta.published == "2019-09-07T15:10:53+08:00"


def test_date_near_the_title() -> None:
    from jingdu.ingest.page import read_html

    page = ('<html><body><div><h1>标题</h1><div class="info">2020年3月9日 18:14 来源：某某网</div>'
            '<div><p>河畔的柳树抽出了新芽，孩子们在岸边放风筝，傍晚的风里有青草的味道。'
            '河畔的柳树抽出了新芽，孩子们在岸边放风筝。</p></div></div></body></html>')
    assert read_html(page).meta.published == "2020-03-09T18:14:00+08:00"


def test_people_page_does_not_start_with_a_navigation_link(pages_dir: Path) -> None:
    doc = load(str(pages_dir / "people-2019.html"))
    first = next(doc.block_text(b) for b in doc.blocks if b.kind == "paragraph")
    assert holds(first[:9], (9, "9fa58ab157f2951a"))  # the article's first words, not the site's


@pytest.mark.parametrize("name", [f"thepaper/{i}.html" for i in range(1, 6)])
def test_thepaper_keeps_text_beside_images(pages_dir: Path, name: str) -> None:
    import trafilatura

    from jingdu.ingest.decode import decode_bytes

    path = _gne(pages_dir) / name
    theirs = trafilatura.extract(decode_bytes(path.read_bytes())) or ""
    ours = load(str(path)).text
    assert len(re.sub(r"\s", "", ours)) >= 0.85 * len(re.sub(r"\s", "", theirs))


def _gne_answers(gne: Path) -> dict[str, str]:
    raw = (gne / "gne-result.txt").read_text(encoding="utf-8")
    return {m.group(1): json.loads(m.group(2))["content"]
            for m in re.finditer(r">{5,}tests/(\S+?)>{5,}\n(.*?)\n<{5,}", raw, re.S)}


@pytest.mark.slow
def test_agrees_with_the_peer_on_its_20_pages(pages_dir: Path) -> None:
    gne = _gne(pages_dir)
    scores = [f1(grams(load(str(gne / name)).text), grams(content))
              for name, content in _gne_answers(gne).items() if (gne / name).exists()]
    assert len(scores) >= 15
    assert statistics.mean(scores) >= 0.88


@pytest.mark.parametrize("line", ["责任编辑：王小明", "（编辑 刘晓 校对 李铭）", "分享到：微信 微博", "版权所有 © 某某网",
                                  "点击进入专题>>", "来源：某某日报", "（来源：某某日报）", "分享：", "+ 关注", "评论(0)",
                                  "已收藏!", "登录 后参与讨论", "【打印本页】【关闭窗口】", "上一页 1 2 3 下一页",
                                  "您的浏览器不支持video标签。", "广告", "（记者 王小明 通讯员 李铭）",
                                  "“年度人物评选”火热进行中！【点击投票】选出你心目中的商业领袖", "　　来源：某某交警",
                                  "【免责声明】本文观点属于作者个人，江南网只作转载，不代表本站立场；"
                                  "文中数据和说法请读者自行核实，据此做出的任何决定与本站无涉。"])
def test_boilerplate_lines_are_dropped(line: str) -> None:
    blocks = [RawBlock("paragraph", "河畔的柳树抽出了新芽，孩子们在岸边放风筝。"), RawBlock("paragraph", line)]
    assert [b.text for b in drop_boilerplate(blocks)] == [blocks[0].text]


def test_an_interview_question_is_not_a_byline() -> None:
    blocks = [RawBlock("paragraph", t) for t in ("记者：过程中遇到了哪些困难？", "河畔的柳树抽出了新芽，孩子们在岸边放风筝。")]
    assert drop_boilerplate(blocks) == blocks


@pytest.mark.parametrize("start", ["相关阅读", "网友留言", "此前报道：另一篇文章的标题", "延伸 · 推荐"])
def test_related_reading_ends_the_article(start: str) -> None:
    first = "正文第一段，写了一些事。" * 20
    blocks = [RawBlock("paragraph", t) for t in (first, start, "另一篇文章的标题很长很长")]
    assert [b.text for b in drop_boilerplate(blocks)] == [first]


def test_related_line_before_the_article_does_not_end_it(pages_dir: Path) -> None:
    assert holds(load(str(_gne(pages_dir) / "sina/4.html")).text, (15, "29d46ab367394ca3"))  # the lead sentence


_GALLERY = ('<html><body><div class="gallery"><h2>江南油菜花</h2><div class="abstract">1/10 '
            "春分过后，江南的油菜花开满了田野，远远望去像一片金色的海洋。村里的老人说，今年雨水充足，收成一定不错。</div></div>"
            '<div class="feed"><ul>' + "".join(f'<li><a href="/n{i}.html">老照片：百年前的江南水乡第{i}期，原来是这个样子</a></li>'
                                               for i in range(8)) + "</ul></div></body></html>")


def test_a_headline_list_loses_to_prose_when_readings_disagree() -> None:
    # a gallery page (toutiao/2 in ../shared): trafilatura returns the feed of headlines, the body is a caption
    tree = parse_html(_GALLERY)
    stats = tree_stats(tree)
    feed, caption = tree.xpath('//div[@class="feed"]')[0], tree.xpath('//div[@class="abstract"]')[0]
    texts = [Reading("trafilatura", None, feed.text_content())]
    readings = [Reading("trafilatura", feed, texts[0].text), Reading("density", caption, "")]
    chosen = prose_over_lists(texts, readings, stats)
    assert chosen is not None and chosen.element is caption


def test_a_list_is_kept_when_no_reading_is_prose() -> None:
    tree = parse_html(_GALLERY)
    stats = tree_stats(tree)
    feed = tree.xpath('//div[@class="feed"]')[0]
    texts = [Reading("trafilatura", None, feed.text_content())]
    assert prose_over_lists(texts, [Reading("trafilatura", feed, texts[0].text)], stats) is None


@pytest.mark.slow
def test_gallery_page_is_its_caption(pages_dir: Path) -> None:
    text = load(str(_gne(pages_dir) / "toutiao/2.html")).text
    assert holds(text, (12, "adfbe62c80945fb3")) and not holds(text, (3, "85a6177995364499"))


def test_no_paragraph_is_only_the_page_indent(pages_dir: Path) -> None:
    doc = load(str(_gne(pages_dir) / "163/9.html"))  # its <p>　　</p> between images
    assert all(doc.block_text(b).strip() for b in doc.blocks if b.kind == "paragraph")


@pytest.mark.slow
def test_every_page_trafilatura_reads_gives_a_note(pages_dir: Path) -> None:
    import trafilatura

    from jingdu.ingest.decode import decode_bytes

    pages = sorted(_gne(pages_dir).rglob("*.html"))
    read = [p for p in pages if (trafilatura.extract(decode_bytes(p.read_bytes())) or "").strip()]
    assert len(read) >= 50
    assert all(load(str(p)).text.strip() for p in read)
