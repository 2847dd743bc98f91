"""The document model every stage speaks: one immutable text, blocks over it, layers of spans.

A :class:`Doc` is an article's visible text (``Doc.text``), cut into :class:`Block` objects
(title, source line, paragraphs, headings, …) that keep the layout, and named layers of
:class:`Span` objects (``highlight``, ``bold``, ``red``, ``underline``, …) over that text.
Readers (``jingdu.notation``, ``jingdu.ingest``) build documents; writers render them; the
annotator adds spans; the scorer compares them.  Offsets are code-point offsets into
``Doc.text`` and are validated when a span is made.

Layer semantics follow the referee (``shared/eval/score.py``): a layer is a set of characters,
so touching spans of the same layer and tag are merged into one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

#: The three layers a reader marks and the referee scores.
SCORED_LAYERS: tuple[str, ...] = ("highlight", "bold", "red")
#: The yellow of the reader's highlight (``<span style="background:#fff88f">``).
HIGHLIGHT_COLOUR = "#fff88f"
#: Layers whose touching spans stay apart: zero-width objects and the source of single entities.
UNMERGED_LAYERS: frozenset[str] = frozenset({"void", "entity"})
#: Where a span came from: the note as read, a model's suggestion, or the user's own mark.
ORIGINS: tuple[str, ...] = ("note", "model", "user")

#: Block kinds.  Text-bearing kinds have their visible text inside ``Doc.text``; the others
#: (``break``, ``fence``, ``image``, ``table``, ``footer``, ``blank``, ``raw`` — HTML embeds,
#: comments, tags over several lines —, ``shortcode`` — Hugo shortcodes) are layout kept as markup.
TEXT_BLOCKS: frozenset[str] = frozenset({"title", "source", "paragraph", "heading", "quote", "html"})
LAYOUT_BLOCKS: frozenset[str] = frozenset({"break", "fence", "image", "table", "footer", "blank", "frontmatter",
                                           "raw", "shortcode"})
BLOCK_KINDS: frozenset[str] = TEXT_BLOCKS | LAYOUT_BLOCKS


class SpanError(ValueError):
    """A span whose offsets or layer do not fit the document."""


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of ``Doc.text`` in one layer.

    ``tag`` is the markup the span was read from (``<strong>``, ``**``,
    ``<font color="#00aaff">`` …) so that it is written back the same way; ``None`` means the
    layer's default markup.  ``origin`` is one of :data:`ORIGINS`.
    """

    start: int
    end: int
    layer: str
    tag: str | None = None
    origin: str = "note"
    note: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise SpanError(f"span offsets must be integers, got {self.start!r}, {self.end!r}")
        if self.start < 0 or self.end < self.start:
            raise SpanError(f"bad span offsets [{self.start}, {self.end})")
        if self.start == self.end and self.layer != "void":
            raise SpanError(f"empty span [{self.start}, {self.end}) in layer {self.layer!r}")
        if not self.layer or not self.layer.replace("-", "").replace("_", "").isalnum():
            raise SpanError(f"bad layer name {self.layer!r}")
        if self.origin not in ORIGINS:
            raise SpanError(f"bad span origin {self.origin!r}; expected one of {ORIGINS}")

    def __len__(self) -> int:
        return self.end - self.start

    def shifted(self, delta: int) -> Span:
        return replace(self, start=self.start + delta, end=self.end + delta)


@dataclass(frozen=True, slots=True)
class Block:
    """One layout unit.  ``[start, end)`` is its visible text in ``Doc.text``.

    ``prefix``/``suffix`` are the markup around the inline content (``### ``, ``> ``,
    ``<p>``…``</p>``).  ``raw`` is the exact source of the block including the blank lines after
    it; a writer emits it unchanged while ``digest`` still matches the block's text and marks.
    """

    kind: str
    start: int
    end: int
    level: int = 0
    prefix: str = ""
    suffix: str = ""
    raw: str | None = None
    digest: str | None = None
    tail: str = "\n\n"

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad block offsets [{self.start}, {self.end})")


@dataclass(frozen=True, slots=True)
class Meta:
    """What is known about the article besides its text."""

    title: str = ""
    account: str = ""
    url: str = ""
    published: str = ""  # ISO 8601 with offset, e.g. 2025-11-10T12:00:00+08:00
    author: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    id: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "title": self.title, "account": self.account, "url": self.url,
            "published": self.published, "author": self.author,
            "tags": list(self.tags), "categories": list(self.categories),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Meta:
        def s(key: str) -> str:
            v = data.get(key) or ""
            return str(v)

        def t(key: str) -> tuple[str, ...]:
            v = data.get(key) or ()
            return tuple(str(x) for x in v) if isinstance(v, (list, tuple)) else ()

        return cls(title=s("title"), account=s("account"), url=s("url"),
                   published=s("published"), author=s("author"), tags=t("tags"),
                   categories=t("categories"), id=s("id"))


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sort spans and merge overlapping or touching ones of the same layer, tag and origin."""
    out: list[Span] = []
    for sp in sorted(spans, key=lambda s: (s.layer, s.start, s.end)):
        last = out[-1] if out else None
        if (
            last is not None and sp.layer not in UNMERGED_LAYERS and last.layer == sp.layer
            and last.tag == sp.tag and last.origin == sp.origin and sp.start <= last.end
        ):
            out[-1] = replace(last, end=max(last.end, sp.end))
        else:
            out.append(sp)
    return tuple(sorted(out, key=lambda s: (s.start, -s.end, s.layer)))


def block_digest(text: str, spans: Iterable[Span], block_start: int) -> str:
    """A short fingerprint of a block's text and marks, relative to the block start."""
    parts = [text]
    for sp in sorted(spans, key=lambda s: (s.start, s.end, s.layer, s.tag or "")):
        parts.append(f"{sp.start - block_start},{sp.end - block_start},{sp.layer},{sp.tag},{sp.origin}")
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


