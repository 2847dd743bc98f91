"""The bank's cost per query: bounded queries, listings on indexes, ``jingdu bench bank``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jingdu.bank import Bank, SearchError
from jingdu.bank.bench import QUERIES, build, copy_of, measure
from jingdu.bank.store import prepare
from jingdu.ingest import IngestOptions, load_text
from jingdu.pipeline import PipelineOptions, read

FIX = Path(__file__).parent / "fixtures" / "bank"


def test_a_query_of_thousands_of_terms_is_refused_at_once(tmp_path: Path) -> None:
    with Bank(tmp_path / "b.db") as bank:
        bank.add_paths([str(FIX / "keji.md")], jobs=1)
        start = time.process_time()
        with pytest.raises(SearchError, match="at most"):
            bank.search(" ".join(["国"] * 6000))
        assert time.process_time() - start < 1.0


@pytest.mark.parametrize("index", ["notes_updated", "notes_published"])
def test_listings_have_their_index(tmp_path: Path, index: str) -> None:
    with Bank(tmp_path / "b.db") as bank:
        names = {r[0] for r in bank.con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert index in names


def test_copies_of_a_post_are_notes_of_their_own_and_searchable(tmp_path: Path) -> None:
    prepared = [prepare(read(str(FIX / name)), PipelineOptions()) for name in ("keji.md", "xiangcun.md")]
    assert copy_of(prepared[0], 3).doc.meta.url != copy_of(prepared[0], 4).doc.meta.url
    with Bank(tmp_path / "b.db") as bank:
        build(bank, prepared, 7)
        assert bank.stats()["notes"] == 7
        hits = bank.search("新质生产力", kind="quote", limit=50)
        assert len({h.text for h in hits}) == len(hits) and sum(h.notes for h in hits) >= 4  # each text once
        search, like, home = measure(bank, runs=2)
    assert set(search) == set(like) == {q for _, q in QUERIES} and len(home) == 2


def _counted(bank: Bank) -> tuple[dict[str, int], list[str]]:
    themes = dict(bank.con.execute("SELECT theme, COUNT(*) FROM item_themes GROUP BY theme").fetchall())
    sources = [r[0] for r in bank.con.execute("SELECT DISTINCT account FROM notes WHERE account != '' ORDER BY 1")]
    return themes, sources


def test_facet_counters_follow_every_write(tmp_path: Path) -> None:
    with Bank(tmp_path / "b.db") as bank:
        bank.add_paths([str(FIX / "keji.md"), str(FIX / "xiangcun.md")], jobs=1)
        assert (dict(bank.themes()), bank.sources()) == _counted(bank)
        term = bank.search("新质生产力", kind="term")[0]
        bank.tag(term.id, ["基层治理"])
        doc = bank.get_doc(1)
        bank.add_doc(doc.with_meta(account="另一个号"))
        assert (dict(bank.themes()), bank.sources()) == _counted(bank)
        assert "另一个号" in bank.sources()


@pytest.mark.parametrize("title", ["", "创新长廊跑出加速度"])
def test_a_changed_text_leaves_no_stale_index_entry(tmp_path: Path, title: str) -> None:
    with Bank(tmp_path / "b.db") as bank:
        _, note = bank.add_doc(read(str(FIX / "keji.md")))
        doc = bank.get_doc(note)
        assert any(h.kind == "note" for h in bank.search("鲜明底色"))
        changed = load_text(doc.text.replace("鲜明底色", "亮丽底色"), options=IngestOptions(fmt="text"))
        bank.add_doc(changed.with_meta(id=doc.meta.id, url=doc.meta.url, title=title or doc.meta.title))
        assert bank.search("鲜明底色") == []
        assert [h.note["id"] for h in bank.search("亮丽底色", kind="note")] == [note]
