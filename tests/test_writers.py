"""JSON, W3C annotations and the standalone HTML page."""

from __future__ import annotations

import json

import pytest

from jingdu.errors import InputError
from jingdu.htmlout import to_html_page
from jingdu.jsonio import from_json, to_dict, to_json
from jingdu.model import Span
from jingdu.notation import read_note, write_note
from jingdu.w3c import to_w3c


def test_json_has_documented_keys(sample_note_text: str) -> None:
    data = to_dict(read_note(sample_note_text))
    assert data["schema"] == "jingdu.note/1"
    assert set(data) == {"schema", "meta", "text", "blocks", "layers"}
    assert {"highlight", "bold", "red"} <= set(data["layers"])


def test_json_round_trip_gives_the_same_note(sample_note_text: str) -> None:
    assert write_note(from_json(to_json(read_note(sample_note_text)))) == sample_note_text


def test_json_without_raw_still_renders_the_marks(sample_note_text: str) -> None:
    data = to_dict(read_note(sample_note_text), layout=False)
    again = read_note(write_note(from_json(json.dumps(data))))
    assert again.layers == read_note(sample_note_text).layers


@pytest.mark.parametrize(
    ("payload", "message"),
    [("{", "invalid JSON"), ('{"x": 1}', "not a jingdu note"),
     ('{"text": "ab", "layers": {"bold": [{"start": 0, "end": 9}]}}', "runs past"),
     ('{"schema": "other/9", "text": "ab"}', "unsupported schema")],
)
def test_bad_json_is_a_clear_error(payload: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        from_json(payload)


def test_w3c_selectors_point_at_the_marked_text(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    coll = to_w3c(doc)
    assert coll["type"] == "AnnotationCollection"
    items = coll["first"]["items"]
    assert len(items) == sum(len(doc.spans(x)) for x in ("highlight", "bold", "red"))
    for item in items:
        quote, pos = item["target"]["selector"]
        assert doc.text[pos["start"]:pos["end"]] == quote["exact"]
        assert item["body"]["value"] in ("highlight", "bold", "red")


def test_w3c_offsets_are_code_points() -> None:
    doc = read_note("# 标题\n\n　　𠀀字<strong>加粗</strong>\n")
    pos = to_w3c(doc)["first"]["items"][0]["target"]["selector"][1]
    assert doc.text[pos["start"]:pos["end"]] == "加粗"


def test_html_page_shows_the_layers(sample_note_text: str) -> None:
    page = to_html_page(read_note(sample_note_text))
    assert '<mark class="hl">' in page and "<strong>" in page and '<span class="red">' in page


@pytest.mark.parametrize(
    "evil",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '<a href="javascript:alert(3)">x</a>'],
)
def test_html_page_has_no_active_content_from_the_article(evil: str) -> None:
    doc = read_note(f"# 标题\n\n<p>正文{evil}</p>\n\n　　文字{evil}\n")
    body = to_html_page(doc).split("<body>", 1)[1]
    assert "<script" not in body and "onerror" not in body.replace("onerror=alert(2)&gt;", "")
    assert "javascript:" not in body.replace("javascript:alert(3)&quot;", "")


def test_model_marks_are_told_apart_in_html(sample_note_text: str) -> None:
    doc = read_note(sample_note_text)
    doc = doc.with_spans([Span(doc.text.index("清晨"), doc.text.index("清晨") + 2, "bold", origin="model")])
    assert 'data-origin="model"' in to_html_page(doc)
