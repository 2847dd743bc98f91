"""The workbench's JSON API and pages, in process (fastapi TestClient): every endpoint, the one
error shape, the guards (size, cross-site, content type, CSRF) and the XSS must-show."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from jingdu.model import Doc, Span  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402

# An article written for these tests (not corpus text).
NOTE = """# 青川市：小切口推动基层治理大变化

> 青川发布微信公众号 [原文链接](https://example.org/qingchuan/1)

　　<span style="background:#fff88f">青川市坚持把<font color="#ff0000">基层治理</font>作为民生工程来抓，推动服务资源向社区下沉。</span>今年以来，全市新建社区服务站<strong>48个</strong>，群众满意度达<strong>96.5%</strong>。

### 让群众办事少跑腿

　　市民政局局长李华说：“我们要把<font color="#ff0000">新质生产力</font>理念用到基层服务中。”网格员每天走访居民，收集诉求。
"""
PLAIN = "青川市推进社区服务\n今年以来，全市新建社区服务站48个。网格员每天走访居民，收集诉求。"
EVIL = "恶意的标题\n正文<script>alert(1)</script>然后<img src=x onerror=alert(2)>结束，还有<a href=\"javascript:alert(3)\">链接</a>。"


def fake_annotator(doc: Doc) -> Doc:
    """Suggests the first 网格员 sentence as a highlight and 社区服务 as red (origin model)."""
    spans = []
    i = doc.text.find("网格员每天走访居民")
    if i >= 0:
        spans.append(Span(i, i + len("网格员每天走访居民"), "highlight", None, "model"))
    j = doc.text.find("社区服务站")
    if j >= 0:
        spans.append(Span(j, j + 4, "red", None, "model"))
    return doc.with_spans(spans)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app over a fresh bank."""
    app = create_app(tmp_path / "bank.db", WebOptions(annotator=fake_annotator, max_body=200_000))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture
def note_id(client: TestClient) -> str:
    r = client.post("/api/notes", json={"markdown": NOTE})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def assert_error(r, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


def spans_at(body: dict, layer: str, text: str, origin: str | None = None) -> list[dict]:
    return [s for s in body["layers"][layer] if body["text"][s["start"]:s["end"]] == text
            and (origin is None or s["origin"] == origin)]


# -- annotate and store -----------------------------------------------------------------------
def test_annotate_answers_text_blocks_and_layers(client: TestClient) -> None:
    r = client.post("/api/annotate", json={"markdown": NOTE})
    assert r.status_code == 200
    body = r.json()
    assert body["text"].startswith("青川市：小切口推动基层治理大变化\n")
    assert {"highlight", "bold", "red"} <= set(body["layers"])
    for layer in ("highlight", "bold", "red"):
        for sp in body["layers"][layer]:
            assert {"start", "end", "origin"} <= set(sp) <= {"start", "end", "origin", "tag", "note"}
    assert spans_at(body, "bold", "48个", "note")
    assert spans_at(body, "red", "基层治理", "note")
    assert spans_at(body, "highlight", "网格员每天走访居民", "model")
    assert [b["kind"] for b in body["blocks"]][:2] == ["title", "source"]


@pytest.mark.parametrize("key,value", [("text", PLAIN), ("markdown", NOTE),
                                       ("html", "<html><body><h1>青川市推进社区服务</h1><p>今年以来，全市新建社区服务站48个。"
                                                "网格员每天走访居民，收集诉求。</p></body></html>")])
def test_annotate_reads_each_kind_of_input(client: TestClient, key: str, value: str) -> None:
    r = client.post("/api/annotate", json={key: value})
    assert r.status_code == 200, r.text
    assert "网格员每天走访居民" in r.json()["text"]
    assert spans_at(r.json(), "highlight", "网格员每天走访居民", "model")


def test_annotate_reads_a_url_when_private_fetch_is_allowed(tmp_path: Path) -> None:
    import http.server
    import threading

    page = ("<html><head><title>青川市推进社区服务</title></head><body><article><h1>青川市推进社区服务</h1>"
            + "<p>今年以来，全市新建社区服务站48个。网格员每天走访居民，收集诉求。</p>" * 3 + "</article></body></html>")
    (tmp_path / "a.html").write_text(page, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):  # type: ignore[no-untyped-def]
            super().__init__(*a, directory=str(tmp_path), **k)

        def log_message(self, *a) -> None:  # type: ignore[no-untyped-def]
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app = create_app(tmp_path / "bank.db", WebOptions(annotator=fake_annotator, allow_private_fetch=True))
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            r = client.post("/api/annotate", json={"url": f"http://127.0.0.1:{server.server_port}/a.html"})
    finally:
        server.shutdown()
    assert r.status_code == 200, r.text
    assert "网格员每天走访居民" in r.json()["text"]


def test_store_list_and_get_a_note(client: TestClient, note_id: str) -> None:
    listed = client.get("/api/notes").json()["notes"]
    assert [n["id"] for n in listed] == [note_id]
    assert listed[0]["title"] == "青川市：小切口推动基层治理大变化"
    body = client.get(f"/api/notes/{note_id}").json()
    assert spans_at(body, "red", "社区服务", "model")
    page = client.get(f"/notes/{note_id}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "青川市" in page.text and 'class="t hl-note"' in page.text
    assert "hl-model" in page.text  # suggestions are told apart from the note's own marks


def test_extract_gives_figures_and_outline(client: TestClient, note_id: str) -> None:
    body = client.get(f"/api/notes/{note_id}/extract").json()
    assert any(f["value"] == 48 for f in body["figures"])
    assert body["outline"]["title"] == "青川市：小切口推动基层治理大变化"
    assert body["mermaid"].strip()
    page = client.get(f"/notes/{note_id}").text
    # (its three figures have three units, one each: the table lists them, no unit gets bars)
    assert 'class="figures"' in page and "48个" in page and "让群众办事少跑腿" in page


# -- marks --------------------------------------------------------------------------------------
def test_user_marks_persist_and_reach_the_export(client: TestClient, note_id: str) -> None:
    text = client.get(f"/api/notes/{note_id}").json()["text"]
    s = text.index("收集诉求")
    r = client.post(f"/api/notes/{note_id}/marks", json={"layer": "bold", "start": s, "end": s + 4})
    assert r.status_code == 200, r.text
    body = client.get(f"/api/notes/{note_id}").json()
    assert spans_at(body, "bold", "收集诉求", "user")
    md = client.get(f"/api/notes/{note_id}/export").text
    assert "<strong>收集诉求</strong>" in md
    page = client.get(f"/notes/{note_id}").text
    assert "bd-user" in page
    r = client.delete(f"/api/notes/{note_id}/marks", params={"layer": "bold", "start": s, "end": s + 4})
    assert r.status_code == 200
    assert not spans_at(client.get(f"/api/notes/{note_id}").json(), "bold", "收集诉求")


def test_accept_and_reject_suggestions(client: TestClient, note_id: str) -> None:
    body = client.get(f"/api/notes/{note_id}").json()
    hl = spans_at(body, "highlight", "网格员每天走访居民", "model")[0]
    red = spans_at(body, "red", "社区服务", "model")[0]
    assert "<strong>" in client.get(f"/api/notes/{note_id}/export").text
    assert "网格员每天走访居民</span>" in client.get(f"/api/notes/{note_id}/export").text  # shown: exported
    without = client.get(f"/api/notes/{note_id}/export", params={"suggestions": "false"}).text
    assert "网格员每天走访居民</span>" not in without
    r = client.post(f"/api/notes/{note_id}/marks", json={**{k: hl[k] for k in ("start", "end")},
                                                         "layer": "highlight", "action": "accept"})
    assert r.status_code == 200 and r.json()["suggestions"] == 1
    r = client.request("DELETE", f"/api/notes/{note_id}/marks",
                       json={"layer": "red", "start": red["start"], "end": red["end"]})
    assert r.status_code == 200 and r.json()["suggestions"] == 0
    body = client.get(f"/api/notes/{note_id}").json()
    assert spans_at(body, "highlight", "网格员每天走访居民", "user")
    assert not spans_at(body, "highlight", "网格员每天走访居民", "model")
    assert not [s for s in body["layers"]["red"] if s["origin"] == "model"]
    md = client.get(f"/api/notes/{note_id}/export").text
    assert '<span style="background:#fff88f">网格员每天走访居民</span>' in md
    assert '<font color="#ff0000">社区服务</font>' not in md
    # accepting what is not suggested is an error in the one shape
    assert_error(client.post(f"/api/notes/{note_id}/marks", json={"layer": "red", "start": 0, "end": 2,
                                                                  "action": "accept"}), 400, "bad_input")


def test_bad_marks(client: TestClient, note_id: str) -> None:
    assert_error(client.post(f"/api/notes/{note_id}/marks", json={"layer": "blink", "start": 0, "end": 2}),
                 400, "bad_input")
    assert_error(client.post(f"/api/notes/{note_id}/marks", json={"layer": "bold", "start": 5, "end": 99999}),
                 400, "bad_input")
    assert_error(client.post(f"/api/notes/{note_id}/marks", json={"layer": "bold", "start": -1, "end": 2}),
                 422, "invalid_request")
    assert_error(client.delete(f"/api/notes/{note_id}/marks"), 422, "invalid_request")
    assert_error(client.post("/api/notes/nope/marks", json={"layer": "bold", "start": 0, "end": 2}), 404, "not_found")


# -- search, themes, review, export -------------------------------------------------------------
def test_search_with_filters(client: TestClient, note_id: str) -> None:
    hits = client.get("/api/search", params={"q": "基层治理"}).json()["hits"]
    assert hits and all(h["note_id"] == note_id for h in hits)
    terms = client.get("/api/search", params={"q": "基层治理", "kind": "term"}).json()["hits"]
    assert terms and {h["kind"] for h in terms} == {"term"}
    assert client.get("/api/search", params={"q": "基层治理", "source": "没有这个来源"}).json()["hits"] == []
    themed = client.get("/api/search", params={"q": "", "theme": "基层治理"}).json()["hits"]
    assert themed and all("基层治理" in h["themes"] for h in themed)
    assert_error(client.get("/api/search", params={"q": "x", "kind": "poem"}), 422, "invalid_request")
    page = client.get("/search", params={"q": "基层治理"})
    assert page.status_code == 200 and f'href="/notes/{note_id}#o' in page.text


def test_themes(client: TestClient, note_id: str) -> None:
    themes = client.get("/api/themes").json()["themes"]
    assert any(t["name"] == "基层治理" and t["count"] > 0 for t in themes)
    items = client.get("/api/themes/基层治理").json()["items"]
    assert items and items[0]["note_id"] == note_id
    assert "基层治理" in client.get("/themes").text
    assert client.get("/themes/基层治理").status_code == 200


def test_review_a_card(client: TestClient, note_id: str) -> None:
    cards = client.get("/api/review/due").json()["cards"]
    assert cards and {"id", "front", "back"} <= set(cards[0])
    card = cards[0]["id"]
    r = client.post(f"/api/review/{card}", json={"rating": "good"})
    assert r.status_code == 200, r.text
    assert card not in [c["id"] for c in client.get("/api/review/due").json()["cards"]]
    assert_error(client.post(f"/api/review/{card}", json={"rating": 7}), 422, "invalid_request")
    assert_error(client.post("/api/review/99999", json={"rating": 3}), 404, "not_found")
    page = client.get("/review")
    assert page.status_code == 200 and "ratings" in page.text


def test_exports(client: TestClient, note_id: str) -> None:
    md = client.get("/api/export", params={"fmt": "md", "note": note_id})
    assert md.status_code == 200 and md.text.startswith("# 青川市")
    assert "attachment" in md.headers["content-disposition"]
    hugo = client.get("/api/export", params={"fmt": "hugo", "note": note_id}).text
    assert hugo.startswith("---\n") and "title:" in hugo
    anki = client.get("/api/export", params={"fmt": "anki"})
    assert anki.status_code == 200 and zipfile.is_zipfile(BytesIO(anki.content))
    coll = client.get("/api/export", params={"fmt": "collection", "theme": "基层治理"})
    assert coll.status_code == 200 and "基层治理" in coll.text
    assert_error(client.get("/api/export", params={"fmt": "pdf"}), 422, "invalid_request")
    assert client.get("/export").status_code == 200


def test_pages_and_docs(client: TestClient, note_id: str) -> None:
    home = client.get("/")
    assert home.status_code == 200 and f'href="/notes/{note_id}"' in home.text
    assert client.get("/docs").status_code == 200 and "/api/annotate" in client.get("/docs").text
    spec = client.get("/openapi.json").json()
    assert {"/api/annotate", "/api/notes", "/api/search", "/api/notes/{note_id}/marks"} <= set(spec["paths"])
    assert client.get("/static/app.js").status_code == 200


def test_form_ingest_needs_the_csrf_token(client: TestClient) -> None:
    home = client.get("/").text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', home).group(1)  # type: ignore[union-attr]
    r = client.post("/ingest", data={"csrf": token, "text": NOTE, "fmt": "markdown"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/notes/")
    r = client.post("/ingest", data={"csrf": token}, files={"file": ("q.md", NOTE.encode(), "text/markdown")},
                    follow_redirects=False)
    assert r.status_code == 303
    assert_error(client.post("/ingest", data={"text": NOTE}), 403, "csrf")
    html = client.post("/ingest", data={"text": NOTE}, headers={"accept": "text/html"})
    assert html.status_code == 403 and "csrf" in html.text


# -- the one error shape ------------------------------------------------------------------------
@pytest.mark.parametrize("method,url,kwargs,status,code", [
    ("GET", "/api/nothing", {}, 404, "not_found"),
    ("GET", "/api/notes/nope", {}, 404, "not_found"),
    ("PUT", "/api/notes", {"json": {}}, 405, "method_not_allowed"),
    ("POST", "/api/annotate", {"json": {}}, 422, "invalid_request"),
    ("POST", "/api/annotate", {"json": {"text": "a", "html": "b"}}, 422, "invalid_request"),
    ("POST", "/api/annotate", {"json": {"poem": "a"}}, 422, "invalid_request"),
    ("POST", "/api/annotate", {"content": b"{not json", "headers": {"content-type": "application/json"}},
     422, "invalid_request"),
    ("POST", "/api/annotate", {"json": {"text": "   "}}, 400, "bad_input"),
    ("POST", "/api/annotate", {"json": {"url": "file:///etc/passwd"}}, 400, "bad_input"),
    ("POST", "/api/annotate", {"content": b"text=x", "headers": {"content-type": "application/x-www-form-urlencoded"}},
     415, "unsupported_media_type"),
    ("POST", "/api/notes", {"json": {"text": "x" * 300_000}}, 413, "too_large"),
    ("POST", "/api/notes", {"json": {"text": PLAIN}, "headers": {"origin": "https://evil.example"}}, 403, "cross_site"),
    ("POST", "/api/notes", {"json": {"text": PLAIN}, "headers": {"sec-fetch-site": "cross-site"}}, 403, "cross_site"),
    ("DELETE", "/api/notes/1/marks?layer=bold&start=0&end=1", {"headers": {"origin": "null"}}, 403, "cross_site"),
])
def test_every_error_has_one_shape(client: TestClient, method: str, url: str, kwargs: dict, status: int,
                                   code: str) -> None:
    assert_error(client.request(method, url, **kwargs), status, code)


def test_a_streamed_body_over_the_limit_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}'

    r = client.post("/api/notes", content=chunks(), headers={"content-type": "application/json"})
    assert_error(r, 413, "too_large")


def test_same_origin_requests_pass(client: TestClient) -> None:
    r = client.post("/api/notes", json={"text": PLAIN},
                    headers={"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"})
    assert r.status_code == 201


# -- security must-show ---------------------------------------------------------------------------
class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []
        self.js_urls: list[str] = []
        self.in_script = False
        self.script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self.in_script = True
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.handlers.append((tag, k))
            if k in ("href", "src", "action") and v and v.strip().lower().startswith("javascript:"):
                self.js_urls.append(v)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.script_text += data


@pytest.mark.parametrize("key", ["text", "html", "markdown"])
def test_article_html_never_runs(client: TestClient, key: str) -> None:
    body = {key: EVIL if key != "html" else f"<html><body><h1>恶意的标题</h1><p>{EVIL}</p></body></html>"}
    r = client.post("/api/notes", json=body)
    assert r.status_code == 201, r.text
    page = client.get(f"/notes/{r.json()['id']}")
    scan = PageScan()
    scan.feed(page.text)
    assert [s.get("src") for s in scan.scripts] == ["/static/app.js"]  # only our own script
    assert scan.script_text.strip() == ""
    assert scan.handlers == []
    assert scan.js_urls == []
    assert "alert(1)</script>" not in page.text and "<img" not in page.text
    csp = page.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]  # (the note page allows inline styles: its Mermaid SVG)
    assert directives["img-src"] == ["'self'", "data:"] and directives["default-src"] == ["'self'"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_sanitizer_is_an_allow_list() -> None:
    from jingdu.htmlout import sanitize

    out = sanitize('<p onclick="x()">a<script>b</script><a href="javascript:c()">d</a><iframe src="e"></iframe></p>')
    assert "onclick" not in out and "<script" not in out and "javascript:" not in out and "<iframe" not in out


def test_serve_command_help() -> None:
    from typer.testing import CliRunner

    from jingdu.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for opt in ("--db", "--host", "--port"):
        assert opt in result.output
    assert "127.0.0.1" in result.output


def test_suggestions_on_plain_text_keep_their_place_once_stored(client: TestClient) -> None:
    """The bank stores a pasted plain-text article in the notation, its paragraphs indented with two
    ideographic spaces; read back, it has the same text and each suggestion covers the same words."""
    article = "青川市推进社区服务\n今年以来，全市新建社区服务站48个。\n群众满意度持续提升。\n网格员每天走访居民，收集诉求。"
    shown = client.post("/api/annotate", json={"text": article}).json()
    r = client.post("/api/notes", json={"text": article})
    assert r.status_code == 201
    note_id = r.json()["id"]
    assert "\u3000\u3000网格员每天走访居民" in client.get(f"/api/notes/{note_id}/export?suggestions=false").text
    stored = client.get(f"/api/notes/{note_id}").json()
    assert stored["text"] == shown["text"]
    for layer in ("highlight", "red"):
        before = [(s["start"], s["end"]) for s in shown["layers"][layer] if s["origin"] == "model"]
        assert before and [(s["start"], s["end"]) for s in stored["layers"][layer] if s["origin"] == "model"] == before
    assert spans_at(stored, "highlight", "网格员每天走访居民", "model")
    assert spans_at(stored, "red", "社区服务", "model")


def test_an_annotator_domain_error_leaves_the_note_unmarked_and_a_bug_surfaces(tmp_path: Path) -> None:
    from jingdu.errors import ModelError

    def no_model(doc: Doc) -> Doc:
        raise ModelError("no model here")

    def buggy(doc: Doc) -> Doc:
        raise TypeError("a bug")

    with TestClient(create_app(tmp_path / "a.db", WebOptions(annotator=no_model)), base_url="http://127.0.0.1") as c:
        r = c.post("/api/annotate", json={"text": PLAIN})
        assert r.status_code == 200, r.text
        assert not [s for spans in r.json()["layers"].values() for s in spans if s["origin"] == "model"]
    with TestClient(create_app(tmp_path / "b.db", WebOptions(annotator=buggy)), base_url="http://127.0.0.1") as c, pytest.raises(TypeError):
        c.post("/api/annotate", json={"text": PLAIN})
