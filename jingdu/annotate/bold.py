"""Bold: candidates of several kinds (figures, clauses with figures, people with titles, labels,
lexicon phrases, whole sentences) scored by one classifier, then kept greedily, best first,
without overlaps."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jingdu.annotate.features import SentInfo
from jingdu.annotate.lexicon import Minus, TermStats
from jingdu.segment import find_words

KINDS = ("figure", "clause", "person", "label", "term", "sent")
_NUM = r"(?:\d+(?:[.,，]\d+)*|[一二三四五六七八九十百千万两]+(?=[万亿千百]?[个家项名位座条所批次倍]))"
_UNIT = (r"(?:%|％|个百分点|多?[万亿千百]*(?:元|美元|人次|人|家|个|项|件|部|公里|千米|米|毫米|平方米|平方公里|亩|吨|"
         r"倍|条|所|座|台|架|辆|艘|批|场|次|户|名|位|款|类|种|秒|小时|分钟|天|年|千瓦|瓦|度|辆次|标箱|GW|G|kg)|[万亿]+)")
FIGURE = re.compile(rf"(?:[超近约达逾共总计增长下降突破]{{0,2}}){_NUM}{_UNIT}(?:以上|左右|多)?")
#: A key figure for the fallback (:func:`key_spans`): a number with digits and a unit, with the
#: qualifier before it (达/超过/增长/提高到…) and after it (以上/左右).
KEY_FIGURE = re.compile(r"(?:同比|累计|年均)?"
                        r"(?:增长|下降|提高到|提升至|降至|达到|超过|突破|接近|达|超|近|约|逾|共|增|降)?"
                        r"\d+(?:\.\d+)?(?:%|％|个百分点|倍|多?[万亿千百]*(?:元|美元|人次|人|家|个|项|件|座|公里|千米|平方米|"
                        r"平方公里|亩|吨|条|所|台|辆|艘|批|户|名|位|款|种|千瓦|标箱)|[万亿]+)(?:以上|左右|多)?")
DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|前?[一二三四]季度|上半年|全年)?")
_TITLES = (r"(?:书记|副书记|省长|副省长|市长|副市长|区长|县长|镇长|主任|副主任|部长|总经理|董事长|院长|局长|厅长|"
           r"主席|总裁|负责人|所长|校长|经理|教授|研究员|总工程师|总监|创始人|首席科学家|党委书记|村支书|支书)")
_AFTER_NAME = r"(?=[说表介认指强在，。：:、（(和与]|$)"
PERSON = re.compile(rf"(?:[\u4e00-\u9fff]{{2,14}}){_TITLES}[\u4e00-\u9fff]{{2,3}}{_AFTER_NAME}")
#: Sentences that may hold a :data:`PERSON` (its title): only those are searched for one.
HAS_TITLE = re.compile(_TITLES)
LABEL = re.compile(r"^(?:【[^】]{1,12}】|[（(][一二三四五六七八九十\d]{1,2}[)）][^，。：]{0,20}[。：]?|"
                   r"[^，。：:“”]{1,10}[：:])")
CLAUSE_CUT = re.compile(r"[，；：:,;。！？]")
NAMES: tuple[str, ...] = (
    *(f"kind_{k}" for k in KINDS), "len_log", "len_short", "len_long", "has_digit", "prior", "marked_log",
    "hl_prob", "sent_share", "para_first", "in_heading", "sent_short", "enum_start", "doc_digit", "doc_terms",
    "red_prior", "first_occ", "doc_rate",
)


@dataclass(frozen=True, slots=True)
class Cand:
    start: int
    end: int
    kind: str
    sent: int
    term: str = ""


def _clauses(s: SentInfo) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in CLAUSE_CUT.finditer(s.text)), len(s.text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b - a >= 4]


def _sentence_cands(k: int, s: SentInfo) -> list[Cand]:
    out = [Cand(s.start, s.end, "sent", k)]
    figs = [(m.start(), m.end()) for m in FIGURE.finditer(s.text) if any(c.isdigit() for c in m.group())
            or len(m.group()) >= 2]
    for a, b in figs:
        d = DATE.search(s.text, max(0, a - 12), a)
        a2 = d.start() if d and d.end() >= a - 1 else a
        out.append(Cand(s.start + a2, s.start + b, "figure", k))
    for a, b in _clauses(s):
        if any(a <= fa < b for fa, _ in figs) and b - a < len(s.text):
            out.append(Cand(s.start + a, s.start + b, "clause", k))
    if HAS_TITLE.search(s.text):
        for m in PERSON.finditer(s.text):
            out.append(Cand(s.start + m.start(), s.start + m.end(), "person", k))
    m = LABEL.match(s.text)
    if m and m.end() < len(s.text):
        out.append(Cand(s.start + m.start(), s.start + m.end(), "label", k))
    return out


def candidates(text: str, infos: Sequence[SentInfo], words: frozenset[str]) -> list[Cand]:
    out: list[Cand] = []
    for k, s in enumerate(infos):
        out.extend(_sentence_cands(k, s))
        for a, b in find_words(s.text, words):
            out.append(Cand(s.start + a, s.start + b, "term", k, s.text[a:b]))
    return out


def features(cands: Sequence[Cand], infos: Sequence[SentInfo], stats: TermStats, red: TermStats,
             hl_probs: np.ndarray, minus: Minus | None = None,
             red_minus: Minus | None = None) -> np.ndarray:
    """One row of :data:`NAMES` per candidate; ``minus`` and ``red_minus`` remove the article's own
    counts from the bold and red term statistics (leave-one-article-out while training)."""
    X = np.zeros((len(cands), len(NAMES)), dtype=np.float32)
    n = max(len(infos), 1)
    doc_digit = sum(any(map(str.isdigit, s.text)) for s in infos) / n
    doc_terms = sum(c.kind == "term" for c in cands) / n
    seen: Counter[str] = Counter()
    digits = [_digit_offsets(s.text) for s in infos]  # per sentence: the offsets of its digits
    opening = [float(bool(_OPENING.match(s.text))) for s in infos]
    for i, c in enumerate(cands):
        s = infos[c.sent]
        L = c.end - c.start
        where = digits[c.sent]
        marked, seen_n, docs, present = stats.counts(c.term, minus)
        red_marked, red_seen, _, _ = red.counts(c.term, red_minus)
        prior = (marked + 0.1) / (seen_n + 1.0) if c.term else 0.0
        doc_rate = (docs + 0.1) / (present + 1.0) if c.term else 0.0
        red_prior = (red_marked + 0.1) / (red_seen + 1.0) if c.term else 0.0
        seen[c.term] += 1
        onehot = [float(c.kind == k) for k in KINDS]
        X[i] = (*onehot, math.log1p(L) / 4, float(L <= 4), float(L > 40),
                _has_digit(where, c.start - s.start, c.end - s.start), prior, math.log1p(max(marked, 0)) / 4,
                float(hl_probs[c.sent]), L / max(len(s.text), 1), float(s.index == 0), float(s.kind == "heading"),
                float(len(s.text) < 25), opening[c.sent],
                doc_digit, min(doc_terms, 3.0), red_prior, float(bool(c.term) and seen[c.term] == 1), doc_rate)
    return X


_OPENING = re.compile(r"[（(【]|[一二三四五六七八九十]是|第")


def _digit_offsets(text: str) -> list[int]:
    """The offsets of the characters of ``text`` that are digits (``str.isdigit``)."""
    if not any(map(str.isdigit, text)):
        return []
    return [i for i, ch in enumerate(text) if ch.isdigit()]


def _has_digit(offsets: list[int], start: int, end: int) -> float:
    """Whether a digit lies in ``[start, end)``, given the sorted ``offsets`` of the digits."""
    k = bisect_left(offsets, start)
    return float(k < len(offsets) and offsets[k] < end)


def text_of(s: SentInfo, c: Cand) -> str:
    return s.text[c.start - s.start:c.end - s.start]


#: The fallback marks at most this many key figures in an article (its first figures with units:
#: what the README promises bold marks; in CV they cost 0.005 F1 on the other notes, where the
#: reader leaves most such articles without bold).
KEY_FIGURES = 2


#: The fallback marks at most this many named people.
KEY_PEOPLE = 1


def key_spans(infos: Sequence[SentInfo], taken: Sequence[tuple[int, int]], limit: int = KEY_FIGURES,
              people: int = KEY_PEOPLE) -> list[tuple[int, int, str]]:
    """Bold for an article the model leaves without bold: named people with their titles (the
    first mention of each) and up to ``limit`` key figures with their units and qualifiers (the
    first ones of the article's body), none overlapping ``taken``."""
    out: list[tuple[int, int, str]] = []
    busy = list(taken)
    names: set[str] = set()

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in busy)

    for s in infos:
        if s.kind == "heading" or not HAS_TITLE.search(s.text):
            continue
        for m in PERSON.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            if m.group() not in names and len(names) < people and free(a, b):
                names.add(m.group())
                out.append((a, b, "person"))
                busy.append((a, b))
    figures = 0
    for s in infos:
        if figures >= limit:
            break
        if s.kind == "heading":
            continue
        for m in KEY_FIGURE.finditer(s.text):
            a, b = s.start + m.start(), s.start + m.end()
            if free(a, b):
                out.append((a, b, "figure"))
                busy.append((a, b))
                figures += 1
                if figures >= limit:
                    break
    return out
