"""Cards worth reviewing: fact questions with subject and period above their sentence, never a
fragment; decks of the reader's highlights and the key facts by default, everything with --all;
the terminal review reads single key presses."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.bank.deck import deck_stats, is_fragment, naive_stats
from jingdu.bank.export import _rows
from jingdu.cli import app
from jingdu.review import BLANK, fact_face, key_fact, question

ROOT = Path(__file__).resolve().parents[1]

# An article written for these tests: one highlighted sentence with a red term, one bold fact,
# one unmarked dated fact, and figures whose subjects are fragments.
NOTE = """# 滨江区：数字经济再上台阶

> 滨江日报微信公众号 [原文链接](https://example.org/binjiang/7)

　　<span style="background:#fff88f">推动<font color="#ff0000">数字经济</font>和实体经济深度融合，是滨江发展的主攻方向。</span>

　　<strong>2025年前三季度，滨江区数字经济核心产业增加值达到512亿元</strong>，同比增长11.3%。

　　2024年，全区软件业务收入突破900亿元。

　　佛山等3个城市参加了交流，运动员14252名参赛。

　　园区里的咖啡馆每天早上八点开门，来往的工程师不少。
"""


@pytest.mark.parametrize(("subject", "period", "expected"), [
    ("江城规上工业总产值", "2025年前三季度", "2025年前三季度，江城规上工业总产值？"),
    ("全市新建社区服务站", "今年以来", "今年以来，全市新建社区服务站？"),
    ("德国国内生产总值的", None, "德国国内生产总值？"),  # a dangling 的 is trimmed
    ("政府采购新能源汽车占比不", None, "政府采购新能源汽车占比？"),
    ("沪深两市上市公司", "截至", "沪深两市上市公司？"),  # 截至 without its date is dropped
    ("佛山等", None, None),
    ("）", "2024年", None),
    ("运动员", None, None),
    ("群众满意度", None, None),  # six characters before ？: a fragment
    ("分别超过60和", "2024年", None),  # another figure's digits
    ("双碳“目标下的投资", None, None),  # an unbalanced quote
])
def test_question_is_never_a_fragment(subject: str, period: str | None, expected: str | None) -> None:
    assert question(subject, period) == expected


def test_a_fragment_subject_leaves_the_blanked_sentence_as_the_front() -> None:
    front, back = fact_face("佛山等3个城市参加了交流。", {"surface": "3个", "subject": "佛山等", "kind": "count"})
    assert (front, back) == (f"佛山等{BLANK}城市参加了交流。", "3个")


@pytest.mark.parametrize(("data", "marked", "key"), [
    ({"subject": "全区软件业务收入", "period": "2024年", "kind": "amount"}, False, True),
    ({"subject": "全区软件业务收入", "period": None, "kind": "amount"}, False, False),
    ({"subject": "全区软件业务收入", "period": None, "kind": "count"}, True, True),
    ({"subject": "佛山等", "period": "2024年", "kind": "amount"}, True, False),
])
def test_key_fact(data: dict[str, object], marked: bool, key: bool) -> None:
    assert key_fact(data, marked) is key


@pytest.fixture
def bank(tmp_path: Path) -> Bank:
    note = tmp_path / "binjiang.md"
    note.write_text(NOTE, encoding="utf-8")
    b = Bank(tmp_path / "bank.db")
    b.add_paths([str(note)], jobs=1)
    return b


def test_default_deck_is_highlights_and_key_facts(bank: Bank) -> None:
    with bank:
        deck = {r["text"]: r for r in _rows(bank, ("quote", "fact"), None, every=False)}
        every = {r["text"] for r in _rows(bank, ("quote", "fact"), None, every=True)}
    assert any(t.startswith("推动数字经济") for t in deck)  # the reader's highlight
    assert any(t.startswith("2025年前三季度") for t in deck)  # the reader's bold fact
    assert any(t.startswith("2024年，全区软件业务收入") for t in deck)  # a dated amount
    assert not any(t.startswith("佛山等") for t in deck)  # figures without a real question
    assert set(deck) < every and any(t.startswith("佛山等") for t in every)


def test_cloze_card_blanks_the_notes_red_term(bank: Bank) -> None:
    with bank:
        card = next(r for r in _rows(bank, ("quote",), None, every=False) if r["text"].startswith("推动"))
    assert card["front"].startswith(f"推动{BLANK}和实体经济") and card["back"] == "数字经济"


def test_review_takes_the_default_deck_unless_all(bank: Bank) -> None:
    with bank:
        default = {c.context for c in bank.due_cards(limit=50)}
        everything = {c.context for c in bank.due_cards(limit=50, every=True)}
    assert not any(t.startswith("佛山等") for t in default)
    assert any(t.startswith("佛山等") for t in everything)


def test_deck_stats_count_fragments(bank: Bank) -> None:
    with bank:
        naive, deck, every = naive_stats(bank), deck_stats(bank, every=False), deck_stats(bank, every=True)
    assert naive.short >= 1 and deck.short == every.short == 0 and deck.cards < every.cards
    assert is_fragment("佛山等？") and is_fragment("）？") and not is_fragment("2024年，全区软件业务收入？")


def test_export_all_flag_puts_in_every_card(bank: Bank, tmp_path: Path) -> None:
    db = str(tmp_path / "bank.db")
    bank.close()
    runner = CliRunner()
    few = runner.invoke(app, ["bank", "export", "--db", db, "--anki", str(tmp_path / "a.apkg")])
    many = runner.invoke(app, ["bank", "export", "--db", db, "--anki", str(tmp_path / "b.apkg"), "--all"])
    assert few.exit_code == 0 and many.exit_code == 0, few.output + many.output
    count = [int(re.search(r"(\d+) cards", r.output).group(1)) for r in (few, many)]  # type: ignore[union-attr]
    assert 0 < count[0] < count[1]


@pytest.mark.slow  # a subprocess in a pseudo-terminal: ~10 s on a loaded machine
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_review_rates_with_one_key_press(bank: Bank, tmp_path: Path) -> None:
    db = str(tmp_path / "bank.db")
    bank.close()
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    proc = subprocess.Popen([sys.executable, "-m", "jingdu", "review", "--db", db, "--limit", "1"],
                            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    seen = b""

    def wait_for(text: bytes, timeout: float = 30) -> None:
        nonlocal seen
        end = time.monotonic() + timeout
        while text not in seen and time.monotonic() < end:
            if not select.select([master], [], [], 0.2)[0]:
                continue
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
        assert text in seen, seen.decode("utf-8", "replace")

    wait_for(b"reveals")
    os.write(master, b" ")  # any key, no Enter
    wait_for(b"Rate 1")
    os.write(master, b"3")  # one digit, no Enter
    try:
        wait_for(b"Good 1")
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    os.close(master)
    with Bank(db) as b:
        assert b.stats()["reviews"] == 1


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_deck_has_no_fragment_questions(corpus_dir: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (corpus_dir / "annotated").glob("*.md"))
    files += sorted(str(p) for p in (corpus_dir / "plain").glob("*.md"))[:100 - len(files)]
    with Bank(tmp_path / "bank.db") as b:
        b.add_paths(files)
        naive, every, deck = naive_stats(b), deck_stats(b, every=True), deck_stats(b, every=False)
    assert naive.short > 100  # the baseline asks hundreds of fragments
    assert every.short == every.leading_punct == deck.short == deck.leading_punct == 0
    assert deck.cards < every.cards / 2 and deck.questions > 100


def test_items_drawn_before_the_deck_flag_stay_in_the_deck(bank: Bank) -> None:
    """A bank made before decks (no ``deck`` in an item's data) reviews as it did until re-added."""
    with bank:
        bank.con.execute("UPDATE items SET data = json_remove(data, '$.deck')")
        bank.con.commit()
        old = {r["text"] for r in _rows(bank, ("quote", "fact"), None, every=False)}
        every = {r["text"] for r in _rows(bank, ("quote", "fact"), None, every=True)}
        due = {c.context for c in bank.due_cards(limit=50)}
    assert old == every and any(t.startswith("佛山等") for t in due)
