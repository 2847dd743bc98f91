"""The workbench application: :func:`create_app` wires the store, pages, API and guards."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from jingdu.web import api, errors, pages
from jingdu.web.options import DEFAULT_WEB_OPTIONS, WebOptions
from jingdu.web.security import GuardMiddleware, csrf_token, new_secret
from jingdu.web.store import open_store
from jingdu.web.templating import page
from jingdu.web.work import WorkPool

STATIC = Path(__file__).parent / "static"
DESCRIPTION = """Read, correct and search notes.  Every error answers
`{"error": {"code": "...", "message": "...", "status": 4xx}}`.  Requests that change
state must come from this server's own pages (Origin / Sec-Fetch-Site) and API bodies must
be `application/json`."""


#: Where ``jingdu serve --workers N`` leaves the settings its server processes start from.
SETTINGS_ENV = "JINGDU_SERVE_SETTINGS"


def share_settings(db_path: str | Path, app: FastAPI, workers: int) -> None:
    """Leave the bank, the options that matter and the form secret for :func:`from_settings`
    (``jingdu serve --workers N``: each process opens the bank itself; SQLite queues writes)."""
    opts: WebOptions = app.state.options
    os.environ[SETTINGS_ENV] = json.dumps({"db": str(db_path), "annotate": opts.annotate, "workers": workers,
                                           "secret": app.state.secret.hex()})


def from_settings() -> FastAPI:
    """The app of one server process of ``jingdu serve --workers N`` (see :func:`share_settings`)."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    app = create_app(settings["db"], WebOptions(annotate=settings["annotate"], workers=settings["workers"]))
    app.state.secret = bytes.fromhex(settings["secret"])
    app.state.csrf = csrf_token(app.state.secret)
    return app


def create_app(db_path: str | Path, options: WebOptions | None = None) -> FastAPI:
    """The FastAPI app over the bank at ``db_path``."""
    opts = options or DEFAULT_WEB_OPTIONS
    app = FastAPI(title="jingdu workbench", description=DESCRIPTION, version="1",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.options = opts
    app.state.store = open_store(db_path, opts.bank_timeout)
    app.state.work = WorkPool(opts.workers, opts.queue, opts.work_timeout)
    app.state.secret = new_secret()
    app.state.csrf = csrf_token(app.state.secret)
    errors.install(app)
    app.add_middleware(GuardMiddleware, max_body=opts.max_body)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html", routes=_routes(app.openapi()), nav="docs")

    return app


def _routes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [p.get("name", "") for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            fields = list(spec.get("components", {}).get("schemas", {}).get(ref, {}).get("properties", {}))
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "params": params, "body": fields})
    return out
