"""Publishing: Hugo/Obsidian-ready posts (YAML front matter + the note in the notation) and theme
collections of quotes.

Front matter strings are written as double-quoted YAML scalars (JSON string syntax, a subset
of YAML's), so titles with colons, quotes or ``#`` stay strings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jingdu.fsutil import write_atomic
from jingdu.model import Doc
from jingdu.notation import render_front_matter, write_note


@dataclass(frozen=True)
class PublishOptions:
    """Tunables of publishing."""

    section: str = "posts"  # Hugo content section under DIR/content/
    draft: bool = False
    default_category: str = "官媒素材"


def front_matter(doc: Doc, themes: Sequence[str] = (), source: str = "",
                 options: PublishOptions = PublishOptions()) -> str:
    m = doc.meta
    fields: dict[str, str | list[str]] = {"title": doc.title or m.title or m.id or "untitled"}
    if m.published:
        fields["date"] = m.published
    fields["categories"] = list(m.categories) or [options.default_category]
    fields["tags"] = list(dict.fromkeys([*m.tags, *themes]))
    if source or m.account:
        fields["source"] = source or m.account
    if m.url:
        fields["original"] = m.url
    text = render_front_matter(fields)
    return text.replace("\n---\n", "\ndraft: true\n---\n", 1) if options.draft else text


def post_body(doc: Doc) -> str:
    """The note in the notation, without a front matter of its own."""
    blocks = [b for b in doc.blocks if b.kind != "frontmatter"]
    return write_note(Doc(doc.text, blocks, doc.layers, doc.meta))


def post(doc: Doc, themes: Sequence[str] = (), options: PublishOptions = PublishOptions()) -> str:
    return front_matter(doc, themes, options=options) + post_body(doc)


def slug(doc: Doc) -> str:
    base = doc.meta.id or doc.title or "note"
    base = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", base).strip("-")[:60] or "note"
    date = doc.meta.published[:10]
    return f"{date}-{base}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else base


def publish_docs(docs: Sequence[tuple[Doc, Sequence[str]]], hugo_dir: str | os.PathLike[str],
                 options: PublishOptions = PublishOptions()) -> list[Path]:
    """Write each ``(doc, themes)`` to ``hugo_dir/content/<section>/<slug>.md``."""
    out_dir = Path(hugo_dir) / "content" / options.section
    return [write_atomic(out_dir / f"{slug(doc)}.md", post(doc, themes, options)) for doc, themes in docs]
