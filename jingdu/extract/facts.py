"""Figures as facts: find numbers with units in ``Doc.text`` and normalise them.

A fact is a number a writer would cite: an amount (元), a count (家, 项, 件 …), a measure
(秒, 毫米 …), a growth (增长 9.7%), a share (占 35%) or a rank (居全国首位).  ``value`` is in the
base unit (``3.83万亿元`` → ``3.83e12`` 元; percentages stay in ``%``); a decline is negative.
Only the spans found here are converted (never a whole-text transform), so phrases such as
统一零售价 are never read as numbers.

Never a fact: years and dates on their own (``2025年``), ordinals (``第七批``), list numbers,
names with digits (``问界M9``, ``“20+8”``, ``2.0版``, ``“1310”``), orders of magnitude
(``万亿级``) and small Chinese numerals used as classifiers (``一部手机``, ``三大动力``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jingdu.extract.record import as_dict
from jingdu.model import Doc
from jingdu.segment import split_block

# -- vocabulary ------------------------------------------------------------------------------
QUALIFIERS = ("超过", "高于", "突破", "超出", "将近", "接近", "大约", "达到", "高达", "多达", "不足", "不到",
              "低于", "超", "逾", "近", "约", "达", "仅")
#: Qualifiers that are verbs ("总产值达…"): kept as the qualifier but left out of the surface.
VERB_QUALIFIERS = frozenset({"达", "达到", "高达", "多达"})
DOWN_VERBS = ("下降", "减少", "降低", "回落", "下滑", "下跌")
UP_VERBS = ("增长", "增加", "提高", "提升", "上升", "上涨", "扩大")
GROWTH_BASES = ("比去年同期", "较去年同期", "比上年", "较上年", "同比", "环比")
CURRENCIES = ("美元", "欧元", "港元", "日元", "英镑", "元")
MEASURES = ("平方公里", "平方千米", "平方米", "立方米", "千瓦时", "公里", "千米", "毫米", "厘米", "微米", "纳米",
            "毫秒", "秒", "分钟", "个小时", "小时", "个月", "千克", "公斤", "兆瓦", "吉瓦", "千瓦", "公顷", "米", "吨",
            "亩", "天", "周", "岁", "标准箱", "倍")
COUNTS = ("万人次", "人次", "家", "个", "项", "件", "人", "名", "位", "户", "座", "所", "台", "辆", "架", "艘",
          "部", "款", "种", "条", "场", "次", "处", "套", "株", "棵", "头", "只", "本", "篇", "份", "例", "栋",
          "支", "枚", "颗", "张", "批", "家次")
PERCENTS = ("个百分点", "%", "％")
UNITS = tuple(sorted({*CURRENCIES, *MEASURES, *COUNTS, *PERCENTS}, key=len, reverse=True))
MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = (r"(?:[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*|[百千万亿][千万亿]*)"
       r"(?:点[零〇一二三四五六七八九]+)?")
_NUMEXPR = rf"(?:{_AR}(?:多|余)?(?:万亿|亿|万|千(?![米克瓦]))?|{_CN})(?:多|余)?"
FACT_RE = re.compile(
    rf"(?P<growth>(?:{_alt(GROWTH_BASES)})?(?:{_alt(UP_VERBS + DOWN_VERBS)})了?)?"
    rf"(?P<qual>{_alt(QUALIFIERS)})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<n1>{_NUMEXPR})"
    rf"(?:(?P<u1>{_alt(UNITS)})?(?P<sep>至|到|—{{1,2}}|~|～|-)(?P<n2>{_NUMEXPR}))?"
    rf"(?P<unit>{_alt(UNITS)})?"
)
_BAD_AFTER = re.compile(r"[级版型代号年A-Za-z0-9+＋.]")
_BAD_BEFORE = re.compile(r"[第A-Za-z0-9+＋.·'’]$")
_RANK_NUM = r"(?:首位|第[一二三四五六七八九十\d]++位?)(?![届次批期轮章条款号个名])"
RANK_RE = re.compile(
    rf"(?P<verb>(?:位|稳|跃|继续|仍)?居|位列|排名|名列|排在)?"
    rf"(?P<scope>全国|全省|全球|世界|全市|全区|全行业|亚洲|同类城市)[\u4e00-\u9fff“”]{{0,4}}?"
    rf"(?P<rank>{_RANK_NUM})"
    rf"|(?P<verb2>位居|位列|排名|名列|跃居|居)(?P<rank2>{_RANK_NUM})"
)
PERIOD_RE = re.compile(
    r"截至\s*(?:\d{4}年)?(?:\d{1,2}月)?(?:底|末|目前)?"
    r"|\d{4}年(?:前三季度|前[一二三]季度|第?[一二三四]季度|上半年|下半年|全年|前\d{1,2}个?月|\d{1,2}[-—至]\d{1,2}月"
    r"|\d{1,2}月份?|以来)"
    r"|\d{4}[—-]\d{4}年|\d{4}年(?=[，,])"
    r"|(?:今年|去年|上年)?(?:前三季度|上半年|下半年|[一二三四]季度|前\d{1,2}个月)"
    r"|(?:今年|去年)以来"
    r"|“十[一二三四五六]五”(?:期间|以来|时期)?"
    r"|(?:过去|近)[一二三四五六七八九十\d]+年(?:来|间)?"
)
_SUBJECT_CUT = ("拥有", "共有", "已有", "累计", "其中", "据统计", "目前", "现有")
_SUBJECT_LEAD = r"^(?:在|其|这|而|并|且|共|均|已|都|将|还|又)"
_FOLLOW_CUT = re.compile(r"[，。；：、！？,;:（(]|入围|入选|上榜|参与|落户|完成|实现|获得")


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure.  ``start``/``end`` are offsets of ``surface`` in ``Doc.text``."""

    surface: str
    value: float | int
    unit: str
    qualifier: str | None
    kind: str
    period: str | None
    subject: str | None
    sentence: str
    start: int
    end: int
    high: float | int | None = None  # upper bound of a range (``value`` is the lower one)

    def to_dict(self) -> dict[str, object]:
        data = as_dict(self)
        if data["high"] is None:
            del data["high"]
        return data


