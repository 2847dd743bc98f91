"""Page furniture: the lines and sentences of a page that are not the article and never get a mark.

Bylines and source lines (``作者：本报评论员``, ``来源：``, ``责任编辑：``, ``本文节选自《人民日报》…``),
share / QR-code / app / subscription prompts (``扫描上方图片二维码领取…``, ``点击关注``,
``长按识别``, ``点赞、在看、转发``), picture credits, labels and captions (``图片来源：``,
``（新华社记者 张三 摄）``, ``资料图``, ``图为…``), video labels (``视频：``), signatures
(``本报评论员``), the attribution line under a quotation (``——（汉）东方朔``), notes on the author,
end marks and "more to read" lines (``— END —``, ``往期推荐``) and a programme's greetings
(``主持人（…）：“晚上好。”``).  A long sentence or one that tells how a code or an app is used
is prose, not a prompt.  The reader of
the corpus marks none of them; the annotator drops every mark that touches one
(:func:`furniture_ranges`).

The rules are data: :data:`LINE_RULES` are matched against a whole line (the text of a block's
line, without leading quote marks and spaces), :data:`SENTENCE_RULES` anywhere inside a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jingdu.model import Doc

_HAN = "\u4e00-\u9fff"
#: Roles that open a byline or a credit line: ``作者：``, ``责任编辑 |``, ``图｜``.
ROLES = ("作者", "文", "撰文", "撰稿", "编辑", "责任编辑", "责编", "主编",
         "编审", "编校", "监制", "审核", "审校", "审签", "终审", "校对", "策划", "统筹", "制作", "出品", "设计",
         "美编", "视觉", "摄影", "摄像", "图", "图片", "图文", "图片来源", "图源", "配图", "封面图", "题图", "来源",
         "文章来源", "信息来源", "稿件来源", "稿源", "原标题", "原文标题", "原题", "转载自", "转自", "综合自", "整理",
         "资料来源", "数据来源", "视频来源", "视频", "音频", "供图", "文字", "排版", "版式", "美术编辑", "值班编辑",
         "本期编辑", "实习编辑", "技术编辑", "新媒体编辑", "视频编辑", "投稿", "投稿邮箱", "联系邮箱", "声明",
         "版权声明", "免责声明", "特别声明", "作者简介", "作者单位")
_ROLE = "|".join(sorted(ROLES, key=len, reverse=True))
_MEDIA = r"(?:本报|新华社|人民日报|光明日报|经济日报|央视|中新社|求是|半月谈|南方日报|《[^》]{1,12}》)"

#: (name, pattern) matched against a whole line.
LINE_RULES: tuple[tuple[str, str], ...] = (
    ("byline", rf"^[【\[（(]?(?:{_ROLE})\s*[】\]）)]?\s*[：:｜|丨/]"),
    ("source_label", r"^[【\[]\s*(?:来源|文章来源|稿件来源|信息来源|作者|编辑|责任编辑|责编|图片来源|图源)\s*[】\]]$"),
    ("byline_bare", rf"^(?:作者|撰文|撰稿|责任编辑|责编|主编|编辑)\s*[{_HAN}·]{{2,4}}"
                    rf"(?:[、，,\s]+[{_HAN}·]{{2,4}}){{0,5}}$"),
    ("byline_paren", rf"^[（(]\s*(?:{_ROLE})\s*[：:｜|丨].*[)）]$"),
    ("excerpt", r"^(?:本文|此文|文章|本篇)(?:节选|摘编|摘自|选自|转载|转自|来源|来自|刊发|刊载|原载|首发|原刊|原文)"),
    ("excerpt_bracket", r"^[（(]?(?:原载|刊于|摘自|选自|节选自|转载自|来源于)[《\w].{0,60}[)）]?$"),
    ("source_note", r"^本文(?:的)?(?:素材|内容)适用于"),
    ("reporter_line", rf"^[（(]?{_MEDIA}?(?:特约|见习)?(?:记者|通讯员|评论员)\s*[：:｜|丨]?\s*[{_HAN}·]{{2,4}}"
                      rf"(?:[、，,\s]+[{_HAN}·]{{2,4}}){{0,5}}[)）]?$"),
    ("reporter_paren", r"^[（(][^（）()]{0,30}(?:记者|通讯员)[^（）()]{0,30}[)）]$"),
    ("editor_sign", r"^[—–-]{1,2}\s*编\s*者$"),
    ("signature", rf"^{_MEDIA}?(?:杂志|日报|报|社)?(?:特约)?(?:评论员|编辑部|评论部)(?:文章)?$"),
    ("credit_line", rf"^[（(]?(?:{_MEDIA}(?:记者|通讯员)?|记者|通讯员)[^。！？]{{1,30}}摄(?:影)?[)）]?$"),
    ("link", r"原文链接|阅读原文|^链接[：:]|^https?://"),
    ("account", r"^\S{2,20}(?:微信)?公众号$|^\S{2,20}(?:微信公众号|客户端)\s*[【\[]?原文"),
    ("attribution", rf"^[—–-]{{1,2}}\s*(?:[（(〔【][^）)〕】]{{1,6}}[）)〕】]\s*[{_HAN}·]{{2,10}}(?:《[^》]{{1,30}}》)?"
                    rf"|《[^》]{{1,30}}》[^。！？]{{0,30}}"
                    rf"|\d{{4}}年[^。！？]{{0,50}}|[{_HAN}·]{{2,6}}(?:[《(（][^。！？]{{0,30}})?)$"),
    ("picture", r"^(?:图为|上图|下图|左图|右图|图\s*\d+|图[：:])[^！？]{0,80}"
                r"(?:摄|供图|提供|来源[^。]*)[)）]?\s*$"),
    ("picture_caption", r"^[（(]?(?:图为|上图为|下图为|左图为|右图为)(?!何|什么|啥)[^！？]{2,58}$"),
    ("picture_label", r"^[（(【]?(?:资料图|资料图片|资料照片|示意图|效果图|网络图片|配图|题图|封面图)[)）】]?$"),
    ("editor_paren", r"^[（(](?:完|本文完|全文完)[)）]$"),
    ("caption", rf"(?:(?:记者|通讯员)\s*[{_HAN}·]{{2,4}}(?:[\s、，,]+[{_HAN}·]{{2,4}})*\s*摄(?:影)?"
                rf"|[（(][^（）()。]{{0,30}}(?:摄|供图|资料图片|资料图|图片来源[^（）()。]*)[)）])\s*$"),
    ("author_note", r"^[（(]?作者(?:单位|简介|系|为|是|现任|现为)"),
    ("end", r"^[—–\-=·\s]*(?:END|THE END|The End|End|完|全文完|本文完)[—–\-=·\s]*$"),
    ("more", r"^[▼▽↓\s]*(?:往期推荐|往期回顾|往期精选|推荐阅读|相关阅读|延伸阅读|猜你喜欢|热门推荐|精彩推荐"
             r"|更多精彩)[▼▽↓：:\s]*$"),
    ("greeting", r"^(?:[男女]?主持人|主播|播音员)[（(][^）)]{1,8}[）)][：:]\s*[“\"]?"
                 r"(?:各位观众|观众朋友们|亲爱的观众朋友)?[，,]?(?:晚上好|早上好|上午好|中午好|下午好|大家好|你们好|您好|再见|明天见|欢迎收看)"),
)
#: (name, pattern) matched anywhere in a sentence: prompts and credits.
SENTENCE_RULES: tuple[tuple[str, str], ...] = (
    ("qr", r"(?:扫描|扫|长按|识别)[^。！？]{0,8}(?:二维码|小程序码)[^。！？]{0,12}(?:关注|领取|下载|获取|订阅|进入|加入"
           r"|报名|观看|阅读|查看|了解|收看)|扫码(?:关注|领取|下载|获取|订阅|进入|加入|报名|观看|阅读|查看|了解|收看)"
           r"|扫一扫|长按识别|识别图中"),
    ("click", r"点击(?:关注|上方|下方|蓝字|右上角|右下角|左下角|阅读原文|“?在看|“?赞|订阅|链接|图片"
              r"|这里|此处|进入|下载|收藏|查看|文末|卡片)"),
    ("share", r"^\W{0,3}(?:点赞|点个赞|在看|转发|分享|收藏)[、，,和与\s]*(?:点赞|在看|转发|分享|收藏)"),
    ("follow", r"关注(?:我们|公众号|本号|本公众号|微信号|视频号|抖音号)|加(?:个)?星标|设为星标"
               r"|星标(?:置顶|公众号|我们|本号)|置顶公众号|点个赞|点个?“在看|(?:欢迎|记得)(?:关注|订阅|转发|分享|点赞|留言)|分享到朋友圈|转发给"),
    ("app", r"下载[^。！？，]{0,10}客户端|(?:客户端|APP|App|app)(?:扫码|订阅)"
            r"|(?:打开|下载)[^。！？，]{0,10}(?:客户端|APP|App|app)[，,]?\s*(?:查看|阅读|观看|看|了解更多|获取)"),
    ("subscribe", r"订阅号|后台回复|回复关键词|回复“|留言区|评论区留言"
                  r"|(?:领取|免费领|获取)[^。！？]{0,12}(?:资料|讲义|题库|课程|福利)"),
    ("credit", r"[（(][^（）()。]{0,30}摄[)）]|[（(][^（）()。]{0,20}(?:供图|图片来源|图源)[^（）()。]{0,20}[)）]"
               r"|图片来源[：:]|视觉中国|图虫创意|东方IC|[（(]资料(?:图片|图|照片)[)）]"
               rf"|(?:记者|通讯员)\s*[{_HAN}·]{{2,4}}(?:[\s、，,]+[{_HAN}·]{{2,4}})*\s*摄(?:影)?\s*$"),
    ("placeholder", r"点击按钮后(?:要)?显示的(?:文字|内容)|(?:请|点击|在此|在这里)输入(?:标题|正文|文字|内容)"),
    ("copyright", r"版权归(?:原作者|作者|原)|如有侵权|侵删|未经授权不得转载|转载请注明|禁止转载"),
)
_LINE = [(n, re.compile(p)) for n, p in LINE_RULES]
_SENT = [(n, re.compile(p)) for n, p in SENTENCE_RULES]
_LEAD = re.compile(r"^[\s>\u3000*#·•]+")
#: A line that explains something (the source of a quotation and what it means) is prose.
_PROSE = re.compile(r"意思是|意为|是指|指的是")
#: A line this long is prose, whatever it starts with (an article may open "记者从…获悉，…").
MAX_LINE = 90
#: A prompt is short; a longer sentence that speaks of scanning a code or an app is prose
#: ("消费者扫描二维码即可查看产品的产地…").  Credits and copyright notes have no such limit.
MAX_PROMPT = 60
_UNCAPPED = ("credit", "copyright")
#: Telling how something works is prose, not a prompt: "市民可通过扫描二维码进入系统", "下载到本地客户端".
_DESCRIBES = re.compile(r"(?:通过|只需|只要|可以|即可|就能|便可)(?:扫描|扫码|扫一扫|长按|下载|打开)|下载到|扫描了")


def line_rule(line: str) -> str | None:
    """The name of the furniture rule a whole line matches, or None."""
    text = _LEAD.sub("", line).strip()
    if not text or len(text) > MAX_LINE or _PROSE.search(text):
        return None
    for name, rx in _LINE:
        if rx.search(text):
            return name
    return None


def sentence_rule(sentence: str) -> str | None:
    """The name of the prompt or credit rule a sentence matches, or None."""
    short = len(sentence.strip()) <= MAX_PROMPT and not _DESCRIBES.search(sentence)
    for name, rx in _SENT:
        if (short or name in _UNCAPPED) and rx.search(sentence):
            return name
    return None


def is_furniture(text: str) -> bool:
    """Whether a line or sentence is page furniture."""
    return line_rule(text) is not None or sentence_rule(text) is not None


def furniture_ranges(doc: Doc, sentences: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of ``doc.text`` that are furniture: each line of a block that a
    :data:`LINE_RULES` rule matches, and each of ``sentences`` (start, end) that holds a prompt or
    a credit (:data:`SENTENCE_RULES`)."""
    out: list[tuple[int, int]] = []
    text = doc.text
    for b in doc.blocks:
        pos = b.start
        for line in text[b.start:b.end].split("\n"):
            if line_rule(line) is not None:
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
    for a, e in sentences:
        if sentence_rule(text[a:e]) is not None:
            out.append((a, e))
    return out


def touches(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps one of ``ranges``."""
    return any(start < e and s < end for s, e in ranges)
