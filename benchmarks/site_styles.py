"""Pages in the styles of Chinese sites no jingdu rule knows, with their hand-made reference bodies.

Each style is written after the furniture real sites put around an article: a government site's
table layout with its 来源/发布时间/字号 bar and 【打印本页】【关闭窗口】, a local news site in GB2312
with a 排行榜 column and a 相关新闻 list, a portal with comments, share bars and hot lists, a page
split over several pages, a mobile page with 展开全文 and recommendation cards of summaries, a
short brief beside a long hot list, a body of ``<br>`` lines without ``<p>``, a page that declares
gb2312 but holds GBK with a few broken bytes.  The articles are our own
(``benchmarks/site_articles.py``); the reference body of a page is its article's paragraphs (and
its image captions where the page shows them), never the title, dateline, editor or furniture.

The styles were written before jingdu was run on them, to judge the generic extractor on layouts it
was not tuned on (its tunables were set on the gne project's pages):

    python benchmarks/site_styles.py OUT
    jingdu bench ingest OUT/pages --reference OUT/reference
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.site_articles import ARTICLES, Article  # noqa: E402

HEADLINES = (
    "全市中小学秋季学期开学工作平稳有序", "城区新增三条公交线路 方便市民出行", "夏季用电高峰 电力部门全力保供",
    "我市举办首届乡村文化旅游节", "暴雨过后 抢修队连夜恢复供水", "高新区一季度签约项目二十个",
    "老年大学新学期报名火爆", "多部门联合开展食品安全检查", "图书馆延长开放时间至晚上九点",
    "全民健身运动会开幕 三千余人参赛", "返乡创业青年带富一方乡亲", "市民热线上半年受理诉求十万件",
    "新建停车场投入使用 缓解就医停车难", "农产品直播带货培训班开班", "中秋国庆假期旅游市场火热",
)
COMMENTS = (
    "说得太好了，我们村去年也修了路，现在去镇上方便多了，希望以后能多报道这样的好事。",
    "支持！不过我们小区附近的问题还没解决，希望有关部门也能来看看，早日给个答复。",
    "作为本地人，看到家乡越来越好，真的很自豪。点赞，继续加油！",
    "这样的政策要落实到位才行，别只是写在纸上，老百姓看的是实际效果。",
    "我家老人就在那边住，确实方便了不少，给工作人员点个赞。",
)
CHANNELS = ("要闻", "时政", "经济", "社会", "文化", "教育", "健康", "视频")
SUMMARIES = (
    "近日，记者走访多个社区发现，越来越多的居民开始参与垃圾分类，分类投放的准确率明显提高……",
    "为进一步优化营商环境，该区推出二十条举措，涵盖审批提速、融资支持、人才引进等多个方面……",
    "今年暑期，全市各公共文化场馆推出丰富多彩的活动，吸引了大批青少年走进场馆、亲近文化……",
    "连日来，各地抢抓晴好天气开展秋收秋种，农机手们起早贪黑，田间地头一派繁忙景象……",
)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def links(items: tuple[str, ...] | list[str], cls: str = "", numbered: bool = False) -> str:
    lis = "".join(f'<li>{f"<em>{i + 1}</em>" if numbered else ""}<a href="/news/{1000 + i}.html">{esc(t)}</a></li>'
                  for i, t in enumerate(items))
    return f'<ul class="{cls}">{lis}</ul>'


def paras(a: Article, indent: str = "") -> str:
    return "".join(f"<p>{indent}{esc(p)}</p>" for p in a.paragraphs)


def reference(a: Article, captions: bool = False) -> str:
    return "\n".join(a.paragraphs + (a.captions if captions else ())) + "\n"


def page(title: str, body: str, charset: str = "utf-8", head: str = "") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (f"<!DOCTYPE html><html><head>{meta}<title>{esc(title)}</title>{head}"
            '<script>var _hmt = _hmt || [];</script></head>'
            f"<body>{body}</body></html>")


# -- the styles ---------------------------------------------------------------------------------
def gov_table(a: Article) -> tuple[str, str, str]:
    """A government site: table layout, info bar with 字号 大 中 小, print/close links, site footer."""
    body = (
        '<table width="1000" align="center"><tr><td><img src="/images/banner.jpg"></td></tr>'
        '<tr><td class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> | '
        '<a href="/hdjl/">互动交流</a></td></tr>'
        '<tr><td>当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</td></tr>'
        f'<tr><td align="center" class="bt"><strong>{esc(a.title)}</strong></td></tr>'
        f'<tr><td align="center" class="xx">来源：{esc(a.source)}　　发布时间：{a.date}　　'
        '字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]　浏览次数：<span>1024</span></td></tr>'
        f'<tr><td class="bt_content"><div id="zoom">{paras(a, "　　")}'
        f'<p align="right">{esc(a.source)}</p><p align="right">{a.date[:10]}</p></div></td></tr>'
        '<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】'
        '【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>'
        '</table>'
        '<table width="1000" align="center" class="foot"><tr><td>'
        '主办单位：某某市人民政府办公室　承办单位：某某市大数据中心<br>'
        '网站标识码：3300000001　某ICP备05012345号　某公网安备 33010002000001号<br>'
        '<a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></td></tr></table>')
    ref = "\n".join(a.paragraphs) + "\n"
    return page(a.title + "_某某市人民政府", body), "utf-8", ref


def local_gb2312(a: Article) -> tuple[str, str, str]:
    """A local news site in GB2312: two-column table, 排行榜 on the right, 相关新闻 under the body."""
    body = (
        '<div class="top"><a href="/">网站首页</a> <a href="/xw/">本地新闻</a> <a href="/sh/">社会</a> '
        '<a href="/ty/">体育</a> <a href="/wy/">文娱</a></div>'
        '<table width="960"><tr><td width="660" valign="top">'
        f'<h1>{esc(a.title)}</h1>'
        f'<div class="info">{a.date}　来源：{esc(a.source)}　作者：{esc(a.author)}　'
        '【字体：<a>大</a> <a>中</a> <a>小</a>】</div>'
        f'<div class="content">{paras(a, "　　")}</div>'
        f'<div class="editor">（责任编辑：{esc(a.author or "王编")}）</div>'
        '<div class="xgxw"><h3>相关新闻</h3>' + links(HEADLINES[:6]) + '</div>'
        '</td><td width="300" valign="top">'
        '<div class="phb"><h3>点击排行</h3>' + links(HEADLINES[6:], numbered=True) + '</div>'
        '<div class="tp"><h3>图片新闻</h3><img src="/tp/1.jpg"><a href="/tp/1.html">金秋时节稻谷飘香</a></div>'
        '</td></tr></table>'
        '<div class="bottom">关于我们 | 广告服务 | 联系方式<br>Copyright © 2005-2023 某某新闻网 All Rights Reserved<br>'
        '地址：某某市人民路1号　电话：0571-88888888</div>')
    return page(a.title + "-某某新闻网", body, charset="gb2312"), "gb2312", reference(a)


def portal_comments(a: Article) -> tuple[str, str, str]:
    """A portal: share bar, the article, 相关阅读, hot list in a sidebar, and a comments section."""
    comments = "".join(f'<div class="item"><span class="user">网友{i + 1}</span><p>{esc(c)}</p>'
                       f'<span class="time">2小时前</span> <a>回复</a> <a>顶(12)</a></div>'
                       for i, c in enumerate(COMMENTS))
    body = (
        '<div class="header"><a href="/">首页</a><a href="/news/">新闻</a><a href="/finance/">财经</a>'
        '<a href="/tech/">科技</a><a href="/sports/">体育</a></div>'
        '<div class="wrap"><div class="main">'
        f'<h1>{esc(a.title)}</h1><div class="post_info">{a.date}　来源: <a>{esc(a.source)}</a></div>'
        '<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>'
        f'<div class="post_body">{paras(a)}'
        f'<p class="ep-editor">责任编辑：{esc(a.author or "李编")}_NB1234</p></div>'
        '<div class="post_related"><h3>相关阅读</h3>' + links(HEADLINES[:5]) + '</div>'
        f'<div class="tie-area"><h3>网友评论</h3>{comments}</div>'
        '</div><div class="side"><h3>24小时热点</h3>' + links(HEADLINES[5:], numbered=True) + '</div></div>'
        '<div class="foot">网站简介 - 联系我们 - 广告服务 ©1997-2023 某某网 版权所有</div>')
    return page(a.title + "_某某网", body), "utf-8", reference(a)


def paginated(a: Article) -> tuple[str, str, str]:
    """An article split over pages: this is page 1 of 3, with the pager under it."""
    half = max(len(a.paragraphs) // 2, 1)
    first = a.paragraphs[:half]
    body = (
        '<div id="nav"><a href="/">首页</a> <a href="/gn/">国内</a> <a href="/df/">地方</a></div>'
        f'<div class="article"><h1>{esc(a.title)}</h1><div class="source">{a.date} {esc(a.source)}</div>'
        '<div class="text">' + "".join(f"<p>{esc(p)}</p>" for p in first) + '</div>'
        '<div class="page"><span>本文共3页</span> <a>上一页</a> <b>1</b> <a href="p2.html">2</a> '
        '<a href="p3.html">3</a> <a href="p2.html">下一页</a></div>'
        '<div class="keywords">关键词：<a>民生</a> <a>基层</a></div></div>'
        '<div class="recommend"><h3>推荐阅读</h3>' + links(HEADLINES[3:10]) + '</div>')
    return page(a.title, body), "utf-8", "\n".join(first) + "\n"


def captions(a: Article) -> tuple[str, str, str]:
    """Text beside images: paragraphs in ``<div>``, images in their own ``<div>`` with a caption line."""
    parts = []
    for i, p in enumerate(a.paragraphs):
        parts.append(f"<div>{esc(p)}</div>")
        if i < len(a.captions):
            parts.append(f'<div class="img"><img src="/upload/{i}.jpg"></div>'
                         f'<div class="caption" style="text-align:center">{esc(a.captions[i])}</div>')
    body = (
        '<div class="menu"><a href="/">首页</a> <a href="/sz/">时政</a> <a href="/ms/">民生</a></div>'
        f'<div class="detail"><h2 class="title">{esc(a.title)}</h2>'
        f'<div class="meta"><span>{a.date}</span><span>{esc(a.source)}</span></div>'
        f'<div class="detail-content">{"".join(parts)}</div>'
        '<div class="zan">点赞 <span>56</span></div></div>'
        '<div class="hot"><div class="hot-title">热门新闻</div>' + links(HEADLINES[:8]) + '</div>')
    return page(a.title, body), "utf-8", reference(a, captions=True)


def semantic_article(a: Article) -> tuple[str, str, str]:
    """HTML5: ``<article>`` with a header, an ``<aside>`` of related links, ``<footer>`` chrome."""
    body = (
        '<header><nav><a href="/">首页</a><a href="/local/">本地</a><a href="/video/">视频</a></nav></header>'
        '<main><article>'
        f'<h1>{esc(a.title)}</h1><p class="byline"><time datetime="{a.date[:10]}">{a.date}</time> '
        f'来源：{esc(a.source)}</p>{paras(a)}'
        '<p class="statement">（本文系原创稿件，转载请注明出处。）</p>'
        '</article>'
        '<aside><h2>延伸阅读</h2>' + links(HEADLINES[2:9]) + '</aside></main>'
        '<footer><p>Copyright © 2023 某某融媒 版权所有</p><p>违法和不良信息举报电话：12345</p></footer>')
    return page(a.title, body), "utf-8", reference(a)


def mobile(a: Article) -> tuple[str, str, str]:
    """A mobile page: 展开全文, an app banner, and recommendation cards with summaries."""
    cards = "".join(f'<div class="card"><a href="/m/{i}.html"><h4>{esc(HEADLINES[i])}</h4><p>{esc(s)}</p></a></div>'
                    for i, s in enumerate(SUMMARIES))
    body = (
        '<div class="app-banner">打开APP 阅读体验更佳</div>'
        f'<div class="art"><h1 class="art-title">{esc(a.title)}</h1>'
        f'<div class="art-info"><span class="src">{esc(a.source)}</span> <span>{a.date}</span></div>'
        f'<div class="art-content" style="max-height:600px;overflow:hidden">{paras(a)}</div>'
        '<div class="unfold">展开全文</div>'
        '<div class="tip">打开APP，阅读更多精彩内容</div></div>'
        f'<div class="recommend-list"><div class="rec-title">为你推荐</div>{cards}</div>')
    return page(a.title, body, head='<meta name="viewport" content="width=device-width">'), "utf-8", reference(a)


def brief(a: Article) -> tuple[str, str, str]:
    """A short brief (its first two paragraphs) beside a long hot list and a long footer."""
    short = a.paragraphs[:2]
    body = (
        '<div class="logo"><img src="/logo.png"></div>'
        '<div class="channel">' + " ".join(f'<a href="/c{i}/">{t}</a>' for i, t in enumerate(CHANNELS)) + '</div>'
        '<div class="left">'
        f'<div class="tit">{esc(a.title)}</div><div class="time">{a.date}　{esc(a.source)}</div>'
        '<div class="con">' + "".join(f"<p>{esc(p)}</p>" for p in short) + '</div></div>'
        '<div class="right"><div class="rank"><h3>阅读排行</h3>' + links(HEADLINES, numbered=True) + '</div>'
        '<div class="rank"><h3>评论排行</h3>' + links(HEADLINES[::-1], numbered=True) + '</div></div>'
        '<div class="footer"><p>本网站所刊登的新闻、信息和各种专题专栏资料，均为本网版权所有，未经协议授权，'
        '禁止下载使用。</p><p>主管单位：某某市委宣传部　主办单位：某某日报社</p></div>')
    return page(a.title, body), "utf-8", "\n".join(short) + "\n"


def br_lines(a: Article) -> tuple[str, str, str]:
    """A body of ``<br>``-separated lines in one ``<td>``, GBK bytes with no charset declaration."""
    lines = "<br><br>".join("　　" + esc(p) for p in a.paragraphs)
    body = (
        '<table width="100%"><tr><td class="dh"><a href="/">首页</a> → <a href="/xw/">新闻中心</a> → 正文</td></tr>'
        f'<tr><td align="center"><font size="5"><b>{esc(a.title)}</b></font></td></tr>'
        f'<tr><td align="center"><font color="#666666">发布日期：{a.date}　　信息来源：{esc(a.source)}</font></td></tr>'
        f'<tr><td class="nr">{lines}</td></tr>'
        '<tr><td align="right">[<a href="javascript:window.print()">打印</a>] '
        '[<a href="javascript:self.close()">关闭</a>]'
        '</td></tr>'
        '<tr><td>上一篇：<a href="/xw/1.html">全民健身运动会开幕</a><br>'
        '下一篇：<a href="/xw/3.html">老年大学新学期报名火爆</a>'
        '</td></tr></table>'
        '<div align="center">版权所有：某某县人民政府 技术支持：某某网络公司</div>')
    return page(a.title, body, charset=""), "gbk", reference(a)


def gov_notice(a: Article) -> tuple[str, str, str]:
    """A government notice: numbered sections, attachments, 扫一扫在手机打开当前页, related documents."""
    body = (
        '<div class="head"><div class="search"><input type="text"><button>搜索</button></div></div>'
        '<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>'
        '<div class="xxgk_table"><table><tr><td>索引号：</td><td>11330000/2023-00123</td><td>发布机构：</td>'
        f'<td>{esc(a.source)}</td></tr><tr><td>成文日期：</td><td>{a.date[:10]}</td><td>主题分类：</td><td>卫生、体育</td></tr>'
        '</table></div>'
        f'<div class="article"><div class="title">{esc(a.title)}</div>'
        f'<div class="article-con">{paras(a, "　　")}'
        '<p>附件：<a href="/file/1.doc">1.参保登记表.doc</a></p></div>'
        '<div class="ewm">扫一扫在手机打开当前页<img src="/qr.png"></div></div>'
        '<div class="xgwj"><div class="xgwj-title">相关文件</div>' + links(HEADLINES[9:14]) + '</div>'
        '<div class="footer">网站标识码：3300000002 ｜ 某ICP备12000001号 ｜ 主办：某某市医疗保障局</div>')
    return page(a.title, body), "utf-8", "\n".join(a.paragraphs) + "\n"


def broken_bytes(a: Article) -> tuple[str, str, str]:
    """A page that declares gb2312 but holds GBK, with a few broken bytes in its footer."""
    text, _, ref = local_gb2312(a)
    return text, "gbk+broken", ref


def unmarked_comments(a: Article) -> tuple[str, str, str]:
    """Comments under the article in containers with no telling names, longer than the article."""
    many = COMMENTS * 3
    comments = "".join(f'<li><div class="u">用户{i + 7}号</div><div class="c">{esc(c)}</div>'
                       f'<div class="t">2023-08-1{i % 9} 1{i % 9}:20</div></li>' for i, c in enumerate(many))
    body = (
        f'<div class="w1"><div class="l"><h1>{esc(a.title)}</h1><div class="i">{a.date} {esc(a.source)}</div>'
        f'<div class="b">{paras(a)}</div></div>'
        f'<div class="l2"><div class="h">全部留言（{len(many)}）</div><ul class="lst">{comments}</ul></div></div>')
    return page(a.title, body), "utf-8", reference(a)


def lead_apart(a: Article) -> tuple[str, str, str]:
    """The lead paragraph in its own box (a summary style) above the body's container."""
    body = (
        '<div class="crumbs"><a href="/">首页</a> &gt; <a href="/sh/">社会</a></div>'
        f'<div class="article-box"><h1>{esc(a.title)}</h1><div class="meta">{a.date}　{esc(a.source)}</div>'
        f'<div class="summary"><p>{esc(a.paragraphs[0])}</p></div>'
        '<div class="article-text">' + "".join(f"<p>{esc(p)}</p>" for p in a.paragraphs[1:]) + '</div>'
        '<div class="tags">标签：<a>民生</a> <a>社区</a></div></div>'
        '<div class="more"><h3>更多新闻</h3>' + links(HEADLINES[:8]) + '</div>')
    return page(a.title, body), "utf-8", reference(a)


