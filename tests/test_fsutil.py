"""Atomic writes: the content lands whole, and the file's mode is a normal one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jingdu.fsutil import write_atomic


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    os.umask(old)
    p = write_atomic(tmp_path / "note.md", "# 标题\n")
    assert p.read_text(encoding="utf-8") == "# 标题\n"
    assert _mode(p) == 0o666 & ~old


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    p = tmp_path / "note.md"
    p.write_text("旧", encoding="utf-8")
    p.chmod(0o640)
    write_atomic(p, "新")
    assert p.read_text(encoding="utf-8") == "新"
    assert _mode(p) == 0o640


def test_no_temporary_file_is_left(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.json", b"{}")
    assert [f.name for f in tmp_path.iterdir()] == ["a.json"]
