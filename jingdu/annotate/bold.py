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
_TITLES = (r"(?:总书记|(?<!总)书记|副书记|省长|副省长|市长|副市长|区长|县长|镇长|主任|副主任|部长|总经理|董事长|"
           r"院长|局长|厅长|主席|总裁|负责人|所长|校长|经理|教授|研究员|总工程师|总监|创始人|首席科学家|党委书记|村支书|支书)")
#: What follows a name: a verb of speech, a preposition, punctuation (and never a place: 上海市长宁区).
_AFTER_NAME = (r"(?<![区县市省镇村乡])(?=说|表示|介绍|认为|指出|强调|告诉|坦言|透露|谈到|提出|主持|出席|带领|率|称|"
               r"在|等|代表|时|一行|[，。：:、（(和与]|$)")
#: Common Chinese surnames (single characters, then compound ones): the name after a title starts
#: with one, so that a title followed by a verb or an adverb (总书记 + 深刻, 主席 + 根据) is no
#: person.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
            "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
            "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
            "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎"
            "甄丛仲虞敖巩明佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝区"
            "郜海阚花权帅屠豆朴盖练廉禹井祖漆巴丰支卿狄平计索宣晋相初门云容敬扈晁芮都普阙浦戈伏鹿薄邸雍辜"
            "羊乌母裘亓修邰赫杭况宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於居揭干但尉冶斯元束檀衣信展"
            "阴昝智幸奉植衡富尧闭由逄")
_COMPOUND_SURNAMES = "欧阳|司马|诸葛|上官|东方|皇甫|令狐|慕容|尉迟|夏侯|长孙|宇文|司徒|公孙|端木|独孤|呼延"
#: Words that follow a title where a name would (总书记多次强调): never a name.
_NOT_NAMES = (r"(?!强调|指出|表示|介绍|认为|要求|说|多次|近日|同志|一行|特别|等人|同时|关于|明确|席就|鲜明|"
              r"都|也|还|又|就|再|已|亲自|亲切|郑重|高度|充分|贺电|简历|谈到|时)")
_NAME = rf"{_NOT_NAMES}(?:(?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}}?|[{SURNAMES}][\u4e00-\u9fff]{{1,2}}?)"
#: The organisation before a title: Chinese characters, not across a function word (的/在/向/同…).
_ORG = r"(?:(?!以及|还有|会见|包括|[的在向同应对要而让从被把给为将于是了与并由])[\u4e00-\u9fff]){2,14}?"
PERSON = re.compile(rf"{_ORG}{_TITLES}{_NAME}{_AFTER_NAME}")
#: Sentences that may hold a :data:`PERSON` (its title): only those are searched for one.
HAS_TITLE = re.compile(_TITLES)
LABEL = re.compile(r"^(?:【[^】]{1,12}】|[（(][一二三四五六七八九十\d]{1,2}[)）][^，。：；]{0,30}(?:[。：]|(?=[，；]))|"
                   r"[^，。：:“”]{1,10}[：:])")
#: A lead-in to a quotation (习近平总书记指出：, 孟子说：) is no label: the reader bolds labels, never these.
QUOTE_INTRO = re.compile(r"(?:指出|强调|表示|说|提出|要求|认为|写道|谈到|坦言|介绍|提到|宣布|回忆|称|讲|明确)[：:]$")
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
    if m and m.end() < len(s.text) and not QUOTE_INTRO.search(m.group()):
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
