"""Sentences and words.

Sentences are cut exactly as the referee cuts them (``shared/eval/score.py``): at 。！？；!?;
(with closing quotes and brackets kept on the sentence) and at block boundaries.  Offsets are
into ``Doc.text``.  Words come from jieba; the words of a lexicon are found by one cached trie
regex (:func:`find_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from jingdu.model import Doc

SENT_END = frozenset("。！？；!?;")
CLOSERS = frozenset("”’」』）)】")
#: Blocks whose text is article prose (title and source line are not).
PROSE_BLOCKS = ("paragraph", "heading", "quote", "html")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    block: int  # index into Doc.blocks
    index_in_block: int
    text: str


def _cuts(text: str) -> list[int]:
    cuts = []
    for i, ch in enumerate(text):
        if ch in SENT_END:
            j = i + 1
            while j < len(text) and text[j] in CLOSERS:
                j += 1
            cuts.append(j)
    return cuts


def split_block(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence ranges of one block's text, whitespace trimmed; absolute when ``offset`` given."""
    out = []
    start = 0
    for cut in [*_cuts(text), len(text)]:
        if cut <= start:
            continue
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((offset + s, offset + e))
        start = cut
    return out


def sentences(doc: Doc, kinds: tuple[str, ...] = PROSE_BLOCKS) -> list[Sentence]:
    """All sentences of the document's prose blocks, in order."""
    out: list[Sentence] = []
    for bi, block in enumerate(doc.blocks):
        if block.kind not in kinds or block.end <= block.start:
            continue
        for k, (s, e) in enumerate(split_block(doc.block_text(block), block.start)):
            out.append(Sentence(s, e, bi, k, doc.text[s:e]))
    return out


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging
    import os
    import tempfile

    import jieba

    jieba.setLogLevel(logging.WARNING)
    # jieba caches its dictionary in one shared file of the temp folder; another user's file there
    # cannot be replaced (a traceback on every start), so each user has a cache file of their own
    uid = os.getuid() if hasattr(os, "getuid") else 0
    jieba.dt.cache_file = os.path.join(tempfile.gettempdir(), f"jieba.u{uid}.cache")
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """jieba's segmentation of ``text``."""
    return _jieba().lcut(text)


def tokenize(text: str) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) for each jieba word of ``text``."""
    return ((w, s, e) for w, s, e in _jieba().tokenize(text))


# -- lexicon matching -------------------------------------------------------------------------------
def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:
    alts = []
    end = "" in node
    for ch in sorted(k for k in node if k):
        alts.append(re.escape(ch) + _node_pattern(node[ch]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if end else body


@lru_cache(maxsize=16)
def lexicon_matcher(words: frozenset[str]) -> re.Pattern[str] | None:
    """A regex finding the longest lexicon term at each leftmost position (cached per lexicon)."""
    good = [w for w in words if w]
    if not good:
        return None
    return re.compile(_trie_pattern(good))


def find_words(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the lexicon ``words`` in ``text``, the longest at each position."""
    pat = lexicon_matcher(words)
    if pat is None:
        return []
    return [(m.start(), m.end()) for m in pat.finditer(text) if m.end() > m.start()]
