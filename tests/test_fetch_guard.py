"""The fetch guard: no address of this machine or its network in any spelling, for the first URL
and every redirect hop, and one deadline for the whole fetch (a slow-drip server)."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jingdu.errors import FetchError
from jingdu.ingest import IngestOptions, load
from jingdu.ingest.fetch import fetch
from jingdu.ingest.guard import PrivateAddress, refused_reason

PAGE = "<html><body><p>　　山村小学的孩子们第一次用上了电子白板。</p></body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip":  # one byte every 0.3 s: each read is quick, the whole is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "200")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except (BrokenPipeError, ConnectionResetError):
                pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


SPELLINGS = ["127.0.0.1", "localhost", "0.0.0.0", "127.1", "2130706433", "0x7f.1", "017700000001",
             "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"]


@pytest.mark.parametrize("host", SPELLINGS)
def test_every_spelling_of_this_machine_is_refused(port: int, host: str) -> None:
    with pytest.raises(PrivateAddress, match="refused to fetch"):
        fetch(f"http://{host}:{port}/page", timeout=3, max_bytes=100_000)


@pytest.mark.parametrize("address", ["10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                                     "224.0.0.1", "240.0.0.1", "255.255.255.255", "fc00::1", "fe80::1",
                                     "::ffff:10.0.0.1", "2002:7f00:1::1", "::"])
def test_private_and_reserved_addresses_are_refused(address: str) -> None:
    assert refused_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refused_reason(ipaddress.ip_address(address)) is None


def test_metadata_address_is_refused_before_connecting() -> None:
    start = time.monotonic()
    with pytest.raises(PrivateAddress, match="169.254.169.254"):
        fetch("http://169.254.169.254/latest/meta-data/", timeout=5, max_bytes=1000)
    assert time.monotonic() - start < 1


def test_private_is_fetched_when_allowed(port: int) -> None:
    page = fetch(f"http://127.0.0.1:{port}/page", timeout=3, max_bytes=100_000, allow_private=True)
    assert page.data == PAGE


def test_load_refuses_private_by_default_and_allows_on_request(port: int) -> None:
    with pytest.raises(PrivateAddress):
        load(f"http://localhost:{port}/page")
    assert "电子白板" in load(f"http://localhost:{port}/page", IngestOptions(allow_private=True)).text


@pytest.fixture
def public_port(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A server on 127.0.0.2 that the guard is told to take for a public address."""
    import jingdu.ingest.guard as guard

    original = guard.refused_reason
    monkeypatch.setattr(guard, "refused_reason",
                        lambda ip: None if str(ip) == "127.0.0.2" else original(ip))
    httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def test_an_allowed_first_hop_is_fetched(public_port: int) -> None:
    assert fetch(f"http://127.0.0.2:{public_port}/page", timeout=3, max_bytes=100_000).data == PAGE


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/page", "http://localhost:{port}/page",
                                    "http://2130706433:{port}/page", "http://169.254.169.254/"])
def test_a_redirect_hop_to_a_private_address_is_refused(public_port: int, port: int, target: str) -> None:
    url = f"http://127.0.0.2:{public_port}/to?" + target.format(port=port)
    with pytest.raises(PrivateAddress, match="refused to fetch"):
        fetch(url, timeout=3, max_bytes=100_000)


def test_slow_drip_server_is_cut_at_the_deadline(port: int) -> None:
    start = time.monotonic()
    with pytest.raises(FetchError, match="did not answer within 2 s"):
        fetch(f"http://127.0.0.1:{port}/drip", timeout=2, max_bytes=100_000, allow_private=True)
    assert time.monotonic() - start < 3.5


@pytest.fixture(scope="module")
def tls_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for the name ``localhost``."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield int(httpd.server_address[1]), cert
    httpd.shutdown()
    httpd.server_close()


def test_https_checks_the_certificate_for_the_name_while_connecting_to_the_checked_address(
        tls_port: tuple[int, Path]) -> None:
    """The connection goes to the resolved address, yet TLS (SNI and the certificate check) uses
    the URL's name: a certificate for ``localhost`` passes, the same server under 127.0.0.1 does not."""
    import ssl

    import httpx

    from jingdu.ingest.guard import Deadline, GuardedBackend, GuardedTransport

    port, cert = tls_port
    context = ssl.create_default_context(cafile=str(cert))

    def get(url: str) -> httpx.Response:
        backend = GuardedBackend(Deadline(5), allow_private=True)
        with httpx.Client(transport=GuardedTransport(backend, context)) as client:
            response = client.get(url)
        assert backend.connected == ["127.0.0.1"]
        return response

    assert get(f"https://localhost:{port}/page").content == PAGE
    with pytest.raises(httpx.ConnectError, match="certificate|IP address mismatch|hostname"):
        get(f"https://127.0.0.1:{port}/page")
