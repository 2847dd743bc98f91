"""The HTML pages of the workbench (Jinja2 templates, escaped by default)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jingdu.errors import Forbidden, InputError
from jingdu.web import insight, marks
from jingdu.web.exports import FORMATS
from jingdu.web.intake import gate, read_source, read_upload, suggest
from jingdu.web.render import SHOWN, render_doc
from jingdu.web.security import csrf_ok
from jingdu.web.store import store_of
from jingdu.web.templating import page
from jingdu.web.work import pool_of

router = APIRouter(include_in_schema=False)
LAYER_NAMES = {"highlight": "高亮 highlight", "bold": "加粗 bold", "red": "红字 red", "underline": "下划线 underline"}


def check_form(request: Request, token: str | None) -> None:
    if not csrf_ok(request.app.state.secret, token):
        raise Forbidden("the form's CSRF token is missing or wrong; reload the page and try again", code="csrf")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page_no: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1) -> HTMLResponse:
    """The ingest form and the notes, newest first, a page of ``options.recent`` at a time."""
    store = store_of(request)
    per = request.app.state.options.recent
    pages = max(1, -(-store.note_count() // per))
    current = min(page_no, pages)
    return page(request, "home.html", notes=store.recent(per, (current - 1) * per), page_no=current, pages=pages)


@router.post("/ingest")
async def ingest(request: Request, csrf: Annotated[str, Form()] = "", text: Annotated[str, Form()] = "",
                 fmt: Annotated[str, Form()] = "text", url: Annotated[str, Form()] = "",
                 file: Annotated[UploadFile | None, File()] = None) -> Response:
    check_form(request, csrf)
    options = request.app.state.options
    data = await file.read(options.max_body + 1) if file is not None and file.filename else None
    if data is None and not url.strip() and not text.strip():
        raise InputError("paste a text, choose a file or give a URL")

    def work() -> int:  # in the work pool: never on the event loop
        if data is not None:
            doc = read_upload(data, file.filename or "", options)  # type: ignore[union-attr]
        elif url.strip():
            doc = read_source("url", url.strip(), options)
        else:
            doc = read_source(fmt if fmt in ("text", "html", "markdown") else "text", text, options)
        return store_of(request).add(suggest(doc, options))

    with gate("url" if data is None and url.strip() else "text", options):
        note_id = await pool_of(request).run(work)
    return RedirectResponse(f"/notes/{note_id}", status_code=303)


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def note(request: Request, note_id: str) -> HTMLResponse:
    store = store_of(request)
    stored = store.note(note_id)
    doc = stored.shown
    extracted = store.extraction(stored.id)
    figs = insight.figures(extracted)
    tree = insight.outline(extracted)
    pending = [{"layer": s.layer, "start": s.start, "end": s.end, "text": doc.span_text(s)}
               for s in marks.suggestions(doc)]
    present = [layer for layer in SHOWN if doc.spans(layer)]
    return page(request, "note.html", doc=doc, note_id=stored.id, body=render_doc(doc), figures=figs,
                bars=insight.chart(figs), outline=tree, mermaid=insight.mermaid(extracted), pending=pending,
                layers=[(k, LAYER_NAMES[k]) for k in SHOWN], present=present, nav="note",
                term_themes=store._locked(store.bank.glossary_themes))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "", kind: str = "", theme: str = "", source: str = "") -> HTMLResponse:
    store = store_of(request)
    searched = bool(q or kind or theme or source)
    terms, hits = store.search_page(q, kind=kind, theme=theme, source=source,
                                    limit=request.app.state.options.search_limit) if searched else ([], [])
    active = [(name, value, _without(q, kind, theme, source, name)) for name, value in
              (("kind", kind), ("theme", theme), ("source", source)) if value]
    return page(request, "search.html", q=q, kind=kind, theme=theme, source=source, hits=hits, terms=terms,
                searched=searched, facets=store.facets(), active=active)


def _without(q: str, kind: str, theme: str, source: str, drop: str) -> str:
    """The search's URL without the filter ``drop``."""
    from urllib.parse import urlencode

    params = {"q": q, "kind": kind, "theme": theme, "source": source}
    params[drop] = ""
    return "/search?" + urlencode({k: v for k, v in params.items() if v})


@router.get("/review", response_class=HTMLResponse)
def review(request: Request) -> HTMLResponse:
    cards = store_of(request).due(request.app.state.options.review_batch)
    return page(request, "review.html", card=cards[0] if cards else None, left=len(cards))


@router.post("/review/{card_id}")
def rate(request: Request, card_id: str, csrf: Annotated[str, Form()] = "",
         rating: Annotated[int, Form()] = 3) -> Response:
    check_form(request, csrf)
    if rating not in (1, 2, 3, 4):
        raise InputError("rating must be 1, 2, 3 or 4")
    store_of(request).review(card_id, rating)
    return RedirectResponse("/review", status_code=303)


@router.get("/themes", response_class=HTMLResponse)
def themes(request: Request) -> HTMLResponse:
    store = store_of(request)
    found = store.themes()
    first = found[0][0] if found else None  # the largest collection is shown first
    return page(request, "themes.html", themes=found, theme=first, items=store.theme_items(first) if first else [])


@router.get("/themes/{theme}", response_class=HTMLResponse)
def theme(request: Request, theme: str) -> HTMLResponse:
    store = store_of(request)
    return page(request, "themes.html", themes=store.themes(), theme=theme, items=store.theme_items(theme),
                nav="themes")


@router.get("/export", response_class=HTMLResponse)
def export(request: Request) -> HTMLResponse:
    store = store_of(request)
    return page(request, "export.html", formats=FORMATS, notes=store.recent(200), themes=store.themes())
