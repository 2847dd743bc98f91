"""Bytes to text: BOMs, declared charsets that lie, GBK/GB18030 pages, binary files."""

from __future__ import annotations

import re

from jingdu.errors import InputError

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)
_CHINESE_LEGACY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return not (head.startswith((b"\xff\xfe", b"\xfe\xff")))
    if head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode an input, trusting UTF-8 first (pages often declare GB2312 and are UTF-8)."""
    if not data.strip():
        raise InputError("the input is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if _looks_binary(data):
        raise InputError("this is a binary file, not text or HTML")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    declared = charset or ""
    m = _DECLARED.search(data[:4096])
    if m:
        declared = declared or m.group(1).decode("ascii", "ignore")
    if declared:
        candidates.append("gb18030" if declared.lower() in _CHINESE_LEGACY else declared)
    candidates += ["gb18030", "big5"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell this file's text encoding")
    return str(best)
