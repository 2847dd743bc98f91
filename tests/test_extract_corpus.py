"""The reference note: its seed facts, precision and outline (skips without the corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingdu.extract import extract
from jingdu.ingest import load

pytestmark = pytest.mark.corpus


def match_seed(facts: list[dict], seed: list[dict]) -> tuple[int, int]:
    """(seed facts found with value, unit and qualifier exact; facts not in the seed list)."""
    used: set[int] = set()
    for s in seed:
        for i, f in enumerate(facts):
            if i not in used and f["value"] == pytest.approx(s["value"]) and f["unit"] == s["unit"] \
                    and f["qualifier"] == s["qualifier"]:
                used.add(i)
                break
    return len(used), len(facts) - len(used)


def test_reference_note_seed_facts(corpus_dir: Path) -> None:
    seed = json.loads((corpus_dir.parent / "eval" / "seed-facts.json").read_text(encoding="utf-8"))["facts"]
    data = extract(load(str(corpus_dir / "annotated" / "a050.md"))).to_dict()
    found, extra = match_seed(data["facts"], seed)  # type: ignore[arg-type]
    assert found >= 14
    assert extra <= 2
    assert found / (found + extra) >= 0.85


def test_reference_note_outline(corpus_dir: Path) -> None:
    data = extract(load(str(corpus_dir / "annotated" / "a050.md")))
    headings = [s.heading for s in data.outline.sections]
    assert len(headings) == 3
    assert all(h.startswith("从“") for h in headings)
