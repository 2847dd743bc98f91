"""A topic pack for an essay (``jingdu pack "题目"``): the theme's 规范词 with their definitions,
then the bank's best 金句, figures (with subject, period and source) and 提法, grouped under the
glossary's groups as sub-topics, each item with its source and link.  Markdown or Word (.docx,
python-docx)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from jingdu.bank.search import Hit
from jingdu.bank.store import Bank
from jingdu.bank.themes import default_vocabularies, item_themes, scores
from jingdu.errors import InvalidRequest, NotFound
from jingdu.fsutil import write_atomic
from jingdu.glossary.parse import Entry

OTHER = "其他"
SAFE_URL = re.compile(r"^https?://", re.I)


@dataclass
class PackItem:
    kind: str  # quote | fact | term
    text: str
    title: str
    source: str
    url: str
    detail: str = ""  # a figure's subject and period; a term's number of notes
    score: float = 0.0


@dataclass
class SubTopic:
    name: str
    terms: list[Entry] = field(default_factory=list)
    quotes: list[PackItem] = field(default_factory=list)
    facts: list[PackItem] = field(default_factory=list)
    terms_used: list[PackItem] = field(default_factory=list)


@dataclass
class Pack:
    topic: str
    theme: str
    groups: list[SubTopic]

    def counts(self) -> dict[str, int]:
        return {"规范词": sum(len(g.terms) for g in self.groups), "金句": sum(len(g.quotes) for g in self.groups),
                "数据": sum(len(g.facts) for g in self.groups), "提法": sum(len(g.terms_used) for g in self.groups)}


def resolve_theme(bank: Bank, topic: str) -> str:
    """The theme a topic names (a theme's name or alias), else the theme its words match best."""
    known = [t for t, _ in bank.theme_list()]
    vocab = default_vocabularies()
    if topic in known:
        return topic
    alias = vocab.canonical(topic)
    if alias:
        return alias
    own = item_themes(topic, (), vocab, ) or [t for t, _ in scores(topic, vocab).most_common(1)]
    if own:
        return own[0]
    raise NotFound(f"no theme for {topic!r}; themes: {', '.join(known)}")


def build_pack(bank: Bank, topic: str, per_group: int = 8) -> Pack:
    topic = topic.strip()
    if not topic:
        raise InvalidRequest("a pack needs a topic")
    theme = resolve_theme(bank, topic)
    entries = bank.glossary(theme)
    groups: dict[str, SubTopic] = {}
    for e in entries:
        groups.setdefault(e.group or OTHER, SubTopic(e.group or OTHER)).terms.append(e)
    if not groups:
        groups[theme] = SubTopic(theme)
    names = list(groups)
    assign = _assigner(groups)
    vocab = default_vocabularies()
    buckets: dict[str, list[tuple[str, PackItem]]] = defaultdict(list)
    glossary_posts = {e.source for e in bank.glossary()}  # their exercises' material is not the bank's reading
    for hit in bank.items(theme=theme):
        if hit.note.get("name") in glossary_posts:
            continue
        item = _item(hit, scores(hit.text, vocab).get(theme, 0.0))
        if item is not None:
            buckets[item.kind].append((assign(hit.text), item))
    for kind, rows in buckets.items():
        if kind == "term":
            rows = _terms(rows)
        for name, item in sorted(rows, key=lambda r: -r[1].score):
            g = groups.get(name) or groups.setdefault(OTHER, SubTopic(OTHER))
            target = {"quote": g.quotes, "fact": g.facts, "term": g.terms_used}[kind]
            if len(target) < per_group:
                target.append(item)
    order = [*names, *(n for n in groups if n not in names)]
    return Pack(topic, theme, [groups[n] for n in order])


def _assigner(groups: dict[str, SubTopic]):  # type: ignore[no-untyped-def]
    names = [n for n, g in groups.items() if g.terms]
    if len(names) < 2:
        first = next(iter(groups))
        return lambda _text: first
    docs = [" ".join(f"{e.term} {e.term} {e.definition}" for e in groups[n].terms) for n in names]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit(docs)
    mat = vec.transform(docs)

    def assign(text: str) -> str:
        sims = (vec.transform([text]) @ mat.T).toarray().ravel()
        return names[int(np.argmax(sims))] if sims.max() > 0.05 else OTHER

    return assign


def _item(hit: Hit, score: float) -> PackItem | None:
    note = hit.note
    url = note.get("url") or ""
    url = url if SAFE_URL.match(url) else ""
    base = {"title": note.get("title") or "", "source": note.get("source") or "", "url": url}
    bonus = 1.0 if hit.origin == "user" else 0.0
    if hit.kind == "quote":
        if not 12 <= len(hit.text) <= 160:
            return None
        return PackItem("quote", hit.text.strip(), score=score + bonus, **base)
    if hit.kind == "fact":
        d = hit.data
        detail = "，".join(x for x in (d.get("subject") or "", d.get("period") or "", d.get("surface") or "") if x)
        return PackItem("fact", hit.text.strip(), detail=detail, score=score + bonus, **base)
    if hit.kind == "term":
        return PackItem("term", hit.text.strip(), score=score + bonus, **base)
    return None


def _terms(rows: list[tuple[str, PackItem]]) -> list[tuple[str, PackItem]]:
    """One row per 提法 with the number of notes it is in (the most used first)."""
    seen: dict[str, tuple[str, PackItem, set[str]]] = {}
    for name, it in rows:
        have = seen.setdefault(it.text, (name, it, set()))
        have[2].add(it.title)
    out = []
    for name, it, titles in seen.values():
        it.detail = f"{len(titles)} 篇"
        it.score = len(titles) + it.score / 100
        out.append((name, it))
    return out


# -- writing ---------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def _link(it: PackItem) -> str:
    title = _md_escape(it.title or it.source or "来源")
    src = f"{_md_escape(it.source)} · " if it.source else ""
    return f"{src}[{title}]({it.url})" if it.url else f"{src}{title}"


def to_markdown(pack: Pack) -> str:
    c = pack.counts()
    lines = [f"# {_md_escape(pack.topic)}：素材包", "",
             f"> 主题「{_md_escape(pack.theme)}」：规范词 {c['规范词']} 个，金句 {c['金句']} 条，数据 {c['数据']} 条，"
             f"提法 {c['提法']} 个。", ""]
    for i, g in enumerate(pack.groups, 1):
        lines += [f"## {i}. {_md_escape(g.name)}", ""]
        if g.terms:
            lines += ["### 规范词", ""]
            lines += [f"- **{_md_escape(e.term)}**：{_md_escape(e.definition)}" for e in g.terms] + [""]
        if g.quotes:
            lines += ["### 金句", ""]
            lines += [f"- {_md_escape(q.text)}（{_link(q)}）" for q in g.quotes] + [""]
        if g.facts:
            lines += ["### 数据", ""]
            lines += [f"- {_md_escape(f.text)}" + (f"〔{_md_escape(f.detail)}〕" if f.detail else "")
                      + f"（{_link(f)}）" for f in g.facts] + [""]
        if g.terms_used:
            lines += ["### 提法", ""]
            lines += [f"- {_md_escape(t.text)}（{t.detail}，如 {_link(t)}）" for t in g.terms_used] + [""]
    return "\n".join(lines).rstrip() + "\n"


def to_docx(pack: Pack) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    c = pack.counts()
    doc.add_heading(f"{pack.topic}：素材包", 0)
    doc.add_paragraph(f"主题「{pack.theme}」：规范词 {c['规范词']} 个，金句 {c['金句']} 条，"
                      f"数据 {c['数据']} 条，提法 {c['提法']} 个。")
    for i, g in enumerate(pack.groups, 1):
        doc.add_heading(f"{i}. {g.name}", 1)
        if g.terms:
            doc.add_heading("规范词", 2)
            for e in g.terms:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(e.term).bold = True
                p.add_run(f"：{e.definition}")
        for head, items in (("金句", g.quotes), ("数据", g.facts), ("提法", g.terms_used)):
            if not items:
                continue
            doc.add_heading(head, 2)
            for it in items:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(it.text)
                if it.detail:
                    p.add_run(f"〔{it.detail}〕").italic = True
                _docx_source(p, it)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_source(paragraph: Any, it: PackItem) -> None:
    """（来源 · 标题）, the title a link to the article when it has an http(s) address."""
    paragraph.add_run("（" + (f"{it.source} · " if it.source else ""))
    if it.url:
        _hyperlink(paragraph, it.url, it.title or it.url)
    else:
        paragraph.add_run(it.title)
    paragraph.add_run("）")


def _hyperlink(paragraph: Any, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F5FAD")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(color)
    props.append(underline)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def write_pack(bank: Bank, topic: str, out: str | Path | None, per_group: int = 8) -> tuple[Pack, str | bytes]:
    """Build the pack and render it as Markdown, or as Word when ``out`` ends in ``.docx``; written
    atomically to ``out`` when given."""
    pack = build_pack(bank, topic, per_group)
    data: str | bytes = to_docx(pack) if out is not None and str(out).lower().endswith(".docx") else to_markdown(pack)
    if out is not None:
        write_atomic(out, data)
    return pack, data
