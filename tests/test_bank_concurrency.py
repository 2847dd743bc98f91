"""Two processes adding at once lose nothing; a process killed mid-add leaves the bank consistent."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from jingdu.bank import Bank

FIX = Path(__file__).parent / "fixtures" / "bank"


def _many(tmp: Path, n: int, prefix: str) -> list[str]:
    base = (FIX / "keji.md").read_text(encoding="utf-8")
    out = []
    for i in range(n):
        p = tmp / f"{prefix}{i:03d}.md"
        p.write_text(base.replace("科创走廊跑出加速度", f"科创走廊跑出加速度 第{prefix}{i}篇")
                     .replace("https://example.org/news/kechuang", f"https://example.org/{prefix}/{i}"),
                     encoding="utf-8")
        out.append(str(p))
    return out


def _add(db: str, paths: list[str]) -> None:
    with Bank(db) as bank:
        for p in paths:  # one transaction per note: many chances to collide
            bank.add_paths([p], jobs=1)


def _consistent(bank: Bank) -> None:
    c = bank.con
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert c.execute("SELECT COUNT(*) FROM items").fetchone()[0] == c.execute(
        "SELECT COUNT(*) FROM items_fts").fetchone()[0]
    assert c.execute("SELECT COUNT(*) FROM notes n WHERE NOT EXISTS"
                     " (SELECT 1 FROM items i WHERE i.note = n.id AND i.kind = 'note')").fetchone()[0] == 0


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    a, b = _many(tmp_path, 15, "a"), _many(tmp_path, 15, "b")
    db = str(tmp_path / "bank.db")
    Bank(db).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_add, args=(db, a + b[:5])), ctx.Process(target=_add, args=(db, b + a[:5]))]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with Bank(db) as bank:
        assert bank.stats()["notes"] == 30
        _consistent(bank)


def test_killed_mid_add_leaves_the_bank_consistent(tmp_path: Path) -> None:
    paths = _many(tmp_path, 300, "k")
    db = tmp_path / "bank.db"
    code = ("import sys; from jingdu.bank import Bank; b = Bank(sys.argv[1]);"
            "[b.add_paths([p], jobs=1) for p in sys.argv[2:]]")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), *paths], env={**os.environ})
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until some notes are in, then kill mid-way
        time.sleep(0.2)
        if db.exists():
            try:
                with Bank(db) as bank:
                    if bank.stats()["notes"] >= 5:
                        break
            except Exception:  # noqa: BLE001 - still being created
                continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Bank(db) as bank:
        n = bank.stats()["notes"]
        assert 5 <= n < 300
        _consistent(bank)
        report = bank.add_paths(paths, jobs=1)  # finishing the job afterwards works
        assert report.added == 300 - n and not report.failed
        _consistent(bank)
