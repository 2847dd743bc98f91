"""Sentence features for the highlight and bold layers.

Every feature is cheap: regexes over the sentence, its place in the paragraph and the article,
overlap with the title and headings, policy-term density, and a character n-gram vocabulary.
Features have names so that ``--explain`` can say which weighed most.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from jingdu.model import Doc
from jingdu.segment import sentences

#: Cue patterns of a thesis sentence; (name, regex).
CUES: tuple[tuple[str, str], ...] = (
    ("cue_yao", r"要|必须|务必|应当|需要"),
    ("cue_jianchi", r"坚持|坚定|始终|牢牢|扎实|深入|全面|持续|着力|加快|推动|推进"),
    ("cue_yi_wei", r"以[^，。；]{1,12}为"),
    ("cue_cong_dao", r"从[^，。；]{1,15}到"),
    ("cue_rang", r"^让|，让|更加|更好|更高|更大"),
    ("cue_shi_de", r"是[^，。；]{2,20}的"),
    ("cue_leader", r"总书记|习近平|强调|指出|要求|指示"),
    ("cue_conclude", r"总之|因此|由此|可见|归根到底|说到底|关键在于|根本在于|核心是|本质上"),
    ("cue_enum", r"^(?:[一二三四五六七八九十]是|第[一二三四五六七八九十]|"
                 r"[（(][一二三四五六七八九十\d][)）]|\d[、.．])"),
    ("cue_bracket", r"^【|】$|^[^，。]{1,10}[：:]$"),
    ("cue_quote", r"“[^”]{2,}”"),
    ("cue_digit", r"\d"),
    ("cue_percent", r"%|％|万|亿"),
    ("cue_said", r"说[：:，]|表示|介绍"),
    ("cue_we", r"我们|我国|我省|我市"),
    ("cue_exclaim", r"[！!]$"),
    ("cue_question", r"[？?]$"),
    ("cue_metaphor", r"底气|底色|密码|答卷|名片|引擎|画卷|新篇|蓝图|路径|答案"),
    ("cue_policy", r"高质量发展|现代化|新质生产力|改革|创新|战略|体系|格局|工程"),
)
_CUE_RES = [(n, re.compile(p)) for n, p in CUES]
_PARALLEL = re.compile(r"([\u4e00-\u9fff]{1,2})[^，；。]{2,12}[，、；]\1[^，；。]{2,12}[，、；]\1")

DENSE_NAMES: tuple[str, ...] = (
    "pos_rel", "pos_first3", "pos_last3", "para_first", "para_last", "para_single", "in_heading",
    "in_quote", "len_log", "len_short", "len_long", "title_sim", "heading_sim", "terms", "terms_any",
    "parallel", "nb_para_sents", "doc_len_log", "doc_digit_share", "doc_heading_share",
    *(n for n, _ in CUES),
)


@dataclass(frozen=True, slots=True)
class SentInfo:
    """A sentence with its place in the article."""

    start: int
    end: int
    text: str
    block: int
    kind: str
    index: int  # index in the block
    count: int  # sentences in the block
    para: int  # paragraph number among prose blocks


def sentence_infos(doc: Doc) -> list[SentInfo]:
    sents = sentences(doc)
    per_block: dict[int, int] = {}
    for s in sents:
        per_block[s.block] = per_block.get(s.block, 0) + 1
    paras = {b: i for i, b in enumerate(sorted(per_block))}
    return [SentInfo(s.start, s.end, s.text, s.block, doc.blocks[s.block].kind, s.index_in_block,
                     per_block[s.block], paras[s.block]) for s in sents]


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def dense_matrix(doc: Doc, infos: list[SentInfo], term_counts: list[int]) -> np.ndarray:
    """One row of :data:`DENSE_NAMES` features per sentence."""
    n = len(infos)
    out = np.zeros((n, len(DENSE_NAMES)), dtype=np.float32)
    if not n:
        return out
    title = bigrams(doc.title)
    heading: set[str] = set()
    doc_digit = sum(1 for s in infos if any(c.isdigit() for c in s.text)) / n
    doc_head = sum(1 for s in infos if s.kind == "heading") / n
    for i, s in enumerate(infos):
        if s.kind == "heading":
            heading = bigrams(s.text)
        grams = bigrams(s.text)
        L = len(s.text)
        row = [i / max(n - 1, 1), float(i < 3), float(i >= n - 3), float(s.index == 0),
               float(s.index == s.count - 1), float(s.count == 1), float(s.kind == "heading"),
               float(s.kind == "quote"), math.log1p(L) / 5, float(L < 12), float(L > 80),
               _overlap(grams, title), _overlap(grams, heading) if s.kind != "heading" else 0.0,
               min(term_counts[i], 5) / 5, float(term_counts[i] > 0), float(bool(_PARALLEL.search(s.text))),
               min(s.count, 10) / 10, math.log1p(n) / 6, doc_digit, doc_head]
        row.extend(float(bool(rx.search(s.text))) for _, rx in _CUE_RES)
        out[i] = row
    return out


def char_ngrams(text: str) -> set[str]:
    """Character 1–3-grams of a sentence (a set: presence, not counts)."""
    t = text
    return {*t, *(t[i:i + 2] for i in range(len(t) - 1)), *(t[i:i + 3] for i in range(len(t) - 2))}


def ngram_scores(texts: list[str], weights: dict[str, float]) -> np.ndarray:
    """Sum of vocabulary weights over each text's n-grams, scaled by 1/sqrt(#grams in vocabulary)."""
    out = np.zeros(len(texts), dtype=np.float32)
    get = weights.get
    for i, t in enumerate(texts):
        vals = [v for v in map(get, char_ngrams(t)) if v is not None]
        if vals:
            out[i] = sum(vals) / math.sqrt(len(vals))
    return out
