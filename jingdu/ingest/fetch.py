"""Fetching a URL: http(s) only, a timeout, a streamed size cap, few redirects.

``fetch(url, timeout, max_bytes) -> Page``; every failure is a :class:`~jingdu.errors.FetchError`
with a message that says what went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx

from jingdu.errors import FetchError

MAX_REDIRECTS = 5
USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/124.0 Safari/537.36 jingdu/0.1")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@dataclass(frozen=True)
class Page:
    """A fetched page: its bytes, the final URL (after redirects) and the declared charset."""

    data: bytes
    url: str
    charset: str | None = None


def charset_of(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1).lower() if m else None


def check_url(url: str) -> None:
    try:
        parsed = urlparse(url)
        parsed.hostname  # noqa: B018 - parsing the host is what raises on a malformed one
    except ValueError as exc:
        raise FetchError(f"not a valid URL ({exc}): {url}") from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parsed.scheme or 'this'!r}: {url}")
    if not parsed.hostname:
        raise FetchError(f"the URL has no host: {url}")


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url} is {int(declared) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url} is larger than the {max_bytes / 1e6:.0f} MB limit; stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, timeout: float = 15.0, max_bytes: int = 20 * 1024 * 1024) -> Page:
    """Fetch ``url``; raise :class:`FetchError` on a bad scheme, timeout, size, status or network error."""
    check_url(url)
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
                          headers={"User-Agent": USER_AGENT}) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url} answered HTTP {response.status_code} {response.reason_phrase}")
            data = _read_capped(response, url, max_bytes)
            return Page(data, str(response.url), charset_of(response.headers.get("content-type")))
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url} did not answer within {timeout:g} s ({type(exc).__name__})") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times") from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"{url} redirects to a URL that cannot be fetched ({exc})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {url}: {exc or type(exc).__name__}") from exc
