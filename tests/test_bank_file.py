"""The bank's file as it may be found: read-only, in a read-only folder, damaged.  The commands
run as a user who cannot write it (``setpriv`` to ``nobody`` when the tests run as root, who can
write anything), and each either works or says what is wrong — never a traceback, never a write
into a damaged file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jingdu.bank import Bank
from jingdu.errors import BankError

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
NOTES = {
    "qingchuan.md": "# 青川市推进社区服务\n\n　　今年以来，全市新建社区服务站48个，群众满意度达96.5%。\n\n"
                    "　　<span style=\"background:#fff88f\">网格员每天走访居民，把社区服务做到群众心坎上。</span>\n",
    "dukou.md": "# 渡口新桥通车\n\n　　新桥全长1.2公里，总投资3.5亿元。\n\n"
                "　　<span style=\"background:#fff88f\">一座桥连起两岸群众的致富路。</span>\n",
}
NEW = "# 山村小学\n\n　　山村小学的孩子们第一次用上了电子白板。\n"


def _prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be simulated")
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="jingdu-bankfile-", dir="/tmp"))
    path.chmod(0o755)
    probe = subprocess.run([*_prefix(), sys.executable, "-c", "import jingdu"], capture_output=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=path)
    if probe.returncode != 0:
        pytest.skip(f"the unprivileged user cannot run this Python: {probe.stderr.decode()[-200:]}")
    (path / "bank").mkdir()
    for name, text in {**NOTES, "new.md": NEW}.items():
        (path / name).write_text(text, encoding="utf-8")
    with Bank(path / "bank" / "bank.db") as bank:
        assert not bank.add_paths([str(path / n) for n in NOTES]).failed
    yield path
    for p in [path, *path.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path)


def jingdu(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JINGDU_HOME": str(folder), "JINGDU_NO_PROGRESS": "1"}
    return subprocess.run([*_prefix(), sys.executable, "-m", "jingdu", *args], capture_output=True, text=True,
                          env=env, cwd=folder, timeout=120)


def read_only_file(folder: Path) -> Path:
    """The bank file is read-only for the user; its folder is the user's own."""
    db = folder / "bank" / "bank.db"
    if os.geteuid() == 0:
        os.chown(folder / "bank", NOBODY, NOBODY)
    db.chmod(0o444)
    return db


def read_only_folder(folder: Path) -> Path:
    db = folder / "bank" / "bank.db"
    db.chmod(0o444)
    (folder / "bank").chmod(0o555)
    return db


