"""The generic extractor's rules, one behaviour each, on small pages of our own writing."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from lxml.html import HtmlElement

from jingdu.errors import NotAnArticle
from jingdu.ingest import generic, load
from jingdu.ingest.generic import (
    Reading,
    adds_prose,
    drop_button_run,
    drop_leading_datelines,
    generic_blocks,
    grow_fragments,
    lead_siblings,
    strip_chrome,
    tree_stats,
)
from jingdu.ingest.html import RawBlock, Walker, parse_html
from jingdu.ingest.page import read_html

PARAS = ("河畔的柳树抽出了新芽，孩子们在岸边放风筝，傍晚的风里有青草的味道。",
         "镇上的老茶馆重新开张，几位老人围坐在一起，聊起了年轻时修水渠的往事。",
         "村里新修的道路通到了每家门口，雨天出门再也不用踩着泥水走路了。",
         "合作社的负责人说，今年的茶叶收成不错，游客也比往年多了一些。")


def body_text(html: str) -> str:
    blocks = generic_blocks(parse_html(html), html)
    return "\n".join(b.text for b in blocks if b.raw is None)


def test_an_element_named_like_chrome_that_holds_the_article_stays() -> None:
    html = ('<html><body><div class="nav"><a href="/">首页</a> <a href="/n">新闻</a></div>'
            '<div class="js_img_share_area">' + "".join(f"<p>{p}</p>" for p in PARAS) + "</div>"
            '<div class="share">分享到：<a>微信</a><a>微博</a></div></body></html>')
    text = strip_chrome(parse_html(html)).text_content()
    assert all(p in text for p in PARAS) and "分享到" not in text


def test_a_comments_section_goes_however_much_prose_it_holds() -> None:
    html = ('<html><body><p>短讯一则。</p><div class="comment-list">' + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</div></body></html>")
    assert PARAS[0] not in strip_chrome(parse_html(html)).text_content()


def test_a_paragraph_of_only_the_page_indent_is_no_block() -> None:
    blocks = Walker().walk(parse_html(f"<html><body><div><p>{PARAS[0]}</p><p>\u3000\u3000</p>"
                                      f"<p>{PARAS[1]}</p></div></body></html>"))
    assert [b.text for b in blocks] == [PARAS[0], PARAS[1]]


@pytest.mark.parametrize("line", ["2020年09月11日 18:05", "2023-06-12 09:30 来源：某某日报", "发布时间：2019/3/9",
                                  "2023-08-16 07:50 城市生活报"])
def test_a_dateline_before_the_first_paragraph_is_dropped(line: str) -> None:
    blocks = [RawBlock("paragraph", line), RawBlock("paragraph", PARAS[0] * 2)]
    assert [b.text for b in drop_leading_datelines(blocks)] == [PARAS[0] * 2]


def test_a_date_inside_the_article_stays() -> None:
    blocks = [RawBlock("paragraph", PARAS[0] * 2), RawBlock("paragraph", "2020年09月11日")]
    assert drop_leading_datelines(blocks) == blocks


def test_a_closing_bar_of_buttons_is_dropped() -> None:
    blocks = [RawBlock("paragraph", PARAS[0])] + [RawBlock("paragraph", w) for w in ("好文", "钦佩", "喜欢", "思考")]
    assert [b.text for b in drop_button_run(blocks)] == [PARAS[0]]


def test_a_short_closing_line_alone_stays() -> None:
    blocks = [RawBlock("paragraph", PARAS[0]), RawBlock("paragraph", "（完）")]
    assert drop_button_run(blocks) == blocks


def _captioned() -> tuple[HtmlElement, HtmlElement, HtmlElement]:
    # text-only <div>s beside images: the densest element is one of them
    parts = "".join(f'<div>{p}</div><div class="img"><img src="/{i}.jpg"></div>' for i, p in enumerate(PARAS))
    tree = parse_html(f'<html><body><div class="menu"><a href="/">首页</a> <a href="/x">新闻</a></div>'
                      f'<div class="detail"><h2>标题</h2><div class="content">{parts}</div></div></body></html>')
    content = tree.xpath('//div[@class="content"]')[0]
    return tree, content, content[0]


def test_a_one_paragraph_reading_grows_to_the_whole_body() -> None:
    tree, content, first = _captioned()
    grown = grow_fragments([Reading("density", first, PARAS[0])], tree_stats(tree))[0].element
    assert grown is not None and all(p in grown.text_content() for p in PARAS) and "首页" not in grown.text_content()


def test_a_reading_of_several_paragraphs_does_not_grow() -> None:
    tree, content, _ = _captioned()
    assert grow_fragments([Reading("density", content, "")], tree_stats(tree))[0].element is content


_GOV = ('<html><body><table><tr><td>当前位置：<a href="/">首页</a> &gt; <a href="/t">通知公告</a></td></tr>'
        '<tr><td>来源：某某局　发布时间：2023-06-12　字号：[<a>大</a> <a>中</a> <a>小</a>]</td></tr>'
        '<tr><td><div id="zoom">' + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></td></tr>"
        '<tr><td>【<a>打印本页</a>】【<a>关闭窗口</a>】</td></tr>'
        '<tr><td>主办单位：某某市人民政府办公室　网站标识码：3300000001</td></tr></table></body></html>')


def test_labels_around_the_body_are_not_prose() -> None:
    # a government page's table: breadcrumb, info bar, print/close links around the body
    tree = parse_html(_GOV)
    stats = tree_stats(tree)
    assert adds_prose(stats[tree.find(".//table")], stats[tree.get_element_by_id("zoom")]) is False


def test_more_paragraphs_around_a_paragraph_are_prose() -> None:
    tree, content, first = _captioned()
    stats = tree_stats(tree)
    assert adds_prose(stats[content], stats[first]) is True


def test_a_lead_in_a_box_of_its_own_is_part_of_the_body() -> None:
    html = ('<html><body><div class="box"><h1>标题</h1><div class="meta">2023-06-12 某某日报</div>'
            f'<div class="summary"><p>{PARAS[0]}</p></div>'
            '<div class="text">' + "".join(f"<p>{p}</p>" for p in PARAS[1:]) + "</div>"
            '<div class="tags">标签：<a>民生</a> <a>社区</a></div></div></body></html>')
    tree = parse_html(html)
    stats = tree_stats(tree)
    body = tree.xpath('//div[@class="text"]')[0]
    assert lead_siblings(body, stats) == tree.xpath('//div[@class="summary"]')


def test_the_search_for_a_lead_stops_at_the_title() -> None:
    html = ('<html><body><div class="box"><h1>标题</h1>'
            '<div class="text">' + "".join(f"<p>{p}</p>" for p in PARAS) + "</div></div></body></html>")
    tree = parse_html(html)
    assert lead_siblings(tree.xpath('//div[@class="text"]')[0], tree_stats(tree)) == []


def test_trafilatura_text_is_kept_when_no_element_reading_has_text(monkeypatch: pytest.MonkeyPatch) -> None:
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</body></html>"
    monkeypatch.setattr(generic, "_chosen_blocks", lambda *args: [])
    assert PARAS[0] in body_text(html)


@pytest.mark.parametrize(("page", "says"), [
    ('<html><frameset><frame src="top.html"><frame src="main.html"></frameset></html>', "frames"),
    ('<html><body><iframe src="/article/1.html"></iframe></body></html>', "frames"),
    ("<html><body>" + "".join(f'<p><img src="/{i}.jpg"></p>' for i in range(5)) + "</body></html>", "image"),
    ('<html><head><script src="/app.js"></script></head><body><div id="app"></div>'
     "<noscript>请启用JavaScript后浏览本页</noscript></body></html>", "scripts"),
    ("<html><body><div></div></body></html>", "no text"),
    ('<html><head><meta http-equiv="Refresh" content="0; url=/news/2.html"></head><body></body></html>',
     "/news/2.html"),
], ids=["frameset", "iframe", "images", "js-shell", "empty", "refresh"])
def test_a_page_without_text_is_refused_with_its_reason(page: str, says: str) -> None:
    with pytest.raises(NotAnArticle, match=says):
        read_html(page)


@pytest.mark.slow
def test_site_styles_beat_trafilatura_with_their_titles(tmp_path: Path) -> None:
    import importlib.util
    import sys

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    spec = importlib.util.spec_from_file_location("site_styles", root / "benchmarks" / "site_styles.py")
    assert spec is not None and spec.loader is not None
    styles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(styles)
    styles.write(tmp_path)
    for style, i in styles.PAIRS:
        assert load(str(tmp_path / "pages" / f"{style}-{i}.html")).meta.title == styles.ARTICLES[i].title

    from jingdu.ingest.bench import jingdu_text, run_ingest_bench, trafilatura_text

    bench = run_ingest_bench(tmp_path / "pages", tmp_path / "reference",
                             {"jingdu": lambda h: jingdu_text(h), "trafilatura": trafilatura_text})
    ours = statistics.mean(r.scores["jingdu"] or 0.0 for r in bench.rows)
    theirs = statistics.mean(r.scores["trafilatura"] or 0.0 for r in bench.rows)
    assert bench.empty_count("jingdu") == 0
    assert ours >= 0.97 and ours >= theirs + 0.05


def test_a_malformed_base_url_leaves_links_as_they_are() -> None:
    page = (f'<html><head><base href="http://[::1"></head><body><div><p>{PARAS[0]}</p><p><img src="pic/1.jpg"></p>'
            f'<p>{PARAS[1]}</p></div></body></html>')
    assert [b.raw for b in read_html(page).blocks if b.kind == "image"] == ["![](pic/1.jpg)\n\n"]


def test_a_script_drawn_page_is_read_from_its_stated_article_body() -> None:
    import json

    ld = json.dumps({"@type": "NewsArticle", "headline": "标题", "articleBody": "\n".join(PARAS[:2])}, ensure_ascii=False)
    page = (f'<html><head><script type="application/ld+json">{ld}</script><script src="/app.js"></script></head>'
            '<body><div id="app"></div></body></html>')
    doc = read_html(page)
    assert [doc.block_text(b) for b in doc.blocks if b.kind == "paragraph"] == list(PARAS[:2])


@pytest.mark.parametrize("shown", ["<h2>{t}</h2>", '<div class="tit">{t}</div>', "<td><strong>{t}</strong></td>"])
def test_the_title_is_the_heading_the_title_tag_starts_with(shown: str) -> None:
    title = "青禾县推进农村生活污水治理"
    heading = shown.format(t=title)
    wrapped = f"<table><tr>{heading}</tr></table>" if heading.startswith("<td>") else heading
    page = (f"<html><head><title>{title}-某某新闻网</title></head><body>{wrapped}"
            f"<div>{PARAS[0]}{PARAS[1]}</div></body></html>")
    assert read_html(page).meta.title == title


def test_the_date_after_a_title_that_is_not_an_h1() -> None:
    page = ("<html><head><title>青禾县推进农村生活污水治理_某某网</title></head><body><table>"
            "<tr><td><strong>青禾县推进农村生活污水治理</strong></td></tr>"
            "<tr><td>来源：某某局　发布时间：2023-06-12 09:30　字号：[大 中 小]</td></tr>"
            f"<tr><td><p>{PARAS[0]}</p><p>{PARAS[1]}</p></td></tr></table></body></html>")
    assert read_html(page).meta.published == "2023-06-12T09:30:00+08:00"


def test_an_author_ends_at_the_next_bracket() -> None:
    page = ('<html><head><title>标题很长的一篇文章</title></head><body><h1>标题很长的一篇文章</h1>'
            "<div>2023-04-21 16:08　作者：林小雨　【字体：大 中 小】</div>"
            f"<div><p>{PARAS[0]}</p><p>{PARAS[1]}</p></div></body></html>")
    assert read_html(page).meta.author == "林小雨"


def test_control_characters_in_a_page_are_no_traceback() -> None:
    # lxml parses a form feed in text but refuses it when a dropped element's tail is set again
    page = (f'<html><body><div><div class="share">分享</div>\x0c{PARAS[0]}</div>'
            f"<div><p>{PARAS[1]}\x01</p><p>{PARAS[2]}</p></div></body></html>")
    assert PARAS[1] in read_html(page).text
