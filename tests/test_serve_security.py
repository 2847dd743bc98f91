"""Attacks on a live ``jingdu serve`` on loopback (a real process, real sockets): Host forging
(DNS rebinding), the fetcher aimed at this machine in every spelling and through a redirect, a
slow-drip page, a huge paste, and listening beyond loopback without the token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRET = "内网页面的机密内容：本页只应在本机读到。"
ARTICLE = "　　青川市今年新建社区服务站48个，群众满意度达96.5%。\n\n　　网格员每天走访居民，收集诉求。"


class Internal(BaseHTTPRequestHandler):
    """A page only this machine should read, a redirector, and a slow-drip page."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "100")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
            return
        body = f"<html><body><article><p>{SECRET}</p></article></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _http_server(address: str) -> Iterator[int]:
    httpd = ThreadingHTTPServer((address, 0), Internal)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def internal() -> Iterator[int]:
    yield from _http_server("127.0.0.1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Serve:
    """``python -m jingdu serve …`` as a child process, with what it printed."""

    def __init__(self, tmp: Path, *args: str) -> None:
        self.port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JINGDU_HOME": str(tmp)}
        self.proc = subprocess.Popen([sys.executable, "-m", "jingdu", "serve", "--db", str(tmp / "bank.db"),
                                      "--port", str(self.port), "--no-annotate", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"jingdu serve exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("jingdu serve did not start") from None
                time.sleep(0.2)

    def stop(self) -> str:
        self.proc.terminate()
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = Serve(tmp_path_factory.mktemp("serve"), "--allowed-host", "reader.example")
    yield server.base
    server.stop()


def api(base: str, method: str, path: str, **kw: object) -> httpx.Response:
    return httpx.request(method, base + path, timeout=30, **kw)  # type: ignore[arg-type]


# -- Host forging (DNS rebinding) ------------------------------------------------------------
@pytest.mark.parametrize(("method", "path", "body"), [("POST", "/api/notes", {"text": ARTICLE}),
                                                      ("GET", "/api/export", None), ("GET", "/", None)])
def test_a_forged_host_is_refused(live: str, method: str, path: str, body: object) -> None:
    port = live.rsplit(":", 1)[1]
    headers = {"host": f"evil.example:{port}", "origin": f"http://evil.example:{port}"}
    r = api(live, method, path, json=body, headers=headers)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "host_not_allowed"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "reader.example"])
def test_the_hosts_it_was_started_for_are_answered(live: str, host: str) -> None:
    port = live.rsplit(":", 1)[1]
    r = api(live, "POST", "/api/notes", json={"text": ARTICLE},
            headers={"host": f"{host}:{port}", "origin": f"http://{host}:{port}"})
    assert r.status_code == 201, r.text


# -- the fetcher aimed at this machine -------------------------------------------------------
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0.0.0.0", "127.1", "2130706433", "0x7f.1",
                                  "[::1]", "[::ffff:127.0.0.1]"])
@pytest.mark.parametrize("path", ["/api/annotate", "/api/notes"])
def test_each_spelling_of_this_machine_is_refused(live: str, internal: int, host: str, path: str) -> None:
    r = api(live, "POST", path, json={"url": f"http://{host}:{internal}/secret"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "private_address"
    assert SECRET not in r.text


def test_a_redirect_to_a_loopback_port_is_refused(live: str, internal: int) -> None:
    r = api(live, "POST", "/api/annotate", json={"url": f"http://127.0.0.1:{internal}/to?http://localhost:{internal}/"})
    assert r.status_code == 403
    assert SECRET not in r.text


def test_the_ingest_form_does_not_store_an_internal_page(live: str, internal: int) -> None:
    page = httpx.get(live + "/", timeout=30).text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf
    r = httpx.post(live + "/ingest", data={"csrf": csrf.group(1), "url": f"http://localhost:{internal}/"},
                   headers={"accept": "text/html"}, timeout=30)
    assert r.status_code == 403
    listed = api(live, "GET", "/api/notes").json()["notes"]
    assert all(SECRET not in api(live, "GET", f"/api/notes/{n['id']}").text for n in listed)


def test_a_huge_paste_is_refused_quickly(live: str) -> None:
    start = time.monotonic()
    r = api(live, "POST", "/api/annotate", json={"text": "网格员每天走访居民。" * 200_000})  # 2M characters
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"
    assert time.monotonic() - start < 10


# -- a slow-drip page, with private fetching allowed so that only the deadline stops it -------
@pytest.mark.slow  # starts a server of its own (seconds on a loaded machine)
def test_a_slow_drip_page_is_cut_at_the_deadline(tmp_path: Path, internal: int) -> None:
    server = Serve(tmp_path, "--allow-private-fetch", "--fetch-timeout", "3")
    try:
        start = time.monotonic()
        r = api(server.base, "POST", "/api/annotate", json={"url": f"http://127.0.0.1:{internal}/drip"})
        took = time.monotonic() - start
        assert r.status_code == 502
        assert "3 s" in r.json()["error"]["message"]
        assert took < 6
        ok = api(server.base, "POST", "/api/annotate", json={"url": f"http://127.0.0.1:{internal}/page"})
        assert ok.status_code == 200 and SECRET in ok.text  # allowed on request
    finally:
        server.stop()


# -- beyond loopback: a token ----------------------------------------------------------------
@pytest.fixture(scope="module")
def everywhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Serve, str]]:
    server = Serve(tmp_path_factory.mktemp("all"), "--host", "0.0.0.0")
    time.sleep(0.3)
    out = ""
    deadline = time.monotonic() + 10
    assert server.proc.stderr is not None
    os.set_blocking(server.proc.stderr.fileno(), False)
    while "token" not in out and time.monotonic() < deadline:
        out += server.proc.stderr.read() or ""
        time.sleep(0.1)
    found = re.search(r"token: (\S+)", out)
    assert found, out
    yield server, found.group(1)
    server.stop()


