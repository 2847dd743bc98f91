"""The bank's cost per query: bounded queries, listings on indexes, ``jingdu bench bank``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jingdu.bank import Bank, SearchError
from jingdu.bank.bench import QUERIES, build, copy_of, measure
from jingdu.bank.store import prepare
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
