"""What a reader sees, in Debian's chromium: the mind map drawn as an SVG by the shipped Mermaid,
the review counter counting down, pagination of the notes, and the note page at 1280 px and at a
390 px phone with nothing wider than the window (screenshots in ``artifacts/screenshots/``)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_workbench import ARGS, CHROMIUM, NOTE, ROOT, SHOTS, fake_annotator, serve_app

pytestmark = pytest.mark.browser
SHARED = Path(os.environ.get("JINGDU_SHARED", ROOT.parent / "shared"))
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
uvicorn = pytest.importorskip("uvicorn")

from jingdu.web import WebOptions, create_app  # noqa: E402

LONG_URL = "https://example.org/qingchuan/2025/11/articles/" + "grassroots-governance-" * 6 + "index.html?from=timeline"
# the test article with a long source URL and a long bare URL in its last paragraph (as notes clipped
# from WeChat often end), plus figures in three units
WIDE_NOTE = NOTE.replace("https://example.org/qingchuan/1", LONG_URL) + f"""
　　2025年前三季度，青川市智能产线单件生产节拍缩短至38秒，全市累计投入技术改造资金12.6亿元，
带动社会投资38.2亿元；新增智能工厂16个，智能产线设备换型时间压缩到55秒。

　　原文链接：{LONG_URL}
"""
PER_PAGE = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("ux") / "bank.db"
    app = create_app(db, WebOptions(annotator=fake_annotator, recent=PER_PAGE, review_batch=4))
    yield from serve_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_page(browser):  # type: ignore[no-untyped-def]
    """``open_page(width, height)``: a page of that viewport; no console error or page error allowed."""
    contexts, errors = [], []

    def make(width: int = 1280, height: int = 900, mobile: bool = False):  # type: ignore[no-untyped-def]
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=mobile, has_touch=mobile, device_scale_factor=2 if mobile else 1)
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.set_default_timeout(20_000)
        return pg

    yield make
    for ctx in contexts:
        ctx.close()
    assert errors == [], f"errors in the page: {errors}"


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def add_note(pg, base: str, markdown: str) -> str:  # type: ignore[no-untyped-def]
    r = pg.request.post(base + "/api/notes", data={"markdown": markdown}, headers={"Origin": base})
    assert r.status == 201, r.text()
    return str(r.json()["id"])


def overflow(pg) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The page's scroll width against the window, and any element sticking out to the right (one
    inside a box that scrolls or clips it, such as a wide table's own scroller, does not count)."""
    return pg.evaluate("""() => {
        const w = document.documentElement.clientWidth;
        const clipped = (el) => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                if (getComputedStyle(p).overflowX !== 'visible') return true;
            }
            return false;
        };
        const wide = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > w + 1 && getComputedStyle(el).position !== 'fixed' && !clipped(el)) {
                wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
            }
        }
        return {scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, width: w,
                wide: wide.slice(0, 5)};
    }""")


