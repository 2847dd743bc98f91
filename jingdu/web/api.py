"""The JSON API (``/api``).  Errors come in the one shape of :mod:`jingdu.web.errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from jingdu.bank import StoredNote
from jingdu.errors import InvalidRequest
from jingdu.jsonio import to_dict
from jingdu.model import Doc
from jingdu.web import insight, marks, personal
from jingdu.web.exports import FORMATS
from jingdu.web.intake import body_source, gate, read_source, suggest
from jingdu.web.store import store_of
from jingdu.web.work import pool_of

T = TypeVar("T")

router = APIRouter(prefix="/api", tags=["api"])
RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}


class NoteIn(BaseModel):
    """Exactly one of the four sources."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(None, description="pasted text (a note in the notation, HTML or plain text)")
    html: str | None = Field(None, description="an article page's HTML")
    markdown: str | None = Field(None, description="a note in the notation")
    url: str | None = Field(None, description="an http(s) URL to read")


class MarkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    layer: str = Field(..., description="highlight, bold, red or underline")
    start: int = Field(..., ge=0, le=2**31, description="code-point offset into the note's text")
    end: int = Field(..., ge=0, le=2**31)
    action: Literal["add", "accept"] = "add"


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int | Literal["again", "hard", "good", "easy"]


def note_json(stored: StoredNote) -> dict[str, Any]:
    """A stored note in the one JSON shape (``jingdu.note/1``) as the user sees it, with the
    bank's ``id`` and the ``rejected`` suggestions."""
    return {"id": stored.id, **to_dict(stored.shown),
            "rejected": [{"layer": layer, "start": s, "end": e} for layer, s, e in stored.rejected]}


async def _in_pool(request: Request, body: NoteIn, then: Callable[[Doc], T]) -> T:
    """Read the body's source and annotate it in the work pool (a URL holding its fetch slot), then ``then``."""
    kind, value = body_source(body.model_dump(exclude_none=True))
    options = request.app.state.options
    with gate(kind, options):
        return await pool_of(request).run(lambda: then(suggest(read_source(kind, value, options), options)))


@router.post("/annotate", summary="Read and annotate a note without storing it")
async def annotate_note(request: Request, body: NoteIn) -> dict[str, Any]:
    return await _in_pool(request, body, to_dict)


@router.post("/notes", status_code=201, summary="Read, annotate and store a note")
async def add_note(request: Request, body: NoteIn) -> JSONResponse:
    note_id = await _in_pool(request, body, store_of(request).add)
    return JSONResponse({"id": note_id, "url": f"/notes/{note_id}"}, status_code=201)


@router.get("/notes", summary="The most recently added notes")
def list_notes(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 20) -> dict[str, Any]:
    return {"notes": [{"id": n.id, "title": n.title, "account": n.account, "published": n.published,
                       "themes": list(n.themes)} for n in store_of(request).recent(limit)]}


@router.get("/notes/{note_id}", summary="A stored note with its marks")
def get_note(request: Request, note_id: str) -> dict[str, Any]:
    return note_json(store_of(request).note(note_id))


@router.get("/notes/{note_id}/extract", summary="Figures, outline and mind map of a note (as stored)")
def note_extract(request: Request, note_id: str) -> dict[str, Any]:
    store = store_of(request)
    extracted = store.extraction(note_id)
    return {"id": store.note(note_id).id, "extraction": extracted.to_dict(),
            "figures": [f.__dict__ for f in insight.figures(extracted)],
            "outline": _tree_json(insight.outline(extracted)), "mermaid": insight.mermaid(extracted)}


def _tree_json(node: insight.OutlineNode) -> dict[str, Any]:
    return {"title": node.title, "start": node.start, "children": [_tree_json(k) for k in node.children]}


def _change(request: Request, note_id: str, fn: Any, layer: str, start: int, end: int) -> dict[str, Any]:
    store = store_of(request)
    shown = store.doc(note_id)
    store.set_marks(note_id, fn(shown, store.marks(note_id), layer, start, end))
    personal.corrected(request)
    stored = store.note(note_id)
    return {"id": stored.id, "layers": note_json(stored)["layers"],
            "suggestions": len(marks.suggestions(stored.shown))}