def damage(db: Path) -> str:
    size = db.stat().st_size
    with db.open("r+b") as f:
        f.seek(size // 2)
        f.write(os.urandom(min(200_000, size // 3)))
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.mark.parametrize("make", [read_only_file, read_only_folder])
def test_a_read_only_bank_is_searched(folder: Path, make: object) -> None:
    db = make(folder)  # type: ignore[operator]
    done = jingdu(folder, "bank", "search", "社区服务", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "社区" in done.stdout and "not a jingdu bank" not in done.stderr
    stats = jingdu(folder, "bank", "stats", "--db", str(db))
    assert stats.returncode == 0, stats.stderr


@pytest.mark.parametrize("make", [read_only_file, read_only_folder])
@pytest.mark.parametrize("command", [["bank", "add", "new.md"], ["bank", "tag", "1", "民生"]])
def test_a_write_to_a_read_only_bank_says_so(folder: Path, make: object, command: list[str]) -> None:
    db = make(folder)  # type: ignore[operator]
    before = db.read_bytes()
    done = jingdu(folder, *command, "--db", str(db))
    assert done.returncode == 1
    assert "read-only" in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["bank", "stats"], ["bank", "search", "社区"], ["bank", "add", "new.md"],
                                     ["bank", "tag", "1", "民生"], ["review", "--limit", "1"]])
def test_a_damaged_bank_is_refused_and_left_alone(folder: Path, command: list[str]) -> None:
    db = folder / "bank" / "bank.db"
    digest = damage(db)
    done = jingdu(folder, *command, "--db", str(db))
    assert done.returncode != 0
    assert "damaged" in done.stderr and "Traceback" not in done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert not (folder / "bank" / "bank.db-wal").exists() or (folder / "bank" / "bank.db-wal").stat().st_size == 0


def test_damage_is_found_when_opened(tmp_path: Path) -> None:
    db = _small_bank(tmp_path)
    damage(db)
    with pytest.raises(BankError, match="damaged") as err:
        Bank(db)
    assert err.value.code == "bank_damaged"


def test_the_workbench_over_a_read_only_folder_reads_and_refuses_writes(folder: Path) -> None:
    import socket

    db = read_only_folder(folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JINGDU_HOME": str(folder)}
    proc = subprocess.Popen([*_prefix(), sys.executable, "-m", "jingdu", "serve", "--db", str(db), "--port",
                             str(port), "--no-annotate"], stderr=subprocess.PIPE, text=True, env=env, cwd=folder)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                httpx.get(base + "/api/notes", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        found = httpx.get(base + "/api/search", params={"q": "社区服务"}, timeout=30)
        assert found.status_code == 200 and found.json()["hits"]
        refused = httpx.post(base + "/api/notes", json={"markdown": NEW}, timeout=30)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "bank_read_only"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "read-only" in err and "Traceback" not in err


def _small_bank(tmp_path: Path) -> Path:
    db = tmp_path / "bank.db"
    with Bank(db) as bank:
        for name, text in NOTES.items():
            (tmp_path / name).write_text(text * 40, encoding="utf-8")
        bank.add_paths([str(tmp_path / n) for n in NOTES])
    return db


@pytest.mark.parametrize(("limit", "check", "checked"), [(1 << 30, None, True), (0, None, False), (0, True, True),
                                                         (1 << 30, False, False)])
def test_the_check_on_open_follows_the_bank_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int,
                                                 check: bool | None, checked: bool) -> None:
    import jingdu.bank.schema as schema

    db = _small_bank(tmp_path)
    calls: list[Path] = []
    real = schema._check
    monkeypatch.setattr(schema, "_check", lambda con, p: (calls.append(p), real(con, p)))
    monkeypatch.setattr(schema, "CHECK_ON_OPEN_BYTES", limit)
    Bank(db, check=check).close()
    assert bool(calls) is checked


@pytest.mark.parametrize(("damaged", "code", "says"), [(False, 0, "ok"), (True, 1, "damaged")])
def test_bank_check_reports_the_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           damaged: bool, code: int, says: str) -> None:
    from typer.testing import CliRunner

    from jingdu.cli import app

    db = _small_bank(tmp_path)
    if damaged:
        damage(db)
    monkeypatch.setattr("jingdu.bank.schema.CHECK_ON_OPEN_BYTES", 0)
    done = CliRunner().invoke(app, ["bank", "check", "--db", str(db)])
    assert done.exit_code == code
    assert says in done.output and "Traceback" not in done.output


def test_damage_met_after_opening_is_named_by_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from typer.testing import CliRunner

    from jingdu.cli import app

    def broken(*args: object, **kwargs: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed")

    db = _small_bank(tmp_path)
    monkeypatch.setattr(Bank, "stats", broken)
    done = CliRunner().invoke(app, ["bank", "stats", "--db", str(db)])
    assert done.exit_code == 1
    assert "damaged" in done.output and done.exception is None or isinstance(done.exception, SystemExit)


def test_damage_met_by_the_workbench_is_an_error_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from fastapi.testclient import TestClient

    from jingdu.web.app import WebOptions, create_app
    def broken(*args: object, **kwargs: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed")

    db = _small_bank(tmp_path)
    monkeypatch.setattr(Bank, "recent_notes", broken)
    with TestClient(create_app(db, WebOptions(annotate=False)), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as client:
        answer = client.get("/api/notes")
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "bank_damaged"


@pytest.mark.parametrize(("worker", "checks"), [(False, 1), (True, 0)])
def test_the_workbench_checks_the_bank_once_not_in_each_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               worker: bool, checks: int) -> None:
    """`jingdu serve --workers N` checks the file in the server before it starts the workers; each
    worker's app opens it without a second full check."""
    import jingdu.bank.schema as schema
    from jingdu.web.app import SETTINGS_ENV, create_app, from_settings, share_settings

    db = _small_bank(tmp_path)
    monkeypatch.setattr(schema, "CHECK_ON_OPEN_BYTES", 0)
    server = create_app(db)
    calls: list[Path] = []
    real = schema._check
    monkeypatch.setattr(schema, "_check", lambda con, p: (calls.append(p), real(con, p)))
    monkeypatch.setenv(SETTINGS_ENV, "")  # share_settings writes it; monkeypatch restores it
    share_settings(db, server)
    app = from_settings() if worker else create_app(db)
    app.state.store.bank.close()
    server.state.store.bank.close()
    assert len(calls) == checks
