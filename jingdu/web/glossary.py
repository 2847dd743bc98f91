"""The workbench's 规范词: suggestions for a selection (and inserting one as a note on it), the
glossary's entries (list, add, edit, delete) and the topic pack (page, Markdown, Word)."""

from __future__ import annotations

import html
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from jingdu.errors import InvalidRequest
from jingdu.glossary import Entry
from jingdu.model import Span
from jingdu.web.api import disposition
from jingdu.web.marks import MarkSet, check_range, trim
from jingdu.web.store import _ref, store_of
from jingdu.web.templating import page

router = APIRouter()
NOTE_LAYER = "underline"
NOTE_TAG = "规范词："
#: A term note is an underline whose markup names the term: <u title="规范词：河长制">…</u>.
NOTE_MARKUP = re.compile(r'^<u title="规范词：([^"]*)">$')
MAX_TEXT = 5000


class SuggestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_TEXT, description="the material (a selection)")
    context: str | None = Field(None, max_length=MAX_TEXT, description="the text around the selection")
    k: int = Field(5, ge=1, le=20)
    theme: str | None = Field(None, max_length=100, description="only this glossary theme's terms")


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(..., min_length=1, max_length=40)
    definition: str = Field("", max_length=2000)
    scenarios: list[str] = Field(default_factory=list, max_length=20)
    group: str = Field("", max_length=100)
    theme: str = Field("", max_length=100)


class EntryPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str | None = Field(None, min_length=1, max_length=40)
    definition: str | None = Field(None, max_length=2000)
    scenarios: list[str] | None = Field(None, max_length=20)
    group: str | None = Field(None, max_length=100)
    theme: str | None = Field(None, max_length=100)


class TermNoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: int = Field(..., ge=0)
    end: int = Field(..., ge=0)
    term: str = Field(..., min_length=1, max_length=60)


@router.post("/api/suggest", summary="规范词 for a piece of material, best first, with why each fits")
def suggest(request: Request, body: SuggestIn) -> dict[str, Any]:
    store = store_of(request)
    bank = store.bank
    if not store._locked(lambda: bank.glossary(body.theme)):
        message = (f"no glossary theme “{body.theme}”" if body.theme and store._locked(bank.glossary)
                   else "the glossary is empty: add glossary posts first")
        return {"suggestions": [], "message": message}
    sugs = store._locked(lambda: bank.suggest([body.text], body.k, body.theme, [body.context]))[0]
    return {"suggestions": [s.to_dict() for s in sugs]}


@router.post("/api/notes/{note_id}/term-notes", summary="Put a 规范词 as a note on a selection of the note")
def add_term_note(request: Request, note_id: str, body: TermNoteIn) -> dict[str, Any]:
    store = store_of(request)
    shown = store.doc(note_id)
    check_range(shown, NOTE_LAYER, body.start, body.end)
    start, end = trim(shown.text, body.start, body.end)
    marks = store.marks(note_id)
    tag = f'<u title="{html.escape(NOTE_TAG + body.term.strip(), quote=True)}">'
    user = tuple(s for s in marks.user if not (s.layer == NOTE_LAYER and s.start == start and s.end == end))
    store.set_marks(note_id, MarkSet((*user, Span(start, end, NOTE_LAYER, tag, "user")), marks.rejected))
    return {"id": store.note(note_id).id, "start": start, "end": end, "term": body.term.strip()}


@router.get("/api/notes/{note_id}/term-notes", summary="The 规范词 notes on a note")
def term_notes(request: Request, note_id: str) -> dict[str, Any]:
    doc = store_of(request).doc(note_id)
    out = []
    for s in doc.spans(NOTE_LAYER):
        m = NOTE_MARKUP.match(s.tag or "")
        if m:
            out.append({"start": s.start, "end": s.end, "term": html.unescape(m.group(1)),
                        "text": doc.text[s.start:s.end]})
    return {"notes": out}


@router.get("/api/glossary", summary="The glossary's entries (optionally of one theme)")
def glossary(request: Request, theme: str = "") -> dict[str, Any]:
    store = store_of(request)
    return {"entries": [e.to_dict() for e in store._locked(lambda: store.bank.glossary(theme or None))],
            "themes": [{"name": t, "count": n} for t, n in store._locked(store.bank.glossary_themes)]}


@router.post("/api/glossary", status_code=201, summary="Add an entry of one's own")
def add_entry(request: Request, body: EntryIn) -> dict[str, Any]:
    store = store_of(request)
    e = Entry(body.term.strip(), body.definition.strip(), tuple(s for s in body.scenarios if s.strip()),
              body.group.strip(), body.theme.strip(), "workbench")
    store._locked(lambda: store.bank.glossary_add([e], origin="user"))
    made = [x for x in store._locked(lambda: store.bank.glossary(e.theme or None))
            if x.term == e.term and x.source == "workbench"]
    return made[-1].to_dict()


@router.patch("/api/glossary/{entry_id}", summary="Edit an entry")
def edit_entry(request: Request, entry_id: str, body: EntryPatch) -> dict[str, Any]:
    store = store_of(request)
    changes = body.model_dump(exclude_none=True)
    if not changes:
        raise InvalidRequest("nothing to change")
    return store._locked(lambda: store.bank.glossary_edit(_ref(entry_id), changes)).to_dict()


@router.delete("/api/glossary/{entry_id}", summary="Delete an entry")
def delete_entry(request: Request, entry_id: str) -> dict[str, Any]:
    store = store_of(request)
    store._locked(lambda: store.bank.glossary_delete(_ref(entry_id)))
    return {"deleted": _ref(entry_id)}


@router.get("/api/pack", summary="A topic pack as Markdown (fmt=md) or Word (fmt=docx)")
def pack_file(request: Request, topic: Annotated[str, Query(min_length=1, max_length=100)],
              fmt: str = "md") -> Response:
    from jingdu.bank.pack import build_pack, to_docx, to_markdown

    if fmt not in ("md", "docx"):
        raise InvalidRequest("fmt is md or docx")
    store = store_of(request)
    pack = store._locked(lambda: build_pack(store.bank, topic))
    if fmt == "docx":
        media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return Response(to_docx(pack), media_type=media, headers={"content-disposition": disposition(f"{topic}.docx")})
    return Response(to_markdown(pack), media_type="text/markdown; charset=utf-8",
                    headers={"content-disposition": disposition(f"{topic}.md")})


@router.get("/pack", response_class=HTMLResponse, include_in_schema=False)
def pack_page(request: Request, topic: str = "") -> HTMLResponse:
    from jingdu.bank.pack import build_pack

    store = store_of(request)
    pack = store._locked(lambda: build_pack(store.bank, topic[:100])) if topic.strip() else None
    themes = [t for t, _ in store._locked(store.bank.theme_list)]
    return page(request, "pack.html", pack=pack, topic=topic, themes=themes, nav="pack")


@router.get("/glossary", response_class=HTMLResponse, include_in_schema=False)
def glossary_page(request: Request, theme: str = "") -> HTMLResponse:
    store = store_of(request)
    entries = store._locked(lambda: store.bank.glossary(theme or None))
    return page(request, "glossary.html", entries=entries, theme=theme, nav="glossary",
                themes=store._locked(store.bank.glossary_themes))
