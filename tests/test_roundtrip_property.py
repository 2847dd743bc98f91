"""Hypothesis: random CJK text with random nested layers -> notation -> back gives the same
text and layers; the same through JSON."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jingdu.jsonio import from_json, to_json
from jingdu.model import Doc, DocBuilder, Meta, Span
from jingdu.notation import read_note, write_note

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("，。、；：“”！？（）《》…—0123456789%abcXYZ <>&*=#|-"))
MARKUP_LIKE = st.sampled_from(["---", "> ", "| ", "```", "# ", "**", "==", "<b>", "&emsp;", "[", "]", "(", ")",
                               "[[", "]]", "[^1]", "~~", "_", "!", "<https://x.org>", "[a](b)", "*"])
TEXT = st.lists(st.one_of(CJK, CJK, CJK, PUNCT, MARKUP_LIKE), min_size=1, max_size=40).map("".join)
LAYERS = ("highlight", "bold", "red")


@st.composite
def layer_spans(draw: st.DrawFn, length: int, layer: str) -> list[Span]:
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [Span(a, b, layer) for a, b in pairs if b > a]


@st.composite
def docs(draw: st.DrawFn) -> Doc:
    builder = DocBuilder()
    builder.add("title", draw(st.text(CJK, min_size=1, max_size=20)), tail="\n\n")
    for _ in range(draw(st.integers(1, 4))):
        # a paragraph holds visible text: a line of spaces is a blank line in the notation
        text = draw(TEXT.map(lambda t: t.lstrip("\u3000")).filter(str.strip))
        spans = [sp for layer in LAYERS for sp in draw(layer_spans(len(text), layer))]
        builder.add("paragraph", text, spans, prefix="　　", tail="\n\n")
    return builder.build(Meta())


def marks(doc: Doc) -> dict[str, list[tuple[int, int]]]:
    return {layer: [(s.start, s.end) for s in doc.spans(layer)] for layer in LAYERS}


@settings(max_examples=150, deadline=None)
@given(docs())
def test_notation_round_trip_keeps_text_and_layers(doc: Doc) -> None:
    again = read_note(write_note(doc))
    assert again.text == doc.text
    assert marks(again) == marks(doc)


@settings(max_examples=60, deadline=None)
@given(docs())
def test_json_round_trip_is_identity(doc: Doc) -> None:
    again = from_json(to_json(doc))
    assert again == doc
    assert write_note(again) == write_note(doc)
