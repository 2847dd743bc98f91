"""HTML ingest: WeChat pages, news pages, the corpus blog pages, bad inputs."""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

import pytest

from jingdu.errors import InputError, NotAnArticle
from jingdu.ingest import load, load_bytes
from jingdu.ingest.decode import decode_bytes
from jingdu.ingest.html import color_mark
from jingdu.ingest.page import read_html
from jingdu.model import Doc, Meta
from jingdu.notation import read_note, write_note

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]

# (file, title, account, published prefix) as listed in shared/pages/README.md
REAL_PAGES = [
    ("wechat-2018-changjiang.html", "语音 | 早安武汉〔2018.3.19 周一〕", "长江日报", "2018-03-19T05:30"),
    ("wechat-2018-gongchandangyuan.html", "【视频】石榴花开", "共产党员", "2018-03-20T11:19"),
    ("wechat-2020-rendered.html", "三星 Galaxy S20 系列手机正式发布", "爱否科技", "2020-02-12T22:17"),
    ("wechat-2025-a.html", "AI编程害死我了，给我的抓包软件埋了一个大雷！", "轩辕的编程宇宙", "2025-11-10T12:00"),
    ("wechat-2025-b.html", "科技爱好者周刊#372：软件界面如何设计", "阮一峰的网络日志", "2025-11-07T08:31"),
    ("people-2019.html", "女儿出嫁，郑板桥画了几笔兰花当嫁妆", "人民网", "2019-06-15"),
    ("xinhua-2020.html", "武汉的声音：有英勇的你，才有英雄的城！", "新华网", "2020-02-19T20:29"),
]


def _page(pages_dir: Path, name: str):
    return read_html(decode_bytes((pages_dir / name).read_bytes()))


def _fixture(name: str):
    return read_html((FIXTURES / name).read_text(encoding="utf-8"))


# -- real pages ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "title", "account", "published"), REAL_PAGES, ids=[r[0] for r in REAL_PAGES])
def test_real_page_title(pages_dir: Path, name: str, title: str, account: str, published: str) -> None:
    assert _page(pages_dir, name).title == title


@pytest.mark.parametrize(("name", "title", "account", "published"), REAL_PAGES, ids=[r[0] for r in REAL_PAGES])
def test_real_page_account(pages_dir: Path, name: str, title: str, account: str, published: str) -> None:
    assert _page(pages_dir, name).meta.account == account


@pytest.mark.parametrize(("name", "title", "account", "published"), REAL_PAGES, ids=[r[0] for r in REAL_PAGES])
def test_real_page_published_in_shanghai(pages_dir: Path, name: str, title: str, account: str,
                                         published: str) -> None:
    meta = _page(pages_dir, name).meta
    assert meta.published.startswith(published)
    assert meta.published.endswith("+08:00")


@pytest.mark.parametrize("name", [r[0] for r in REAL_PAGES])
def test_real_page_has_body_text(pages_dir: Path, name: str) -> None:
    doc = _page(pages_dir, name)
    assert sum(1 for b in doc.blocks if b.kind == "paragraph") >= 3
    assert "微信扫一扫" not in doc.text


def test_deleted_wechat_page_raises(pages_dir: Path) -> None:
    with pytest.raises(NotAnArticle, match="deleted"):
        _page(pages_dir, "wechat-2025-deleted.html")


def test_hidden_2025_body_is_read(pages_dir: Path) -> None:
    assert len(_page(pages_dir, "wechat-2025-a.html").text) > 1000


def test_people_page_declared_gb2312_is_utf8(pages_dir: Path) -> None:
    doc = load_bytes((pages_dir / "people-2019.html").read_bytes(), "people-2019.html")
    assert "郑板桥" in doc.text


def test_news_page_drops_navigation(pages_dir: Path) -> None:
    doc = _page(pages_dir, "xinhua-2020.html")
    assert "关注新华网" not in doc.text and "下一篇" not in doc.text


# -- the WeChat fixture (our own text) ---------------------------------------------------------------
def test_wechat_meta_from_script_vars() -> None:
    meta = _fixture("wechat_served.html").meta
    assert (meta.title, meta.account, meta.author) == ("溪畔茶园的春天", "山城茶讯", "林小满")
    assert meta.published == "2024-04-01T08:00:00+08:00"
    assert meta.url == "https://mp.weixin.qq.com/s/TestFixtureLink01"


def test_wechat_hidden_body_and_nested_sections() -> None:
    texts = [_fixture("wechat_served.html").block_text(b) for b in _fixture("wechat_served.html").blocks
             if b.kind == "paragraph"]
    assert texts[0] == "清明前后，溪畔的茶园迎来一年中最忙的时节。"
    assert texts[1] == "采茶人天不亮就上山，露水未干的芽叶最受茶师看重。"
    assert "藏在折叠里的一句话也是正文。" in texts


def test_wechat_lazy_image_becomes_image_block() -> None:
    images = [b.raw for b in _fixture("wechat_served.html").blocks if b.kind == "image"]
    assert images == ["![](https://mmbiz.qpic.cn/mmbiz_jpg/fixture001/640?wx_fmt=jpeg)\n\n"]