def cards_inside(a: Article) -> tuple[str, str, str]:
    """Recommendation cards with summaries (prose) inside the same container as the article."""
    cards = "".join(f'<div class="item"><a href="/r/{i}.html">{esc(HEADLINES[i + 4])}</a><p>{esc(s)}</p></div>'
                    for i, s in enumerate(SUMMARIES))
    body = (
        f'<div class="container"><h1>{esc(a.title)}</h1><p class="time">{a.date} 来源：{esc(a.source)}</p>'
        f'{paras(a)}<p class="editor">编辑：{esc(a.author or "张编")}</p>'
        f'<h3>推荐阅读</h3>{cards}</div>')
    return page(a.title, body), "utf-8", reference(a)


def font_table_gbk(a: Article) -> tuple[str, str, str]:
    """An old county site: a left column of links, the body in <font> with <br>, GBK declared."""
    left = "".join(f'<tr><td><a href="/l{i}.html">{esc(t)}</a></td></tr>' for i, t in enumerate(HEADLINES))
    lines = "<br>".join("　　" + esc(p) for p in a.paragraphs)
    body = (
        f'<table width="980"><tr><td width="220" valign="top"><table>{left}</table></td>'
        f'<td valign="top"><table width="100%"><tr><td align="center"><font size="4" color="#cc0000">{esc(a.title)}'
        f'</font></td></tr><tr><td align="center">作者：{esc(a.author or "佚名")}　来源：{esc(a.source)}　'
        f'更新时间：{a.date}</td></tr><tr><td><font style="font-size:14px">{lines}</font></td></tr>'
        '<tr><td>【<a href="#">发表评论</a>】【<a href="#">告诉好友</a>】【<a href="#">打印此文</a>】'
        '【<a href="#">关闭窗口</a>】</td></tr></table></td></tr></table>')
    return page(a.title, body, charset="gbk"), "gbk", reference(a)


