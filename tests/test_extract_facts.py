"""Figures as facts, one behaviour per case, on sentences written for these tests."""

from __future__ import annotations

import pytest

from jingdu.extract.facts import cn_to_decimal, find_facts, sentence_facts
from jingdu.notation import read_note


def one(sentence: str) -> dict[str, object]:
    facts = sentence_facts(sentence)
    assert len(facts) == 1, [f.surface for f in facts]
    return facts[0].to_dict()


@pytest.mark.parametrize(("sentence", "value", "unit", "qualifier", "kind"), [
    ("全市新增企业1234家。", 1234, "家", None, "count"),                      # Arabic
    ("累计建成10,500个站点。", 10500, "个", None, "count"),                   # thousands separator
    ("全年接待游客三千三百人次。", 3300, "人次", None, "count"),               # Chinese numeral
    ("新增就业岗位两万个。", 20000, "个", None, "count"),                      # 两万
    ("地区生产总值达1.25万亿元。", 1.25e12, "元", "达", "amount"),            # 万亿
    ("财政收入620.5亿元。", 6.205e10, "元", None, "amount"),                  # 亿
    ("项目总投资约3万元。", 30000, "元", "约", "amount"),                      # 万
    ("实际利用外资四亿美元。", 4e8, "美元", None, "amount"),                    # Chinese 亿, dollars
    ("全县有耕地超过三千亩。", 3000, "亩", "超过", "measure"),                  # 千 in a Chinese numeral
    ("研发投入占比2.8%。", 2.8, "%", None, "share"),                          # percent
    ("研发投入强度为百分之三。", 3, "%", None, "share"),                        # 百分之
    ("城镇化率提高1.2个百分点。", 1.2, "个百分点", None, "growth"),             # 个百分点
    ("外贸进出口同比增长6.5%。", 6.5, "%", None, "growth"),                    # 同比增长
    ("能耗环比下降3%。", -3, "%", None, "growth"),                             # decline is negative
    ("产量增长2倍。", 2, "倍", None, "growth"),                                # 倍
    ("新建道路逾80公里。", 80, "公里", "逾", "measure"),                       # 逾
    ("全市常住人口近1800万。", 1.8e7, "", "近", "count"),                      # magnitude without unit
    ("全省超千亿元产业集群增多。", 1e11, "元", "超", "amount"),                # 千亿 after a qualifier
    ("每3.5秒下线一辆车。", 3.5, "秒", None, "measure"),                      # measure
])
def test_figure_patterns(sentence: str, value: float, unit: str, qualifier: str | None, kind: str) -> None:
    fact = one(sentence)
    assert fact["value"] == pytest.approx(value)
    assert (fact["unit"], fact["qualifier"], fact["kind"]) == (unit, qualifier, kind)


@pytest.mark.parametrize(("sentence", "low", "high", "unit"), [
    ("单价在3万至5万元之间。", 30000, 50000, "元"),
    ("增速保持在5%—6%。", 5, 6, "%"),
    ("每年新增20~30家。", 20, 30, "家"),
])
def test_ranges(sentence: str, low: float, high: float, unit: str) -> None:
    fact = one(sentence)
    assert (fact["value"], fact["high"], fact["unit"]) == (low, high, unit)


@pytest.mark.parametrize(("sentence", "value"), [
    ("全市电子信息产业规模居全国首位。", 1),
    ("该市专利授权量位居全国第一。", 1),
    ("外贸总额排名全省第三。", 3),
])
def test_ranks(sentence: str, value: int) -> None:
    fact = one(sentence)
    assert (fact["kind"], fact["value"], fact["unit"]) == ("rank", value, "位")


@pytest.mark.parametrize("sentence", [
    "2024年，全市经济稳中向好。",                 # a bare year
    "10月1日起施行新规。",                       # a date
    "第七批名单近日公布。",                       # an ordinal
    "1. 坚持稳中求进。",                          # a list number
    "新款问界M9亮相车展。",                       # a name with digits
    "打造“20+8”产业集群。",                      # a quoted formula
    "推出服务平台2.0版。",                        # a version
    "落实省委“1310”具体部署。",                  # a quoted number as a name
    "市场潜力达万亿级。",                         # an order of magnitude
    "一部手机连起一张网。",                       # classifiers
    "推动三大动力协同发力。",                     # a numbered formula
    "统一零售价格。",                            # cn2an's trap
    "全国第十二届运动会开幕。",                   # an ordinal after a scope word
    "千百家企业协同发展。",                       # 千百 is not a number
])
def test_non_facts(sentence: str) -> None:
    assert sentence_facts(sentence) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("三千三百", 3300), ("两万", 20000), ("四万亿", 4 * 10**12), ("一亿两千万", 120_000_000),
    ("十五", 15), ("千亿", 10**11), ("三点五", 3.5),
])
def test_chinese_numerals(text: str, expected: float) -> None:
    assert cn_to_decimal(text) == pytest.approx(expected)


@pytest.mark.parametrize(("sentence", "period", "subject"), [
    ("2025年前三季度，全市规上工业总产值达1.2万亿元。", "2025年前三季度", "全市规上工业总产值"),
    ("截至2024年底，全县累计建成5G基站超3000个。", "截至2024年底", "建成5G基站"),
    ("“十四五”期间，全省新增高速公路1500公里。", "“十四五”期间", "全省新增高速公路"),
    ("上半年，港口集装箱吞吐量增长8.1%。", "上半年", "港口集装箱吞吐量"),
    # a ratio or "from" verb before "…的" and the figure: what is measured is before it
    ("2024年，江城县域面积占全市的71%。", "2024年", "江城县域面积"),
    ("今年的分红金额为去年同期的1.5倍。", None, "今年的分红金额"),
    ("青溪村村民人均收入从五年前的8600元起步。", None, "青溪村村民人均收入"),
    ("货运时间将从现在的12小时缩短。", None, "货运时间"),
])
def test_period_and_subject(sentence: str, period: str, subject: str) -> None:
    fact = one(sentence)
    assert (fact["period"], fact["subject"]) == (period, subject)


def test_surface_offsets_and_sentence() -> None:
    doc = read_note("# 示例\n\n　　开篇一句。全市新增企业超1200家，同比增长12%。\n")
    facts = find_facts(doc)
    assert [f.surface for f in facts] == ["超1200家", "同比增长12%"]
    for f in facts:
        assert doc.text[f.start:f.end] == f.surface
        assert f.sentence == "全市新增企业超1200家，同比增长12%。"


def test_title_figures_count() -> None:
    doc = read_note("# 近两万亿元！某市制造业提质\n\n　　正文一句。\n")
    assert [(f.value, f.qualifier) for f in find_facts(doc)] == [(2 * 10**12, "近")]
