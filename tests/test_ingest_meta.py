"""Title, author and account of a news page of any site, from its metadata (short pages written here)."""

from __future__ import annotations

import json

from jingdu.ingest.html import parse_html
from jingdu.ingest.news import site_of
from jingdu.ingest.page import read_html
from jingdu.notation import read_note, write_note

BODY = ("<p>春分过后，江南的油菜花开满了田野，远远望去像一片金色的海洋。</p>"
        "<p>村里的老人说，今年雨水充足，收成一定不错。孩子们放学后沿着田埂奔跑，笑声传得很远。</p>"
        "<p>傍晚时分，炊烟升起，河面上倒映着晚霞，整个村庄安静下来，只听见远处的狗叫声。</p>")


def _page(head: str = "", byline: str = "", title: str = "江南春色_某某网") -> str:
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
            f'<div class="main"><h1>江南春色</h1>{byline}<div class="content">{BODY}</div></div></body></html>')


def _ld(data: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_json_ld_headline_author_and_publisher() -> None:
    head = _ld({"@type": "NewsArticle", "headline": "江南的春天来了", "author": {"@type": "Person", "name": "张三"},
                "publisher": {"@type": "Organization", "name": "江南日报"}})
    meta = read_html(_page(head, title="页面标题")).meta
    assert (meta.title, meta.author, meta.account) == ("江南的春天来了", "张三", "江南日报")


def test_json_ld_authors_in_a_list_and_in_a_graph() -> None:
    head = _ld({"@graph": [{"@type": "WebPage"},
                           {"@type": "NewsArticle", "author": [{"name": "张三"}, {"name": "李四"}]}]})
    assert read_html(_page(head)).meta.author == "张三、李四"


def test_og_title_and_site_name() -> None:
    head = '<meta property="og:title" content="江南的春天"><meta property="og:site_name" content="江南网">'
    meta = read_html(_page(head, title="无关标题")).meta
    assert (meta.title, meta.account) == ("江南的春天", "江南网")


def test_wechat_platform_is_not_the_site() -> None:
    # (a page naming it is read as WeChat; the news reader still never takes it for a site)
    head = '<meta property="og:site_name" content="微信公众平台">'
    assert site_of(parse_html(_page(head, title="江南春色_某某网")), "") == "某某网"


def test_meta_author() -> None:
    assert read_html(_page('<meta name="author" content="王五">')).meta.author == "王五"


def test_meta_author_that_is_no_name_is_passed_over() -> None:
    # 人民网 writes an editor's number there
    assert read_html(_page('<meta name="author" content="104363">')).meta.author == ""


def test_source_and_author_lines_under_the_title() -> None:
    byline = '<div class="info"><span>2024-04-01 08:00</span> <span>来源：人民网</span> <span>作者：张三</span></div>'
    meta = read_html(_page(byline=byline, title="江南春色")).meta
    assert (meta.author, meta.account) == ("张三", "人民网")


def test_reporter_line_under_the_title() -> None:
    byline = '<p class="byline">本报记者 张三 李四</p>'
    assert read_html(_page(byline=byline)).meta.author == "张三 李四"


def test_reporter_phrase_in_a_sentence_is_no_author() -> None:
    byline = '<p class="lead">记者从市教育局获悉，今年春季开学时间已经确定。</p>'
    assert read_html(_page(byline=byline)).meta.author == ""


def test_source_line_ends_at_the_next_label() -> None:
    byline = '<div class="info">来源：新京报 举报 326 2019-09-07 13:43</div>'
    assert read_html(_page(byline=byline, title="江南春色")).meta.account == "新京报"


def test_author_and_account_are_kept_in_the_footer() -> None:
    head = _ld({"@type": "NewsArticle", "author": {"name": "张三"}, "publisher": {"name": "江南日报"},
                "datePublished": "2024-04-01T08:00:00+08:00"})
    note = write_note(read_html(_page(head)), footer=True)
    assert "\n---\n\n> 作者: 张三  \n> 来源: 江南日报  \n> 发布: 2024-04-01T08:00:00+08:00  \n" in note
    back = read_note(note)
    assert (back.meta.author, back.meta.account) == ("张三", "江南日报")
    assert "江南日报" not in back.text