@pytest.mark.parametrize(("layer", "text"), [
    ("bold", "露水未干的芽叶"),
    ("bold", "今年新茶产量比去年增加两成"),
    ("color", "生态种植"),  # the publisher's CSS red is the publisher's colour, not the reader's red layer
    ("color", "茶园合作社"),
])
def test_wechat_marks_become_spans(layer: str, text: str) -> None:
    doc = _fixture("wechat_served.html")
    assert text in [doc.span_text(s) for s in doc.spans(layer)]


def test_publisher_red_is_a_colour_span_with_its_value() -> None:
    page = ('<html><body><div id="p-detail"><p>　　<span style="color: rgb(255, 53, 2)">要闻速递</span>：今天天气晴朗。</p>'
            '<p>　　<font color="#ff0000">读者标红</font>的一句。</p></body></html>')
    doc = read_html(page)
    assert not any(doc.span_text(s) == "要闻速递" for s in doc.spans("red"))
    assert '<font color="#ff3502">要闻速递</font>' in write_note(doc)
    assert [doc.span_text(s) for s in doc.spans("red")] == ["读者标红"]


@pytest.mark.parametrize(("value", "layer"), [("rgb(255, 53, 2)", "color"), ("#ff0000", "color"), ("#333", None)])
def test_css_colour_is_the_publishers(value: str, layer: str | None) -> None:
    mark = color_mark(value, reader=False)
    assert (mark[0] if mark else None) == layer


def test_wechat_other_colour_keeps_font_tag() -> None:
    doc = _fixture("wechat_served.html")
    assert '<font color="#1e6bb8">茶园合作社</font>' in write_note(doc)


def test_wechat_note_renders_in_notation() -> None:
    note = write_note(_fixture("wechat_served.html"))
    assert note.startswith("# 溪畔茶园的春天\n\n> 山城茶讯微信公众号 [原文链接](")
    assert "\n　　清明前后" in note
    assert "<strong>今年新茶产量比去年增加两成</strong>" in note


NON_ARTICLES = {
    "blocked": ('<html><body><div class="mesg-block"><p>此内容因违规无法查看</p></div></body></html>', "blocked"),
    "anti-bot": ('<html><body><div class="weui-msg"><p>当前环境异常，完成验证后即可继续访问。</p>'
                 '<a id="js_verify">去验证</a></div></body></html>', "anti-bot"),
    "image post": ('<html><head><meta property="og:title" content="图集"></head><body><div id="img_list"></div>'
                   '<script>var msg_title = "图集"; var item_show_type = "8";</script></body></html>', "image post"),
    "text post": ('<html><body><div id="js_content"><p>一句短短的话。</p></div>'
                  '<script>var item_show_type = "10";</script></body></html>', "text post"),
    "deleted": ('<html><body><div class="weui-msg"><h2 class="weui-msg__title">该内容已被发布者删除</h2>'
                '</div></body></html>', "deleted"),
}


@pytest.mark.parametrize("kind", list(NON_ARTICLES))
def test_wechat_non_article_raises_clear_error(kind: str) -> None:
    html, words = NON_ARTICLES[kind]
    with pytest.raises(NotAnArticle, match=words):
        read_html(html, url="https://mp.weixin.qq.com/s/x")


# -- the blog layout (our own page in the corpus blog's structure) -----------------------------------
def test_blog_layout_follows_notation() -> None:
    kinds = [b.kind for b in _fixture("blog_post.html").blocks]
    assert kinds == ["title", "source", "paragraph", "break", "heading", "paragraph"]


def test_blog_source_line_and_meta() -> None:
    doc = _fixture("blog_post.html")
    assert write_note(doc).startswith(
        "# 小镇图书馆的夜读灯\n\n> 青石镇发布微信公众号 [原文链接](https://mp.weixin.qq.com/s/FixtureBlogSource)\n")
    assert doc.meta.account == "青石镇发布"
    assert doc.meta.published == "2025-03-08T20:15:00+08:00"


@pytest.mark.parametrize(("layer", "text"), [
    ("highlight", "青石镇图书馆今年把闭馆时间推迟到晚上十点。"),
    ("bold", "三所中学"),
    ("red", "全民阅读"),
    ("highlight", "是一盏一盏亮着的灯"),
])
def test_blog_marks_are_kept(layer: str, text: str) -> None:
    doc = _fixture("blog_post.html")
    assert text in [doc.span_text(s) for s in doc.spans(layer)]


@pytest.mark.parametrize("unwanted", ["首页", "评论区", "Hugo", "UEdKc2", "加密段落之后", "测试作者"])
def test_blog_drops_chrome_blobs_and_protected_part(unwanted: str) -> None:
    assert unwanted not in _fixture("blog_post.html").text


def test_blog_heading_in_notation() -> None:
    assert "\n### 一、灯下\n" in write_note(_fixture("blog_post.html"))


@pytest.mark.parametrize(("value", "layer"), [
    ("#ff0000", "red"), ("rgb(230, 30, 20)", "red"), ("red", "red"), ("#1e6bb8", "color"),
    ("#333333", None), ("rgb(62, 62, 62)", None),
])
def test_color_classification(value: str, layer: str | None) -> None:
    mark = color_mark(value)
    assert (mark[0] if mark else None) == layer


