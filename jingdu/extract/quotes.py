"""Quotable sentences (金句) and the pattern that makes each quotable.

Patterns:

* ``parallel-yi`` — 以…为阶、以…为基 (two or more 以X为Y in one sentence);
* ``from-to`` — 从…到… (从“制造”到“智造”);
* ``antithesis`` — 不是…而是…, 不再…而是…, 既…又…, 不仅…更…, 与其…不如…;
* ``parallel`` — three or more clauses of the same length or opening (排比);
* ``speech`` — a person's words in quotation marks after 说/指出/强调/表示 (``speaker`` names them);
* ``highlight`` — the note's own highlight (the reader's mark) covers the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jingdu.extract.record import as_dict
from jingdu.model import Doc
from jingdu.segment import sentences

_C = r"[^，。；！？]"
PATTERNS: dict[str, re.Pattern[str]] = {
    "parallel-yi": re.compile(rf"以{_C}{{1,8}}?为{_C}{{1,3}}?[、，]以{_C}{{1,8}}?为"),
    "from-to": re.compile(rf"从{_C}{{1,16}}?到{_C}{{1,16}}"),
    "antithesis": re.compile(
        rf"(?:不是|并非){_C}{{0,20}}?[，,]?而是|不再{_C}{{0,20}}[，,]?而是|既{_C}{{1,16}}?又"
        rf"|不仅{_C}{{1,30}}?[，,]?(?:更|也|还|而且)|与其{_C}{{1,16}}?不如"
    ),
}
SPEECH_RE = re.compile(r"(?P<speaker>[^，。；！？“”]{2,30}?)(?:说|指出|强调|表示|评价|认为|介绍)[：:，,]?"
                       r"“(?P<words>[^”]{6,})”")
MAX_LEN = 160


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotable sentence: ``text`` is ``Doc.text[start:end]``."""

    text: str
    start: int
    end: int
    patterns: tuple[str, ...]
    speaker: str | None = None
    highlight: str | None = field(default=None)  # the highlighted words when only part is marked

    def to_dict(self) -> dict[str, object]:
        data = as_dict(self)
        data["patterns"] = list(self.patterns)
        return data


def _parallel(text: str) -> bool:
    clauses = [c for c in re.split(r"[，、；：]", text.rstrip("。！？")) if c]
    if len(clauses) < 3:
        return False
    for i in range(len(clauses) - 2):
        trio = clauses[i:i + 3]
        same_len = len({len(c) for c in trio}) == 1 and 3 <= len(trio[0]) <= 12
        same_head = len({c[:2] for c in trio}) == 1 and len(trio[0]) >= 4
        if same_len or same_head:
            return True
    return False


def sentence_patterns(text: str) -> list[str]:
    """The patterns one sentence shows (see the module docstring), without ``speech``."""
    found = [name for name, rx in PATTERNS.items() if rx.search(text)]
    if _parallel(text):
        found.append("parallel")
    return found


def _speaker(text: str) -> str | None:
    m = SPEECH_RE.search(text)
    if not m:
        return None
    return re.split(r"[，,、]", m.group("speaker"))[-1].strip() or None


def _highlighted(doc: Doc, start: int, end: int) -> str | None:
    parts = [doc.text[max(s.start, start):min(s.end, end)] for s in doc.spans("highlight")
             if s.start < end and s.end > start]
    return "".join(parts).strip() or None


def find_quotes(doc: Doc) -> list[Quote]:
    """Quotable sentences in text order."""
    out: list[Quote] = []
    for sent in sentences(doc):
        if len(sent.text) > MAX_LEN:
            continue
        patterns = sentence_patterns(sent.text)
        speaker = _speaker(sent.text)
        if speaker:
            patterns.append("speech")
        marked = _highlighted(doc, sent.start, sent.end)
        if marked:
            patterns.append("highlight")
        if patterns:
            partial = marked if marked and marked != sent.text.strip() else None
            out.append(Quote(sent.text, sent.start, sent.end, tuple(patterns), speaker, partial))
    return out