# -- numbers -----------------------------------------------------------------------------------
def cn_to_decimal(text: str) -> Decimal:
    """A Chinese numeral (三千三百, 两万, 四万亿, 三点五) as a Decimal."""
    whole, _, frac = text.partition("点")
    total, section, num = Decimal(0), Decimal(0), Decimal(0)
    for ch in whole:
        if ch in CN_DIGITS:
            num = Decimal(CN_DIGITS[ch])
        elif ch in CN_UNITS:
            section += (num or 1) * CN_UNITS[ch]
            num = Decimal(0)
        elif ch == "万":
            section = (section + num or 1) * 10000
            num = Decimal(0)
        elif ch == "亿":
            total = (total + section + num or 1) * Decimal(10) ** 8
            section = num = Decimal(0)
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    value = total + section + num
    if frac:
        value += Decimal("0." + "".join(str(CN_DIGITS[c]) for c in frac))
    return value


def number_value(expr: str) -> tuple[Decimal, bool, str | None]:
    """(value, has magnitude, approx suffix) of one number expression such as ``3.83万亿`` or ``300多``."""
    approx = next((s for s in ("多", "余") if s in expr), None)
    core = expr.replace("多", "").replace("余", "")
    m = re.fullmatch(rf"({_AR})(万亿|亿|万|千)?", core)
    if m:
        base = Decimal(m.group(1).replace(",", ""))
        mag = m.group(2)
        return (base * MAGNITUDES[mag] if mag else base), bool(mag), approx
    has_mag = any(c in core for c in "万亿") or (len(core) > 1 and any(c in core for c in "百千"))
    return cn_to_decimal(core), has_mag, approx


