"""Request hardening: body size limit, cross-site checks, CSRF tokens, security headers.

* A body larger than ``max_body`` is refused with 413, whether announced by ``Content-Length``
  or streamed.
* A state-changing request (POST, PUT, PATCH, DELETE) sent by a browser from another site is
  refused with 403: ``Sec-Fetch-Site`` must be ``same-origin`` or ``none`` and ``Origin``, when
  given, must be this server.  API requests with a body must be ``application/json`` (415), so a
  cross-site HTML form cannot forge them; HTML form posts carry a CSRF token (:func:`csrf_token`).
* Every answer carries a Content-Security-Policy that allows only this server's own scripts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException as StarletteHTTPException

from jingdu.web.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
#: The note page draws its mind map with Mermaid, whose SVG carries a <style> element and style
#: attributes: that page alone allows inline styles.  Scripts stay this server's own files, and
#: images, fonts and connections stay on this server, so a style cannot call out; article HTML is
#: sanitised before it reaches the page (no style attribute of an article survives).
CSP_DRAWN = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DRAWN_PATHS = ("/notes/",)


def csp_for(path: str) -> str:
    """The Content-Security-Policy of an answer to ``path``."""
    return CSP_DRAWN if path.startswith(DRAWN_PATHS) else CSP


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class TooLarge(StarletteHTTPException):
    """A streamed body that ran over the limit (an HTTPException so FastAPI passes it on)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the {limit} byte limit")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _send_json(send: Send, status: int, code: str, message: str) -> None:
    import json

    body = json.dumps(error_body(status, code, message)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"content-security-policy", CSP.encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def cross_site_reason(method: str, headers: dict[str, str]) -> str | None:
    """Why a request looks cross-site (None when it does not)."""
    if method not in UNSAFE_METHODS:
        return None
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"cross-site request refused (Sec-Fetch-Site: {site})"
    origin = headers.get("origin")
    if origin is not None:
        host = headers.get("host", "")
        if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
            return "cross-site request refused (Origin does not match this server)"
    return None


class GuardMiddleware:
    """Pure ASGI middleware: size limit, cross-site refusal, content type, security headers."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        method = scope["method"].upper()
        path: str = scope.get("path", "")
        reason = cross_site_reason(method, headers)
        if reason:
            await _send_json(send, 403, "cross_site", reason)
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _send_json(send, 413, "too_large", f"request body over the {self.max_body} byte limit")
            return
        has_body = int(length) > 0 if length and length.isdigit() else "chunked" in headers.get("transfer-encoding", "")
        if (method in UNSAFE_METHODS and path.startswith("/api/") and has_body
                and headers.get("content-type", "").split(";")[0].strip().lower() != "application/json"):
            await _send_json(send, 415, "unsupported_media_type", "the API takes application/json bodies")
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge(self.max_body)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(b"content-security-policy", csp_for(path).encode()), *SECURITY_HEADERS]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except TooLarge:
            if not started:
                await _send_json(send, 413, "too_large", f"request body over the {self.max_body} byte limit")


def csrf_token(secret: bytes) -> str:
    """The token HTML forms of this server carry (a cross-site page cannot read it)."""
    return hmac.new(secret, b"jingdu-form", hashlib.sha256).hexdigest()[:32]


def csrf_ok(secret: bytes, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(secret), str(token))


def new_secret() -> bytes:
    return secrets.token_bytes(32)
