"""What a note carries from an untrusted page never reaches an export as a live script: URLs are
http(s) only (Anki card link, Hugo front matter, collection Markdown), raw HTML in Hugo posts is
cleaned as on the pages, the Anki deck is written atomically, and the terminal gets no control
characters."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.bank.export import collect, export_anki
from jingdu.cli import app as cli
from jingdu.fsutil import web_url
from jingdu.htmlout import sanitize_markdown
from jingdu.notation import read_note
from jingdu.publish import post

HOSTILE = """---
url: "{url}"
---

# 青川市推进社区服务

> 青川发布 [原文链接]({url})

　　<span style="background:#fff88f">青川市坚持把<font color="#ff0000">基层治理</font>作为民生工程来抓。</span>今年以来，全市新建<img src=x onerror=alert(3)>社区服务站<strong>48个</strong>。<a href="javascript:alert(4)">点此</a>

<script>alert(5)</script>

<div onclick="alert(6)">网格员每天走访居民。</div>

<iframe src="javascript:alert(7)"></iframe>

<p style="position:fixed;color:red">群众满意度持续提升。</p>
"""
URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:x", "file:///etc/passwd", " javascript:alert(1)"]


@pytest.mark.parametrize("url", URLS)
def test_only_http_urls_pass(url: str) -> None:
    assert web_url(url) == ""


@pytest.mark.parametrize("url", ["https://example.org/a?b=1#c", "http://example.org/"])
def test_http_urls_pass(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize("url", URLS[:3])
def test_hugo_post_holds_no_script(url: str) -> None:
    text = post(read_note(HOSTILE.format(url=url)))
    low = text.lower()
    for bad in ("<script", "onerror", "onclick", "javascript:", "data:text", "position:fixed", "alert(5)"):
        assert bad not in low, bad
    # the marks and the words stay
    assert '<span style="background:#fff88f">' in text and '<font color="#ff0000">基层治理</font>' in text
    assert "<strong>48个</strong>" in text and "网格员每天走访居民。" in text and "群众满意度持续提升。" in text


@pytest.mark.parametrize(("markdown", "kept"), [
    ("```html\n<script>alert(1)</script>\n```", "<script>alert(1)</script>"),
    ("用 `<script>` 标签", "`<script>`"),
    ("见 <https://example.org/a>", "<https://example.org/a>"),
    ("[原文](https://example.org/a)", "(https://example.org/a)"),
    ("> 引用 **加粗**", "> 引用 **加粗**"),
])
def test_markdown_itself_is_left_alone(markdown: str, kept: str) -> None:
    assert kept in sanitize_markdown(markdown)


@pytest.mark.parametrize("markdown", ['<img alt=">" src=x onerror=alert(1)>', "<img/src=x/onerror=alert(1)>",
                                      "<!--><script>alert(1)</script>-->", "[a](java&#115;cript:alert(1))",
                                      "[a]: javascript:alert(1)", '<a href="javascript:alert(1)">a</a>',
                                      "<svg onload=alert(1)>", "<SCRIPT>alert(1)</SCRIPT>",
                                      "{{</*script src=//e.example/x.js*/>}}", "{{<script>}}"])
def test_tricky_html_is_cleaned(markdown: str) -> None:
    out = sanitize_markdown(markdown).lower()
    assert re.search(r"<[a-z][^>]*[\s/]on\w+\s*=", out) is None  # no live tag with an event handler
    assert "<script" not in out and "<svg" not in out and "javascript:" not in out and "&#115;cript" not in out


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    note = tmp_path / "hostile.md"
    note.write_text(HOSTILE.format(url="javascript:alert(1)"), encoding="utf-8")
    b = Bank(tmp_path / "bank.db")
    assert not b.add_paths([str(note)]).failed
    return b


def _anki_fields(path: Path) -> str:
    import sqlite3
    import tempfile

    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
        z.extract("collection.anki2", tmp)
        con = sqlite3.connect(Path(tmp) / "collection.anki2")
        try:
            return "\n".join(r[0] for r in con.execute("SELECT flds FROM notes"))
        finally:
            con.close()


def test_anki_and_collection_hold_no_javascript_link(bank: Bank, tmp_path: Path) -> None:
    deck = tmp_path / "deck.apkg"
    assert export_anki(bank, deck) > 0
    fields = _anki_fields(deck)
    assert "青川市推进社区服务" in fields and "javascript" not in fields.lower()
    themes = [t for t, _ in bank.themes()]
    assert themes
    text = collect(bank, themes[0])
    assert "javascript" not in text.lower() and "青川市推进社区服务" in text


def test_a_killed_anki_export_leaves_the_old_deck(bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import genanki

    deck = tmp_path / "deck.apkg"
    export_anki(bank, deck)
    before = deck.read_bytes()

    def dies(self: object, path: str) -> None:
        Path(path).write_bytes(b"PK\x03\x04 half a deck")
        raise KeyboardInterrupt

    monkeypatch.setattr(genanki.Package, "write_to_file", dies)
    with pytest.raises(KeyboardInterrupt):
        export_anki(bank, deck)
    assert deck.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_show_prints_no_control_characters(tmp_path: Path) -> None:
    text = "标题\u001b]0;pwned\u0007\n正文\u001b[2J\u001b[31m红色\u001b[0m结束\u009b31m，\u202e反转。"
    title_end = text.index("\n")
    note = tmp_path / "esc.json"
    note.write_text(json.dumps({"text": text, "blocks": [{"kind": "title", "start": 0, "end": title_end},
                                                         {"kind": "paragraph", "start": title_end + 1,
                                                          "end": len(text)}],
                                "layers": {"bold": [{"start": title_end + 1, "end": title_end + 5}]}}),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["show", str(note)])
    assert result.exit_code == 0, result.output
    for bad in ("\u001b", "\u0007", "\u009b", "\u202e"):
        assert bad not in result.output
    assert "红色" in result.output and "反转" in result.output