def editor_note(a: Article) -> tuple[str, str, str]:
    """An 编者按 before the article and 原标题/来源 lines after it, inside the body's container."""
    note = "【编者按】基层治理千头万绪，一件件小事连着群众的冷暖。本期我们走进几个村镇，看看那些细微处的变化。"
    body = (
        f'<div id="header"><a href="/">首页</a></div><div id="main"><h1>{esc(a.title)}</h1>'
        f'<div class="info">{a.date}</div><div id="text"><p>{note}</p>{paras(a)}'
        f'<p>原标题：{esc(a.title)}</p><p>（来源：{esc(a.source)}）</p></div></div>'
        '<div id="side"><div class="box"><h3>热门排行</h3>' + links(HEADLINES, numbered=True) + '</div></div>')
    return page(a.title, body), "utf-8", note + "\n" + reference(a)


def linked_words(a: Article) -> tuple[str, str, str]:
    """A finance-portal body whose paragraphs link their keywords (places, bodies) to topic pages."""
    def linked(p: str) -> str:
        words = sorted({w for w in ("县", "市", "省", "社区", "村", "局", "公司", "合作社") if w in p}, key=p.find)[:3]
        out = esc(p)
        for n, w in enumerate(words):
            out = out.replace(w, f'<a href="/topic/{n}.html" class="kw">{w}</a>', 1)
        return out
    body = (
        '<div class="top-nav"><a href="/">首页</a> <a href="/stock/">股票</a> <a href="/fund/">基金</a></div>'
        f'<div class="main-content"><h1 class="main-title">{esc(a.title)}</h1>'
        f'<div class="date-source">{a.date} <a>{esc(a.source)}</a></div>'
        '<div class="article">' + "".join(f"<p>{linked(p)}</p>" for p in a.paragraphs) + '</div>'
        '<div class="hot-list"><h3>热门推荐</h3>' + links(HEADLINES[:10]) + '</div></div>')
    return page(a.title, body), "utf-8", reference(a)


