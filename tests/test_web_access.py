"""The Host check and the token, as functions and through the app (the live-server attacks are in
tests/test_serve_security.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingdu.web import WebOptions, create_app
from jingdu.web.security import allowed_hosts, host_allowed, host_name, is_loopback, safe_next


@pytest.mark.parametrize(("header", "name"), [("127.0.0.1:8000", "127.0.0.1"), ("LocalHost:1", "localhost"),
                                               ("[::1]:8000", "::1"), ("[::1]", "::1"), ("reader.example", "reader.example"),
                                               ("", "")])
def test_host_name(header: str, name: str) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize(("bind", "host", "ok"), [
    ("127.0.0.1", "localhost", True), ("127.0.0.1", "::1", True), ("127.0.0.1", "evil.example", False),
    ("127.0.0.1", "192.168.1.5", False), ("0.0.0.0", "192.168.1.5", True), ("0.0.0.0", "evil.example", False),
    ("192.168.1.5", "192.168.1.5", True), ("192.168.1.5", "localhost", False)])
def test_allowed_hosts(bind: str, host: str, ok: bool) -> None:
    assert host_allowed(host, allowed_hosts(bind)) is ok


def test_an_allowed_host_is_added() -> None:
    assert host_allowed("reader.example", allowed_hosts("127.0.0.1", ("Reader.Example:8000",)))


@pytest.mark.parametrize(("host", "loop"), [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                             ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False), ("::", False)])
def test_is_loopback(host: str, loop: bool) -> None:
    assert is_loopback(host) is loop


@pytest.mark.parametrize(("target", "safe"), [("/notes/3", "/notes/3"), ("//evil.example/", "/"),
                                               ("https://evil.example/", "/"), ("/\\evil.example", "/")])
def test_safe_next(target: str, safe: str) -> None:
    assert safe_next(target) == safe


@pytest.fixture
def app(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "bank.db", WebOptions(annotate=False, token="s3cret")),
                      base_url="http://127.0.0.1")


def test_a_token_on_loopback_is_required_too(app: TestClient) -> None:
    assert app.get("/api/notes").status_code == 401
    assert app.get("/api/notes", headers={"x-jingdu-token": "s3cret"}).status_code == 200
    page = app.get("/", headers={"accept": "text/html"})
    assert page.status_code == 401 and 'action="/login"' in page.text
    assert app.get("/static/style.css").status_code == 200


def test_the_cookie_is_not_the_token(app: TestClient) -> None:
    r = app.post("/login", data={"token": "s3cret"}, follow_redirects=False)
    assert r.status_code == 303
    assert "s3cret" not in r.headers["set-cookie"] and "samesite=strict" in r.headers["set-cookie"].lower()
