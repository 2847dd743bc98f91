"""The workbench's 规范词: suggestions for a selection, a term as a note on it, the glossary's
entries and the topic pack, in process (fastapi TestClient).  Texts are our own."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from glossary_texts import NOTE, POST  # noqa: E402

from jingdu.bank import Bank  # noqa: E402
from jingdu.glossary import read_glossary  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "bank.db"
    with Bank(db) as bank:
        bank.glossary_add(read_glossary(POST, "river"))
    with TestClient(create_app(db, WebOptions(annotator=lambda d: d)), base_url="http://127.0.0.1",
                    headers={"Origin": "http://127.0.0.1"}) as c:
        yield c


@pytest.fixture
def note_id(client: TestClient) -> str:
    r = client.post("/api/notes", json={"markdown": NOTE})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_suggest_answers_terms_with_why(client: TestClient) -> None:
    r = client.post("/api/suggest", json={"text": "从水库放水给干涸的湿地"})
    assert r.status_code == 200
    first = r.json()["suggestions"][0]
    assert first["term"] == "生态补水" and first["why"].startswith("应用场景")


def test_suggest_reads_the_selection_in_its_paragraph(client: TestClient) -> None:
    around = "拆掉湖里的养殖围堤，把围湖造的田重新还给湖泊，湖面重新变大"
    r = client.post("/api/suggest", json={"text": "湖面重新变大", "context": around})
    assert r.status_code == 200 and r.json()["suggestions"][0]["term"] == "退圩还湖"


@pytest.mark.parametrize(("theme", "found"), [("河湖治理", "生态补水"), ("", "生态补水"), ("城市建设", None)])
def test_suggest_keeps_to_the_theme_asked_for(client: TestClient, theme: str, found: str | None) -> None:
    r = client.post("/api/suggest", json={"text": "从水库放水给干涸的湿地", "theme": theme})
    got = r.json()
    assert r.status_code == 200
    assert [s["term"] for s in got["suggestions"]][:1] == ([found] if found else [])
    assert found or got["message"] == "no glossary theme “城市建设”"


def test_the_note_page_offers_the_glossary_themes(client: TestClient, note_id: str) -> None:
    page = client.get(f"/notes/{note_id}").text
    assert 'id="term-theme"' in page and '<option value="河湖治理">河湖治理 (3)</option>' in page


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 5001}, {"text": "材料", "extra": 1},
                                  {"text": "材料", "context": 3}, {"text": "材料", "theme": "主" * 101}])
def test_suggest_refuses_bad_bodies_in_the_one_error_shape(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/api/suggest", json=body)
    assert r.status_code == 422 and set(r.json()["error"]) == {"code", "message", "status"}


def test_a_term_is_put_as_a_note_on_the_selection(client: TestClient, note_id: str) -> None:
    doc = client.get(f"/api/notes/{note_id}").json()
    start = doc["text"].index("每条河都有专人负责")
    r = client.post(f"/api/notes/{note_id}/term-notes", json={"start": start, "end": start + 9, "term": "河长制"})
    assert r.status_code == 200, r.text
    notes = client.get(f"/api/notes/{note_id}/term-notes").json()["notes"]
    assert notes == [{"start": start, "end": start + 9, "term": "河长制", "text": "每条河都有专人负责"}]
    md = client.get(f"/api/notes/{note_id}/export").text
    assert '<u title="规范词：河长制">每条河都有专人负责</u>' in md


def test_a_term_note_escapes_the_term(client: TestClient, note_id: str) -> None:
    r = client.post(f"/api/notes/{note_id}/term-notes", json={"start": 2, "end": 6, "term": '"><script>x</script>'})
    assert r.status_code == 200
    assert "<script>" not in client.get(f"/api/notes/{note_id}/export").text
    assert client.get(f"/api/notes/{note_id}/term-notes").json()["notes"][0]["term"] == '"><script>x</script>'


def test_a_term_note_outside_the_text_is_refused(client: TestClient, note_id: str) -> None:
    r = client.post(f"/api/notes/{note_id}/term-notes", json={"start": 5, "end": 99999, "term": "河长制"})
    assert r.status_code in (400, 422)


def test_glossary_entries_are_added_edited_and_deleted(client: TestClient) -> None:
    made = client.post("/api/glossary", json={"term": "一河一策", "definition": "每条河一个方案", "theme": "河湖治理"})
    assert made.status_code == 201
    eid = made.json()["id"]
    assert client.patch(f"/api/glossary/{eid}", json={"definition": "新释义"}).json()["definition"] == "新释义"
    assert client.delete(f"/api/glossary/{eid}").status_code == 200
    assert client.delete(f"/api/glossary/{eid}").status_code == 404
    assert "一河一策" not in [e["term"] for e in client.get("/api/glossary").json()["entries"]]
    assert "退圩还湖" in client.get("/glossary").text


def test_pack_page_and_files(client: TestClient, note_id: str) -> None:
    import docx

    page = client.get("/pack", params={"topic": "河湖治理"})
    assert page.status_code == 200 and "河长制" in page.text and "水体保护" in page.text
    md = client.get("/api/pack", params={"topic": "河湖治理", "fmt": "md"})
    assert md.text.startswith("# 河湖治理：素材包")
    word = client.get("/api/pack", params={"topic": "河湖治理", "fmt": "docx"})
    assert docx.Document(BytesIO(word.content)).paragraphs[0].text == "河湖治理：素材包"


def test_the_themes_page_lists_themes_without_items(client: TestClient) -> None:
    assert "党的建设" in client.get("/themes").text


def test_an_unknown_theme_is_answered_with_the_list(client: TestClient) -> None:
    r = client.get("/api/themes/新质生产力")
    assert r.status_code == 404 and "乡村振兴" in r.json()["error"]["message"]
