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
    doc_digit = sum(1 for s in infos if any(map(str.isdigit, s.text))) / n
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


# -- extra highlight features: section structure, rhetoric, figures, neighbours ---------------------
EXTRA_CUES: tuple[tuple[str, str], ...] = (
    ("cue_leader_said", r"总书记[^，。；]{0,12}(?:强调|指出|要求|提出)"),
    ("cue_notonly", r"不仅[^。；]{1,40}(?:更|还|也)|既[^。；]{1,30}又|不是[^。；]{1,30}而是"),
    ("cue_key", r"关键|根本|核心|首要|重中之重|必由之路|必然要求|重要抓手|题中应有"),
    ("cue_shows", r"这表明|这说明|这意味着|充分证明|实践证明|事实证明|历史证明"),
    ("cue_list4", r"[\u4e00-\u9fff]{2,4}、[\u4e00-\u9fff]{2,4}、[\u4e00-\u9fff]{2,4}"),
    ("cue_source", r"记者|编辑|来源|原标题|作者|通讯员|责编|图片|摄"),
    ("cue_date", r"\d{1,2}月\d{1,2}日|\d{4}年|日前|近日|上午|下午"),
)
_EXTRA_RES = [(n, re.compile(p)) for n, p in EXTRA_CUES]
_NUM = re.compile(r"\d+(?:\.\d+)?")
#: Features of a neighbour sentence appended for the previous and the next one.
NEIGHBOUR_BASE: tuple[str, ...] = ("len_log", "cue_yao", "cue_jianchi", "cue_digit", "terms_any", "para_first",
                                   "in_heading", "cue_leader", "title_sim")

#: 申论 topic pages (背景介绍 / 理清脉络 / 金句 sections): the reader marks their numbered point labels
#: "（1）补齐短板。" and the 金句 paragraph, little else.
TOPIC_NAMES: tuple[str, ...] = ("point_label", "jinju", "doc_topic", "topic_other")
_POINT_LABEL = re.compile(r"^[（(][一二三四五六七八九十\d]{1,2}[)）][^，；。]{2,20}。?$")
_JINJU = re.compile(r"^金句[：:]")
_TOPIC_HEADING = re.compile(r"背景介绍|话题初探|理清脉络|热点关联|提出对策")


def point_labels(infos: list[SentInfo]) -> np.ndarray:
    """Which sentences are numbered point labels standing alone: （1）补齐城市建设短板。"""
    return np.array([s.count == 1 and bool(_POINT_LABEL.match(s.text)) for s in infos], dtype=bool)


def topic_page(infos: list[SentInfo], labels: np.ndarray | None = None) -> bool:
    """Whether the article is a 申论 topic page: a topic heading, or at least three point labels."""
    labels = point_labels(infos) if labels is None else labels
    return bool(labels.sum() >= 3 or any(s.kind == "heading" and _TOPIC_HEADING.search(s.text) for s in infos))


def topic_matrix(doc: Doc, infos: list[SentInfo]) -> np.ndarray:
    """:data:`TOPIC_NAMES` per sentence: point labels, the 金句 paragraph, and whether the article
    is a 申论 topic page (a topic heading, or at least three point labels)."""
    out = np.zeros((len(infos), len(TOPIC_NAMES)), dtype=np.float32)
    label = point_labels(infos)
    jinju = np.array([bool(_JINJU.match(doc.text[doc.blocks[s.block].start:s.end].lstrip())) for s in infos],
                     dtype=bool)
    topic = topic_page(infos, label)
    out[:, 0], out[:, 1], out[:, 2] = label, jinju, float(topic)
    out[:, 3] = float(topic) * ~(label | jinju)
    return out


HL_EXTRA_NAMES: tuple[str, ...] = (
    *(n for n, _ in EXTRA_CUES), "sec_first", "sec_para_log", "para_rel", "last_para", "short_topic",
    "nums_log", "nums_many", "len_rel", "title_sim_rank", "heading_next", *TOPIC_NAMES,
    *(f"prev_{n}" for n in NEIGHBOUR_BASE), *(f"next_{n}" for n in NEIGHBOUR_BASE),
)
#: Genre of the wording (commentary vs news bigrams) and rarity (bigram IDF) over unmarked posts.
LEX_NAMES: tuple[str, ...] = ("genre_mean", "genre_max", "idf_mean", "unknown_share")
_RAW_NAMES: tuple[str, ...] = (*DENSE_NAMES, *HL_EXTRA_NAMES, *LEX_NAMES)
#: The raw features, then the same features minus their article mean (a within-article ranking).
HL_NAMES: tuple[str, ...] = (*_RAW_NAMES, *(f"dm_{n}" for n in _RAW_NAMES))


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def han_bigrams(text: str) -> set[str]:
    """Bigrams of two Chinese characters."""
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


@dataclass(frozen=True)
class _LexArrays:
    """A wording table as sorted integer keys of its bigrams with their genre and IDF."""

    table: dict[str, list[float]]
    keys: np.ndarray
    genre: np.ndarray
    idf: np.ndarray
    unknown_idf: float  # the table's largest IDF, for bigrams it does not hold


_LEX_ARRAYS: dict[int, _LexArrays] = {}
_SHIFT = np.uint64(21)  # a code point fits in 21 bits: a bigram's key is (first << 21) | second


