"""Page furniture is recognised (many variants written here) and never marked; prose is not furniture."""

from __future__ import annotations

import pytest

from jingdu.annotate.furniture import furniture_ranges, is_furniture, line_rule, sentence_rule
from jingdu.notation import read_note

FURNITURE_LINES = [
    "作者：本报评论员", "> 作者：本报评论员", "作者: 王小明", "作者：高大山 李小河（作者单位：某某研究院）",
    "本文节选自《江南日报》2024年6月3日", "> 本文节选自《光明日报》2024年3月1日 05 版", "本文摘编自《求是》杂志",
    "本文来源：新华网", "文章来源：央视新闻客户端", "来源：人民日报", "来源 | 新华社", "【来源：经济日报】",
    "（来源：光明网）", "责任编辑：张三", "责编：李四 王五", "编辑：赵六", "编辑 | 钱七", "监制：孙八", "审核：周九",
    "校对：吴十", "统筹 / 郑一", "原标题：《奋力谱写新篇章》", "图片来源：网络", "图源：视觉中国", "图｜新华社",
    "（新华社记者 张三 摄）", "新华社记者 张三 摄", "（本报记者 王五）", "本报记者 李青 王河", "新华社记者 陈明",
    "记者：刘洋", "（通讯员 黄一 李二）", "本报评论员", "人民日报评论员", "《南方》杂志编辑部",
    "江南日报微信公众号 原文链接", "阅读原文", "——（汉）东方朔", "——鲁迅", "——《论语·学而》",
    "——2024年3月8日在市人民代表大会上的讲话", "扫描上方图片二维码领取全套资料", "点击关注，获取更多精彩内容",
    "长按识别二维码关注我们", "扫码下载客户端", "下载人民日报客户端，看更多新闻", "欢迎转发分享", "点个“在看”吧",
    "点击蓝字关注我们", "设为星标，不错过每一篇推送", "后台回复“申论”领取资料", "版权归原作者所有，如有侵权请联系删除",
    "图为市民在公园游玩。（新华社记者 李明 摄）", "上图：工人在车间作业（张三 摄）", "（完）",
    "本文素材适用于乡村治理类申论题目", "转载请注明出处",
    # a second batch, written after the rules and measured before they were widened (17 of 66 missed then)
    "排版：陈晨", "▲ 5月12日，志愿者在湖边清理垃圾。江南日报记者 林一舟 摄", "图为工人在车间作业。（资料图片）",
    "星标我们，第一时间收到推送", "打开江南日报客户端，看更多精彩内容", "本期编辑：小鹿", "— END —", "END",
    "往期推荐", "推荐阅读", "声明：本文仅代表作者观点，不代表本平台立场", "投稿邮箱：tougao@example.cn",
    "（作者单位：江南省委党校）", "（作者系江南大学研究员）", "作者简介：王某某，江南大学教授",
    "——（宋）苏轼《题西林壁》", "文字：张三 | 图片：李四 | 编辑：王五",
    "男主持人（高远）：“各位观众，晚上好。”", "> 作者林海潮", "撰文 王小明 李大山", "女主持人（林溪）：“晚上好。”", "主持人（周航）：观众朋友们，再见！",
    # a third batch (eleventh session): a source label alone on its line, editors' placeholder text
    "[来源]", "> 【来源】", "【作者】", "【责任编辑】", "原题：青山村的新茶", "此处是点击按钮后要显示的内容",
    "请输入标题", "点击输入正文", "——编 者", "—— 编　者",
    # a fourth batch (twelfth session): share prompts, picture labels and captions, video labels
    "点赞、在看、转发，支持一下！", "转发、收藏，让更多人看到", "↓ 点赞 在看 ↓", "资料图", "（资料图片）", "【示意图】",
    "图为江南县的示范基地。王小明 摄", "图为青山村村民在茶园采茶。", "（上图为改造后的老街）", "视频：江南县乡村振兴纪实",
    "音频 | 今日早读",
]
PROSE = [
    "记者从江南港务集团获悉，上半年港口货物吞吐量增长8%。",
    "记者从市交通运输局了解到，今年全市新开通公交线路18条。",
    "记者来到社区时，志愿者们正在厨房里忙碌。",
    "——面对汛期连续强降雨的严峻考验，全县干部群众众志成城。",
    "稳就业是保民生的头等大事。",
    "患者来院后在自助机上登记，随后就诊。",
    "调度主任金浩一刻不停地盯着装船进度。",
    "作风建设永远在路上，永远没有休止符。",
    "编辑部门要严把质量关。", "作者在书中写道：“土地是农民的根。”",
    "好的家风是一个家庭最宝贵的财富。",
    "来自全国各地的代表齐聚一堂。",
    "编辑出版工作要坚持正确导向。",
    "图书馆全年接待读者120万人次。",
    "今年以来，我省新增市场主体27万家，同比增长11.6%。",
    "来源：《孟子》，意思是做事要顺应时势、把握时机。",
    "海外学者谈青山村的茶园为何越种越好",
    "任何用户未经授权不能访问这些资源。",
    "老李说，装上“江南办事”APP后，跑窗口的次数少了一大半。",
    "病人扫描诊室门口张贴的二维码完成签到。",
    "商户普遍支持扫码支付，游客购物十分便捷。",
    "主持人在节目中说，乡村振兴要靠产业带动。",
    "作者在书中回忆了当年修路的艰辛。",
    "文字是文明传承的载体。",
    "记者张敏摄下了这感人的一幕。",
    "推荐阅读书目已在图书馆门口公布。",
    "新平台今天上线，居民可通过扫描社区公告栏上的二维码进入平台，写下想反映的事情，街道据此安排下一步走访。",
    "【设计】", "【原标题】", "【原标题里的故事】", "——编者的话写在这里就显得太长了，不是署名", "市民在窗口输入身份证号后即可查询。", "村民点击按钮后，屏幕显示出当天的菜价。",
    "这项便民举措上线后赢得了不少居民点赞。", "视频会议系统已覆盖全部乡镇。",
    "资料图显示，这座桥建于上世纪六十年代。", "图为何能成为数据分析的主角，值得研究。",
    "其中一种协议会把服务器上的邮件下载到本地客户端，另一种则直接在服务器上管理邮件，两者各有长处，也各有适用场合。",
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

    lines = ["本文节选自《江南日报》2024年6月3日", "作者：本报评论员", "来源：新华社", "责任编辑：王小明",
             "扫描上方图片二维码领取全套资料", "点击关注，长按识别二维码", "图片来源：新华社"]
    body = "\n\n".join(
        [f"> {lines[0]}", f"> {lines[1]}",
         "今年以来，全省新增经营主体27万家，同比增长11.6%，“百千万工程”扎实推进。",
         "必须把群众的急难愁盼放在心上，一件一件抓落实。",
         "各地要把节约集约用地落实到项目审批的每个环节。", *lines[2:]])
    doc = read_note(f"# 推动高质量发展\n\n{body}\n")
    out = annotate(doc, replace=True)
    for sp in out.all_spans():
        if sp.origin == "model":
            assert not is_furniture(out.span_text(sp)), out.span_text(sp)
            assert not any(out.span_text(sp) in line or line in out.span_text(sp) for line in lines)
    assert out.text == doc.text
