"""From a note to what the bank stores: the note's JSON and its items.

Everything here is pure and picklable so that :func:`prepare` can run in worker processes while
the main process writes.  An item is one sentence, term or note of one note:

* a **line** (a sentence) has the roles ``quote`` (a highlighted sentence or the extractor's
  quotable one) and/or ``fact`` (the extractor's figure, with its period and subject); a
  sentence that is both is one item with both roles, whose ``kind`` is ``quote``;
* a ``term``: a red-marked 提法 or the extractor's term;
* a ``note``: the whole article, so that notes are searchable too.  Its row holds only the
  title (the article's text is in ``notes.doc``); the search index holds the whole text
  (:func:`index_text`).

A line item's ``data["deck"]`` says whether it belongs in the default review deck: a sentence the
reader highlighted (a mark of the note's own or the user's, not the model's), or a key fact
(:func:`jingdu.review.key_fact`).

An item drawn from a mark of the user's (``origin="user"``) has origin ``user``; otherwise
``auto``.  Each item has a stable key (note key, kind, text) so that re-adding an article, or
accepting a suggestion, updates the item in place: ids, retagged themes, cards and review
history survive.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

import jingdu.bank.themes as th
from jingdu.bank.grams import grams
from jingdu.extract import Extraction
from jingdu.jsonio import to_dict
from jingdu.model import Doc, Meta, Span
from jingdu.review import key_fact

#: Bump when what is drawn from a note changes: notes are re-drawn on the next add.
DRAW_VERSION = "3"
#: Roles that make a line item, the first present naming its kind.
LINE_ROLES = ("quote", "fact")
#: Span origins that are the reader's own marks.
READER = ("note", "user")

#: The group of each kind in the search index (a line item's kind may change, its group not).
GROUPS = {"quote": "line", "fact": "line", "term": "term", "note": "note"}


@dataclass
class Item:
    kind: str
    text: str
    start: int | None
    end: int | None
    data: dict[str, Any] = field(default_factory=dict)
    roles: tuple[str, ...] = ()
    origin: str = "auto"
    themes: list[str] = field(default_factory=list)
    grams: str = ""

    def key(self, note_key: str) -> str:
        return digest(note_key, self.kind, self.text)


@dataclass
class Prepared:
    """A note ready to be written: its document, what was extracted from it, and its items."""

    doc: Doc
    extraction: Extraction
    items: list[Item]
    themes: list[str]
    source_path: str = ""
    source_hash: str = ""
    replace: bool = False  # drop the stored model marks even when this document has none


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def base_key(meta: Meta, text: str) -> str:
    """What makes two adds "the same article": the URL, else the note id, else the title/text.

    (Two files with the same stem and no URL are told apart by the bank when it writes them.)"""
    if meta.url:
        return "url:" + meta.url.split("#")[0]
    if meta.id:
        return "id:" + meta.id
    return "text:" + digest(meta.title, text[:2000])


def pack(text: str) -> bytes:
    """What the bank stores for a note's JSON or extraction: zlib-compressed UTF-8."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(raw: str | bytes) -> str:
    """The JSON text of a stored value (packed, or a plain string as older banks hold)."""
    return zlib.decompress(raw).decode("utf-8") if isinstance(raw, bytes) else raw


def index_text(doc: Doc) -> str:
    """What the search index holds for a note's ``note`` item: its title and its text."""
    title = doc.title or doc.meta.title
    return doc.text if doc.text.startswith(title) else f"{title}\n{doc.text}"


def note_label(doc: Doc) -> str:
    """The text of a note's ``note`` item: its title (else the start of its text)."""
    return (doc.title or doc.meta.title or doc.text[:60]).strip() or "(untitled)"


def doc_json(doc: Doc, rejected: tuple[tuple[str, int, int], ...] = ()) -> str:
    """The note as the bank stores it: ``jingdu.note/1`` with every span and the rejections.

    A text block's source markup is left out (its text and marks are the note; writers render
    them again); layout blocks (tables, fences, breaks …) keep theirs."""
    data = to_dict(doc, layout=False)
    if rejected:
        data["rejected"] = [{"layer": layer, "start": s, "end": e} for layer, s, e in rejected]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def shown(doc: Doc, rejected: tuple[tuple[str, int, int], ...]) -> Doc:
    """The note as the user sees it: the model's suggestions they rejected left out."""
    if not rejected:
        return doc
    out = set(rejected)
    keep = [s for s in doc.all_spans() if not (s.origin == "model" and (s.layer, s.start, s.end) in out)]
    return doc.with_spans(keep, replace_layers=list(doc.layers))


