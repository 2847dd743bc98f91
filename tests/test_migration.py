"""A bank made by the code before one storage (commit 410f7c3, schema 2; see
fixtures/bank_v2/make.py) opens, migrates and keeps every note, mark, rejection, card and review."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from jingdu.bank import Bank
from jingdu.bank.schema import SCHEMA_VERSION
from jingdu.model import Span

FIX = Path(__file__).parent / "fixtures" / "bank_v2"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    db = tmp_path / "bank.db"
    shutil.copy(FIX / "bank_v2.db", db)
    return db


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def test_the_fixture_is_a_schema_2_bank(old: Path) -> None:
    assert _rows(old, "PRAGMA user_version") == [(2,)]
    assert _rows(old, "SELECT COUNT(*) FROM user_marks") == [(5,)]
    assert _rows(old, "SELECT COUNT(*) FROM web_marks") == [(3,)]


def test_notes_and_their_words_are_kept(old: Path) -> None:
    before = _rows(old, "SELECT id, key, note_id, title FROM notes ORDER BY id")
    with Bank(old) as bank:
        assert bank.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [(n["id"], bank.note(n["id"]).key, n["note_id"], n["title"])
                for n in sorted(bank.notes(), key=lambda r: r["id"])] == before
        assert bank.get_doc(1).text.startswith("科创走廊跑出加速度")


def test_user_marks_are_kept_on_their_words(old: Path) -> None:
    with Bank(old) as bank:
        marks = {(n, s.layer, bank.get_doc(n).span_text(s)) for n in (1, 2, 3)
                 for s in bank.get_doc(n).all_spans() if s.origin == "user"}
    assert marks == {(1, "highlight", "研发投入"), (1, "red", "研发"), (3, "bold", "集装箱码头"),
                     (1, "highlight", "加快发展新质生产力，必须让科技创新和产业创新深度融合。"),
                     (2, "highlight", "村里建起茶叶合作社，带动三百多户农民增收。")}


def test_rejections_are_kept_whatever_id_the_url_used(old: Path) -> None:
    before = {(layer, s, e) for _, _, layer, s, e, _ in _rows(old, "SELECT * FROM web_marks")}
    with Bank(old) as bank:
        stored = bank.note(3)
        assert set(stored.rejected) == before
        shown = {(s.layer, s.start, s.end) for s in stored.shown.all_spans() if s.origin == "model"}
        assert shown and not shown & before
        assert bank.note(1).rejected == bank.note(2).rejected == ()


def test_cards_schedules_and_reviews_are_kept(old: Path) -> None:
    cards = _rows(old, "SELECT c.id, c.kind, c.fsrs, c.due, i.text FROM cards c JOIN items i ON i.id = c.item")
    log = _rows(old, "SELECT * FROM review_log ORDER BY id")
    with Bank(old) as bank:
        after = [tuple(r) for r in bank.con.execute(
            "SELECT c.id, c.kind, c.fsrs, c.due, i.text FROM cards c JOIN items i ON i.id = c.item")]
        assert sorted(after) == sorted(cards)
        assert [tuple(r) for r in bank.con.execute("SELECT * FROM review_log ORDER BY id")] == log
        assert bank.stats()["cards"] == 6 and bank.stats()["reviews"] == 5


def test_the_users_item_joins_the_drawn_one(old: Path) -> None:
    dup = _rows(old, "SELECT COUNT(*) FROM items a JOIN items b ON a.note = b.note AND a.text = b.text "
                     "AND a.id < b.id AND a.kind IN ('quote', 'fact') AND b.kind IN ('quote', 'fact')")
    assert dup[0][0] > 0  # the old bank has sentences twice
    with Bank(old) as bank:
        rows = bank.con.execute("SELECT note, text, COUNT(*) FROM items WHERE kind IN ('quote', 'fact') "
                                "GROUP BY note, text HAVING COUNT(*) > 1").fetchall()
        assert rows == []
        assert [h.origin for h in bank.search("研发投入", kind="quote") if h.text == "研发投入"] == ["user"]
        [joined] = [h for h in bank.search("茶叶合作社") if h.kind != "note"]
        assert (joined.roles, joined.origin) == (["quote", "fact"], "user")
        assert [h.id for h in bank.search("茶叶合作社", kind="fact")] == [joined.id]


def test_a_migrated_note_added_again_keeps_everything(old: Path) -> None:
    with Bank(old) as bank:
        path = json.loads(json.dumps(bank.con.execute("SELECT source_path FROM notes WHERE id = 3").fetchone()[0]))
        src = FIX / "haigang.md"
        assert Path(path).name == src.name
        before = bank.note(3)
        bank.add_doc(bank.get_doc(3))  # the same words again: nothing is lost
        again = bank.note(3)
        assert again.rejected == before.rejected and again.user == before.user
        bank.set_user_marks(3, [*again.user, Span(0, 2, "highlight", None, "user")])
        assert len(bank.note(3).user) == 2
