"""The bank's library API on short notes we wrote (tests/fixtures/bank)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jingdu.bank import Bank
from jingdu.bank.schema import SCHEMA_VERSION
from jingdu.ingest import load
from jingdu.model import Span

FIX = Path(__file__).parent / "fixtures" / "bank"
NOTES = [str(FIX / "xiangcun.md"), str(FIX / "keji.md")]


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    b = Bank(tmp_path / "bank.db")
    b.add_paths(NOTES, jobs=1)
    yield b
    b.close()


def test_schema_is_versioned_and_wal(bank: Bank) -> None:
    assert bank.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert bank.con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_char_word_does_not_match_its_neighbour(bank: Bank) -> None:
    assert [h.text for h in bank.search("默想")] and all("默想" in h.text for h in bank.search("默想"))
    assert all("默认" in h.text for h in bank.search("默认"))
    assert not any("默认" in h.text and "默想" not in h.text for h in bank.search("默想"))


def test_hits_carry_kind_note_score_and_marked_snippet(bank: Bank) -> None:
    hits = bank.search("新质生产力")
    assert hits and all("新质生产力" in h.text for h in hits)
    h = hits[0].to_dict()
    assert {"kind", "text", "note", "score"} <= set(h)
    assert {"id", "title", "source", "url"} <= set(h["note"])
    assert h["note"]["source"] == "江南日报" and h["note"]["url"].startswith("https://example.org")
    assert "<mark>新质生产力</mark>" in h["snippet"]
    groups = [{"quote": 0, "fact": 0, "term": 1, "note": 2}[x.kind] for x in hits]
    assert groups == sorted(groups)  # sentences first, then terms, then notes
    for g in set(groups):
        scores = [x.score for x, k in zip(hits, groups, strict=True) if k == g]
        assert scores == sorted(scores, reverse=True)


def test_kind_theme_and_source_filters(bank: Bank) -> None:
    assert {h.kind for h in bank.search("新质生产力", kind="quote")} == {"quote"}
    assert all("科技创新" in h.themes for h in bank.search("新质生产力", theme="科技创新"))
    assert bank.search("新质生产力", source="江南日报") and not bank.search("新质生产力", source="别家")


def test_items_of_every_kind_with_themes(bank: Bank) -> None:
    kinds = bank.stats()["kinds"]
    assert {"quote", "fact", "term", "note"} <= set(kinds)
    assert all(h.themes for h in bank.items(kind="note"))
    assert any(h.themes for h in bank.items(kind="quote"))  # items have their own themes (never their note's)


def test_readding_changes_no_count(bank: Bank) -> None:
    before = bank.stats()
    report = bank.add_paths(NOTES, jobs=1)
    assert report.unchanged == 2 and report.added == 0
    doc = load(NOTES[0])
    assert bank.add_doc(doc)[0] in ("unchanged", "updated")
    assert bank.stats() == before


def test_user_marks_survive_readding(bank: Bank) -> None:
    note = bank.recent_notes(10)[-1]["id"]
    text = bank.get_doc(note).text
    i = text.index("茶叶合作社")
    bank.set_user_marks(note, [Span(i, i + 5, "highlight", origin="user")])
    assert any(h.origin == "user" for h in bank.search("茶叶合作社", kind="quote"))
    doc = load(NOTES[0]).with_meta(tags=("新标签",))  # a changed note: updated, not duplicated
    assert bank.add_doc(doc)[0] == "updated"
    again = bank.get_doc(note)
    assert [again.span_text(s) for s in again.spans("highlight") if s.origin == "user"] == ["茶叶合作社"]
    assert bank.stats()["notes"] == 2


def test_retag_is_kept_on_readd(bank: Bank) -> None:
    item = bank.search("新质生产力", kind="quote")[0].id
    assert bank.tag(item, ["我的主题"])["themes"] == ["我的主题"]
    bank.add_doc(load(NOTES[1]).with_meta(tags=("改",)))
    assert bank.item(item)["themes"] == ["我的主题"]
    assert bank.search("新质生产力", theme="我的主题")[0].id == item


def test_bad_file_is_named_and_the_rest_go_in(tmp_path: Path) -> None:
    with Bank(tmp_path / "b.db") as b:
        report = b.add_paths([str(FIX / "broken.md"), *NOTES, str(tmp_path / "missing.md")], jobs=1)
        assert {n for n, _ in report.failed} == {str(FIX / "broken.md"), str(tmp_path / "missing.md")}
        assert report.added == 2


def test_get_note_and_recent(bank: Bank) -> None:
    rec = bank.recent_notes(1)[0]
    full = bank.get_note(rec["id"])
    assert full["title"] and full["doc"].text and full["id"] == rec["id"]
    assert bank.get_note(full["note_id"])["id"] == rec["id"]


def test_like_baseline_finds_the_same_items(bank: Bank) -> None:
    assert {h.id for h in bank.like_search("新质生产力", limit=100)} == \
        {h.id for h in bank.search("新质生产力", limit=100)}


def test_not_a_bank(tmp_path: Path) -> None:
    bad = tmp_path / "x.db"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(Exception, match="not a jingdu bank"):
        Bank(bad)
    assert sqlite3.sqlite_version
