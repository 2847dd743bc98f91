"""Notes keep their CommonMark structure through every stage: HTML blocks and embeds,
shortcodes, links, headings in list items, code, entities (markdown-it-py is the judge)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingdu.blocks import signature
from jingdu.model import Doc, Span
from jingdu.notation import link_url, read_note, renderable, write_note

# Pieces of notes written for these tests (not corpus text).
IFRAME = '<iframe\n    width="100%"\n    height="450"\n    src="https://example.org/video.html?id=1&amp;t=2"\n></iframe>'
PIECES = [
    "　　江南县坚持以数字化赋能乡村振兴，走出了一条产业兴、农民富的新路。",
    "　　全县建成示范基地**超过120个**，带动就业近两万人。",
    "　　详见[江南县政府网](https://example.org/jiangnan)的通知&emsp;全文。",
    IFRAME,
    '<div class="box">\n<p>框内的文字</p>\n</div>',
    "<!-- 编者注\n不显示 -->",
    "  - #### [清远连山：一条山路，带富一方百姓](https://example.org/lianshan)\n  - #### [韶关乳源：一片茶园](https://example.org/ruyuan)",
    "### 从“种得好”到“卖得好”",
    "![](https://example.org/pic.png)",
    '{{< show-text id=1 buttonText="查看答案" >}}\n\n　　参考答案在这里。\n\n{{< /show-text >}}',
    "> 江南发布微信公众号",
    "> - 要点一：稳就业\n> - 要点二：促消费",
    '<p style="text-align: center;">&emsp;&emsp;（节选自）江南日报</p>',
    "　　代码`a<b`照原样显示。",
    "------",
]
NOTE = "# 江南县的新路子\n\n" + "\n\n".join(PIECES) + "\n"  # = fixtures/structure_note.md
#: Markdown that clippers write: links with titles, references, autolinks, footnotes.
CLIPPED = [
    '　　详见[县政府网](https://example.org/a "江南县政府")的通知全文，欢迎查阅。',
    "　　详见[县政府网](<https://example.org/a b>)的通知。",
    "　　详见[县政府网][gov]的通知全文。\n\n[gov]: https://example.org/gov",
    "　　详见<https://example.org/auto>或来信<ask@example.org>，欢迎查阅。",
    "　　全县建成示范基地120个[^1]，带动就业近两万人。\n\n[^1]: 数据来源：江南县农业农村局。",
    "[^2]: 数据 来源：江南县统计局，二〇二五年。",
    '![图](https://example.org/p.png "图题")',
    "　　参考文献[1][2]照原样显示。",
    "　　全县*建成*示范基地，带动就业近两万人。",
    "_图为江南县的示范基地。_",
    "　　变量a_b与c_d，公式a*b*c，下划线_不成对。",
    "　　这一提法~~已经过时~~，现改为新的表述，约1~2天完成。",
]


def test_the_fixture_note_is_made_of_the_pieces() -> None:
    assert (Path(__file__).parent / "fixtures" / "structure_note.md").read_text(encoding="utf-8") == NOTE


@st.composite
def marked(draw: st.DrawFn, kinds: list[str] = PIECES) -> tuple[str, Doc]:
    """A note made of random pieces, and the same note with random marks of the model."""
    pieces = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=8))
    source = "# 标题\n\n" + "\n\n".join(pieces) + "\n"
    doc = read_note(source)
    n = len(doc.text)
    spans = []
    for layer in ("highlight", "bold", "red"):
        for _ in range(draw(st.integers(0, 4))):
            a = draw(st.integers(0, max(0, n - 1)))
            b = draw(st.integers(a + 1, n)) if n else a + 1
            if b <= n:
                spans.append(Span(a, b, layer, None, "model"))
    return source, doc.with_spans(spans)


@settings(max_examples=200, deadline=None)
@given(marked())
def test_marks_never_change_the_words_or_the_structure(case: tuple[str, Doc]) -> None:
    source, doc = case
    out = write_note(doc)
    assert read_note(out).text == doc.text
    assert signature(out) == signature(source)
    assert signature(write_note(renderable(doc))) == signature(source)


@settings(max_examples=200, deadline=None)
@given(marked(CLIPPED))
def test_marks_keep_links_references_autolinks_and_footnotes(case: tuple[str, Doc]) -> None:
    source, doc = case
    out = write_note(doc)
    assert read_note(out).text == doc.text
    assert signature(out) == signature(source)


@pytest.mark.parametrize(("piece", "text", "kept"), [
    (CLIPPED[0], "详见县政府网的通知全文，欢迎查阅。", '(https://example.org/a "江南县政府")'),
    (CLIPPED[2], "详见县政府网的通知全文。", "[gov]: https://example.org/gov"),
    (CLIPPED[3], "详见或来信，欢迎查阅。", "<ask@example.org>"),
    (CLIPPED[4], "全县建成示范基地120个，带动就业近两万人。", "[^1]: 数据来源"),
    (CLIPPED[5], "数据 来源：江南县统计局，二〇二五年。", "[^2]: <span"),
    (CLIPPED[7], "参考文献[1][2]照原样显示。", "[1][2]"),
])
def test_markup_of_a_clipped_note_is_not_text_and_is_written_back(piece: str, text: str, kept: str) -> None:
    doc = read_note("# 题\n\n" + piece + "\n")
    assert doc.text.split("\n", 1)[1].strip() == text
    everything = doc.with_spans([Span(0, len(doc.text), "highlight", None, "model")])
    assert kept in write_note(everything)


@pytest.mark.parametrize(("tag", "url"), [
    ('[](https://example.org/a "题")', "https://example.org/a"),
    ("[](<https://example.org/a b>)", "https://example.org/a b"),
    ("[](https://example.org/a)", "https://example.org/a"),
    ("[][gov]", ""),
    ("<a href='x'>", ""),
])
def test_link_url_reads_the_destination_of_a_link(tag: str, url: str) -> None:
    assert link_url(tag) == url


def test_an_iframe_is_layout_not_text() -> None:
    doc = read_note(NOTE)
    assert "iframe" not in doc.text and "width=" not in doc.text and "show-text" not in doc.text
    assert "框内的文字" in doc.text and "（节选自）江南日报" in doc.text
    kinds = [b.kind for b in doc.blocks]
    assert kinds.count("raw") == 2 and kinds.count("shortcode") == 2  # the iframe and the comment


def test_a_mark_across_a_heading_link_stays_inside_the_link() -> None:
    doc = read_note(NOTE)
    i = doc.text.index("清远连山：")
    out = write_note(doc.with_spans([Span(i, i + 5, "bold", None, "model")]))
    assert "  - #### [<strong>清远连山：</strong>一条山路，带富一方百姓](https://example.org/lianshan)" in out


def test_entities_that_no_mark_touches_keep_their_bytes() -> None:
    doc = read_note(NOTE)
    i = doc.text.index("江南日报")
    out = write_note(doc.with_spans([Span(i, i + 4, "red", None, "model")]))
    assert '<p style="text-align: center;">&emsp;&emsp;（节选自）<font color="#ff0000">江南日报</font></p>' in out


def test_bold_that_commonmark_would_not_parse_is_exported_as_strong() -> None:
    doc = read_note("# 题\n\n**例：**近年来，各地加快发展。\n")
    assert doc.spans("bold") and write_note(renderable(doc)).endswith("<strong>例：</strong>近年来，各地加快发展。\n")


# -- the corpus ---------------------------------------------------------------------------------
def _referee(corpus: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("jingdu_referee", corpus.parent / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
@pytest.mark.corpus
def test_annotating_every_post_keeps_its_words_and_structure(corpus_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jingdu.cli import app

    ref = _referee(corpus_dir)
    posts = sorted((corpus_dir / "annotated").glob("*.md")) + sorted((corpus_dir / "plain").glob("*.md"))
    (tmp_path / "in").mkdir()
    for p in posts:
        (tmp_path / "in" / p.name).write_text(ref.strip(p.read_text(encoding="utf-8")), encoding="utf-8")
    res = CliRunner().invoke(app, ["annotate", *map(str, sorted((tmp_path / "in").glob("*.md"))),
                                   "-o", str(tmp_path / "out"), "--jobs", "2"])
    assert res.exit_code == 0, res.output
    words, shape = [], []
    for p in sorted((tmp_path / "in").glob("*.md")):
        before, after = p.read_text(encoding="utf-8"), (tmp_path / "out" / p.name).read_text(encoding="utf-8")
        if ref.score_pair(before, after) is None:
            words.append(p.name)
        if signature(before) != signature(after):
            shape.append(p.name)
    assert (len(posts), words, shape) == (684, [], [])


def test_emphasis_is_structure_and_a_mark_touching_it_wraps_it_whole() -> None:
    doc = read_note("# 题\n\n" + CLIPPED[8] + "\n")
    i = doc.text.index("建成")
    assert "*" not in doc.text
    out = write_note(doc.with_spans([Span(i, i + 1, "bold", None, "model")]))
    assert "全县<strong>*建成*</strong>示范基地" in out


@pytest.mark.parametrize("piece", [CLIPPED[10], "　　甲，_乙_丙。"])
def test_a_lone_delimiter_beside_a_mark_stays_text(piece: str) -> None:
    doc = read_note("# 题\n\n" + piece + "\n")
    spans = [Span(a, a + 2, "highlight", None, "model") for a in range(3, len(doc.text) - 2, 3)]
    out = write_note(doc.with_spans(spans))
    assert read_note(out).text == doc.text and signature(out) == signature("# 题\n\n" + piece + "\n")


WIKI = "　　详见[[江南县政府网]]与[[gov|县里的通知]]，附图![[图.png]]，完。"


@settings(max_examples=150, deadline=None)
@given(marked([WIKI, CLIPPED[8]]))
def test_marks_never_enter_an_obsidian_wikilink(case: tuple[str, Doc]) -> None:
    source, doc = case
    out = write_note(doc)
    links = re.compile(r"!?\[\[[^\[\]]*\]\]")
    assert read_note(out).text == doc.text and links.findall(out) == links.findall(source)


def test_a_wikilink_shows_its_words_and_an_embed_is_not_text() -> None:
    assert read_note("# 题\n\n" + WIKI + "\n").text == "题\n详见江南县政府网与县里的通知，附图，完。"


def test_a_mark_beside_a_reference_link_and_an_underscore_is_kept() -> None:
    doc = read_note("# 题\n\n　　详见[县政府网][gov]的a_b通知全文。\n\n[gov]: https://example.org/gov\n")
    i = doc.text.index("通知")
    out = write_note(doc.with_spans([Span(i, i + 2, "bold", None, "model")]))
    assert "[县政府网][gov]的a_b<strong>通知</strong>全文" in out


def test_the_html_page_links_a_titled_link_and_an_autolink() -> None:
    from jingdu.htmlout import to_html_page

    page = to_html_page(read_note("# 题\n\n" + CLIPPED[0] + "\n\n" + CLIPPED[3] + "\n"))
    assert '<a href="https://example.org/a"' in page and ">县政府网</a>" in page
    assert ">https://example.org/auto</a>" in page and "ask@example.org" in page and "mailto" not in page


def test_the_html_page_shows_emphasis_and_strikethrough() -> None:
    from jingdu.htmlout import to_html_page

    page = to_html_page(read_note("# 题\n\n" + CLIPPED[8] + "\n\n" + CLIPPED[11] + "\n"))
    assert "全县<em>建成</em>示范基地" in page and "<del>已经过时</del>" in page