def test_mind_map_is_drawn_as_an_svg(server: str, open_page) -> None:  # type: ignore[no-untyped-def]
    pg = open_page()
    note = add_note(pg, server, WIDE_NOTE)
    pg.goto(f"{server}/notes/{note}")
    svg = pg.wait_for_selector("#mindmap svg")
    assert svg is not None
    box = svg.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    drawn = pg.eval_on_selector("#mindmap svg", "el => el.textContent")
    assert "让群众办事少跑腿" in drawn and "让社区更有温度" in drawn  # the section headings are nodes
    # the nodes are painted in colour, not black boxes (Mermaid's own style reached the SVG)
    fill = pg.eval_on_selector("#mindmap svg .mindmap-node path, #mindmap svg .mindmap-node circle",
                               "el => getComputedStyle(el).fill")
    assert fill not in ("rgb(0, 0, 0)", "none", "")
    # nothing was fetched from anywhere but this server
    assert all(u.startswith(server) or u.startswith("data:") for u in pg.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"))
    # (the sticky header and toolbar would cover the map in an element screenshot)
    pg.evaluate("() => document.querySelectorAll('header.top, .toolbar').forEach(e => e.style.position = 'static')")
    pg.locator("#mind").screenshot(path=str(SHOTS / "ux-mindmap.png"))


@pytest.mark.parametrize(("width", "height", "mobile", "name"), [
    (1280, 900, False, "ux-note-1280"),
    (390, 844, True, "ux-note-390"),
])
def test_note_page_fits_the_window(server: str, open_page, width: int, height: int, mobile: bool,  # type: ignore[no-untyped-def]
                                   name: str) -> None:
    pg = open_page(width, height, mobile)
    note = add_note(pg, server, WIDE_NOTE)
    pg.goto(f"{server}/notes/{note}")
    pg.wait_for_selector("#mindmap svg")
    got = overflow(pg)
    pg.screenshot(path=str(SHOTS / f"{name}-top.png"))  # the first screen, as the reader opens it
    shot(pg, name)
    pg.locator("#figures").screenshot(path=str(SHOTS / f"{name}-figures.png"))
    assert got["scroll"] <= width and got["body"] <= width and got["wide"] == [], got
    # the chart keeps whole labels and one group per unit
    units = pg.eval_on_selector_all("#figures svg .unit-group", "els => els.map(e => e.dataset.unit)")
    assert len(units) == len(set(units)) >= 2
    labels = pg.eval_on_selector_all("#figures svg .bar-label", "els => els.map(e => e.textContent).join('')")
    assert "智能产线单件生产节拍" in labels


def test_home_page_paginates_and_fits_a_phone(server: str, open_page) -> None:  # type: ignore[no-untyped-def]
    pg = open_page()
    for n in range(1, 2 * PER_PAGE + 3):
        add_note(pg, server, NOTE.replace("小切口推动基层治理大变化", f"第{n}次社区走访记")
                 .replace("qingchuan/1", f"qingchuan/visit-{n}"))  # a URL of its own: a note of its own
    pg.goto(server + "/")
    seen = set()
    pages = 0
    while True:
        pages += 1
        items = pg.locator("ul.notes li > a:not(.tag)").all_inner_texts()
        assert 0 < len(items) <= PER_PAGE
        seen.update(items)
        nxt = pg.locator("nav.pager a[rel=next]")
        if nxt.count() == 0:
            break
        with pg.expect_navigation():
            nxt.click()
    assert pages >= 3 and {f"青川市：第{n}次社区走访记" for n in range(1, 2 * PER_PAGE + 3)} <= seen
    with pg.expect_navigation():
        pg.locator("nav.pager a[rel=prev]").click()
    assert pg.url.endswith(f"page={pages - 1}")
    phone = open_page(390, 844, True)
    phone.goto(server + "/?page=2")
    got = overflow(phone)
    shot(phone, "ux-home-390")
    assert got["scroll"] <= 390 and got["wide"] == [], got


def test_review_counter_counts_down(server: str, open_page) -> None:  # type: ignore[no-untyped-def]
    pg = open_page()
    add_note(pg, server, WIDE_NOTE)
    pg.goto(server + "/review")
    counts = [int(pg.inner_text("#due-count"))]
    assert counts[0] >= 2
    while pg.locator("#card").count():
        pg.click("details.answer summary")
        if "？" in pg.inner_text("#card .front"):
            shot(pg, "ux-review-question")
        with pg.expect_navigation():
            pg.click("button.good")
        counts.append(int(pg.inner_text("#due-count")))
        if len(counts) > 10:
            break
    assert counts == list(range(counts[0], -1, -1)), counts
    shot(pg, "ux-review-done")


@pytest.mark.parametrize("path", ["/", "/search?q=社区", "/review", "/themes", "/export", "/docs"])
def test_every_page_fits_a_phone(server: str, open_page, path: str) -> None:  # type: ignore[no-untyped-def]
    pg = open_page(390, 844, True)
    add_note(pg, server, WIDE_NOTE)
    pg.goto(server + path)
    got = overflow(pg)
    assert got["scroll"] <= 390 and got["wide"] == [], (path, got)


def _longest_run(path: Path) -> int:
    return max((len(r) for r in re.findall(r"[A-Za-z0-9:/?&=_.%#+\-]{40,}", path.read_text(encoding="utf-8"))),
               default=0)


@pytest.mark.corpus
@pytest.mark.parametrize("width", [1280, 390])
def test_corpus_notes_with_the_longest_urls_fit(server: str, open_page, width: int) -> None:  # type: ignore[no-untyped-def]
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"the shared corpus is not at {corpus}")
    notes = sorted(corpus.glob("*/*.md"), key=_longest_run, reverse=True)[:3]
    pg = open_page(width, 900, width < 600)
    for note in notes:
        pg.goto(f"{server}/notes/{add_note(pg, server, note.read_text(encoding='utf-8'))}")
        got = overflow(pg)
        assert got["scroll"] <= width and got["wide"] == [], (note.name, got)
