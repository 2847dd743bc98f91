"""Plain text to a document: a short first line is the title, then one paragraph per line.

Paragraphs are split on blank lines or single line breaks.  A paragraph that does not start
with the two ideographic spaces of the notation gets them as its block prefix (layout, not
text): the words are never changed.  An optional ``来源：X`` line becomes the source block.
"""

from __future__ import annotations

import re

from jingdu.errors import InputError
from jingdu.model import Doc, DocBuilder, Meta

INDENT = "\u3000\u3000"
#: A title is at most this long and does not end a sentence.
TITLE_MAX = 60
SENTENCE_END = tuple("。！？；!?;…")
_SOURCE = re.compile(r"^\s*来源\s*[：:]\s*(\S.*?)\s*$")


def is_title(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= TITLE_MAX and not s.endswith(SENTENCE_END) and not _SOURCE.match(s)


def text_lines(text: str) -> list[str]:
    """The non-empty lines, right-stripped (leading indentation is kept as written)."""
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def read_text(text: str, note_id: str = "") -> Doc:
    """Read plain text into a :class:`~jingdu.model.Doc`."""
    if "\x00" in text:
        raise InputError("this is not text (it contains NUL bytes)")
    lines = text_lines(text.lstrip("\ufeff"))
    if not lines:
        raise InputError("the input is empty")
    builder = DocBuilder()
    title, account = "", ""
    if len(lines) > 1 and is_title(lines[0]):
        title = lines.pop(0).strip()
        builder.add("title", title, prefix="# ")
    for line in lines:
        m = _SOURCE.match(line)
        if m and not account:
            account = m.group(1)
            builder.add("source", line.strip(), prefix="> ")
            continue
        body = line.lstrip(" \t")
        prefix = "" if body.startswith("\u3000") else INDENT
        builder.add("paragraph", body, prefix=prefix)
    return builder.build(Meta(title=title, account=account, id=note_id))