def comments_together(a: Article) -> tuple[str, str, str]:
    """Comments inside the same container as the article, after it, without telling names."""
    many = COMMENTS * 2
    comments = "".join(f"<p><b>网友{i}：</b>{esc(c)}</p>" for i, c in enumerate(many))
    body = (
        f'<div class="page"><div class="content"><h2>{esc(a.title)}</h2><p class="src">{a.date}</p>'
        f'{paras(a)}<p>（编辑：{esc(a.author or "刘编")}）</p>'
        f'<h3>网友留言</h3>{comments}<p><a href="/more">查看更多留言</a></p></div></div>')
    return page(a.title, body), "utf-8", reference(a)


def long_hot_sentences(a: Article) -> tuple[str, str, str]:
    """A short article beside a headline list whose items are sentences (commas, quotes) in <p>s."""
    short = a.paragraphs[:3]
    hot = "".join(f'<p><a href="/h/{i}.html">{esc(t)}，{esc(SUMMARIES[i % 4][:24])}</a></p>'
                  for i, t in enumerate(HEADLINES))
    body = (
        f'<div><div style="float:left;width:640px"><h1>{esc(a.title)}</h1><div>{a.date} {esc(a.source)}</div>'
        + "".join(f"<p>{esc(p)}</p>" for p in short) + '</div>'
        f'<div style="float:right;width:300px"><div>今日关注</div>{hot}</div></div>')
    return page(a.title, body), "utf-8", "\n".join(short) + "\n"


