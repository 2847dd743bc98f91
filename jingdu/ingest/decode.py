"""Bytes to text: BOMs, declared charsets that lie, GBK/GB18030 and Big5 pages, binary files.

The order: a byte-order mark decides; then UTF-8 when the bytes are valid UTF-8 (pages often
declare GB2312 and are UTF-8); then the declared charset (HTTP header, then ``<meta>``) when the
bytes decode cleanly under it *and* the result is as plausible as Chinese text as the best
Chinese reading (``big5`` or ``iso-8859-1`` declared on GBK bytes decode without error but give
mojibake); then detection: UTF-8, GB18030 and Big5 (and charset-normalizer's guess) are each
tried and the one with most common Chinese characters wins.  A page with a few undecodable bytes
is decoded with U+FFFD in their place and a warning naming how many; only a page where no codec
fits is refused.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from jingdu.errors import InputError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecodeTunables:
    """Thresholds of :func:`decode_page`."""

    #: share of undecodable bytes up to which a codec's reading is still accepted (with a warning)
    max_bad_share: float = 0.01
    #: a reading is Chinese text when this share of its non-ASCII characters are common hanzi
    min_plausible: float = 0.4
    #: a clean declared charset is kept unless a detected reading is this much more plausible
    declared_margin: float = 0.15
    #: how many bytes of the page's head are searched for a ``<meta charset>``
    declaration_window: int = 4096


TUNABLES = DecodeTunables()
#: Byte-order marks; UTF-32 first, since the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)
#: Charset names that mean "some GB encoding"; GB18030 is a superset of them all.
GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "hz-gb-2312"})
#: Codecs tried when the declaration is missing or wrong.
DETECT = ("utf-8", "gb18030", "big5")
#: Punctuation that is neither evidence for nor against a codec.
NEUTRAL = frozenset("，。、“”‘’：；！？（）《》【】…—·「」『』　\ufeff")
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Decoded:
    """A decoded input: its text, the codec used and what went wrong on the way."""

    text: str
    encoding: str
    bad_bytes: int = 0
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Trial:
    encoding: str
    text: str
    bad: int
    plausibility: float


# -- evidence -------------------------------------------------------------------------------------
@cache
def common_hanzi() -> frozenset[str]:
    """Frequent simplified and traditional characters (``data/common_hanzi.txt``)."""
    text = resources.files("jingdu").joinpath("data/common_hanzi.txt").read_text(encoding="utf-8")
    return frozenset(ch for ch in text if not ch.isspace())


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters (punctuation aside) that are common hanzi; 0 when none."""
    counts = Counter(text)
    common = common_hanzi()
    total = hits = 0
    for ch, n in counts.items():
        if ch < "\x80" or ch in NEUTRAL:
            continue
        total += n
        if ch in common:
            hits += n
    return hits / total if total else 0.0


def _normal(name: str) -> str | None:
    """The Python codec for a charset name; GB names become gb18030; None when unknown."""
    low = name.strip().strip("\"'").lower()
    if low in GB_FAMILY:
        return "gb18030"
    if low in ("big5", "big5-hkscs", "x-x-big5", "cn-big5"):
        return "big5hkscs"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _trial(data: bytes, encoding: str) -> _Trial | None:
    """``data`` read with ``encoding``; each undecodable sequence becomes one U+FFFD and counts."""
    try:
        text = data.decode(encoding, errors="replace")
    except (LookupError, UnicodeError):
        return None
    return _Trial(encoding, text, text.count("\ufffd"), plausibility(text))


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head or head.startswith(_MAGIC):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def declared_charsets(data: bytes, charset: str | None, window: int = TUNABLES.declaration_window) -> list[str]:
    """Codecs the input declares: the HTTP header's first, then the page's ``<meta>``."""
    names = [charset] if charset else []
    m = _DECLARED.search(data[:window])
    if m:
        names.append(m.group(1).decode("ascii", "ignore"))
    return list(dict.fromkeys(c for c in (_normal(n) for n in names) if c))


# -- decisions ------------------------------------------------------------------------------------
def _from_bom(data: bytes) -> Decoded | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            trial = _trial(data[len(bom):], encoding)
            assert trial is not None
            return _result(trial)
    return None


def _result(trial: _Trial) -> Decoded:
    warnings: tuple[str, ...] = ()
    if trial.bad:
        plural = "s" if trial.bad != 1 else ""
        warnings = (f"{trial.bad} byte sequence{plural} could not be decoded as {trial.encoding}; "
                    "replaced by U+FFFD",)
        log.warning(warnings[0])
    return Decoded(trial.text, trial.encoding, trial.bad, warnings)


def _acceptable(trial: _Trial, size: int, tunables: DecodeTunables) -> bool:
    return trial.bad <= max(1, size * tunables.max_bad_share)


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return _normal(best.encoding) if best is not None else None


def decode_page(data: bytes, charset: str | None = None, tunables: DecodeTunables = TUNABLES) -> Decoded:
    """Decode an input page (see the module's docstring for the order of evidence)."""
    if not data.strip():
        raise InputError("the input is empty")
    by_bom = _from_bom(data)
    if by_bom is not None:
        return by_bom
    if _looks_binary(data):
        raise InputError("this is a binary file, not text or HTML")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    detected = [t for t in (_trial(data, e) for e in DETECT) if t and _acceptable(t, len(data), tunables)]
    best = max(detected, key=lambda t: (t.plausibility, -t.bad), default=None)
    top = best.plausibility if best else 0.0
    for name in declared_charsets(data, charset, tunables.declaration_window):
        trial = _trial(data, name)
        if trial and trial.bad == 0 and trial.plausibility >= top - tunables.declared_margin:
            return _result(trial)
    if best is not None and best.plausibility >= tunables.min_plausible:
        return _result(best)
    guess = _guess(data)
    trial = _trial(data, guess) if guess else None
    if trial is not None and _acceptable(trial, len(data), tunables):
        return _result(trial)
    if best is not None:
        return _result(best)
    raise InputError("cannot tell this file's text encoding")


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """The text of an input (warnings are logged; see :func:`decode_page`)."""
    return decode_page(data, charset).text