# -- bad inputs ---------------------------------------------------------------------------------------
def test_empty_file_is_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        load(str(f))


def test_binary_file_is_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "photo.html"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary"):
        load(str(f))


def test_gbk_page_is_decoded(tmp_path: Path) -> None:
    page = ("<html><head><meta charset=\"gbk\"><title>河畔新绿 - 测试网</title></head><body>"
            "<div id=\"p-detail\"><p>　　河畔的柳树抽出了新芽。</p><p>　　孩子们在岸边放风筝。</p>"
            "<p>　　傍晚的风里有青草的味道。</p></div></body></html>")
    f = tmp_path / "gbk.html"
    f.write_bytes(page.encode("gbk"))
    doc = load(str(f))
    assert "孩子们在岸边放风筝。" in doc.text


def test_truncated_html_keeps_what_is_there() -> None:
    page = "<html><body><div id=\"p-detail\"><p>　　第一段完整。</p><p>　　第二段写到一半"
    doc = read_html(page)
    assert "第二段写到一半" in doc.text


def test_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    f = tmp_path / "huge.html"
    with f.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    start = time.monotonic()
    with pytest.raises(InputError, match="MB"):
        load(str(f))
    assert time.monotonic() - start < 1.0


def test_html_without_article_text_is_not_an_article() -> None:
    with pytest.raises(InputError):
        read_html("<html><body><nav><a href='/'>首页</a></nav></body></html>")


# -- the corpus quality bar -------------------------------------------------------------------------------
def _benchmark():
    spec = importlib.util.spec_from_file_location("ingest_quality", ROOT / "benchmarks" / "ingest_quality.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.corpus
def test_corpus_pages_match_their_notes(corpus_dir: Path) -> None:
    bench = _benchmark()
    referee = bench.load_referee(corpus_dir.parent)
    scores, titles = [], []
    for page in sorted((corpus_dir / "html").glob("*.html")):
        note = (corpus_dir / "annotated" / f"{page.stem}.md").read_text(encoding="utf-8")
        doc = read_html(page.read_text(encoding="utf-8"))
        scores.append(bench.f1(bench.text_of(referee, write_note(doc, footer=True)), bench.text_of(referee, note)))
        titles.append(doc.title.strip() == read_note(note).title.strip())
    assert statistics.mean(scores) >= 0.97
    assert min(scores) >= 0.85
    assert sum(titles) / len(titles) >= 0.95


# -- relative image URLs ---------------------------------------------------------------------------------
_IMG_PAGE = ('<html><head>{head}</head><body><div id="p-detail"><p>　　河畔的柳树抽出了新芽。</p>'
             '<p><img src="/NMediaFile/2024/0401/a.jpg"></p><p><img src="b.png"></p>'
             '<p><img src="//img.example.cn/c.jpg"></p></div></body></html>')


def _images(doc) -> list[str]:
    return [b.raw for b in doc.blocks if b.kind == "image"]


def test_relative_images_resolve_against_page_url() -> None:
    doc = read_html(_IMG_PAGE.format(head=""), url="http://news.example.cn/n1/2024/0401/c1.html")
    assert _images(doc) == ["![](http://news.example.cn/NMediaFile/2024/0401/a.jpg)\n\n",
                            "![](http://news.example.cn/n1/2024/0401/b.png)\n\n",
                            "![](http://img.example.cn/c.jpg)\n\n"]


def test_relative_images_resolve_against_base_href() -> None:
    doc = read_html(_IMG_PAGE.format(head='<base href="https://cdn.example.cn/static/">'),
                    url="http://news.example.cn/n1/c1.html")
    assert _images(doc)[:2] == ["![](https://cdn.example.cn/NMediaFile/2024/0401/a.jpg)\n\n",
                                "![](https://cdn.example.cn/static/b.png)\n\n"]


def test_saved_page_resolves_against_its_canonical_link() -> None:
    doc = read_html(_IMG_PAGE.format(head='<link rel="canonical" href="http://news.example.cn/n1/c1.html">'))
    assert _images(doc)[0] == "![](http://news.example.cn/NMediaFile/2024/0401/a.jpg)\n\n"


def test_relative_images_stay_relative_without_any_url() -> None:
    assert _images(read_html(_IMG_PAGE.format(head="")))[0] == "![](/NMediaFile/2024/0401/a.jpg)\n\n"


def test_page_without_author_or_date_keeps_its_url_footer() -> None:
    doc = read_note("# 河畔\n\n　　河畔的柳树抽出了新芽。\n")
    doc = Doc(doc.text, doc.blocks, {}, Meta(title=doc.title, url="http://example.org/a/1.html"))
    note = write_note(doc, footer=True)
    assert note.endswith("\n---\n\n> 作者: example.org  \n> URL: http://example.org/a/1.html  \n")  # the referee's footer
    back = read_note(note)
    assert back.meta.url == "http://example.org/a/1.html" and "URL" not in back.text
