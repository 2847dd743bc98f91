"""Publishing: Hugo/Obsidian-ready posts (YAML front matter + the note in the notation) and a
site that builds.

What a post holds, so that Hugo (goldmark, CommonMark) renders what the note means:

* the front matter holds the title (the body does not repeat it) and a date: the note's
  publication date, else the date it was added (never none);
* marks are written as HTML (``<strong>``, never a ``**`` that CommonMark would not parse);
* Hugo shortcodes of the source blog are not run: a line of shortcodes is dropped (a
  ``{{< figure src=… >}}`` becomes the Markdown image ``![](…)``; the content between paired
  shortcodes stays), and shortcode syntax anywhere else (code, HTML, text) is escaped with
  Hugo's comment form ``{{</* … */>}}`` so that it shows as written;
* embeds (``<iframe>``) stay embeds;
* a note's raw HTML is cleaned as the workbench's pages clean it
  (:func:`jingdu.htmlout.sanitize_markdown`: no script, style, event handler or comment, links
  and the ``original`` URL http(s) only), since the site renders raw HTML.

:func:`publish_docs` writes a minimal site (``hugo.toml`` with raw HTML allowed, since the marks
are HTML, and plain layouts) into a folder that has no Hugo configuration yet, so
``hugo --panicOnWarning`` builds it.  Front matter strings are double-quoted YAML scalars (JSON
string syntax), so titles with colons, quotes or ``#`` stay strings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from jingdu.fsutil import web_url, write_atomic
from jingdu.htmlout import sanitize_markdown
from jingdu.model import Doc
from jingdu.notation import render_front_matter, renderable, write_note

_SHORTCODE = re.compile(r"\{\{([<%])(?!/\*)(.*?)([%>])\}\}", re.S)  # not one already escaped
_FIGURE_SRC = re.compile(r"""^\s*figure\b.*?\bsrc=["']?([^"'\s>]+)""", re.S)
#: Files that make a folder a Hugo site (any one of them).
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")
#: The minimal site written into a folder that is not a Hugo site yet (jingdu/data/hugo/).
SITE = resources.files("jingdu") / "data" / "hugo"
SITE_FILES = ("hugo.toml", "layouts/_default/baseof.html", "layouts/_default/single.html",
              "layouts/_default/list.html", "layouts/index.html")


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
    if web_url(m.url):
        fields["original"] = web_url(m.url)
    text = render_front_matter(fields)
    return text.replace("\n---\n", "\ndraft: true\n---\n", 1) if options.draft else text


def escape_shortcodes(text: str) -> str:
    """Shortcode syntax in Hugo's comment form, shown as written instead of run."""
    return _SHORTCODE.sub(lambda m: "{{" + m.group(1) + "/*" + m.group(2) + "*/" + m.group(3) + "}}", text)


def _shortcode_line(raw: str) -> str:
    """A line of shortcodes as it is published: figures as Markdown images, the rest dropped."""
    images = [f"![]({m.group(1)})" for sc in _SHORTCODE.finditer(raw)
              if (m := _FIGURE_SRC.match(sc.group(2)))]
    return "\n".join(images) + "\n\n" if images else ""


def post_body(doc: Doc) -> str:
    """The note in the notation as a post renders it: no front matter or title of its own,
    marks in HTML, shortcodes dropped or escaped."""
    blocks = []
    for b in doc.blocks:
        if b.kind in ("frontmatter", "title"):
            continue
        blocks.append(replace(b, raw=_shortcode_line(b.raw or "")) if b.kind == "shortcode" else b)
    text = write_note(renderable(Doc(doc.text, blocks, doc.layers, doc.meta))).lstrip("\n")
    return sanitize_markdown(escape_shortcodes(text) if "{{" in text else text)


def post(doc: Doc, themes: Sequence[str] = (), options: PublishOptions = PublishOptions()) -> str:
    return front_matter(doc, themes, options=options) + post_body(doc)


def slug(doc: Doc) -> str:
    base = doc.meta.id or doc.title or "note"
    base = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", base).strip("-")[:60] or "note"
    date = doc.meta.published[:10]
    return f"{date}-{base}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else base


def ensure_site(hugo_dir: str | os.PathLike[str]) -> list[Path]:
    """A minimal Hugo site in a folder without a Hugo configuration (an existing site is left as it is)."""
    root = Path(hugo_dir)
    if any((root / name).exists() for name in HUGO_CONFIGS):
        return []
    return [write_atomic(root / name, SITE.joinpath(name).read_text(encoding="utf-8"))
            for name in SITE_FILES if not (root / name).exists()]


def publish_docs(docs: Sequence[tuple[Doc, Sequence[str]]], hugo_dir: str | os.PathLike[str],
                 options: PublishOptions = PublishOptions()) -> list[Path]:
    """Write each ``(doc, themes)`` to ``hugo_dir/content/<section>/<slug>.md`` (two notes with
    one slug get ``<slug>-2.md`` …), and a minimal site when the folder is not one yet."""
    ensure_site(hugo_dir)
    out_dir = Path(hugo_dir) / "content" / options.section
    written: list[Path] = []
    used: set[str] = set()
    for doc, themes in docs:
        name, n = slug(doc), 1
        while name in used:
            n += 1
            name = f"{slug(doc)}-{n}"
        used.add(name)
        written.append(write_atomic(out_dir / f"{name}.md", post(doc, themes, options)))
    return written
