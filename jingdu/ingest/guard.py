"""The fetch guard: which addresses a fetch may connect to, and one deadline for the whole fetch.

A page the workbench fetches for a visitor must not be this machine or its network: the host of
every connection (the first URL and each redirect hop) is resolved here, every address it resolves
to is checked, and the connection goes to the checked address itself — so a name that resolves
to a public address when checked and to ``127.0.0.1`` a moment later (DNS rebinding) cannot slip
through.  Loopback, private, link-local, shared (CGNAT), multicast, unspecified and reserved
addresses are refused in every spelling (``localhost``, ``0.0.0.0``, ``127.1``, ``2130706433``,
``0x7f.1``, ``[::1]``, ``[::ffff:127.0.0.1]`` …), unless the caller allows private addresses.

Every read, write, connect and TLS handshake of a fetch is given only the time left until one
deadline, so a server that drips a byte every second cannot hold a fetch past its timeout.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from jingdu.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PrivateAddress(FetchError):
    """A URL (or a redirect hop) whose host is this machine or a private network."""

    code = "private_address"
    status = 403


def refused_reason(ip: IPAddress) -> str | None:
    """Why a fetch may not connect to ``ip`` (None when it is a public address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return refused_reason(inner)
    for attr, what in (("is_loopback", "loopback"), ("is_unspecified", "unspecified"),
                       ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                       ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(ip, attr):
            return what
    if not ip.is_global:
        return "not public"
    return None


def _getaddrinfo(host: str, port: int, timeout: float | None) -> list[Any]:
    """``socket.getaddrinfo`` that gives up after ``timeout`` seconds (a resolver can hang)."""
    if timeout is None:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True, name="jingdu-resolve")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise httpcore.ConnectTimeout(f"resolving {host} took longer than {timeout:.1f} s")
    if "error" in box:
        raise box["error"]
    return box["infos"]  # type: ignore[no-any-return]


def resolve(host: str, port: int, timeout: float | None = None) -> list[IPAddress]:
    """Every address ``host`` resolves to (literal addresses in any spelling included)."""
    try:
        infos = _getaddrinfo(host.strip("[]"), port, timeout)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve the host {host!r}: {exc}") from exc
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    if not out:
        raise FetchError(f"the host {host!r} has no address")
    return out


def allowed_addresses(host: str, port: int, allow_private: bool, timeout: float | None = None) -> list[IPAddress]:
    """The addresses of ``host`` a fetch may connect to; refuses the host when any is private."""
    addresses = resolve(host, port, timeout)
    if not allow_private:
        for ip in addresses:
            reason = refused_reason(ip)
            if reason:
                raise PrivateAddress(f"refused to fetch from {host} ({ip} is a {reason} address; "
                                     "--allow-private-fetch allows it)")
    return addresses


class Deadline:
    """One point in time by which the whole fetch must be done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None = None) -> float:
        """The time an operation may take: its own timeout, cut to what is left of the deadline."""
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout(f"the fetch ran over its {self.seconds:g} s deadline")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every operation is cut to the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.left(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        tls = self.inner.start_tls(ssl_context, server_hostname, self.deadline.left(timeout))
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to checked addresses, each connection under the fetch's deadline."""

    def __init__(self, deadline: Deadline, allow_private: bool = False) -> None:
        self.deadline = deadline
        self.allow_private = allow_private
        self.inner = httpcore.SyncBackend()
        #: The addresses connected to, in order (one per connection).
        self.connected: list[str] = []

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in allowed_addresses(host, port, self.allow_private, self.deadline.left(timeout)):
            try:
                stream = self.inner.connect_tcp(str(ip), port, self.deadline.left(timeout), local_address,
                                                socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            peer = stream.get_extra_info("server_addr")
            actual = ipaddress.ip_address(str(peer[0]).split("%", 1)[0]) if peer else ip
            reason = None if self.allow_private else refused_reason(actual)
            if reason:  # never expected: the socket was opened on a checked literal address
                stream.close()
                raise PrivateAddress(f"refused: connected to {actual}, a {reason} address")
            self.connected.append(str(actual))
            return _DeadlineStream(stream, self.deadline)
        raise last or httpcore.ConnectError(f"cannot connect to {host}:{port}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise FetchError("fetching through a Unix socket is not allowed")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a :class:`GuardedBackend` (no proxy from the environment)."""

    def __init__(self, backend: GuardedBackend, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context or default_ssl_context(), network_backend=backend,
                                             max_connections=4)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """The certificate store of certifi, loaded once (tens of milliseconds each time otherwise)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())
