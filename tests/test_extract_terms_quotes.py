"""Policy terms and quotable sentences, on short articles written for these tests."""

from __future__ import annotations

import pytest

from jingdu.extract.quotes import find_quotes, sentence_patterns
from jingdu.extract.terms import clean_term, find_terms, load_lexicon
from jingdu.notation import read_note

ARTICLE = """# 某市奋力走在前列

> 某市发布微信公众号 [原文链接](https://example.org/a)

　　某市坚持以“百千万工程”为牵引，加快发展新质生产力，建设现代化产业体系。“百千万工程”带动县域发展。

　　全市上下围绕省委“1310”具体部署，锚定三大动力，推出十大新突破，努力走在前、作示范、挑大梁。

　　<span style="background:#fff88f">这条以创新为阶、以生态为基、以开放为峰的路径，越走越宽。</span>
"""


def terms_by_text() -> dict[str, tuple[str, int]]:
    return {t.term: (t.kind, t.count) for t in find_terms(read_note(ARTICLE))}


@pytest.mark.parametrize(("term", "kind", "count"), [
    ("“百千万工程”", "coinage", 2),
    ("“1310”", "formula", 1),
    ("三大动力", "formula", 1),
    ("十大新突破", "formula", 1),
    ("走在前、作示范、挑大梁", "slogan", 1),
    ("新质生产力", "lexicon", 1),
    ("现代化产业体系", "lexicon", 1),
])
def test_terms(term: str, kind: str, count: int) -> None:
    assert terms_by_text()[term] == (kind, count)


def test_terms_are_ordered_by_count_and_point_into_text() -> None:
    doc = read_note(ARTICLE)
    terms = find_terms(doc)
    assert [t.count for t in terms] == sorted((t.count for t in terms), reverse=True)
    for t in terms:
        assert doc.text[t.start:t.end] == t.term


@pytest.mark.parametrize(("raw", "expected"), [
    ("“百千万工程”", "百千万工程"), ("新质生产力", "新质生产力"), ("县", None), ("3.83", None),
    ("着眼发展，建设体系", None),
])
def test_clean_term(raw: str, expected: str | None) -> None:
    assert clean_term(raw) == expected


def test_lexicon_ships() -> None:
    assert "新质生产力" in load_lexicon()


@pytest.mark.parametrize(("sentence", "pattern"), [
    ("这条以创新为阶、以生态为基的路径越走越宽。", "parallel-yi"),
    ("从“跟跑”到“领跑”，某市实现了跨越。", "from-to"),
    ("某市不再只是“加工厂”，而是“创新源”。", "antithesis"),
    ("这不仅是经济账，更是民生账。", "antithesis"),
    ("抓项目、强产业、优环境、惠民生，全力以赴。", "parallel"),
])
def test_quote_patterns(sentence: str, pattern: str) -> None:
    assert pattern in sentence_patterns(sentence)


def test_plain_sentence_has_no_pattern() -> None:
    assert sentence_patterns("今天上午，会议在市里召开。") == []


def test_leader_words() -> None:
    doc = read_note("# 题\n\n　　市委书记王某某强调：“要把创新摆在发展全局的核心位置。”\n")
    (quote,) = find_quotes(doc)
    assert "speech" in quote.patterns
    assert quote.speaker == "市委书记王某某"


def test_note_highlights_are_quotes() -> None:
    doc = read_note(ARTICLE)
    marked = [q for q in find_quotes(doc) if "highlight" in q.patterns]
    assert len(marked) == 1
    assert "parallel-yi" in marked[0].patterns
    assert doc.text[marked[0].start:marked[0].end] == marked[0].text
