"""Fetching URLs against a local HTTP server: charset, redirects, size cap, timeout, errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jingdu.errors import FetchError, InputError
from jingdu.ingest import IngestOptions, load
from jingdu.ingest.fetch import fetch

PAGE = ("<html><head><title>晚风里的渡口 - 本地站</title></head><body><div id=\"p-detail\">"
        "<p>　　渡口的老船工每天摆渡四十趟。</p><p>　　傍晚时分，江面上全是金色的光。</p>"
        "<p>　　他说再干两年就把船交给徒弟。</p></div></body></html>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path
        if path == "/page":
            self._send(200, PAGE.encode("gbk"), {"Content-Type": "text/html; charset=GBK"})
        elif path == "/redirect":
            self._send(302, headers={"Location": "/page"})
        elif path == "/loop":
            self._send(302, headers={"Location": "/loop"})
        elif path == "/to-file":
            self._send(302, headers={"Location": "file:///etc/passwd"})
        elif path == "/slow":
            time.sleep(3)
            self._send(200, b"<html>late</html>")
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must work while streaming
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/big-declared":
            self._send(200, b"y" * 300_000, {"Content-Type": "text/html"})
        else:
            self._send(404, b"not here")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_returns_bytes_and_charset(server: str) -> None:
    page = fetch(server + "/page", timeout=5, max_bytes=1_000_000, allow_private=True)
    assert page.charset == "gbk"
    assert page.data == PAGE.encode("gbk")


def test_redirect_is_followed_and_final_url_kept(server: str) -> None:
    assert fetch(server + "/redirect", timeout=5, max_bytes=1_000_000, allow_private=True).url == server + "/page"


def test_load_url_decodes_with_header_charset(server: str) -> None:
    assert "渡口的老船工每天摆渡四十趟。" in load(server + "/page", IngestOptions(allow_private=True)).text


def test_timeout_is_clear_fetch_error(server: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within 0.5 s"):
        fetch(server + "/slow", timeout=0.5, max_bytes=1_000_000, allow_private=True)
    assert time.monotonic() - start < 2.5


def test_load_url_timeout_option(server: str) -> None:
    with pytest.raises(FetchError, match="did not answer"):
        load(server + "/slow", IngestOptions(timeout=0.5, allow_private=True))


def test_streamed_size_cap(server: str) -> None:
    with pytest.raises(FetchError, match="limit"):
        fetch(server + "/big", timeout=5, max_bytes=200_000, allow_private=True)


def test_declared_size_over_cap(server: str) -> None:
    with pytest.raises(FetchError, match="over the"):
        fetch(server + "/big-declared", timeout=5, max_bytes=100_000, allow_private=True)


def test_redirect_loop_is_limited(server: str) -> None:
    with pytest.raises(FetchError, match="redirects more than"):
        fetch(server + "/loop", timeout=5, max_bytes=1_000_000, allow_private=True)


def test_redirect_to_file_scheme_refused(server: str) -> None:
    with pytest.raises(FetchError):
        fetch(server + "/to-file", timeout=5, max_bytes=1_000_000, allow_private=True)


def test_http_error_status(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server + "/missing", timeout=5, max_bytes=1_000_000, allow_private=True)


@pytest.mark.parametrize("url", ["ftp://example.org/a.html", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, timeout=1, max_bytes=1000)


def test_connection_refused_is_fetch_error() -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch("http://127.0.0.1:9/", timeout=2, max_bytes=1000, allow_private=True)


def test_a_malformed_url_is_a_clear_input_error() -> None:
    from jingdu.ingest.fetch import check_url

    with pytest.raises(InputError, match="not a valid URL"):
        check_url("http://[bad/x")
