"""Request hardening: body size limit, cross-site checks, CSRF tokens, security headers.

* A body larger than ``max_body`` is refused with 413, whether announced by ``Content-Length``
  or streamed.
* A state-changing request (POST, PUT, PATCH, DELETE) sent by a browser from another site is
  refused with 403: ``Sec-Fetch-Site`` must be ``same-origin`` or ``none`` and ``Origin``, when
  given, must be this server.  API requests with a body must be ``application/json`` (415), so a
  cross-site HTML form cannot forge them; HTML form posts carry a CSRF token (:func:`csrf_token`).
* Every answer carries a Content-Security-Policy that allows only this server's own scripts.
* :class:`AccessMiddleware`: a ``Host`` the server was not started for is refused (400, against
  DNS rebinding); with a token (always when listening beyond loopback) every request but the login
  page must carry it, as the login cookie or the ``X-Jingdu-Token`` / ``Authorization: Bearer``
  header (401 otherwise).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jingdu.web.errors import error_body
from jingdu.web.templating import page

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


# -- who may talk to the server: the Host it was started for, and a token beyond loopback -----
TOKEN_COOKIE = "jingdu_token"
TOKEN_HEADER = "x-jingdu-token"
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
#: In a set of allowed hosts: any IP literal is allowed too (a server listening on all interfaces).
ANY_ADDRESS = "*address*"
#: Paths open without the token: the login page and the files it uses.
OPEN_PATHS = ("/login", "/static/")


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server on this machine."""
    import ipaddress

    name = host.strip("[]").lower()
    if name in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without the port and brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def _is_ip(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_hosts(bind: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The Host names a server listening on ``bind`` answers: the address itself, the loopback
    names when it listens on loopback or everywhere, this machine's name when everywhere, and
    ``extra`` (``--allowed-host``).  Any IP literal is also answered when it listens everywhere
    (a DNS-rebinding page always comes under a name, never an address)."""
    import socket

    names = {bind.strip("[]").lower()}
    if is_loopback(bind) or bind in WILDCARD_HOSTS:
        names.update(LOOPBACK_HOSTS)
    if bind in WILDCARD_HOSTS:
        machine = socket.gethostname().lower()
        names.update({machine, f"{machine}.local", socket.getfqdn().lower(), ANY_ADDRESS})
    names.update(host_name(h) for h in extra if h.strip())
    return frozenset(n for n in names if n and n not in WILDCARD_HOSTS)


def host_allowed(name: str, hosts: frozenset[str]) -> bool:
    return name in hosts or (ANY_ADDRESS in hosts and _is_ip(name))


def session_value(token: str) -> str:
    """What the login cookie holds: a digest of the token, not the token itself."""
    return hmac.new(token.encode(), b"jingdu-session", hashlib.sha256).hexdigest()


def authorised(headers: dict[str, str], token: str) -> bool:
    """Whether a request carries the token: header ``X-Jingdu-Token`` / ``Authorization: Bearer``,
    or the login cookie."""
    given = headers.get(TOKEN_HEADER) or ""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    cookie = _cookies(headers.get("cookie", "")).get(TOKEN_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), session_value(token).encode())


def _cookies(header: str) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # noqa: BLE001 (a malformed cookie header is just no cookie)
        return {}
    return {k: m.value for k, m in jar.items()}


def safe_next(target: str) -> str:
    """A local path to go to after logging in (never another site)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class AccessMiddleware:
    """Pure ASGI middleware: the Host check and, when a token is set, authentication.

    A request whose ``Host`` is not one the server was started for is answered 400 (a
    DNS-rebinding page's requests carry the attacker's name).  With a token, every request
    except the login page and static files must carry it (cookie or header): the API answers
    401 in the one error shape, a browser gets the login page with status 401.
    """

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None, token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if self.hosts is not None and not host_allowed(host_name(headers.get("host", "")), self.hosts):
            await _send_json(send, 400, "host_not_allowed",
                             f"this server does not answer for the host {headers.get('host', '')!r}; "
                             "start it with --allowed-host NAME to allow a name")
            return
        path: str = scope.get("path", "")
        if self.token is not None and scope["type"] == "http" and scope["method"] == "GET":
            given = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])[0]
            if given and hmac.compare_digest(given.encode(), self.token.encode()):
                await _redirect(send, safe_next(path), login_cookie(self.token))
                return
        if self.token is None or path.startswith(OPEN_PATHS) or authorised(headers, self.token):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] == "GET" and "text/html" in headers.get("accept", ""):
            await login_page(scope, receive, send, status=401, next_path=path)
            return
        await _send_json(send, 401, "unauthorized",
                         "this server needs its token: log in at /login, or send the header X-Jingdu-Token")


async def login_page(scope: Scope, receive: Receive, send: Send, *, status: int, next_path: str = "/",
                     wrong: bool = False) -> None:
    response = page(Request(scope, receive), "login.html", status=status, next_path=safe_next(next_path),
                    wrong=wrong, nav="login")
    await response(scope, receive, send)


async def _redirect(send: Send, location: str, cookie: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": b""})


def login_cookie(token: str) -> str:
    return f"{TOKEN_COOKIE}={session_value(token)}; Path=/; HttpOnly; SameSite=Strict"


router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:  # noqa: A002 (the query's name)
    token = request.app.state.options.token
    if not token or authorised(_request_headers(request), token):
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", next_path=safe_next(next), wrong=False, nav="login")


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:  # noqa: A002
    """Check the token once and keep a session cookie (HttpOnly, SameSite=Strict)."""
    expected = request.app.state.options.token
    if expected and not hmac.compare_digest(token.strip().encode(), expected.encode()):
        return page(request, "login.html", status=401, next_path=safe_next(next), wrong=True, nav="login")
    response = RedirectResponse(safe_next(next), status_code=303)
    if expected:
        response.headers["set-cookie"] = login_cookie(expected)
    return response


def _request_headers(request: Request) -> dict[str, str]:
    return {k.lower(): v for k, v in request.headers.items()}