@pytest.mark.parametrize("path", ["/api/notes", "/api/export", "/", "/notes/1", "/docs"])
def test_without_the_token_it_answers_401(everywhere: tuple[Serve, str], path: str) -> None:
    server, _ = everywhere
    r = httpx.get(server.base + path, headers={"accept": "text/html"}, timeout=30)
    assert r.status_code == 401
    r = httpx.get(server.base + path, timeout=30)
    assert r.status_code == 401


@pytest.mark.parametrize("header", ["x-jingdu-token", "authorization"])
def test_the_token_opens_the_api(everywhere: tuple[Serve, str], header: str) -> None:
    server, token = everywhere
    value = f"Bearer {token}" if header == "authorization" else token
    assert httpx.get(server.base + "/api/notes", headers={header: value}, timeout=30).status_code == 200
    assert httpx.get(server.base + "/api/notes", headers={header: "wrong"}, timeout=30).status_code == 401


def test_the_printed_link_logs_in(everywhere: tuple[Serve, str]) -> None:
    server, token = everywhere
    with httpx.Client(base_url=server.base, timeout=30) as c:
        r = c.get(f"/notes/1?token={token}")
        assert r.status_code == 303 and r.headers["location"] == "/notes/1"
        assert c.get("/api/notes").status_code == 200
        assert httpx.get(server.base + "/?token=wrong", timeout=30).status_code == 401


def test_on_all_interfaces_an_address_is_answered_but_a_foreign_name_is_not(everywhere: tuple[Serve, str]) -> None:
    server, token = everywhere
    auth = {"x-jingdu-token": token}
    assert httpx.get(server.base + "/api/notes", headers={**auth, "host": "192.0.2.7"}, timeout=30).status_code == 200
    assert httpx.get(server.base + "/api/notes", headers={**auth, "host": "evil.example"}, timeout=30).status_code == 400


def test_the_login_page_sets_a_cookie(everywhere: tuple[Serve, str]) -> None:
    server, token = everywhere
    with httpx.Client(base_url=server.base, timeout=30) as c:
        assert c.get("/login").status_code == 200
        wrong = c.post("/login", data={"token": "nope", "next": "/"})
        assert wrong.status_code == 401
        r = c.post("/login", data={"token": token, "next": "//evil.example/"})
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert "httponly" in r.headers["set-cookie"].lower()
        assert c.get("/api/notes").status_code == 200
        # the CSRF and Origin checks stay for a logged-in browser
        refused = c.post("/api/notes", json={"text": ARTICLE}, headers={"origin": "http://evil.example"})
        assert refused.status_code in (400, 403)


@pytest.mark.slow  # starts a server of its own (seconds on a loaded machine)
def test_a_busy_port_fails_without_announcing_the_server(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JINGDU_HOME": str(tmp_path)}
        done = subprocess.run([sys.executable, "-m", "jingdu", "serve", "--db", str(tmp_path / "bank.db"),
                               "--port", str(port)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0
    assert "cannot listen" in done.stderr and "in use" in done.stderr
    assert "workbench on" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # starts a server of its own (seconds on a loaded machine)
def test_slow_pages_do_not_hold_the_other_pages(tmp_path: Path, internal: int) -> None:
    """45 slow-drip fetches at once (more than the server's 40 worker threads): at most a few run,
    each cut at its 8 s deadline, the rest are answered 503 at once, and the note list answers
    meanwhile in far less than the deadline (held workers would make it wait 8 s or more).  The
    fetches the work pool accepts (2 threads, 8 waiting) run two at a time, so the last of them
    answers after up to five deadlines: the clients wait that long."""
    from concurrent.futures import ThreadPoolExecutor

    server = Serve(tmp_path, "--allow-private-fetch", "--fetch-timeout", "8")
    limits = httpx.Limits(max_connections=50, max_keepalive_connections=0)
    many = httpx.Client(base_url=server.base, timeout=90, limits=limits)
    one = httpx.Client(base_url=server.base, timeout=30)
    try:
        def drip(_: int) -> int:
            return many.post("/api/annotate", json={"url": f"http://127.0.0.1:{internal}/drip"}).status_code

        with ThreadPoolExecutor(45) as pool:
            statuses = pool.map(drip, range(45))
            time.sleep(1)
            start = time.monotonic()
            listed = one.get("/api/notes")
            took = time.monotonic() - start
            codes = sorted(statuses)
        assert listed.status_code == 200 and took < 5, took
        assert set(codes) <= {502, 503} and codes.count(503) >= 30, codes
    finally:
        many.close()
        one.close()
        server.stop()