def _plain(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


# -- classification ----------------------------------------------------------------------------
def _kind(unit: str, growth: str | None) -> str:
    if growth:
        return "growth"
    if unit in PERCENTS:
        return "share"
    if unit in CURRENCIES:
        return "amount"
    if unit in MEASURES:
        return "measure"
    return "count"


def _is_name(text: str, start: int, end: int) -> bool:
    """Digits that name something: 问界M9, “20+8”, 2.0版, “1310”, 第七批."""
    before, after = text[max(0, start - 1):start], text[end:end + 1]
    if _BAD_BEFORE.search(before) or _BAD_AFTER.match(after):
        return True
    return before in "“\"" and after in "”\""


def _unit(m: re.Match[str]) -> str:
    return "%" if m.group("pct") else m.group("unit") or ""


def _rejected(m: re.Match[str], text: str) -> bool:
    unit = _unit(m)
    n1 = m.group("n1")
    if m.group("pct"):
        return False
    if _is_name(text, m.start("n1"), m.end()):
        return True
    if unit in ("个月", "天", "周") and text[max(0, m.start() - 1):m.start()] in ("前", "头", "后") \
            and not m.group("qual"):
        return True  # 前11个月, 头两周: a period, not a figure
    if not unit:
        # only "1.4万" style numbers stand without a unit
        return not re.fullmatch(rf"{_AR}(?:多|余)?(?:万亿|亿|万)(?:多|余)?", n1 or "")
    if re.match(r"[百千万亿]", n1) and not m.group("qual"):
        return True  # 千百家, 万家灯火: only 超千亿元 (with a qualifier) is a figure
    if re.match(r"[一二两三四五六七八九十]", n1) and not (m.group("qual") or m.group("growth")):
        value, has_mag, _ = number_value(n1)
        if value < 10 and not has_mag and unit not in PERCENTS:
            return True  # 一部手机, 三个场景: a classifier, not a figure
    return False


def _surface_start(m: re.Match[str]) -> int:
    qual = m.group("qual")
    if m.group("growth"):
        return m.start("growth")
    if qual and qual not in VERB_QUALIFIERS:
        return m.start("qual")
    return m.start("pct") if m.group("pct") else m.start("n1")


# -- context: period and subject ---------------------------------------------------------------
def find_period(sentence: str, upto: int) -> str | None:
    """The last time expression in ``sentence[:upto]`` (2025年前三季度, 截至2024年底 …)."""
    found = [p.group(0) for p in PERIOD_RE.finditer(sentence[:upto]) if len(p.group(0)) > 1]
    return found[-1] if found else None


#: A verb of ratio, comparison or origin before "…的" and the figure: 县域面积占全省的71.7%,
#: 收入从2015年的1.2万元…: what is measured is the part before it.
_RATIO_VERB = re.compile(r"(?:占|是|为|相当于|不低于|不超过|不足|超过|低于|高于|从|由|把|携)"
                         r"(?=[^占是为从由把携]*的$)")


def _before_ratio(head: str) -> str:
    """``head`` cut before a ratio verb when it ends in 的 (``广东县域面积占全省的`` → ``广东县域面积``)."""
    if not head.endswith("的"):
        return head
    m = _RATIO_VERB.search(head)
    kept = re.sub(r"(?:仅|已|约|还|也|均|都|则|将)$", "", head[:m.start()]) if m else ""
    return kept if len(kept) >= 2 else head


def find_subject(sentence: str, start: int, end: int, period: str | None) -> str | None:
    """What a figure measures: the clause before it, trimmed of time words and verbs."""
    head = re.split(r"[，,：:；;。、（(]", sentence[:start])[-1]
    if period and period in head:
        before, _, head = head.rpartition(period)
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", before) and not re.match(_SUBJECT_LEAD, before):
            head = before + head  # 深圳2025年前三季度规上工业总产值: the place stays in the subject
    for cut in _SUBJECT_CUT:
        if cut in head:
            head = head.split(cut)[-1]
    head = re.sub(_SUBJECT_LEAD, "", head).strip(" 　“”")
    head = _before_ratio(head)
    head = re.sub(r"(?:有|是|为)$", "", head)
    tail = _FOLLOW_CUT.split(sentence[end:], maxsplit=1)[0].strip()[:12]
    if len(head) > 2 or not tail:
        return head or None
    return head + tail


# -- the finder --------------------------------------------------------------------------------
def _sentences(doc: Doc) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for b in doc.blocks:
        if b.kind in ("title", "paragraph", "heading", "quote", "html") and b.end > b.start:
            out.extend(split_block(doc.block_text(b), b.start))
    return out


def _fact(m: re.Match[str], sent: str, offset: int) -> Fact:
    unit = _unit(m)
    growth = m.group("growth")
    value, _, _ = number_value(m.group("n1"))
    high = number_value(m.group("n2"))[0] if m.group("n2") else None
    if growth and any(v in growth for v in DOWN_VERBS):
        value = -value
        high = -high if high is not None else None
    start = _surface_start(m)
    period = find_period(sent, start)
    return Fact(
        surface=sent[start:m.end()], value=_plain(value), unit=unit, qualifier=m.group("qual"),
        kind=_kind(unit, growth), period=period, subject=find_subject(sent, m.start(), m.end(), period),
        sentence=sent, start=offset + start, end=offset + m.end(),
        high=_plain(high) if high is not None else None,
    )


def _rank(m: re.Match[str], sent: str, offset: int) -> Fact:
    rank = m.group("rank") or m.group("rank2")
    num = rank.strip("第位")
    value = 1 if rank == "首位" else (int(num) if num.isdigit() else int(cn_to_decimal(num)))
    period = find_period(sent, m.start())
    return Fact(surface=m.group(0), value=value, unit="位", qualifier=None, kind="rank", period=period,
                subject=find_subject(sent, m.start(), m.end(), period), sentence=sent,
                start=offset + m.start(), end=offset + m.end())


def sentence_facts(sent: str, offset: int = 0) -> list[Fact]:
    """Facts of one sentence; offsets are shifted by ``offset``."""
    out: list[Fact] = []
    for m in FACT_RE.finditer(sent):
        if not _rejected(m, sent):
            out.append(_fact(m, sent, offset))
    taken = [(f.start, f.end) for f in out]
    for m in RANK_RE.finditer(sent):
        s, e = offset + m.start(), offset + m.end()
        if not any(s < te and ts < e for ts, te in taken):
            out.append(_rank(m, sent, offset))
    return sorted(out, key=lambda f: f.start)


def find_facts(doc: Doc) -> list[Fact]:
    """All facts of the document (title included), in text order."""
    out: list[Fact] = []
    for s, e in _sentences(doc):
        out.extend(sentence_facts(doc.text[s:e], s))
    return out
