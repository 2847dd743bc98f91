"""Themes per item from vocabularies, the theme list, and the topic pack (Markdown and Word).
The notes are our own, in the style of the corpus."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.bank.export import collect
from jingdu.bank.pack import build_pack, to_docx, to_markdown, write_pack
from jingdu.bank.themes import default_vocabularies, item_themes, note_themes, vocabularies_from_entries
from jingdu.cli import app
from jingdu.errors import NotFound
from jingdu.glossary import read_glossary

runner = CliRunner()

NOTE = """# 东山村：和美乡村建设见闻

> 东山发布微信公众号 [原文链接](https://example.org/dongshan/7)

　　东山村坚持把乡村振兴作为头等大事，推动农业产业发展和农村人居环境整治。今年全村高标准农田达到<strong>3200亩</strong>，村集体经济收入增长<strong>18%</strong>。

　　南极科考队员在站区贴上福字，和同伴一起包饺子过年。

　　村党支部书记说：“要把农产品加工业做起来，延伸产业链，让农民在家门口增收致富。”
"""

GLOSSARY = """# 乡村振兴规范词

### 第一组：农业产业发展

- #### 延伸产业链

  - 基本释义：指把农产品从种植延伸到加工、销售等环节，提高农产品附加值。

  - 应用场景：当资料中出现“把农产品加工业做起来”等类似表述时，通常可联想到“延伸产业链”。

### 第二组：人居环境

- #### 人居环境整治

  - 基本释义：指对农村垃圾、污水、村容村貌等进行集中整治。

  - 应用场景：当资料中出现“房前屋后干净了”等类似表述时，通常可联想到“人居环境整治”。
"""


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    note = tmp_path / "dongshan.md"
    note.write_text(NOTE, encoding="utf-8")
    b = Bank(tmp_path / "bank.db")
    assert not b.add_paths([str(note)], jobs=1).failed
    b.glossary_add(read_glossary(GLOSSARY, "mine"))
    yield b
    b.close()


@pytest.mark.parametrize(("text", "theme"), [
    ("推进农村人居环境整治，建设高标准农田，守住粮食安全底线。", "乡村振兴"),
    ("网格员走访社区居民，化解矛盾纠纷，推动基层治理提质增效。", "基层治理"),
    ("加快绿色低碳转型，推进污染防治，守护绿水青山。", "绿色发展"),
])
def test_an_item_gets_the_theme_its_own_words_name(text: str, theme: str) -> None:
    assert item_themes(text)[0] == theme


def test_an_item_never_inherits_its_notes_themes() -> None:
    assert item_themes("科考队员在站区贴上福字，一起包饺子过年。", ["乡村振兴"]) == []


def test_note_themes_keep_tags_naming_a_theme_or_an_alias() -> None:
    assert note_themes("一段文字。", ["生态保护", "半月谈"])[:1] == ["绿色发展"]


def test_a_new_glossary_adds_a_theme() -> None:
    entries = read_glossary(GLOSSARY.replace("乡村振兴规范词", "河湖治理规范词"), "mine")
    vocab = vocabularies_from_entries(entries)
    assert "河湖治理" in vocab.names and "河湖治理" not in default_vocabularies().names


def test_a_glossary_with_a_new_theme_rethemes_the_items(bank: Bank, tmp_path: Path) -> None:
    post = tmp_path / "new.md"
    post.write_text(GLOSSARY.replace("乡村振兴规范词", "产业链规范词"), encoding="utf-8")
    r = runner.invoke(app, ["glossary", "add", str(post), "--db", str(tmp_path / "bank.db")])
    assert r.exit_code == 0 and "new themes: 产业链" in r.stdout
    assert any("产业链" in h.themes for h in bank.items(kind="quote"))


def test_bank_items_are_themed_per_item(bank: Bank) -> None:
    quotes = {h.text: h.themes for h in bank.items(kind="quote")}
    expedition = [t for text, t in quotes.items() if "南极" in text]
    assert all("乡村振兴" not in t for t in expedition)
    assert any("乡村振兴" in t for text, t in quotes.items() if "产业链" in text or "高标准农田" in text)


def test_an_unknown_theme_is_answered_with_the_list(bank: Bank) -> None:
    with pytest.raises(NotFound, match="乡村振兴") as err:
        collect(bank, "新质生产力不存在")
    assert "基层治理" in str(err.value)


def test_bank_themes_lists_every_theme(bank: Bank, tmp_path: Path) -> None:
    out = runner.invoke(app, ["bank", "themes", "--db", str(tmp_path / "bank.db")]).stdout
    assert {"乡村振兴", "基层治理", "科技创新", "党的建设"} <= {line.split("\t")[0] for line in out.splitlines()}


def test_pack_groups_terms_and_items_with_sources(bank: Bank) -> None:
    pack = build_pack(bank, "乡村振兴")
    assert pack.theme == "乡村振兴"
    assert [g.name for g in pack.groups][:2] == ["农业产业发展", "人居环境"]
    md = to_markdown(pack)
    assert "## 1. 农业产业发展" in md and "**延伸产业链**：指把农产品" in md
    assert "[东山村：和美乡村建设见闻](https://example.org/dongshan/7)" in md
    assert "南极" not in md


def test_pack_docx_opens_in_python_docx(bank: Bank, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "pack.docx"
    write_pack(bank, "乡村振兴", out)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "乡村振兴：素材包"
    assert "1. 农业产业发展" in texts and any(t.startswith("延伸产业链：") for t in texts)
    assert any(t.endswith("（东山发布 · 东山村：和美乡村建设见闻）") for t in texts)
    links = [r.target_ref for r in document.part.rels.values() if r.is_external]
    assert "https://example.org/dongshan/7" in links


def test_pack_cli_writes_markdown_and_names_an_unknown_topic(bank: Bank, tmp_path: Path) -> None:
    db = str(tmp_path / "bank.db")
    r = runner.invoke(app, ["pack", "乡村振兴", "-o", str(tmp_path / "p.md"), "--db", db])
    assert r.exit_code == 0 and (tmp_path / "p.md").read_text(encoding="utf-8").startswith("# 乡村振兴：素材包")
    bad = runner.invoke(app, ["pack", "qwxyz", "--db", db])
    assert bad.exit_code == 1 and "themes:" in bad.stderr


SOFFICE = shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed (apt-get install libreoffice-writer-nogui)")
def test_pack_docx_converts_to_pdf_with_libreoffice(bank: Bank, tmp_path: Path) -> None:
    src = tmp_path / "pack.docx"
    src.write_bytes(to_docx(build_pack(bank, "乡村振兴")))
    out = Path.cwd() / "artifacts"
    out.mkdir(exist_ok=True)
    subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(out), str(src)], check=True, timeout=180, capture_output=True)
    pdf = out / "pack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000
