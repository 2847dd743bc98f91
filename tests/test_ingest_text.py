"""Plain-text ingest: title, paragraphs, layout prefix, source line; the words never change."""

from __future__ import annotations

import pytest

from jingdu.errors import InputError
from jingdu.ingest import load_text
from jingdu.ingest.text import read_text
from jingdu.notation import write_note

ARTICLE = "山村小学的新操场\n\n来源：青河日报\n\n秋天开学时，孩子们终于有了塑胶跑道。\n　　校长说，这是全村人一起出力的结果。\n\n放学后，操场上满是笑声。\n"


def test_first_short_line_is_title() -> None:
    assert read_text(ARTICLE).title == "山村小学的新操场"


@pytest.mark.parametrize("first", [
    "这一行以句号结束，所以它是正文而不是标题。",
    "一" * 61,
])
def test_sentence_or_long_first_line_is_not_title(first: str) -> None:
    doc = read_text(first + "\n第二行。")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_source_line_becomes_source_block() -> None:
    doc = read_text(ARTICLE)
    assert [b.kind for b in doc.blocks][:2] == ["title", "source"]
    assert doc.meta.account == "青河日报"


def test_paragraphs_split_on_blank_and_single_lines() -> None:
    paras = [b for b in read_text(ARTICLE).blocks if b.kind == "paragraph"]
    assert len(paras) == 3


@pytest.mark.parametrize(("index", "prefix"), [(0, "\u3000\u3000"), (1, ""), (2, "\u3000\u3000")])
def test_indent_prefix_only_when_missing(index: int, prefix: str) -> None:
    paras = [b for b in read_text(ARTICLE).blocks if b.kind == "paragraph"]
    assert paras[index].prefix == prefix


def test_prefix_is_not_part_of_text() -> None:
    doc = read_text(ARTICLE)
    assert doc.text.split("\n")[2] == "秋天开学时，孩子们终于有了塑胶跑道。"


def test_words_are_unchanged() -> None:
    assert "".join(read_text(ARTICLE).text.split()) == "".join(ARTICLE.split())


def test_renders_in_notation() -> None:
    note = write_note(read_text(ARTICLE))
    assert note.startswith("# 山村小学的新操场\n\n> 来源：青河日报\n\n　　秋天开学时")
    assert "\n　　校长说" in note and "\n　　　　校长说" not in note


def test_crlf_text() -> None:
    doc = read_text("标题一行\r\n正文第一段。\r\n正文第二段。\r\n")
    assert doc.text == "标题一行\n正文第一段。\n正文第二段。"


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_empty_text_is_clear_error(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        read_text(text)


def test_load_text_sends_plain_text_here() -> None:
    doc = load_text("湖边晨跑\n天刚亮，湖边已经有人在跑步。", name="run.txt")
    assert doc.title == "湖边晨跑"
