"""FSRS review: cloze and question cards from bank items, ratings logged, the terminal loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.cli import app
from jingdu.review import BLANK, fact_face, quote_face

FIX = Path(__file__).parent / "fixtures" / "bank"


def _bank(tmp_path: Path) -> Bank:
    b = Bank(tmp_path / "bank.db")
    b.add_paths([str(FIX / "xiangcun.md"), str(FIX / "keji.md")], jobs=1)
    return b


def test_cloze_blanks_the_red_terms() -> None:
    text = "走好乡村振兴之路，关键在于把产业做实、把人心聚齐。"
    front, back = quote_face(text, {"red": [[2, 6]]}, [])
    assert front == f"走好{BLANK}之路，关键在于把产业做实、把人心聚齐。" and back == "乡村振兴"


def test_cloze_falls_back_to_the_notes_terms() -> None:
    front, back = quote_face("以新质生产力赋能高质量发展。", {}, ["新质生产力"])
    assert BLANK in front and back == "新质生产力"


def test_fact_question_from_period_subject_surface() -> None:
    q, a = fact_face("2025年前三季度，江城规上工业总产值达1.26万亿元。",
                     {"surface": "1.26万亿元", "period": "2025年前三季度", "subject": "江城规上工业总产值"})
    assert (q, a) == ("2025年前三季度，江城规上工业总产值？\n2025年前三季度，江城规上工业总产值达" + BLANK + "。",
                      "1.26万亿元")


def test_rating_schedules_and_logs(tmp_path: Path) -> None:
    with _bank(tmp_path) as bank:
        cards = bank.due_cards(limit=3)
        assert cards and {c.kind for c in cards} <= {"cloze", "qa"}
        result = bank.review(cards[0].id, 3)
        assert result["rating"] == "Good"
        assert bank.stats()["reviews"] == 1
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert cards[0].id not in {c.id for c in bank.due_cards(limit=50, now=later)}


def test_terminal_review_reads_stdin(tmp_path: Path) -> None:
    _bank(tmp_path).close()
    result = CliRunner().invoke(app, ["review", "--db", str(tmp_path / "bank.db"), "--limit", "2"],
                                input="\n3\n\n1\n")  # not a terminal: a line each
    assert result.exit_code == 0, result.output
    assert "→" in result.output and "Good 1" in result.output and "Again 1" in result.output
    with Bank(tmp_path / "bank.db") as bank:
        assert bank.stats()["reviews"] == 2
