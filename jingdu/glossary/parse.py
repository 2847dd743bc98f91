"""Reading 规范词 glossaries: the posts' term sections, a user's own CSV or Markdown, and (for
evaluation only) the posts' exercises.

A glossary post is titled ``# <主题>规范词``; its groups are ``### 第一组：<group>`` headings, and
each term is a list item ``- #### <术语>`` followed by ``基本释义：…`` and ``应用场景：…`` items.
Exercises (``> 材料…`` quotes, the part to summarise underlined, the answer in a ``show-text``
shortcode) are never read into a glossary: :func:`read_exercises` is for ``jingdu eval glossary``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from jingdu.errors import InputError

DEF_KEY = "基本释义"
SCEN_KEY = "应用场景"
MAX_TERM = 40

_TITLE = re.compile(r"^#\s+(.+?)\s*$")
_GROUP = re.compile(r"^#{2,3}\s+(.+?)\s*$")
_TERM = re.compile(r"^\s*[-*]\s+#{3,5}\s+(.+?)\s*$")
_FIELD = re.compile(r"^\s*[-*]?\s*(基本释义|应用场景)\s*[：:]\s*(.*)$")
_EXERCISE_HEAD = re.compile(r"^\s*#{3,5}\s+练习")
_SHOW = re.compile(r"\{\{<\s*show-text[^>]*>\}\}(.*?)\{\{<\s*/show-text\s*>\}\}", re.S)
_QUOTED = re.compile(r"[“\"‘'「]([^”\"’'」]{2,80})[”\"’'」]")
_TAGS = re.compile(r"<[^>]+>|\*\*|__")
_UNDERLINE = re.compile(r"<u>(.*?)</u>", re.S)
_STRONG = re.compile(r"\*\*(.+?)\*\*|<strong>(.*?)</strong>", re.S)
_GROUP_PREFIX = re.compile(r"^第[一二三四五六七八九十百\d]+[组部分类]\s*[：:、.．]?\s*")


@dataclass(frozen=True)
class Entry:
    """One glossary term: its definition, the scenarios it fits, its group and theme, its source."""

    term: str
    definition: str = ""
    scenarios: tuple[str, ...] = ()
    group: str = ""
    theme: str = ""
    source: str = ""
    id: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "term": self.term, "definition": self.definition,
                "scenarios": list(self.scenarios), "group": self.group, "theme": self.theme, "source": self.source}

    def with_id(self, id_: int) -> Entry:
        return replace(self, id=id_)


@dataclass(frozen=True)
class Exercise:
    """An exercise of a glossary post: the material, its underlined part and the answers."""

    source: str
    material: str
    underlined: str
    answers: tuple[str, ...]
    group: str = ""

    @property
    def query(self) -> str:
        return self.underlined or self.material


@dataclass
class _Building:
    term: str
    group: str
    definition: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    current: str = ""


def clean(text: str) -> str:
    """Inline markup and surrounding blanks removed."""
    return _TAGS.sub("", text).strip()


def theme_of_title(title: str) -> str:
    """``乡村振兴规范词`` -> ``乡村振兴``; other titles are kept as they are."""
    t = clean(title)
    t = re.sub(r"(申论)?规范(词|表达)(汇总|合集|大全)?$", "", t).strip(" ：:·-")
    return t or clean(title)


def term_name(raw: str) -> str:
    return clean(raw).strip("“”\"'：:。 ")


def read_glossary(text: str, source: str = "", theme: str | None = None) -> list[Entry]:
    """The terms of a glossary post (term sections only; exercises and answers are skipped)."""
    lines = text.splitlines()
    title = next((m.group(1) for ln in lines if (m := _TITLE.match(ln))), "")
    theme = theme if theme is not None else theme_of_title(title)
    out: list[Entry] = []
    group = ""
    cur: _Building | None = None

    def flush() -> None:
        nonlocal cur
        if cur is not None and cur.term:
            out.append(Entry(cur.term, " ".join(cur.definition).strip(), tuple(_scenarios(cur.scenarios)),
                             cur.group, theme, source))
        cur = None

    for line in lines:
        if _SHOW.search(line) or line.lstrip().startswith("{{<"):
            flush()
            continue
        if m := _TERM.match(line):
            flush()
            name = term_name(m.group(1))
            if name and len(name) <= MAX_TERM and not name.startswith("练习"):
                cur = _Building(name, group)
            continue
        if _EXERCISE_HEAD.match(line) or line.lstrip().startswith(">") or _TITLE.match(line):
            flush()
            continue
        if m := _GROUP.match(line):
            flush()
            group = _GROUP_PREFIX.sub("", clean(m.group(1)))
            continue
        if cur is None:
            continue
        if m := _FIELD.match(line):
            cur.current = m.group(1)
            (cur.definition if cur.current == DEF_KEY else cur.scenarios).append(clean(m.group(2)))
        elif line.strip() and cur.current:
            (cur.definition if cur.current == DEF_KEY else cur.scenarios).append(clean(line))
    flush()
    return out


def _scenarios(parts: list[str]) -> list[str]:
    text = " ".join(p for p in parts if p)
    return [text] if text else []


def scenario_phrases(scenario: str) -> list[str]:
    """The quoted phrases of a scenario (``当资料中出现“A”“B”等表述时``), else the scenario itself."""
    found = [q.strip("…. ") for q in _QUOTED.findall(scenario)]
    return [q for q in found if len(q) >= 2] or [scenario]


def read_user_csv(text: str, source: str = "") -> list[Entry]:
    """A CSV with a header naming ``term`` (or 术语/规范词) and optionally ``definition`` (释义),
    ``scenarios`` (应用场景, several separated by ``|``), ``group`` (分组) and ``theme`` (主题)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return []
    names = {"term": ("term", "术语", "规范词"), "definition": ("definition", "释义", "基本释义"),
             "scenarios": ("scenarios", "scenario", "应用场景", "场景"), "group": ("group", "分组", "组"),
             "theme": ("theme", "主题")}

    def get(row: dict[str, str], key: str) -> str:
        for name in names[key]:
            if row.get(name):
                return str(row[name]).strip()
        return ""

    if not any(n in rows[0] for n in names["term"]):
        raise InputError(f"{source or 'CSV'}: no column named term, 术语 or 规范词")
    out = []
    for row in rows:
        term = term_name(get(row, "term"))
        if term and len(term) <= MAX_TERM:
            scen = tuple(s.strip() for s in get(row, "scenarios").split("|") if s.strip())
            out.append(Entry(term, get(row, "definition"), scen, get(row, "group"), get(row, "theme"), source))
    return out


