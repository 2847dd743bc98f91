"""One JSON error shape for every API error: ``{"error": {"code", "message", "status"}}``.

Requests outside ``/api`` that fail get the same information as a small HTML page.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jingdu.errors import FetchError, InputError, JingduError, ModelError, NotFound

log = logging.getLogger("jingdu.web")

_HTTP_CODES: dict[int, str] = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal",
}


class ApiError(Exception):
    """An error raised by a route with its status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def status_of(exc: JingduError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, FetchError):
        return 502
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, ModelError):
        return 503
    return 400


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, object]]:
    return {"error": {"code": code, "message": message, "status": status}}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", "")


def error_response(request: Request | None, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if request is None or wants_json(request):
        return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
    from jingdu.web.pages import render_error  # the page templates live there

    return render_error(request, status, code, message)


def install(app: FastAPI) -> None:
    """Register the handlers that give every error its one shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.code, exc.message)

    @app.exception_handler(JingduError)
    async def _domain(request: Request, exc: JingduError) -> Response:
        return error_response(request, status_of(exc), exc.code, str(exc) or exc.code)

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
