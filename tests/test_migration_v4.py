"""A bank made by the code of schema 4 (commit 4dae6f6; see fixtures/bank_v4/make.py) opens,
migrates to nothing stored twice and keeps every note, mark, tag, card and review."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jingdu.bank import Bank, Hit
from jingdu.bank.schema import SCHEMA_VERSION

FIX = Path(__file__).parent / "fixtures" / "bank_v4"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    db = tmp_path / "bank.db"
    shutil.copy(FIX / "bank_v4.db", db)
    return db


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def test_the_fixture_is_a_schema_4_bank(old: Path) -> None:
    assert _rows(old, "PRAGMA user_version") == [(4,)]
    assert _rows(old, "SELECT COUNT(*) FROM items_fts_content") != [(0,)]  # the index stored its content


@pytest.mark.parametrize("sql", [
    "SELECT id, key, note_id, title, account, url, published, tags, themes, added_at FROM notes ORDER BY id",
    "SELECT id, key, note, kind, roles, text, data, themes, themes_by_user, origin FROM items"
    " WHERE kind != 'note' ORDER BY id",
    "SELECT * FROM item_themes ORDER BY item, theme",
    "SELECT * FROM cards ORDER BY id",
    "SELECT * FROM review_log ORDER BY id",
    "SELECT * FROM orphans ORDER BY id",
])
def test_rows_are_kept(old: Path, sql: str) -> None:
    before = _rows(old, sql)
    with Bank(old):
        pass
    assert _rows(old, sql) == before and before or "orphans" in sql


def test_notes_marks_and_rejections_read_the_same(old: Path) -> None:
    con = sqlite3.connect(old)
    docs = {r[0]: r[1] for r in con.execute("SELECT id, doc FROM notes")}
    con.close()
    with Bank(old) as bank:
        assert bank.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for note, raw in docs.items():
            from jingdu.bank.write import load_stored
            doc, rejected = load_stored(raw)
            stored = bank.note(note)
            assert (stored.doc, stored.rejected) == (doc, rejected)
        assert bank.stats()["user_marks"] == 3 and bank.note(3).rejected


def test_nothing_is_stored_twice(old: Path) -> None:
    with Bank(old) as bank:
        names = {r[0] for r in bank.con.execute("SELECT name FROM sqlite_master")}
        assert "items_fts_content" not in names
        note_items = bank.con.execute("SELECT i.text, n.title FROM items i JOIN notes n ON n.id = i.note"
                                      " WHERE i.kind = 'note'").fetchall()
        assert note_items and all(text == title for text, title in note_items)
        assert all(isinstance(r[0], bytes) for r in bank.con.execute("SELECT doc FROM notes"))


def test_the_index_finds_what_it_found(old: Path) -> None:
    with Bank(old) as bank:
        words = ["新质生产力", "茶叶合作社", "集装箱码头", "研发投入"]
        before = {w: found(bank.like_search(w, limit=100)) for w in words}
        assert all(before.values())
        assert {w: found(bank.search(w, limit=100)) for w in words} == before


def found(hits: list[Hit]) -> set[tuple[str, object]]:
    """What a search found: each sentence or term (its copies are one hit) and each note."""
    return {("note", h.note["id"]) if h.kind == "note" else (h.kind, h.text) for h in hits}


def test_the_facets_hold_the_counts(old: Path) -> None:
    themes = dict(_rows(old, "SELECT theme, COUNT(*) FROM item_themes GROUP BY theme"))
    with Bank(old) as bank:
        assert dict(bank.themes()) == themes
        assert bank.sources() == [r[0] for r in bank.con.execute(
            "SELECT DISTINCT account FROM notes WHERE account != '' ORDER BY account")]


def test_the_marks_a_personal_model_learns_from_are_counted(old: Path) -> None:
    from jingdu.bank.models import training_notes
    from jingdu.bank.provenance import trained_marks

    with Bank(old) as bank:
        counts = {r[0]: r[1] for r in bank.con.execute("SELECT id, trained_marks FROM notes")}
        for note, count in counts.items():
            stored = bank.note(note)
            assert count == trained_marks(stored.doc, stored.rejected)
        assert {n.id for n in training_notes(bank.con)} == {n for n, c in counts.items() if c}
        assert any(counts.values())
