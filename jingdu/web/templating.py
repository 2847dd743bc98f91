"""The workbench's Jinja2 templates (escaped by default) and the one function that renders them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name``; every page gets the form token and its navigation entry."""
    context.setdefault("csrf", request.app.state.csrf)
    context.setdefault("nav", name.split(".")[0])
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)
