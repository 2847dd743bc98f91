"""Page furniture is recognised (many variants written here) and never marked; prose is not furniture."""

from __future__ import annotations

import pytest

from jingdu.annotate.furniture import furniture_ranges, is_furniture, line_rule, sentence_rule
from jingdu.notation import read_note

FURNITURE_LINES = [
    "作者：本报评论员", "> 作者：本报评论员", "作者: 王小明", "作者：高大山 李小河（作者单位：某某研究院）",
    "本文节选自《人民日报》2025年10月29日", "> 本文节选自《光明日报》2024年3月1日 05 版", "本文摘编自《求是》杂志",
    "本文来源：新华网", "文章来源：央视新闻客户端", "来源：人民日报", "来源 | 新华社", "【来源：经济日报】",
    "（来源：光明网）", "责任编辑：张三", "责编：李四 王五", "编辑：赵六", "编辑 | 钱七", "监制：孙八", "审核：周九",
    "校对：吴十", "统筹 / 郑一", "原标题：《奋力谱写新篇章》", "图片来源：网络", "图源：视觉中国", "图｜新华社",
    "（新华社记者 张三 摄）", "新华社记者 张三 摄", "（本报记者 王五）", "本报记者 李青 王河", "新华社记者 陈明",
    "记者：刘洋", "（通讯员 黄一 李二）", "本报评论员", "人民日报评论员", "《南方》杂志编辑部",
    "南方杂志微信公众号 原文链接", "阅读原文", "——（汉）东方朔", "——鲁迅", "——《论语·学而》",
    "——2025年1月15日在省人民代表大会上", "扫描上方图片二维码领取全套资料", "点击关注，获取更多精彩内容",
    "长按识别二维码关注我们", "扫码下载客户端", "下载人民日报客户端，看更多新闻", "欢迎转发分享", "点个“在看”吧",
    "点击蓝字关注我们", "设为星标，不错过每一篇推送", "后台回复“申论”领取资料", "版权归原作者所有，如有侵权请联系删除",
    "图为市民在公园游玩。（新华社记者 李明 摄）", "上图：工人在车间作业（张三 摄）", "（完）",
    "本文的素材适用于生态保护话题", "转载请注明出处",
]
PROSE = [
    "记者从国铁集团获悉，今年前三季度，全国铁路发送旅客35亿人次。",
    "记者从人力资源社会保障部了解到，2025年全国城镇新增就业1200万人。",
    "记者来到社区时，志愿者们正在厨房里忙碌。",
    "——面对外部压力加大、内部困难增多的复杂严峻形势，我们迎难而上。",
    "高质量发展是全面建设社会主义现代化国家的首要任务。",
    "患者来院后在自助机上登记，随后就诊。",
    "调度主任金浩一刻不停地盯着装船进度。",
    "作风建设永远在路上，永远没有休止符。",
    "文化是一个国家、一个民族的灵魂。",
    "来自全国各地的代表齐聚一堂。",
    "编辑出版工作要坚持正确导向。",
    "图书馆全年接待读者120万人次。",
    "今年以来，我省新增市场主体27万家，同比增长11.6%。",
    "来源：《管子》，意思是治理国家的方法，首先必须使百姓富裕起来。",
    "国际人士点赞中国创新发展为世界注入新动能",
    "任何用户未经授权不能访问这些资源。",
    "小张回忆，下载“粤商通”APP后，材料提交全程电子化。",
    "患者扫描医院提供的二维码进行注册。",
    "商户普遍支持扫码支付，游客购物十分便捷。",
]


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line), line


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_not_furniture(line: str) -> None:
    assert line_rule(line) is None and sentence_rule(line) is None, line


def test_ranges_cover_furniture_lines_only() -> None:
    doc = read_note("# 标题\n\n> 作者：本报评论员\n\n高质量发展是首要任务。扫描上方二维码领取资料。\n\n"
                    "责任编辑：张三\n")
    from jingdu.annotate.features import sentence_infos

    got = [doc.text[a:b] for a, b in furniture_ranges(doc, [(s.start, s.end) for s in sentence_infos(doc)])]
    assert "作者：本报评论员" in got and "责任编辑：张三" in got
    assert any(g.startswith("扫描上方二维码") for g in got)
    assert not any("高质量发展" in g for g in got)


def test_annotator_marks_no_furniture() -> None:
    from jingdu.annotate import annotate

    lines = ["本文节选自《人民日报》2025年10月29日", "作者：本报评论员", "来源：新华社", "责任编辑：王小明",
             "扫描上方图片二维码领取全套资料", "点击关注，长按识别二维码", "图片来源：新华社"]
    body = "\n\n".join(
        [f"> {lines[0]}", f"> {lines[1]}",
         "今年以来，全省新增经营主体27万家，同比增长11.6%，“百千万工程”扎实推进。",
         "必须坚持以人民为中心的发展思想，坚定不移推动高质量发展。",
         "各地要把新发展理念贯穿发展全过程和各领域，加快构建新发展格局。", *lines[2:]])
    doc = read_note(f"# 推动高质量发展\n\n{body}\n")
    out = annotate(doc, replace=True)
    for sp in out.all_spans():
        if sp.origin == "model":
            assert not is_furniture(out.span_text(sp)), out.span_text(sp)
            assert not any(out.span_text(sp) in line or line in out.span_text(sp) for line in lines)
    assert out.text == doc.text