def ads_between(a: Article) -> tuple[str, str, str]:
    """Each paragraph in its own ``<div>``, with advertisement boxes between them."""
    parts = []
    for i, p in enumerate(a.paragraphs):
        parts.append(f'<div class="para">{esc(p)}</div>')
        if i % 2 == 1:
            parts.append(f'<div class="ad"><a href="http://ad.example.cn/{i}"><img src="/ad/{i}.gif"></a>'
                         '<span>广告</span></div>')
    body = (
        f'<div class="nav"><a href="/">首页</a> <a href="/bd/">本地</a></div><div class="wrapper">'
        f'<h1>{esc(a.title)}</h1><div class="from">{a.date}　{esc(a.source)}</div>'
        f'<div class="cont">{"".join(parts)}</div></div>')
    return page(a.title, body), "utf-8", reference(a)


def photo_story(a: Article) -> tuple[str, str, str]:
    """A photo story: images, each followed by a long caption, and nothing else of the article."""
    parts = "".join(f'<div class="pic"><img src="/photo/{i}.jpg"></div><p class="pic-txt">{esc(p)}</p>'
                    for i, p in enumerate(a.paragraphs))
    body = (
        f'<div class="head"><a href="/">首页</a> <a href="/tp/">图片</a></div>'
        f'<div class="photo"><h1>{esc(a.title)}</h1><div class="time">{a.date}</div>{parts}</div>'
        '<div class="photo-more"><h3>更多图集</h3>' + links(HEADLINES[:6]) + '</div>')
    return page(a.title, body), "utf-8", reference(a)