def _lex_arrays(lex: dict[str, list[float]]) -> _LexArrays:
    """The table's arrays, built once per table (it is the same for every article)."""
    hit = _LEX_ARRAYS.get(id(lex))
    if hit is not None and hit.table is lex:
        return hit
    grams = [g for g in lex if len(g) == 2]
    keys = np.array([(ord(g[0]) << 21) | ord(g[1]) for g in grams], dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    arrays = _LexArrays(lex, keys[order], np.array([lex[g][0] for g in grams], dtype=np.float64)[order],
                        np.array([lex[g][1] for g in grams], dtype=np.float64)[order],
                        max((v[1] for v in lex.values()), default=0.0))
    if len(_LEX_ARRAYS) > 8:
        _LEX_ARRAYS.clear()
    _LEX_ARRAYS[id(lex)] = arrays
    return arrays


def _han_bigram_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, bigram key) of every distinct bigram of two Chinese characters in each text."""
    joined = "\n".join(texts)  # a newline after every text: no bigram crosses two texts
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    text_of = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in texts])[:len(codes) - 1]
    pair = han[:-1] & han[1:]
    keys = (codes[:-1] << _SHIFT) | codes[1:]
    rows, keys = text_of[pair].astype(np.uint64), keys[pair]
    both = np.unique((rows << np.uint64(42)) | keys)  # distinct per text, as han_bigrams' sets
    return (both >> np.uint64(42)).astype(np.int64), both & np.uint64((1 << 42) - 1)


def lex_matrix(texts: list[str], lex: dict[str, list[float]] | None) -> np.ndarray:
    """:data:`LEX_NAMES` per text from a table bigram -> [genre log-ratio, idf] (zeros without one):
    every text's distinct Chinese bigrams looked up at once (as :func:`han_bigrams` finds them)."""
    out = np.zeros((len(texts), len(LEX_NAMES)), dtype=np.float32)
    if not lex or not texts:
        return out
    table = _lex_arrays(lex)
    rows, keys = _han_bigram_keys(texts)
    if not len(keys):
        return out
    n = len(texts)
    pos = np.minimum(np.searchsorted(table.keys, keys), max(len(table.keys) - 1, 0))
    found = table.keys[pos] == keys if len(table.keys) else np.zeros(len(keys), dtype=bool)
    grams = np.bincount(rows, minlength=n).astype(np.float64)
    known = np.bincount(rows[found], minlength=n).astype(np.float64)
    genre = table.genre[pos[found]]
    genre_sum = np.bincount(rows[found], weights=genre, minlength=n)
    genre_max = np.full(n, -np.inf)
    np.maximum.at(genre_max, rows[found], genre)
    idf = np.bincount(rows[found], weights=table.idf[pos[found]], minlength=n) + table.unknown_idf * (grams - known)
    has, some = grams > 0, known > 0
    out[some, 0] = genre_sum[some] / known[some] / 3
    out[some, 1] = genre_max[some] / 5
    out[has, 2] = idf[has] / grams[has] / 5
    out[has, 3] = (grams[has] - known[has]) / grams[has]
    return out


def highlight_matrix(doc: Doc, infos: list[SentInfo], term_counts: list[int],
                     lex: dict[str, list[float]] | None = None) -> np.ndarray:
    """One row of :data:`HL_NAMES` per sentence: :func:`dense_matrix`, :data:`HL_EXTRA_NAMES`,
    :data:`LEX_NAMES`, then all of them minus their article mean."""
    raw = _raw_matrix(doc, infos, term_counts, lex)
    return np.hstack([raw, raw - raw.mean(axis=0)]) if len(raw) else np.zeros((0, len(HL_NAMES)), np.float32)


def _raw_matrix(doc: Doc, infos: list[SentInfo], term_counts: list[int],
                lex: dict[str, list[float]] | None) -> np.ndarray:
    base = dense_matrix(doc, infos, term_counts)
    n = len(infos)
    extra = np.zeros((n, len(HL_EXTRA_NAMES) - 2 * len(NEIGHBOUR_BASE) - len(TOPIC_NAMES)), dtype=np.float32)
    if not n:
        return np.zeros((0, len(_RAW_NAMES)), dtype=np.float32)
    n_para = max(s.para for s in infos) + 1
    last_para = infos[-1].para
    lens = np.array([len(s.text) for s in infos], dtype=np.float32)
    mean_len = float(lens.mean()) or 1.0
    ts = base[:, DENSE_NAMES.index("title_sim")]
    ranks = np.empty(n, dtype=np.float32)
    ranks[np.argsort(-ts, kind="stable")] = np.arange(n, dtype=np.float32) / max(n - 1, 1)
    sec_para = 0
    prev_para = -1
    after_heading = True
    for i, s in enumerate(infos):
        if s.kind == "heading":
            after_heading, sec_para = True, 0
        elif s.para != prev_para:
            sec_para += 1
        sec_first = float(s.kind != "heading" and after_heading and s.index == 0)
        if s.kind != "heading" and s.index == s.count - 1:
            after_heading = False
        prev_para = s.para
        nums = len(_NUM.findall(s.text))
        row = [float(bool(rx.search(s.text))) for _, rx in _EXTRA_RES]
        row += [sec_first, math.log1p(sec_para) / 3, s.para / max(n_para - 1, 1), float(s.para == last_para),
                float(s.index == 0 and s.count <= 2 and len(s.text) < 25 and s.kind != "heading"),
                math.log1p(nums) / 2, float(nums >= 3), min(lens[i] / mean_len, 3.0) / 3, float(ranks[i]),
                float(i + 1 < n and infos[i + 1].kind == "heading")]
        extra[i] = row
    cols = [DENSE_NAMES.index(c) for c in NEIGHBOUR_BASE]
    nb = base[:, cols]
    pad = np.zeros((1, len(cols)), dtype=np.float32)
    prev = np.vstack([pad, nb[:-1]])
    nxt = np.vstack([nb[1:], pad])
    return np.hstack([base, extra, topic_matrix(doc, infos), prev, nxt, lex_matrix([s.text for s in infos], lex)])
