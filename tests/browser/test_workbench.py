"""The workbench in a real browser: Playwright (python) driving Debian's chromium against a
uvicorn server in a thread.  Screenshots of the main pages go to ``artifacts/screenshots/``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
uvicorn = pytest.importorskip("uvicorn")

from jingdu.model import Doc, Span  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
YELLOW = "rgb(255, 248, 143)"

# An article written for these tests (not corpus text).
NOTE = """# 青川市：小切口推动基层治理大变化

> 青川发布微信公众号 [原文链接](https://example.org/qingchuan/1)

　　<span style="background:#fff88f">青川市坚持把<font color="#ff0000">基层治理</font>作为民生工程来抓，推动服务资源向社区下沉。</span>今年以来，全市新建社区服务站<strong>48个</strong>，群众满意度达<strong>96.5%</strong>，办结群众诉求<strong>1.2万件</strong>。

### 让群众办事少跑腿

　　市民政局局长李华说：“<span style="background:#fff88f">我们要把<font color="#ff0000">新质生产力</font>理念用到基层服务中，让数据多跑路。</span>”网格员每天走访居民，收集诉求。

### 让社区更有温度

　　<span style="background:#fff88f">以党建为引领、以服务为中心、以群众满意为标准</span>，青川市正在绘就<font color="#ff0000">中国式现代化</font>的基层新图景。
"""


def fake_annotator(doc: Doc) -> Doc:
    spans = []
    for words, layer in (("网格员每天走访居民", "highlight"), ("社区服务站", "red"), ("李华", "bold")):
        i = doc.text.find(words)
        if i >= 0:
            spans.append(Span(i, i + len(words), layer, None, "model"))
    return doc.with_spans(spans)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_app(app: object) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its URL, then stops it."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "bank.db"
    app = create_app(db, WebOptions(annotator=fake_annotator))
    yield from serve_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.set_default_timeout(15_000)
    yield pg
    ctx.close()
    assert errors == [], f"errors in the page: {errors}"


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def paste_note(pg, base: str) -> str:  # type: ignore[no-untyped-def]
    pg.goto(base + "/")
    pg.fill("#paste", NOTE)
    pg.select_option("select[name=fmt]", "markdown")
    shot(pg, "01-home-paste")
    pg.click("#ingest-submit")
    pg.wait_for_url("**/notes/*")
    return str(pg.url)


def background(pg, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(pg.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor"))


def select_words(pg, words: str) -> None:  # type: ignore[no-untyped-def]
    """Select ``words`` inside the note as a user would (a DOM range over the text)."""
    found = pg.evaluate("""(words) => {
        const note = document.getElementById('note');
        const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.data.indexOf(words);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + words.length);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
                return true;
            }
        }
        return false;
    }""", words)
    assert found, f"{words!r} is not in one text node of the note"


def test_paste_an_article_and_see_its_highlights(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    hl = page.locator("article .hl-note", has_text="推动服务资源向社区下沉").first
    assert hl.is_visible()
    assert hl.evaluate("el => getComputedStyle(el).backgroundColor") == YELLOW
    red = page.locator("article .rd-note", has_text="基层治理").first
    assert red.evaluate("el => getComputedStyle(el).color") == "rgb(255, 0, 0)"
    bold = page.locator("article .bd-note", has_text="48个").first
    assert int(bold.evaluate("el => getComputedStyle(el).fontWeight")) >= 700
    # suggestions look different from the note's own marks
    sug = page.locator("article .hl-model", has_text="网格员每天走访居民").first
    assert sug.evaluate("el => getComputedStyle(el).backgroundImage") != "none"
    assert page.locator("#figures table tbody tr").count() >= 2  # (three units, one figure each: no bars)
    assert page.locator("#outline ul ul li", has_text="让群众办事少跑腿").count() == 1
    shot(page, "02-note")


def test_toggle_a_layer(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    sel = "article .hl-note"
    assert background(page, sel) == YELLOW
    page.uncheck("input[data-toggle=highlight]")
    assert background(page, sel) == "rgba(0, 0, 0, 0)"
    page.uncheck("input[data-toggle=red]")
    assert page.eval_on_selector("article .rd-note", "el => getComputedStyle(el).color") != "rgb(255, 0, 0)"
    shot(page, "03-note-layers-off")
    page.reload()
    assert background(page, sel) == "rgba(0, 0, 0, 0)"  # the choice is remembered
    page.check("input[data-toggle=highlight]")
    page.check("input[data-toggle=red]")
    assert background(page, sel) == YELLOW


def test_select_text_mark_it_reload_and_it_stays(server: str, page) -> None:  # type: ignore[no-untyped-def]
    url = paste_note(page, server)
    select_words(page, "收集诉求")
    with page.expect_navigation():
        page.click("button[data-mark=bold]")
    mark = page.locator("article .bd-user", has_text="收集诉求")
    assert mark.count() == 1
    page.goto(url)
    page.reload()
    assert page.locator("article .bd-user", has_text="收集诉求").count() == 1
    # accept one suggestion, reject another
    item = page.locator(".pending-item[data-layer=highlight]").first
    with page.expect_navigation():
        item.locator("button.accept").click()
    assert page.locator("article .hl-user", has_text="网格员每天走访居民").count() == 1
    with page.expect_navigation():
        page.locator(".pending-item[data-layer=red] button.reject").first.click()
    assert page.locator("article .rd-model").count() == 0
    shot(page, "04-note-marked")
    md = page.request.get(url.replace("/notes/", "/api/notes/") + "/export").text()
    assert "<strong>收集诉求</strong>" in md


def test_select_text_and_clear_its_marks(server: str, page) -> None:  # type: ignore[no-untyped-def]
    url = paste_note(page, server)
    select_words(page, "收集诉求")
    with page.expect_navigation():
        page.click("button[data-mark=bold]")
    assert page.locator("article .bd-user", has_text="收集诉求").count() == 1
    select_words(page, "收集诉求")
    with page.expect_navigation():
        page.click("button[data-unmark]")
    assert page.locator("article .bd-user", has_text="收集诉求").count() == 0
    md = page.request.get(url.replace("/notes/", "/api/notes/") + "/export").text()
    assert "<strong>收集诉求</strong>" not in md


def test_search_and_open_a_hit(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    page.fill("header input[name=q]", "新质生产力")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    hits = page.locator("a.hit-link")
    assert hits.count() >= 1
    shot(page, "05-search")
    hits.first.click()
    page.wait_for_url("**/notes/**")
    assert page.locator("article").is_visible()
    assert "新质生产力" in page.locator("article").inner_text()
    page.goto(server + "/search?q=&kind=term")
    assert page.locator("li.kind-term").count() >= 1
    page.goto(server + "/themes")
    shot(page, "06-themes")


def test_review_a_card(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    page.goto(server + "/review")
    card = page.locator("#card")
    assert card.is_visible()
    first = card.get_attribute("data-card")
    page.click("details.answer summary")
    assert page.locator(".back").is_visible()
    shot(page, "07-review")
    with page.expect_navigation():
        page.click("button.good")
    assert page.url.endswith("/review")
    nxt = page.locator("#card")
    assert nxt.count() == 0 or nxt.get_attribute("data-card") != first


def test_other_pages_render(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    for path, name in (("/", "08-home"), ("/export", "09-export"), ("/docs", "10-api-docs")):
        page.goto(server + path)
        assert page.locator("main").is_visible()
        shot(page, name)


def test_search_shows_sentences_first(server: str, page) -> None:  # type: ignore[no-untyped-def]
    paste_note(page, server)
    page.goto(server + "/search?q=" + "新质生产力")
    row = page.locator(".term-row")
    assert row.is_visible() and "新质生产力" in row.inner_text() and "篇" in row.inner_text()
    hits = page.locator("ol.hits > li")
    kinds = [hits.nth(i).get_attribute("class") or "" for i in range(hits.count())]
    assert kinds and all("kind-term" not in k for k in kinds)  # the terms are the one row above
    assert "kind-quote" in kinds[0] or "kind-fact" in kinds[0]  # a sentence first
    texts = [t.strip() for t in page.locator("a.hit-link").all_inner_texts()]
    assert len(texts) == len(set(texts))  # each sentence once
    below = page.evaluate("() => document.querySelector('.term-row').getBoundingClientRect().bottom"
                          " <= document.querySelector('ol.hits').getBoundingClientRect().top")
    assert below
    shot(page, "05b-search-sentences-first")
    page.select_option("select[name=kind]", "quote")
    with page.expect_navigation():
        page.click(".search-form button[type=submit]")
    chip = page.locator(".filters .filter-kind")
    assert chip.is_visible() and "quote" in chip.inner_text()
    assert all("kind-quote" in (hits.nth(i).get_attribute("class") or "") for i in range(hits.count()))
    with page.expect_navigation():
        chip.locator("a.filter-remove").click()
    assert page.locator(".filters .filter-kind").count() == 0
