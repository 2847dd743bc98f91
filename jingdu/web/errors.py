"""One JSON error shape for every API error: ``{"error": {"code", "message", "status"}}``.

Routes raise :class:`jingdu.errors.JingduError` subclasses, which carry their own status and
code; :func:`error_response` is the one function that renders any error, as JSON for the API
and as a small HTML page for a browser's request outside ``/api``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jingdu.errors import JingduError
from jingdu.web.templating import page

log = logging.getLogger("jingdu.web")

_HTTP_CODES: dict[int, str] = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal",
}


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, object]]:
    return {"error": {"code": code, "message": message, "status": status}}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", "")


def error_response(request: Request | None, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if request is None or wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    return page(request, "error.html", status=status, status_code=status, code=code, message=message)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error its one shape."""

    @app.exception_handler(JingduError)
    async def _domain(request: Request, exc: JingduError) -> Response:
        if exc.status >= 500:
            log.error("%s on %s %s: %s", exc.code, request.method, request.url.path, exc.message)
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        code = _HTTP_CODES.get(status, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
        return error_response(request, status, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
        return error_response(request, 422, "invalid_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal", "internal error; see the server log")
