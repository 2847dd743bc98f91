"""Reading and writing the notation: every variant, byte-exact round trips, re-rendering."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jingdu.model import Block, Doc, Span
from jingdu.notation import read_note, render_inline, write_note


def layer_texts(doc: Doc, layer: str) -> list[str]:
    return [doc.span_text(s) for s in doc.spans(layer)]


@pytest.mark.parametrize(
    ("line", "layer", "marked"),
    [
        ('　　<span style="background:#fff88f">坚持稳中求进。</span>其余', "highlight", "坚持稳中求进。"),
        ('　　<mark style="background:#fff88f">坚持稳中求进。</mark>其余', "highlight", "坚持稳中求进。"),
        ('　　<mark class="hl">坚持稳中求进。</mark>其余', "highlight", "坚持稳中求进。"),
        ("　　==坚持稳中求进。==其余", "highlight", "坚持稳中求进。"),
        ("　　<strong>增长5.6%</strong>其余", "bold", "增长5.6%"),
        ("　　<b>增长5.6%</b>其余", "bold", "增长5.6%"),
        ("　　**增长5.6%**其余", "bold", "增长5.6%"),
        ('　　<font color="#ff0000">新质生产力</font>其余', "red", "新质生产力"),
        ('　　<font color="red">新质生产力</font>其余', "red", "新质生产力"),
        ("　　<u>划线</u>其余", "underline", "划线"),
        ('　　<font color="#00aaff">蓝字</font>其余', "color", "蓝字"),
    ],
)
def test_each_variant_reads_as_its_layer(line: str, layer: str, marked: str) -> None:
    doc = read_note(f"# 标题\n\n{line}\n")
    assert layer_texts(doc, layer) == [marked]
    assert "其余" in doc.text


@pytest.mark.parametrize(
    "source",
    [
        '# 标题\n\n　　<span style="background:#fff88f">着眼<strong>发展<font color="#ff0000">新质生产力</font></strong>，好。</span>\n',
        '# 标题\n\n　　前文<font color="#ff0000">没有闭合的红字，直到段末。\n\n　　下一段。\n',
        "# 标题\n\n<p>&emsp;&emsp;原始HTML段落，<strong>加粗</strong>。</p>\n",
        '# 标题\n\n<h4 style="text-align: center;">居中小标题</h4>\n\n　　正文。\n',
        "# 标题\n\n```markdown\n{{< mermaid >}}\nmindmap\n  root\n{{< /mermaid >}}\n```\n\n　　正文。\n",
        "# 标题\n\n| 指标 | 数值 |\n|---|---|\n| 增长 | 5% |\n\n　　正文。\n",
        "# 标题\n\n![](https://example.org/a.png)\n\n　　正文。\n\n---\n\n> 作者: [x](https://e.org)  \n> URL: https://e.org/p/  \n",
        "---\ntitle: \"标题\"\ndate: 2025-01-02\ntags: [乡村振兴]\n---\n\n# 标题\n\n　　正文。\n",
        "# 标题\r\n\r\n　　Windows 换行的正文。\r\n",
        "没有标题的一段文字。",
    ],
)
def test_read_then_write_is_byte_exact(source: str) -> None:
    assert write_note(read_note(source)) == source


def test_nested_layers_are_read() -> None:
    doc = read_note('# t\n\n　　<span style="background:#fff88f">着眼<strong>发展<font color="#ff0000">新质生产力</font></strong>。</span>\n')
    assert layer_texts(doc, "highlight") == ["着眼发展新质生产力。"]
    assert layer_texts(doc, "bold") == ["发展新质生产力"]
    assert layer_texts(doc, "red") == ["新质生产力"]


def test_unclosed_font_ends_with_its_paragraph() -> None:
    doc = read_note('# t\n\n　　前文<font color="#ff0000">红字到段末\n\n　　下一段。\n')
    assert layer_texts(doc, "red") == ["红字到段末"]


def test_entities_are_decoded_into_text() -> None:
    doc = read_note("# t\n\n<p>&emsp;&emsp;正文&lt;b&gt;</p>\n")
    assert "\u2003\u2003正文<b>" in doc.text


def test_meta_from_title_and_source_line() -> None:
    doc = read_note("# 大标题\n\n> 南方日报微信公众号 [原文链接](https://mp.weixin.qq.com/s/abc)\n\n　　正文。\n")
    assert (doc.meta.title, doc.meta.account, doc.meta.url) == ("大标题", "南方日报", "https://mp.weixin.qq.com/s/abc")


def test_front_matter_gives_meta() -> None:
    doc = read_note("---\ntitle: \"标题\"\ndate: 2025-01-02\ntags: [乡村振兴, 基层治理]\n---\n\n# 标题\n\n　　正文。\n")
    assert doc.meta.tags == ("乡村振兴", "基层治理")
    assert doc.meta.published == "2025-01-02"


def test_changed_block_is_rerendered_and_others_kept(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    para = next(b for b in doc.blocks if b.kind == "paragraph")
    start = doc.text.index("清晨六点")
    new = doc.with_spans([Span(start, start + 4, "bold", origin="model")])
    out = write_note(new)
    assert "<strong>清晨六点</strong>" in out
    assert out.count("\n") == sample_note_text.count("\n")
    assert write_note(read_note(out)).count("<strong>清晨六点</strong>") == 1
    assert para.raw is not None


def test_crossing_spans_render_nested() -> None:
    html = render_inline("甲乙丙丁", [Span(0, 3, "highlight"), Span(2, 4, "bold")])
    assert html == '<span style="background:#fff88f">甲乙<strong>丙</strong></span><strong>丁</strong>'


@pytest.mark.parametrize("text", ["a<b 与 c", "x**y**z", "a==b==c", "&amp; 与 &lt;"])
def test_rerendered_text_is_escaped(text: str) -> None:
    doc = Doc(text, [Block("paragraph", 0, len(text))], {"bold": [Span(0, 1, "bold")]})
    again = read_note(write_note(doc))
    assert again.text == text


def test_corpus_notes_round_trip_byte_exact(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / "annotated").glob("*.md")):
        source = path.read_text(encoding="utf-8")
        assert write_note(read_note(source)) == source, path.name


def test_corpus_notes_rerendered_score_perfectly(corpus_dir: Path) -> None:
    sys.path.insert(0, str(corpus_dir.parent / "eval"))
    import score  # the referee

    for path in sorted((corpus_dir / "annotated").glob("*.md")):
        source = path.read_text(encoding="utf-8")
        doc = read_note(source)
        bare = Doc(doc.text, [Block(b.kind, b.start, b.end, b.level, b.prefix, b.suffix,
                                    None if b.digest else b.raw, None, b.tail) for b in doc.blocks],
                   doc.layers, doc.meta)
        result = score.score_pair(source, write_note(bare))
        assert result is not None, f"{path.name}: text mismatch"
        for layer, (tp, npred, ngold) in result.items():
            assert tp == npred == ngold, (path.name, layer)


@pytest.mark.parametrize("para", ["　　```不是代码", "　　| 不是表格", "　　> 不是引用", "　　---", "　　# 不是标题"])
def test_indented_markup_like_text_stays_a_paragraph(para: str) -> None:
    source = f"# t\n\n{para}\n"
    doc = read_note(source)
    assert [b.kind for b in doc.blocks] == ["title", "paragraph"]
    assert write_note(doc) == source


@pytest.mark.parametrize(("line", "marker"), [("- 第一项内容", "- "), ("1. 第一条措施", "1. "), ("* 要点", "* ")])
def test_list_markers_are_layout_not_text(line: str, marker: str) -> None:
    doc = read_note(f"# t\n\n{line}\n")
    para = doc.blocks[1]
    assert para.prefix == marker and marker not in doc.block_text(para)
    assert write_note(doc) == f"# t\n\n{line}\n"


def test_paragraph_indent_is_layout_not_text() -> None:
    doc = read_note("# t\n\n　　正文第一句。\n")
    para = doc.blocks[1]
    assert para.prefix == "　　" and doc.block_text(para) == "正文第一句。"


def test_plain_text_note_reads_back_with_the_same_text() -> None:
    from jingdu.ingest.text import read_text

    doc = read_text("标题一行\n\n第一段文字。\n\n第二段文字。\n")
    assert read_note(write_note(doc)).text == doc.text


def test_footer_gives_author_date_and_url() -> None:
    doc = read_note("# 标题\n\n　　正文。\n\n---\n\n> 作者: [某记者](https://e.org/me)  \n> 发布: 2025-11-07T08:31:48+08:00  \n> URL: https://e.org/p/1  \n")
    assert (doc.meta.author, doc.meta.published, doc.meta.url) == ("某记者", "2025-11-07T08:31:48+08:00", "https://e.org/p/1")


def test_footer_written_for_metadata_reads_back() -> None:
    from jingdu.model import DocBuilder, Meta

    b = DocBuilder()
    b.add("title", "标题", prefix="# ")
    b.add("paragraph", "正文。", prefix="　　")
    doc = b.build(Meta(title="标题", account="某某发布", published="2025-01-02T08:00:00+08:00", url="https://e.org/a"))
    again = read_note(write_note(doc, footer=True))
    assert again.text.startswith(doc.text)
    assert (again.meta.author, again.meta.published, again.meta.url) == ("某某发布", doc.meta.published, doc.meta.url)