def interview(a: Article) -> tuple[str, str, str]:
    """An interview: bold questions before each answer, all in one container with a byline."""
    qs = ("为什么要做这件事？", "过程中遇到了哪些困难？", "群众的反响怎么样？", "下一步有什么打算？",
          "还有什么想说的？")  # (as many as the article has paragraphs)
    parts = "".join(f"<p><strong>记者：{q}</strong></p><p>{esc(p)}</p>" for q, p in zip(qs, a.paragraphs, strict=False))
    body = (
        f'<div class="art"><h1>{esc(a.title)}</h1><p class="by">{a.date} 来源：{esc(a.source)}</p>{parts}</div>'
        '<div class="rel"><h3>相关新闻</h3>' + links(HEADLINES[:5]) + '</div>')
    ref = "\n".join(f"记者：{q}\n{p}" for q, p in zip(qs, a.paragraphs, strict=False)) + "\n"
    return page(a.title, body), "utf-8", ref


def unlinked_cards(a: Article) -> tuple[str, str, str]:
    """A column of recommendation cards opened by scripts (no links), each a headline and a summary."""
    cards = "".join(f'<div class="card" onclick="go({i})"><div class="card-t">{esc(HEADLINES[i])}</div>'
                    f'<div class="card-s">{esc(s)}</div></div>' for i, s in enumerate(SUMMARIES + SUMMARIES))
    body = (
        f'<div class="l"><h1>{esc(a.title)}</h1><div class="m">{a.date}</div>{paras(a)}</div>'
        f'<div class="r"><div class="r-t">精彩推荐</div>{cards}</div>')
    return page(a.title, body), "utf-8", reference(a)


