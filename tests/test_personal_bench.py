"""``jingdu bench personal --quick`` on the shared corpus: after 10 corrected notes the personal
model beats the default by 0.20 F1 on every simulated style's marked layer, and it is never worse
than the default for the corpus's own reader (grouped CV)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from jingdu.annotate import load_model
from jingdu.annotate.personal_bench import STYLES, bench, report

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


@pytest.fixture(scope="module")
def result() -> dict[str, object]:
    if not (CORPUS / "annotated").is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return bench(Path(CORPUS), load_model(), quick=True, alone=False)


@pytest.mark.parametrize("style", [s.name for s in STYLES])
def test_ten_notes_move_every_style_by_a_fifth(result: dict[str, object], style: str) -> None:
    st = next(s for s in result["styles"] if s["style"] == style)  # type: ignore[attr-defined]
    row = next(r for r in st["steps"] if r["notes"] == 10)
    layer = st["layer"]
    assert row["personal"][layer] - row["default"][layer] >= 0.20, report(result)


def test_never_worse_for_the_corpus_reader(result: dict[str, object]) -> None:
    for row in result["reader"]["steps"]:  # type: ignore[index]
        for layer, f in row["personal"].items():
            assert f >= row["default"][layer] - 1e-9, report(result)