class Doc:
    """An immutable note: text, blocks, layers and metadata.

    Build one with :meth:`Doc.build`; change marks with :meth:`with_spans` /
    :meth:`without_layers`, which return new documents and never touch the text.
    """

    __slots__ = ("text", "blocks", "_layers", "meta")

    def __init__(self, text: str, blocks: Iterable[Block], layers: Mapping[str, Iterable[Span]],
                 meta: Meta | None = None) -> None:
        self.text: str = text
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self.meta: Meta = meta or Meta()
        checked: dict[str, tuple[Span, ...]] = {}
        for name, spans in layers.items():
            items = tuple(spans)
            for sp in items:
                self._check(sp, name)
            if items:
                checked[name] = merge_spans(items)
        self._layers = MappingProxyType(checked)
        for b in self.blocks:
            if b.end > len(text):
                raise ValueError(f"block [{b.start}, {b.end}) runs past the text ({len(text)})")

    def _check(self, sp: Span, name: str) -> None:
        if sp.layer != name:
            raise SpanError(f"span of layer {sp.layer!r} filed under {name!r}")
        if sp.end > len(self.text):
            raise SpanError(f"span [{sp.start}, {sp.end}) runs past the text ({len(self.text)} chars)")

    @classmethod
    def build(cls, blocks: Iterable[Block], text: str, spans: Iterable[Span],
              meta: Meta | None = None) -> Doc:
        by_layer: dict[str, list[Span]] = {}
        for sp in spans:
            by_layer.setdefault(sp.layer, []).append(sp)
        return cls(text, blocks, by_layer, meta)

    # -- reading -------------------------------------------------------------------------
    @property
    def layers(self) -> Mapping[str, tuple[Span, ...]]:
        return self._layers

    def spans(self, layer: str) -> tuple[Span, ...]:
        return self._layers.get(layer, ())

    def all_spans(self) -> Iterator[Span]:
        for spans in self._layers.values():
            yield from spans

    def span_text(self, sp: Span) -> str:
        return self.text[sp.start:sp.end]

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]

    @property
    def title(self) -> str:
        for b in self.blocks:
            if b.kind == "title":
                return self.block_text(b)
        return self.meta.title

    # -- changing (new documents) --------------------------------------------------------
    def with_spans(self, spans: Iterable[Span], replace_layers: Iterable[str] = ()) -> Doc:
        """A new document with ``spans`` added; layers in ``replace_layers`` are cleared first."""
        dropped = set(replace_layers)
        merged: dict[str, list[Span]] = {k: list(v) for k, v in self._layers.items() if k not in dropped}
        for sp in spans:
            merged.setdefault(sp.layer, []).append(sp)
        return Doc(self.text, self.blocks, merged, self.meta)

    def without_layers(self, layers: Iterable[str]) -> Doc:
        return self.with_spans((), replace_layers=layers)

    def with_meta(self, **changes: object) -> Doc:
        return Doc(self.text, self.blocks, self._layers, replace(self.meta, **changes))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Doc):
            return NotImplemented
        return (self.text == other.text and self.blocks == other.blocks
                and dict(self._layers) == dict(other._layers) and self.meta == other.meta)

    def __hash__(self) -> int:
        return hash(self.text)

    def __reduce__(self) -> tuple[type[Doc], tuple[str, tuple[Block, ...], dict[str, tuple[Span, ...]], Meta]]:
        """Pickled as its parts (worker processes send documents back to the bank's writer)."""
        return (Doc, (self.text, self.blocks, dict(self._layers), self.meta))

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self._layers.items())
        return f"Doc({self.title!r}, {len(self.text)} chars, {len(self.blocks)} blocks, {counts})"


class DocBuilder:
    """Collects blocks one by one and lays out ``Doc.text`` (block texts joined by ``\\n``).

    Readers call :meth:`add` with each block's text and its spans *relative to the block*;
    :meth:`build` returns the document.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._spans: list[Span] = []
        self._pos = 0

    def add(self, kind: str, text: str = "", spans: Iterable[Span] = (), *, level: int = 0,
            prefix: str = "", suffix: str = "", raw: str | None = None, tail: str = "\n\n") -> Block:
        if self._blocks:
            self._pos += 1  # the "\n" between blocks
        start = self._pos
        shifted = list(merge_spans(sp.shifted(start) for sp in spans))
        for sp in shifted:
            if sp.end > start + len(text):
                raise SpanError(f"span [{sp.start - start}, {sp.end - start}) runs past its block ({len(text)} chars)")
        digest = block_digest(text, shifted, start) if raw is not None and kind in TEXT_BLOCKS else None
        block = Block(kind, start, start + len(text), level, prefix, suffix, raw, digest, tail)
        self._blocks.append(block)
        self._parts.append(text)
        self._spans.extend(shifted)
        self._pos += len(text)
        return block

    def build(self, meta: Meta | None = None) -> Doc:
        return Doc.build(self._blocks, "\n".join(self._parts), self._spans, meta)
