"""The personal model in a real browser: a user accepts and rejects suggestions on a few notes,
the workbench trains a personal model in the background (a child process), and its page shows
the figures per layer and switches back to the default.  Articles written for this test."""

from __future__ import annotations

import re
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

from test_personal import article  # noqa: E402

from browser.test_workbench import ARGS, serve_app, shot  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402

DIGIT = re.compile(r"\d")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("personal") / "bank.db"
    app = create_app(db, WebOptions(personal_every=3))  # the shipped model suggests; training in a child process
    yield from serve_app(app)


@pytest.fixture
def page(server: str) -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        ctx = b.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.set_default_timeout(20_000)
        yield pg
        b.close()
        assert errors == [], f"errors in the page: {errors}"


def correct_note(pg, base: str, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Paste an article, then accept the suggested highlights that hold a figure and reject the rest."""
    pg.goto(base + "/")
    pg.fill("#paste", article(seed))
    pg.select_option("select[name=fmt]", "markdown")
    pg.click("#ingest-submit")
    pg.wait_for_url("**/notes/*")
    for _ in range(60):
        items = pg.locator(".pending-item")
        if items.count() == 0:
            return
        item = items.first
        keep = item.get_attribute("data-layer") == "highlight" and DIGIT.search(item.locator("q").inner_text())
        with pg.expect_navigation():
            item.locator("button.accept" if keep else "button.reject").click()
    pytest.fail("suggestions did not run out")


def test_corrections_train_a_personal_model_shown_on_its_page(server: str, page) -> None:  # type: ignore[no-untyped-def]
    for seed in range(3):
        correct_note(page, server, seed)
    page.goto(server + "/personal")
    deadline = time.monotonic() + 180
    while page.locator("#personal-scores").count() == 0:
        assert time.monotonic() < deadline, "no personal model appeared"
        time.sleep(1)
        page.reload()
    for layer in ("highlight", "bold", "red"):
        row = page.locator(f"#personal-scores tr[data-layer={layer}]")
        assert re.fullmatch(r"\d\.\d{3}", row.locator(".f1-default").inner_text())
        assert re.fullmatch(r"\d\.\d{3}", row.locator(".f1-personal").inner_text())
    assert "learnt from 3 notes" in page.locator("#personal-model h3").inner_text()
    shot(page, "10-personal-model")
    with page.expect_navigation():
        page.click("#use-default")
    assert page.locator("#in-use").inner_text() == "default"
    assert page.locator("#use-personal").count() == 1
