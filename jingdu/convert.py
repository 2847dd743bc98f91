"""Writers by name: one table from output format to renderer, used by the CLI and the web."""

from __future__ import annotations

import json
from collections.abc import Callable

from jingdu.errors import JingduError
from jingdu.htmlout import to_html_page
from jingdu.jsonio import to_json
from jingdu.model import Doc
from jingdu.notation import write_note
from jingdu.w3c import to_w3c

WRITERS: dict[str, tuple[str, Callable[[Doc], str]]] = {
    "md": ("md", write_note),
    "json": ("json", to_json),
    "html": ("html", to_html_page),
    "w3c": ("jsonld", lambda doc: json.dumps(to_w3c(doc), ensure_ascii=False, indent=1) + "\n"),
}


def render(doc: Doc, fmt: str) -> str:
    """The document in format ``fmt`` (one of :data:`WRITERS`)."""
    try:
        return WRITERS[fmt][1](doc)
    except KeyError:
        raise JingduError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}") from None


def extension(fmt: str) -> str:
    return WRITERS[fmt][0]