def _red_inside(doc: Doc, start: int, end: int) -> list[list[int]]:
    return [[max(s.start, start) - start, min(s.end, end) - start] for s in doc.spans("red")
            if s.start < end and s.end > start]


def _origin(doc: Doc, layer: str, start: int, end: int) -> str:
    """``user`` when a user's mark of ``layer`` falls on ``[start, end)``."""
    return "user" if any(s.origin == "user" and s.start < end and start < s.end for s in doc.spans(layer)) \
        else "auto"


def _reader_marked(doc: Doc, layers: tuple[str, ...], start: int, end: int) -> bool:
    """Whether the reader (the note's own marks or the user's, not the model's) marked ``[start, end)``."""
    return any(s.origin in READER and s.start < end and start < s.end for layer in layers for s in doc.spans(layer))


def _lines(doc: Doc, ex: Extraction) -> list[Item]:
    out: list[Item] = []
    covered: list[tuple[int, int]] = []
    for q in ex.quotes:
        deck = _reader_marked(doc, ("highlight",), q.start, q.end)
        out.append(Item("quote", q.text, q.start, q.end, {"patterns": list(q.patterns), "deck": deck}, ("quote",),
                        _origin(doc, "highlight", q.start, q.end)))
        covered.append((q.start, q.end))
    for sp in doc.spans("highlight"):
        text = doc.text[sp.start:sp.end].strip()
        if any(s <= sp.start and sp.end <= e for s, e in covered):
            continue  # the sentence around it is the item (its origin says whose mark it holds)
        if len(text) >= (1 if sp.origin == "user" else 6):  # any mark of the user's own is an item
            out.append(Item("quote", text, sp.start, sp.end,
                            {"pattern": "highlight", "origin": sp.origin, "deck": sp.origin in READER},
                            ("quote",), "user" if sp.origin == "user" else "auto"))
    for f in ex.facts:
        data = {"surface": f.surface, "value": f.value, "unit": f.unit, "qualifier": f.qualifier, "kind": f.kind,
                "period": f.period, "subject": f.subject}
        data["deck"] = key_fact(data, _reader_marked(doc, ("bold", "highlight"), f.start, f.end))
        out.append(Item("fact", f.sentence or f.surface, f.start, f.end, data, ("fact",),
                        _origin(doc, "bold", f.start, f.end)))
    return out


def _terms(doc: Doc, ex: Extraction) -> list[Item]:
    out = [Item("term", doc.text[sp.start:sp.end].strip(), sp.start, sp.end, {"kind": "red"}, ("term",),
                "user" if sp.origin == "user" else "auto") for sp in doc.spans("red")]
    out += [Item("term", t.term, t.start, t.end, {"count": t.count, "kind": t.kind}, ("term",)) for t in ex.terms]
    return out


def _merge(items: list[Item]) -> list[Item]:
    """One item per sentence (its roles and data joined) and per term; the first keeps its place."""
    seen: dict[tuple[str, str], Item] = {}
    for it in items:
        if not it.text:
            continue
        group = "line" if it.kind in LINE_ROLES else it.kind
        have = seen.get((group, it.text))
        if have is None:
            seen[(group, it.text)] = it
            continue
        if "fact" in it.roles and it.data.get("deck") and not have.data.get("deck"):
            have.data.update(it.data)  # a sentence's card asks its key figure, not its first one
        have.data["deck"] = bool(have.data.get("deck") or it.data.get("deck"))
        for role in it.roles:
            if role not in have.roles:
                have.roles = (*have.roles, role)
                have.data = {**it.data, **have.data}
        if it.origin == "user":
            have.origin = "user"
    for it in seen.values():
        it.roles = tuple(r for r in (*LINE_ROLES, "term", "note") if r in it.roles)
        it.kind = it.roles[0]
    return list(seen.values())


def draw_items(doc: Doc, ex: Extraction, note_themes: list[str]) -> list[Item]:
    """All items of a note (``doc`` as the user sees it), one per sentence and per term."""
    note = Item("note", note_label(doc), 0, len(doc.text), {}, ("note",))
    items = _merge([*_lines(doc, ex), *_terms(doc, ex), note])
    for it in items:
        if it.kind == "quote" and it.start is not None and it.end is not None:
            it.data["red"] = _red_inside(doc, it.start, it.end)
        it.themes = note_themes if it.kind == "note" else th.item_themes(it.text, note_themes)
        it.grams = grams(index_text(doc) if it.kind == "note" else it.text)
    return items


def note_themes(doc: Doc) -> list[str]:
    return th.note_themes(doc.text, list(doc.meta.tags))


def spans_of(doc: Doc, origin: str) -> list[Span]:
    return [s for s in doc.all_spans() if s.origin == origin]
