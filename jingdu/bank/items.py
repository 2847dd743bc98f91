"""From a document to what the bank stores: one note record and its items.

Everything here is pure and picklable so that :func:`prepare_path` can run in worker
processes while the main process writes.  Items are

* ``quote``: highlighted sentences (the note's, the model's or the user's marks) and the
  extractor's quotable sentences;
* ``fact``: the extractor's figures with their sentence, period and subject;
* ``term``: red-marked 提法 and the extractor's terms;
* ``note``: the whole article (title and text), so that notes are searchable too.

Each item has a stable key (note key, kind, text) so that re-adding an article updates its
items in place: ids, cards and review history survive.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from jingdu.bank import themes as th
from jingdu.bank.grams import grams
from jingdu.model import Doc, Meta, Span
from jingdu.notation import write_note

#: Bump when what is drawn from a note changes: notes are re-drawn on the next add.
DRAW_VERSION = "1"


@dataclass
class Item:
    kind: str
    text: str
    start: int | None
    end: int | None
    data: dict[str, Any] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)
    key: str = ""
    grams: str = ""


@dataclass
class Prepared:
    """A note ready to be written: its record, user marks found in it, and its items."""

    key: str
    note_id: str
    meta: dict[str, Any]
    themes: list[str]
    notation: str
    layers: str
    text_hash: str
    content_hash: str
    source_path: str
    source_hash: str
    user_spans: list[tuple[int, int, str, str | None, str]]
    items: list[Item]


def digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def note_key(meta: Meta, text: str) -> str:
    """What makes two adds "the same article": the URL, else the note id, else the title/text."""
    if meta.url:
        return "url:" + meta.url.split("#")[0]
    if meta.id:
        return "id:" + meta.id
    return "text:" + digest(meta.title, text[:2000])


def layers_json(doc: Doc, origins: tuple[str, ...] = ("note", "model")) -> str:
    data = {name: [[s.start, s.end, s.tag, s.origin] for s in spans if s.origin in origins]
            for name, spans in doc.layers.items()}
    return json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False, separators=(",", ":"))


def spans_from_json(raw: str) -> list[Span]:
    return [Span(s, e, layer, tag, origin) for layer, rows in json.loads(raw).items()
            for s, e, tag, origin in rows]


def _highlight_quotes(doc: Doc) -> list[Item]:
    """Each highlighted stretch of some length (its marks may come from the note, model or user)."""
    out = []
    for sp in doc.spans("highlight"):
        text = doc.text[sp.start:sp.end].strip()
        if len(text) < 6:
            continue
        out.append(Item("quote", text, sp.start, sp.end, {"pattern": "highlight", "origin": sp.origin}))
    return out


def _red_inside(doc: Doc, start: int, end: int) -> list[list[int]]:
    return [[max(s.start, start) - start, min(s.end, end) - start] for s in doc.spans("red")
            if s.start < end and s.end > start]


def _extracted(doc: Doc) -> dict[str, Any]:
    try:
        from jingdu.extract import extract
    except ImportError:
        return {"quotes": [], "facts": [], "terms": []}
    return extract(doc)


def _fact_item(f: dict[str, Any]) -> Item:
    text = str(f.get("sentence") or f.get("surface") or "")
    data = {k: f.get(k) for k in ("surface", "value", "unit", "qualifier", "kind", "period", "subject")}
    return Item("fact", text, f.get("start"), f.get("end"), data)


def draw_items(doc: Doc) -> list[Item]:
    """All items of a document, deduplicated by (kind, text)."""
    ex = _extracted(doc)
    items: list[Item] = []
    covered: list[tuple[int, int]] = []
    for q in ex.get("quotes") or []:
        patterns = q.get("patterns") or ([q["pattern"]] if q.get("pattern") else [])
        items.append(Item("quote", str(q["text"]), q.get("start"), q.get("end"), {"patterns": patterns}))
        if q.get("start") is not None:
            covered.append((q["start"], q["end"]))
    items.extend(h for h in _highlight_quotes(doc)
                 if not any(s <= (h.start or 0) and (h.end or 0) <= e for s, e in covered))
    items.extend(_fact_item(f) for f in ex.get("facts") or [])
    for sp in doc.spans("red"):
        items.append(Item("term", doc.text[sp.start:sp.end].strip(), sp.start, sp.end, {"kind": "red"}))
    for t in ex.get("terms") or []:
        term = str(t["term"])
        pos = doc.text.find(term)
        items.append(Item("term", term, pos if pos >= 0 else None, pos + len(term) if pos >= 0 else None,
                          {"count": t.get("count"), "kind": t.get("kind")}))
    title = doc.title or doc.meta.title
    body = doc.text
    items.append(Item("note", body if body.startswith(title) else f"{title}\n{body}", 0, len(doc.text), {}))
    seen: dict[tuple[str, str], Item] = {}
    for it in items:
        if it.text and (it.kind, it.text) not in seen:
            seen[(it.kind, it.text)] = it
    for it in seen.values():
        if it.kind == "quote" and it.start is not None and it.end is not None:
            it.data["red"] = _red_inside(doc, it.start, it.end)
    return list(seen.values())


def prepare(doc: Doc, source_path: str = "", extra_tags: tuple[str, ...] = (), source_hash: str = "") -> Prepared:
    """Everything the bank writes for ``doc`` (slow part; runs in workers)."""
    meta = doc.meta
    key = note_key(meta, doc.text)
    tags = list(dict.fromkeys([*meta.tags, *extra_tags]))
    user = [(s.start, s.end, s.layer, s.tag, doc.text[s.start:s.end]) for s in doc.all_spans() if s.origin == "user"]
    clean = _without_user(doc) if user else doc
    notation = write_note(clean)
    layers = layers_json(doc)
    meta_d = meta.to_dict()
    meta_d["tags"] = tags
    meta_d["title"] = doc.title or meta.title
    note_th = th.note_themes(doc.text, tags)
    items = draw_items(doc)
    for it in items:
        it.key = digest(key, it.kind, it.text)
        it.themes = note_th if it.kind == "note" else th.item_themes(it.text, note_th)
        it.grams = grams(it.text)
    content = digest(DRAW_VERSION, notation, layers, json.dumps(meta_d, ensure_ascii=False, sort_keys=True))
    return Prepared(key, meta.id, meta_d, note_th, notation, layers, digest(doc.text), content, source_path,
                    source_hash, user, items)


def _without_user(doc: Doc) -> Doc:
    keep = [s for s in doc.all_spans() if s.origin != "user"]
    return doc.with_spans(keep, replace_layers=list(doc.layers))