STYLES: dict[str, Callable[[Article], tuple[str, str, str]]] = {
    "gov-table": gov_table, "local-gb2312": local_gb2312, "portal-comments": portal_comments,
    "paginated": paginated, "captions": captions, "semantic": semantic_article, "mobile": mobile,
    "brief": brief, "br-lines": br_lines, "gov-notice": gov_notice, "broken-bytes": broken_bytes,
    "unmarked-comments": unmarked_comments, "lead-apart": lead_apart, "cards-inside": cards_inside,
    "font-table-gbk": font_table_gbk, "editor-note": editor_note, "linked-words": linked_words,
    "comments-together": comments_together, "long-hot-sentences": long_hot_sentences,
    "ads-between": ads_between, "photo-story": photo_story, "interview": interview, "unlinked-cards": unlinked_cards,
}
#: Which article each style's pages carry (every style on two articles, a notice on the notice).
PAIRS: tuple[tuple[str, int], ...] = tuple(
    (style, i) for style in STYLES for i in ((1,) if style == "gov-notice" else (0, 2, 4) if style == "portal-comments"
                                             else (3, 5) if style in ("gov-table", "br-lines") else (2, 4)))


def encode(text: str, how: str) -> bytes:
    if how == "gbk+broken":
        data = text.encode("gbk", errors="xmlcharrefreplace")
        at = data.rfind("版权".encode("gbk"))
        return data[:at] + b"\xff\xfe\x80" + data[at:]  # three bytes no GBK character starts with
    return text.encode(how, errors="xmlcharrefreplace")  # (&#169; for ©, as such pages write it)


def write(out: Path) -> int:
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "reference").mkdir(parents=True, exist_ok=True)
    for style, i in PAIRS:
        text, how, ref = STYLES[style](ARTICLES[i])
        name = f"{style}-{i}"
        (out / "pages" / f"{name}.html").write_bytes(encode(text, how))
        (out / "reference" / f"{name}.txt").write_text(ref, encoding="utf-8")
    return len(PAIRS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder for pages/ and reference/")
    n = write(ap.parse_args(argv).out)
    print(f"{n} pages with references")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
