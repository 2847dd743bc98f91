"""The Anki deck as Anki itself reads it: imported with the official ``anki`` package, its cards
render, and a re-exported deck updates the cards instead of adding them again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jingdu.bank import Bank
from jingdu.bank.export import export_anki

anki_collection = pytest.importorskip("anki.collection", reason="the anki package is not installed")

NOTE = """---
url: "{url}"
---

# {title}

> 青川发布 [原文链接]({url})

　　<span style="background:#fff88f">青川市坚持把<font color="#ff0000">基层治理</font>作为民生工程来抓，推动服务资源向社区下沉。</span>今年以来，全市新建社区服务站<strong>48个</strong>，群众满意度达<strong>96.5%</strong>。

　　<span style="background:#fff88f">以党建为引领、以服务为中心、以群众满意为标准，青川市正在绘就基层新图景。</span>
"""


def _deck(tmp_path: Path, url: str, name: str, title: str = "青川市：小切口推动基层治理") -> Path:
    note = tmp_path / "qingchuan.md"
    note.write_text(NOTE.format(url=url, title=title), encoding="utf-8")
    out = tmp_path / name
    with Bank(tmp_path / "bank.db") as bank:
        assert not bank.add_paths([str(note)]).failed
        assert export_anki(bank, out) > 0
    return out


def _import(col: object, deck: Path) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER

    options = ImportAnkiPackageOptions(update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                                       update_notetypes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                                       with_scheduling=False, merge_notetypes=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck), options=options))  # type: ignore[attr-defined]


@pytest.fixture
def col(tmp_path: Path) -> object:
    (tmp_path / "anki").mkdir()
    collection = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield collection
    collection.close()


def _rendered(col: object) -> list[tuple[str, str]]:
    out = []
    for cid in col.find_cards(""):  # type: ignore[attr-defined]
        card = col.get_card(cid)  # type: ignore[attr-defined]
        out.append((card.question(), card.answer()))
    return out


@pytest.mark.slow
def test_cards_render_and_a_reexport_updates_them(tmp_path: Path, col: object) -> None:
    first = _deck(tmp_path, "https://example.org/qingchuan/1", "one.apkg")
    _import(col, first)
    notes = col.note_count()  # type: ignore[attr-defined]
    cards = _rendered(col)
    assert notes > 0 and len(cards) >= notes
    assert any("[...]" in q or "cloze" in q for q, _ in cards)  # a cloze card shows its blank
    assert any("社区" in a for _, a in cards)
    assert all("https://example.org/qingchuan/1" in a and "小切口推动基层治理" in a for _, a in cards)
    time.sleep(1.1)  # Anki updates a note when the imported one is newer (whole seconds)
    second = _deck(tmp_path, "https://example.org/qingchuan/1", "two.apkg", title="青川市基层治理新图景")
    _import(col, second)
    assert col.note_count() == notes  # type: ignore[attr-defined]
    again = _rendered(col)
    assert len(again) == len(cards)
    assert all("青川市基层治理新图景" in a and "小切口" not in a for _, a in again)


@pytest.mark.slow
def test_a_javascript_url_never_reaches_a_card(tmp_path: Path, col: object) -> None:
    _import(col, _deck(tmp_path, "javascript:alert(1)", "js.apkg"))
    cards = _rendered(col)
    assert cards and all("javascript" not in q + a for q, a in cards)
