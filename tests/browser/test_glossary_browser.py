"""In a real browser: select a passage of a note, see 规范词 beside it, insert one as a note on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from glossary_texts import NOTE, POST  # noqa: E402

from browser.test_workbench import browser, page, select_words, serve_app, shot  # noqa: F401
from jingdu.bank import Bank  # noqa: E402
from jingdu.glossary import read_glossary  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("glossary-web") / "bank.db"
    with Bank(db) as bank:
        bank.glossary_add(read_glossary(POST, "river"))
        bank.glossary_add(read_glossary(POST.replace("河湖治理", "水利建设"), "dam"))
    app = create_app(db, WebOptions(annotator=lambda d: d))
    yield from serve_app(app)


def test_selecting_a_passage_shows_suggestions_and_inserts_one(server: str, page) -> None:  # noqa: F811
    r = page.request.post(server + "/api/notes", data={"markdown": NOTE},
                          headers={"Origin": server, "Content-Type": "application/json"})
    assert r.status == 201, r.text()
    note = r.json()["id"]
    page.goto(f"{server}/notes/{note}")
    select_words(page, "从水库放水给干涸的湿地")
    page.dispatch_event("#note", "mouseup")
    first = page.locator("#term-suggestions li").first
    first.wait_for()
    assert first.locator("strong").inner_text() == "生态补水"
    assert "应用场景" in first.locator(".why").inner_text()
    shot(page, "glossary-suggestions")
    first.locator("button.term-insert").click()
    page.locator("#term-suggestions li.inserted").wait_for()
    notes = page.request.get(f"{server}/api/notes/{note}/term-notes").json()["notes"]
    assert [(n["term"], n["text"]) for n in notes] == [("生态补水", "从水库放水给干涸的湿地")]


def test_the_theme_chosen_keeps_the_suggestions_within_it(server: str, page) -> None:  # noqa: F811
    r = page.request.post(server + "/api/notes", data={"markdown": NOTE},
                          headers={"Origin": server, "Content-Type": "application/json"})
    note = r.json()["id"]
    page.goto(f"{server}/notes/{note}")
    page.select_option("#term-theme", "水利建设")
    select_words(page, "从水库放水给干涸的湿地")
    page.dispatch_event("#note", "mouseup")
    names = page.locator("#term-suggestions li .term-theme-name")
    names.first.wait_for()
    assert set(names.all_inner_texts()) == {"水利建设"}
    page.select_option("#term-theme", "河湖治理")  # asks again for the same selection
    page.locator("#term-suggestions li .term-theme-name", has_text="河湖治理").first.wait_for()
    assert set(names.all_inner_texts()) == {"河湖治理"}
    shot(page, "glossary-theme")
    page.reload()  # the choice is remembered
    assert page.locator("#term-theme").input_value() == "河湖治理"