@router.post("/notes/{note_id}/marks", summary="Add the user's mark, or accept a suggested one")
def add_mark(request: Request, note_id: str, body: MarkIn) -> dict[str, Any]:
    fn = marks.accept_mark if body.action == "accept" else marks.add_mark
    return _change(request, note_id, fn, body.layer, body.start, body.end)


@router.delete("/notes/{note_id}/marks", summary="Remove the user's mark or reject a suggestion")
async def remove_mark(request: Request, note_id: str, layer: str | None = None, start: int | None = None,
                      end: int | None = None) -> dict[str, Any]:
    if layer is None or start is None or end is None:
        raw = await request.body()
        if not raw:
            raise InvalidRequest("give layer, start and end (query or JSON body)")
        try:
            body = MarkIn.model_validate_json(raw)
        except ValueError as exc:
            raise InvalidRequest("give layer, start and end (query or JSON body)") from exc
        layer, start, end = body.layer, body.start, body.end
    return _change(request, note_id, marks.remove_mark, layer, start, end)


@router.get("/notes/{note_id}/export", summary="A note in the notation (Markdown), as `jingdu publish` writes it")
def export_note(request: Request, note_id: str, suggestions: bool = True) -> Response:
    """``suggestions=false`` leaves out the model's marks the user has not accepted."""
    out = store_of(request).export("md", [note_id], suggestions=suggestions)
    return Response(out.data, media_type="text/markdown; charset=utf-8")


@router.get("/search", summary="Search the bank's quotes, facts and terms")
def search(request: Request, q: str = "", kind: str = "", theme: str = "", source: str = "",
           limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    if kind and kind not in ("quote", "fact", "term", "note"):
        raise InvalidRequest(f"unknown kind {kind!r}; one of quote, fact, term, note")
    hits = store_of(request).search(q, kind=kind, theme=theme, source=source, limit=limit)
    return {"query": q, "hits": [h.__dict__ | {"themes": list(h.themes), "roles": list(h.roles)} for h in hits]}


@router.get("/themes", summary="Theme collections with their item counts")
def themes(request: Request) -> dict[str, Any]:
    return {"themes": [{"name": n, "count": c} for n, c in store_of(request).themes()]}


@router.get("/themes/{theme}", summary="The items of one theme")
def theme_items(request: Request, theme: str) -> dict[str, Any]:
    hits = store_of(request).theme_items(theme)
    return {"theme": theme, "items": [h.__dict__ | {"themes": list(h.themes), "roles": list(h.roles)} for h in hits]}


@router.get("/review/due", summary="Cards due for review (FSRS)")
def due(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 20) -> dict[str, Any]:
    return {"cards": [c.__dict__ for c in store_of(request).due(limit)]}


@router.post("/review/{card_id}", summary="Rate a card: 1 again, 2 hard, 3 good, 4 easy")
def review(request: Request, card_id: str, body: Annotated[RatingIn, Body()]) -> dict[str, Any]:
    rating = RATINGS[body.rating] if isinstance(body.rating, str) else body.rating
    if rating not in (1, 2, 3, 4):
        raise InvalidRequest("rating must be 1-4 or again/hard/good/easy")
    return store_of(request).review(card_id, rating)


@router.get("/export", summary="Export notes (md, hugo), a theme collection (collection) or cards (anki)")
async def export(request: Request, fmt: str = "md", note: Annotated[list[str] | None, Query()] = None,
                 theme: str = "", suggestions: bool = True) -> Response:
    if fmt not in FORMATS:
        raise InvalidRequest(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    out = await pool_of(request).run(lambda: store_of(request).export(fmt, list(note or []), theme, suggestions))
    return Response(out.data, media_type=out.media_type, headers={"content-disposition": disposition(out.filename)})


def disposition(filename: str) -> str:
    """An attachment header whose name survives non-ASCII (RFC 6266 ``filename*``)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
