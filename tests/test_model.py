"""The document model: spans validated on creation, layers as character sets, immutability."""

from __future__ import annotations

import pytest

from jingdu.model import Block, Doc, DocBuilder, Meta, Span, SpanError, merge_spans


@pytest.mark.parametrize(
    ("start", "end", "layer"),
    [(-1, 3, "bold"), (5, 2, "bold"), (3, 3, "bold"), (0, 2, ""), (0, 2, "a b")],
)
def test_bad_spans_are_refused(start: int, end: int, layer: str) -> None:
    with pytest.raises(SpanError):
        Span(start, end, layer)


def test_bad_origin_is_refused() -> None:
    with pytest.raises(SpanError, match="origin"):
        Span(0, 1, "bold", origin="robot")


def test_span_past_text_is_refused() -> None:
    with pytest.raises(SpanError, match="runs past"):
        Doc("短文", [Block("paragraph", 0, 2)], {"bold": [Span(0, 5, "bold")]})


def test_touching_spans_of_a_layer_merge() -> None:
    merged = merge_spans([Span(0, 2, "bold"), Span(2, 4, "bold"), Span(6, 7, "bold")])
    assert [(s.start, s.end) for s in merged] == [(0, 4), (6, 7)]


def test_spans_of_different_origin_stay_apart() -> None:
    merged = merge_spans([Span(0, 2, "bold", origin="user"), Span(2, 4, "bold", origin="model")])
    assert len(merged) == 2


def test_with_spans_returns_a_new_doc_and_keeps_text() -> None:
    b = DocBuilder()
    b.add("paragraph", "坚持创新驱动发展")
    doc = b.build(Meta(title="t"))
    new = doc.with_spans([Span(2, 4, "red", origin="model")])
    assert doc.spans("red") == ()
    assert new.spans("red")[0].origin == "model"
    assert new.text == doc.text


def test_replace_layers_clears_them() -> None:
    b = DocBuilder()
    b.add("paragraph", "坚持创新驱动发展", [Span(0, 2, "bold")])
    doc = b.build()
    assert doc.with_spans([], replace_layers=["bold"]).spans("bold") == ()


def test_builder_joins_blocks_with_newlines() -> None:
    b = DocBuilder()
    b.add("title", "标题")
    b.add("break")
    b.add("paragraph", "正文。")
    doc = b.build()
    assert doc.text == "标题\n\n正文。"
    assert [doc.block_text(x) for x in doc.blocks] == ["标题", "", "正文。"]


def test_builder_refuses_span_past_block() -> None:
    b = DocBuilder()
    with pytest.raises(SpanError):
        b.add("paragraph", "短", [Span(0, 3, "bold")])