def read_user_markdown(text: str, source: str = "", theme: str | None = None) -> list[Entry]:
    """A Markdown list of one's own: the post format, or ``- 术语：释义`` lines under ``##`` groups."""
    entries = read_glossary(text, source, theme)
    if entries:
        return entries
    lines = text.splitlines()
    title = next((m.group(1) for ln in lines if (m := _TITLE.match(ln))), "")
    theme = theme if theme is not None else theme_of_title(title)
    group = ""
    out = []
    for line in lines:
        if (m := _GROUP.match(line)) and not _TITLE.match(line):
            group = _GROUP_PREFIX.sub("", clean(m.group(1)))
        elif m := re.match(r"^\s*[-*]\s+(.+?)\s*(?:[：:]\s*(.*))?$", line):
            term = term_name(m.group(1))
            if term and len(term) <= MAX_TERM:
                out.append(Entry(term, clean(m.group(2) or ""), (), group, theme, source))
    return out


def read_file(path: str | Path, theme: str | None = None) -> list[Entry]:
    """Entries of a glossary post, a ``.csv`` or a Markdown list; :class:`InputError` when none."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read ({exc.__class__.__name__})") from None
    source = p.stem
    try:
        entries = read_user_csv(text, source) if p.suffix.lower() == ".csv" else read_user_markdown(text, source, theme)
    except (InputError, csv.Error) as exc:
        raise InputError(f"{p}: {str(exc).removeprefix(source + ': ')}") from None
    if theme is not None:
        entries = [replace(e, theme=theme) for e in entries]
    if not entries:
        raise InputError(f"{p}: no glossary terms found "
                         "(expected `- #### 术语` sections, `- 术语：释义` lines or a CSV)")
    return entries


# -- exercises (evaluation only) --------------------------------------------------------------------
def read_exercises(text: str, source: str = "") -> list[Exercise]:
    """Each ``> 材料…`` quote followed by a ``show-text`` answer, with its underlined part."""
    out: list[Exercise] = []
    group = ""
    quote: list[str] = []
    pos = 0
    for m in re.finditer(r"(?m)^(#{2,3}[ \t]+[^\n]+)$|" + _SHOW.pattern, text, flags=re.S):
        chunk = text[pos:m.start()]
        pos = m.end()
        block = _last_quote(chunk)
        if block:
            quote = block
        if m.group(1):
            group = _GROUP_PREFIX.sub("", clean(m.group(1).lstrip("# ")))
            quote = []
            continue
        if not quote:
            continue
        raw = "\n".join(ln for ln in quote if not re.search(r"根据以上材料|概括出相应|不超过\d+字", ln))
        underlined = " ".join(clean(u) for u in _UNDERLINE.findall(raw))
        if not underlined:
            underlined = " ".join(clean(a or b) for a, b in _STRONG.findall(raw))
        answers = tuple(a for a in (_answer(x) for x in re.split(r"<br\s*/?>", m.group(2))) if a)
        if answers:
            out.append(Exercise(source, clean(raw), underlined, answers, group))
        quote = []
    return out


def _last_quote(chunk: str) -> list[str]:
    lines = chunk.strip().splitlines()
    block: list[str] = []
    for line in reversed(lines):
        if line.startswith(">"):
            block.append(line.lstrip("> ").strip())
        elif block:
            break
    return [b for b in reversed(block) if b]


def _answer(raw: str) -> str:
    return clean(raw).strip().rstrip("。.；;").strip()
