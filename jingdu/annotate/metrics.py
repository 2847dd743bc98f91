"""The referee's metric (``shared/eval/score.py``), reimplemented so that jingdu works without
``../shared``: highlight P/R/F1 over sentences (a sentence counts when >= 50% of its characters
are highlighted), bold and red P/R/F1 over spans (a predicted span is correct when its overlap
with one unused gold span is >= 50% of the longer one), text compared with whitespace removed.

Notes are compared as written text (``write_note`` output), exactly as the referee reads files.
A test checks this module against ``score.py`` on corpus notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from jingdu.model import HIGHLIGHT_COLOUR
from jingdu.segment import CLOSERS, SENT_END

HL, B, RED, U = "hl", "b", "red", "u"
_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "li")
Counts = dict[str, tuple[int, int, int]]


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.out: list[tuple[str, frozenset[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        style = a.get("style", "").replace(" ", "").lower()
        kind = None
        if (tag == "span" and f"background:{HIGHLIGHT_COLOUR}" in style) or tag == "mark":
            kind = HL
        elif tag in ("strong", "b"):
            kind = B
        elif tag == "font" and a.get("color", "").lower() in ("#ff0000", "red"):
            kind = RED
        elif tag == "u":
            kind = U
        if tag not in ("br", "img", "hr", "meta", "input"):
            self.stack.append((tag, kind))
        if tag in ("br", *_BLOCK_TAGS):
            self.out.append(("\n", frozenset()))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i]
                break
        if tag in _BLOCK_TAGS:
            self.out.append(("\n", frozenset()))

    def handle_data(self, data: str) -> None:
        kinds = frozenset(k for _, k in self.stack if k)
        self.out.extend((ch, kinds) for ch in data)


def _md_inline(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text, flags=re.S)
    return re.sub(r"==(.+?)==", r"<mark>\1</mark>", text, flags=re.S)


def body(text: str) -> str:
    """The note without the site footer that follows the last '---' line."""
    text = text.replace("\r\n", "\n")
    m = re.search(r"\n---\n\s*\n?> 作者", text)
    return text[: m.start()] if m else text


def parse(text: str) -> list[tuple[str, frozenset[str]]]:
    out: list[tuple[str, frozenset[str]]] = []
    in_fence = False
    for line in body(text).split("\n"):
        if line.strip().startswith("```"):
            in_fence = not in_fence
            out.append(("\n", frozenset()))
            continue
        if in_fence:
            continue
        p = _Inline()
        p.feed(_md_inline(line))
        p.close()
        out.extend(p.out)
        out.append(("\n", frozenset()))
    return out


def chars(text: str) -> tuple[list[tuple[str, frozenset[str]]], list[int]]:
    """Whitespace-free characters with their layers, and block boundaries."""
    seq: list[tuple[str, frozenset[str]]] = []
    bounds: list[int] = []
    pending_break = False
    for ch, kinds in parse(text):
        if ch == "\n":
            pending_break = True
            continue
        if ch.isspace() or ch == "\u3000":
            continue
        if pending_break and seq:
            bounds.append(len(seq))
        pending_break = False
        seq.append((ch, kinds))
    return seq, bounds


def sentences(seq: list[tuple[str, frozenset[str]]], bounds: Iterable[int]) -> list[tuple[int, int]]:
    cuts = set(bounds)
    for i, (ch, _) in enumerate(seq):
        if ch in SENT_END:
            j = i + 1
            while j < len(seq) and seq[j][0] in CLOSERS:
                j += 1
            cuts.add(j)
    ordered = sorted(c for c in cuts if 0 < c < len(seq)) + [len(seq)]
    start, out = 0, []
    for c in ordered:
        if c - start >= 4:
            out.append((start, c))
        start = c
    return out


def spans(seq: list[tuple[str, frozenset[str]]], layer: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for i, (_, k) in enumerate([*seq, ("", frozenset())]):
        if layer in k and start is None:
            start = i
        elif layer not in k and start is not None:
            out.append((start, i))
            start = None
    return out


def match_spans(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    used: set[int] = set()
    tp = 0
    for ps, pe in pred:
        for gi, (gs, ge) in enumerate(gold):
            if gi in used:
                continue
            ov = min(pe, ge) - max(ps, gs)
            if ov > 0 and ov >= 0.5 * max(pe - ps, ge - gs):
                used.add(gi)
                tp += 1
                break
    return tp


def prf(tp: int, npred: int, ngold: int) -> dict[str, float | int]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "pred": npred, "gold": ngold}


def score_pair(gold_text: str, pred_text: str) -> Counts | None:
    """(tp, pred, gold) per layer key, or None when the words differ."""
    g, gb = chars(gold_text)
    p, _ = chars(pred_text)
    if "".join(c for c, _ in g) != "".join(c for c, _ in p):
        return None
    res: Counts = {}
    sents = sentences(g, gb)
    gl = [sum(HL in g[i][1] for i in range(s, e)) / (e - s) >= 0.5 for s, e in sents]
    pl = [sum(HL in p[i][1] for i in range(s, e)) / (e - s) >= 0.5 for s, e in sents]
    res[HL] = (sum(a and b for a, b in zip(gl, pl, strict=True)), sum(pl), sum(gl))
    for layer in (B, RED):
        gs, ps = spans(g, layer), spans(p, layer)
        res[layer] = (match_spans(ps, gs), len(ps), len(gs))
    return res


def total(pairs: Iterable[tuple[str, str]]) -> dict[str, object]:
    """Micro-averaged scores over (gold note, predicted note) texts, as the referee reports them."""
    tot = {HL: [0, 0, 0], B: [0, 0, 0], RED: [0, 0, 0]}
    mismatch = 0
    files = 0
    for gold, pred in pairs:
        files += 1
        r = score_pair(gold, pred)
        if r is None:
            mismatch += 1
            base = score_pair(gold, gold) or {}
            r = {k: (0, 0, v[2]) for k, v in base.items()}
        for k, v in r.items():
            for i in range(3):
                tot[k][i] += v[i]
    return {"files": files, "text_mismatch": mismatch, "highlight_sentences": prf(*tot[HL]),
            "bold_spans": prf(*tot[B]), "red_spans": prf(*tot[RED])}
