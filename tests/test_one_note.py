"""One note, one id, one pipeline: the data defects of the issue, each as a test that failed on
the code before the consolidation (410f7c3) and passes now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.cli import app
from jingdu.model import Doc, Span
from jingdu.web import WebOptions, create_app

runner = CliRunner()
FIX = Path(__file__).parent / "fixtures"
# Articles written for these tests (not corpus text).
WORDS = "甲乙丙丁戊己庚辛壬癸，子丑寅卯辰巳午未申酉戌亥。"
NOTE = """# 青川市：小切口推动基层治理大变化

> 青川发布微信公众号 [原文链接](https://example.org/qingchuan/1)

　　青川市坚持把基层治理作为民生工程来抓，推动服务资源向社区下沉。今年以来，全市新建社区服务站48个，群众满意度达96.5%。

　　市民政局局长李华说：“我们要把新质生产力理念用到基层服务中。”网格员每天走访居民，收集诉求。
"""


def _json_note(path: Path, text: str, title: str = "标题") -> Path:
    """A note whose text does not start with its title (the title is only in its metadata)."""
    data = {"schema": "jingdu.note/1", "meta": {"id": "words", "title": title}, "text": text,
            "blocks": [{"kind": "paragraph", "start": 0, "end": len(text)}], "layers": {}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _user_words(bank: Bank, note: int) -> list[str]:
    doc = bank.get_doc(note)
    return [doc.span_text(s) for s in doc.all_spans() if s.origin == "user"]


def _mark_words(bank: Bank, src: Path, layer: str, words: str = "丙丁", nth: int = 0) -> int:
    """Add ``src`` and mark the ``nth`` occurrence of ``words`` as the user's; the note's id."""
    note = bank.add_paths([str(src)], jobs=1).notes[0]
    text = bank.get_doc(note).text
    i = -1
    for _ in range(nth + 1):
        i = text.index(words, i + 1)
    bank.set_user_marks(note, [Span(i, i + len(words), layer, None, "user")])
    return note


# -- user marks follow their words --------------------------------------------------------------
def test_a_user_mark_follows_its_words_when_the_text_changes(tmp_path: Path) -> None:
    src = _json_note(tmp_path / "words.json", WORDS)
    with Bank(tmp_path / "b.db") as bank:
        note = _mark_words(bank, src, "highlight")
        _json_note(src, "新增前缀。" + WORDS)
        report = bank.add_paths([str(src)], jobs=1)
        assert report.updated == 1 and report.notes == [note]
        assert _user_words(bank, note) == ["丙丁"]


def test_a_user_mark_whose_words_are_gone_is_an_orphan_not_moved(tmp_path: Path) -> None:
    src = _json_note(tmp_path / "words.json", WORDS)
    with Bank(tmp_path / "b.db") as bank:
        note = _mark_words(bank, src, "bold")
        _json_note(src, WORDS.replace("丙丁", "ＸＹ"))
        report = bank.add_paths([str(src)], jobs=1)
        assert _user_words(bank, note) == []
        assert report.orphaned == [(note, "bold", "丙丁")]
        assert [(o["layer"], o["text"]) for o in bank.orphans(note)] == [("bold", "丙丁")]


def test_a_repeated_quote_is_placed_by_its_context_or_orphaned(tmp_path: Path) -> None:
    text = "一是抓落实，二是抓落实，三是促发展。"
    src = _json_note(tmp_path / "words.json", text)
    with Bank(tmp_path / "b.db") as bank:
        note = _mark_words(bank, src, "red", "抓落实", nth=1)
        _json_note(src, "前言。" + text.replace("一是", "首先是").replace("三是", "再次是"))
        bank.add_paths([str(src)], jobs=1)
        doc = bank.get_doc(note)
        [mark] = [s for s in doc.all_spans() if s.origin == "user"]
        assert doc.text[mark.start - 2:mark.end] == "二是抓落实"


# -- one id -------------------------------------------------------------------------------------
def _annotator(doc: Doc) -> Doc:
    i = doc.text.find("网格员每天走访居民")
    j = doc.text.find("社区服务站")
    return doc.with_spans([Span(i, i + 9, "highlight", None, "model"), Span(j, j + 4, "red", None, "model")])


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    with TestClient(create_app(tmp_path / "bank.db", WebOptions(annotator=_annotator)), base_url="http://127.0.0.1") as c:
        yield c


def test_a_note_has_one_id_in_every_answer(client: TestClient) -> None:
    added = client.post("/api/notes", json={"markdown": NOTE}).json()
    body = client.get(f"/api/notes/{added['id']}").json()
    assert body["id"] == added["id"]
    assert [n["id"] for n in client.get("/api/notes").json()["notes"]] == [added["id"]]
    hits = client.get("/api/search", params={"q": "网格员"}).json()["hits"]
    assert hits and {h["note_id"] for h in hits} == {added["id"]}


def test_a_rejection_is_kept_under_the_one_id(client: TestClient) -> None:
    note = client.post("/api/notes", json={"markdown": NOTE}).json()["id"]
    red = [s for s in client.get(f"/api/notes/{note}").json()["layers"]["red"] if s["origin"] == "model"][0]
    r = client.request("DELETE", f"/api/notes/{note}/marks", json={"layer": "red", **{k: red[k] for k in
                                                                                       ("start", "end")}})
    assert r.status_code == 200
    body = client.get(f"/api/notes/{note}").json()
    assert not [s for s in body["layers"]["red"] if s["origin"] == "model"]
    assert body["rejected"] == [{"layer": "red", "start": red["start"], "end": red["end"]}]
    assert client.get(f"/api/notes/{body['meta']['id'] or 'x'}").status_code == 404  # no second name


# -- re-adding keeps the model's marks ----------------------------------------------------------
def _model_spans(bank: Bank, note: int) -> int:
    return sum(1 for s in bank.get_doc(note).all_spans() if s.origin == "model")


def test_readding_without_annotate_keeps_the_models_marks(tmp_path: Path) -> None:
    src = tmp_path / "post.md"
    src.write_text(NOTE, encoding="utf-8")
    db = str(tmp_path / "b.db")
    assert runner.invoke(app, ["bank", "add", str(src), "--annotate", "--db", db]).exit_code == 0
    with Bank(db) as bank:
        before = _model_spans(bank, 1)
    assert before > 0
    res = runner.invoke(app, ["bank", "add", str(src), "--db", db])
    assert res.exit_code == 0, res.output
    with Bank(db) as bank:
        assert _model_spans(bank, 1) == before
    res = runner.invoke(app, ["bank", "add", str(src), "--replace", "--db", db])
    with Bank(db) as bank:
        assert res.exit_code == 0 and _model_spans(bank, 1) == 0


# -- one item per sentence ----------------------------------------------------------------------
def test_accepting_a_suggestion_changes_the_items_origin_not_its_count(client: TestClient) -> None:
    note = client.post("/api/notes", json={"markdown": NOTE}).json()["id"]
    before = client.get("/api/search", params={"q": "网格员每天走访居民", "kind": "quote"}).json()["hits"]
    assert [h["origin"] for h in before] == ["auto"]
    hl = [s for s in client.get(f"/api/notes/{note}").json()["layers"]["highlight"] if s["origin"] == "model"][0]
    r = client.post(f"/api/notes/{note}/marks", json={"layer": "highlight", "start": hl["start"], "end": hl["end"],
                                                      "action": "accept"})
    assert r.status_code == 200
    after = client.get("/api/search", params={"q": "网格员每天走访居民", "kind": "quote"}).json()["hits"]
    assert [(h["item_id"], h["origin"]) for h in after] == [(before[0]["item_id"], "user")]


def test_a_sentence_with_a_figure_that_is_a_quote_is_one_item(tmp_path: Path) -> None:
    text = "今年以来，全市新建社区服务站48个。"
    src = _json_note(tmp_path / "fig.json", text)
    with Bank(tmp_path / "b.db") as bank:
        note = bank.add_paths([str(src)], jobs=1).notes[0]
        bank.set_user_marks(note, [Span(0, len(text), "highlight", None, "user")])
        hits = bank.search("社区服务站")
        lines = [h for h in hits if h.kind in ("quote", "fact")]
        assert len(lines) == 1 and lines[0].roles == ["quote", "fact"]
        assert [h.id for h in bank.search("社区服务站", kind="fact")] == [lines[0].id]


# -- the CLI and the web export the same marks ---------------------------------------------------
def test_publish_and_the_web_export_write_the_same_marks(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    with Bank(db) as bank:
        note = bank.add_doc(_annotator(_read(NOTE)))[1]
    res = runner.invoke(app, ["publish", str(note), "--hugo", str(tmp_path / "site"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    [post] = (tmp_path / "site" / "content" / "posts").glob("*.md")
    with TestClient(create_app(db, WebOptions(annotate=False)), base_url="http://127.0.0.1") as c:
        web = c.get(f"/api/notes/{note}/export").text
        hugo = c.get("/api/export", params={"fmt": "hugo", "note": str(note)}).text
    published = post.read_text(encoding="utf-8")
    assert published.count("#fff88f") == web.count("#fff88f") == hugo.count("#fff88f") == 1
    body = published.split("---\n", 2)[2].lstrip("\n")
    assert body == hugo.split("---\n", 2)[2].lstrip("\n") and web.endswith(body)  # a post has no title line


def _read(text: str) -> Doc:
    from jingdu.ingest import load_text

    return load_text(text, "post.md")


# -- two inputs never overwrite each other -------------------------------------------------------
def _two_posts(tmp_path: Path) -> list[str]:
    out = []
    for folder, figure in (("d1", "48个"), ("d2", "52个")):
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "post.md"
        path.write_text(NOTE.replace("48个", figure).replace("https://example.org/qingchuan/1", ""), encoding="utf-8")
        out.append(str(path))
    return out


def test_ingest_gives_two_inputs_with_one_stem_two_outputs(tmp_path: Path) -> None:
    res = runner.invoke(app, ["ingest", *_two_posts(tmp_path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["post-2.md", "post.md"]
    assert "52个" in (tmp_path / "out" / "post-2.md").read_text(encoding="utf-8")


def test_the_bank_keeps_two_articles_with_one_stem_apart(tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    posts = _two_posts(tmp_path)
    res = runner.invoke(app, ["bank", "add", *posts, "--db", db])
    assert res.exit_code == 0 and "2 added" in res.output, res.output
    res = runner.invoke(app, ["bank", "add", *posts, "--db", db])
    assert "2 unchanged" in res.output
    with Bank(db) as bank:
        texts = {bank.get_doc(n["id"]).text for n in bank.notes()}
    assert len(texts) == 2
