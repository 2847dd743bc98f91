"""The workbench application: :func:`create_app` wires the store, pages, API and guards."""

from __future__ import annotations

import json
import os
from dataclasses import fields, replace
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from jingdu.web import api, errors, glossary, pages, personal, security
from jingdu.web.options import DEFAULT_WEB_OPTIONS, WebOptions
from jingdu.web.security import AccessMiddleware, GuardMiddleware, csrf_token, new_secret
from jingdu.web.store import open_store
from jingdu.web.templating import page
from jingdu.web.work import WorkPool

STATIC = Path(__file__).parent / "static"
DESCRIPTION = """Read, correct and search notes.  Every error answers
`{"error": {"code": "...", "message": "...", "status": 4xx}}`.  Requests that change
state must come from this server's own pages (Origin / Sec-Fetch-Site) and API bodies must
be `application/json`.  A server listening beyond loopback (or started with `--token`) needs its
token: the `X-Jingdu-Token` header, `Authorization: Bearer TOKEN`, or the cookie `/login` sets."""


#: Where ``jingdu serve --workers N`` leaves the settings its server processes start from.
SETTINGS_ENV = "JINGDU_SERVE_SETTINGS"


#: The options a server process of ``jingdu serve --workers N`` takes from the first one (plain values).
SHARED = ("annotate", "allow_url", "allow_private_fetch", "fetch_timeout", "max_fetches", "max_text", "token",
          "recent", "search_limit", "review_batch", "personal_every", "workers", "queue", "work_timeout",
          "bank_timeout", "max_body")


def share_settings(db_path: str | Path, app: FastAPI) -> None:
    """Leave the bank, the options and the form secret for :func:`from_settings` (``jingdu serve
    --workers N``: each process opens the bank itself; SQLite queues writes)."""
    opts: WebOptions = app.state.options
    shared = {f.name: getattr(opts, f.name) for f in fields(opts) if f.name in SHARED}
    hosts = sorted(opts.allowed_hosts) if opts.allowed_hosts is not None else None
    os.environ[SETTINGS_ENV] = json.dumps({"db": str(db_path), "options": shared, "allowed_hosts": hosts,
                                           "secret": app.state.secret.hex()})


def from_settings() -> FastAPI:
    """The app of one server process of ``jingdu serve --workers N`` (see :func:`share_settings`)."""
    settings = json.loads(os.environ[SETTINGS_ENV])
    hosts = settings["allowed_hosts"]
    options = WebOptions(**settings["options"], allowed_hosts=frozenset(hosts) if hosts is not None else None)
    app = create_app(settings["db"], options, check_bank=False)  # `jingdu serve` checked it before
    app.state.secret = bytes.fromhex(settings["secret"])
    app.state.csrf = csrf_token(app.state.secret)
    return app


def create_app(db_path: str | Path, options: WebOptions | None = None, check_bank: bool = True) -> FastAPI:
    """The FastAPI app over the bank at ``db_path`` (its file checked whole when ``check_bank``)."""
    opts = options or DEFAULT_WEB_OPTIONS
    app = FastAPI(title="jingdu workbench", description=DESCRIPTION, version="1",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.store = open_store(db_path, opts.bank_timeout, check_bank)
    app.state.work = WorkPool(opts.workers, opts.queue, opts.work_timeout)
    app.state.personal = personal.Trainer(db_path, opts.personal_every)
    if opts.annotate:  # suggestions come from the personal model while it is in use
        opts = replace(opts, annotator=partial(app.state.personal.annotate, fallback=opts.annotator))
    app.state.options = opts
    app.state.secret = new_secret()
    app.state.csrf = csrf_token(app.state.secret)
    errors.install(app)
    app.add_middleware(AccessMiddleware, hosts=opts.allowed_hosts, token=opts.token)
    app.add_middleware(GuardMiddleware, max_body=opts.max_body)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(security.router)
    app.include_router(personal.router)
    app.include_router(glossary.router)

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
