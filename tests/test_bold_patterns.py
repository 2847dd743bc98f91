"""Bold's candidate patterns: named people with their titles, and labels that end where the label
ends (never in the middle of a word)."""

from __future__ import annotations

import pytest

from jingdu.annotate import bold as B


@pytest.mark.parametrize(("text", "person"), [
    ("某县县委书记周明远说，今年要抓好三件事。", "某县县委书记周明远"),
    ("市农业农村局副局长欧阳晓峰介绍，全市新建高标准农田12万亩。", "市农业农村局副局长欧阳晓峰"),
    ("中共某省委书记林志强在调研时指出，要稳住农业基本盘。", "中共某省委书记林志强"),
    ("会议由市人大常委会主任马永刚主持。", "市人大常委会主任马永刚"),
    ("合作社负责人张明说：“今年收成好。”", "合作社负责人张明"),
    ("国家主席习近平致贺信。", None),  # the name comes before the next word, not after the title
    ("他还会见了某国总理府部长陈德胜等人。", "某国总理府部长陈德胜"),
])
def test_a_person_is_an_organisation_a_title_and_a_name(text: str, person: str | None) -> None:
    found = [m.group() for m in B.PERSON.finditer(text)]
    if person is None:
        assert all("习近平" not in f for f in found)
    else:
        assert found == [person]


@pytest.mark.parametrize("text", [
    "青禾镇各村认真学习总书记重要回信，茶农干劲更足了。",
    "正如总书记深刻阐明的，山区小村也能走出茶旅新路。",
    "总书记多次叮嘱要把茶叶这片小叶子做好。",
    "大家反复研读总书记关于社区养老服务的论述。",
    "大会执行主席根据议程宣布进入下一项。",
    "本月采购经理指数回升至荣枯线以上。",
    "国家主席郑重提出全球发展倡议。",
    "公司负责人介绍，今年订单增长明显。",
    "我们在上海市长宁区走访了三个社区。",
    "中方将积极支持轮值主席国工作。",
])
def test_a_title_followed_by_a_verb_an_adverb_or_a_place_is_no_person(text: str) -> None:
    assert [m.group() for m in B.PERSON.finditer(text)] == []


def test_the_organisation_stops_at_a_function_word() -> None:
    text = "代表团在北京会见了某国议会副主席陈光明。"
    assert [m.group() for m in B.PERSON.finditer(text)] == ["某国议会副主席陈光明"]


@pytest.mark.parametrize(("text", "label"), [
    ("（一）从村史看茶园，青禾茶是几代人的心血。", "（一）从村史看茶园"),
    ("（1）补齐城市建设短板。城市更新要久久为功。", "（1）补齐城市建设短板。"),
    ("【观点】基层治理要把群众放在心上。", "【观点】"),
    ("记者手记：一座小城的夜市经济。", "记者手记："),
])
def test_a_label_ends_at_its_own_boundary(text: str, label: str) -> None:
    m = B.LABEL.match(text)
    assert m is not None and m.group() == label


def test_a_numbered_point_longer_than_a_label_is_not_cut_in_a_word() -> None:
    text = "（四）围绕打造山区特色茶旅融合示范带推动青禾镇各村茶园提档升级并持续完善配套设施和服务机制，要坚持久久为功。"
    m = B.LABEL.match(text)
    assert m is None or text[m.end()] in "，；。：" or m.group()[-1] in "。："
