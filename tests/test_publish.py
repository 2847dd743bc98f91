"""Hugo posts with YAML front matter, Anki/CSV exports and theme collections."""

from __future__ import annotations

import csv
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.bank.export import collect, export_anki, export_csv
from jingdu.cli import app
from jingdu.ingest import load
from jingdu.publish import post

yaml = pytest.importorskip("yaml")
FIX = Path(__file__).parent / "fixtures" / "bank"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    with Bank(tmp_path / "bank.db") as b:
        b.add_paths([str(FIX / "xiangcun.md"), str(FIX / "keji.md")], jobs=1)
    return tmp_path / "bank.db"


def test_front_matter_is_strict_yaml_with_tricky_title() -> None:
    doc = load(str(FIX / "keji.md")).with_meta(title='标题: "引号" #号', published="2025-11-10T12:00:00+08:00",
                                               tags=("科技", "a: b"))
    text = post(doc, themes=["科技创新"])
    assert text.startswith("---\n")
    fm = yaml.safe_load(text.split("---\n")[1])
    assert fm["tags"] == ["科技", "a: b", "科技创新"] and fm["categories"]
    assert fm["title"] == doc.title and str(fm["date"]).startswith("2025-11-10")
    assert '<font color="#ff0000">新质生产力</font>' in text.split("---\n", 2)[2]


def test_publish_command_writes_hugo_posts(db: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with Bank(db) as b:
        note = b.recent_notes(1)[0]["id"]
    result = CliRunner().invoke(app, ["publish", str(note), str(FIX / "xiangcun.md"), "--hugo", str(site),
                                      "--db", str(db)])
    assert result.exit_code == 0, result.output
    posts = list((site / "content" / "posts").glob("*.md"))
    assert len(posts) == 2
    for p in posts:
        fm = yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])
        assert fm["title"] and isinstance(fm["tags"], list)


def test_anki_package_holds_the_notes_and_reexport_keeps_guids(db: Path, tmp_path: Path) -> None:
    with Bank(db) as b:
        n = export_anki(b, tmp_path / "a.apkg")
        export_anki(b, tmp_path / "b.apkg")
    assert n > 0

    def guids(path: Path) -> list[str]:
        with zipfile.ZipFile(path) as z:
            (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
        con = sqlite3.connect(tmp_path / "c.anki2")
        rows = [r[0] for r in con.execute("SELECT guid FROM notes ORDER BY guid")]
        con.close()
        return rows

    first = guids(tmp_path / "a.apkg")
    assert len(first) == n and first == guids(tmp_path / "b.apkg")


def test_csv_export(db: Path, tmp_path: Path) -> None:
    with Bank(db) as b:
        n = export_csv(b, tmp_path / "items.csv")
    rows = list(csv.DictReader((tmp_path / "items.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == n and {"kind", "text", "url"} <= set(rows[0])


def test_theme_collection_names_sources_and_links(db: Path, tmp_path: Path) -> None:
    with Bank(db) as b:
        text = collect(b, "乡村振兴")
    assert text.startswith("# 官媒乡村振兴金句集锦") and "乡村振兴" in text
    assert "来源：江南日报" in text and "](https://example.org/news/qingshan)" in text
    out = tmp_path / "c.md"
    result = CliRunner().invoke(app, ["bank", "collect", "--theme", "乡村振兴", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == text


def test_shortcodes_in_code_and_text_are_escaped_once() -> None:
    from jingdu.notation import read_note
    from jingdu.publish import post_body

    body = post_body(read_note("# 题\n\n```markdown\n{{< mermaid >}}\n```\n\n　　正文{{< x >}}里。\n\n"
                               '{{< figure src="/a.jpg" >}}\n'))
    assert "```markdown\n{{</* mermaid */>}}\n```" in body and "正文{{</* x */>}}里" in body
    assert "![](/a.jpg)" in body and "/*/*" not in body
