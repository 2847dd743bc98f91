"""Themes (乡村振兴, 基层治理, 绿色发展 …) from vocabularies (``jingdu/data/themes.json``).

Each theme's vocabulary is built from its 规范词 glossary — the words of its terms (weighing
most), definitions and scenarios, each weighed by how particular it is to the theme among all
themes — plus a few seed words (the theme's name and words of its posts' tags); themes without a
glossary yet (科技创新, 国家安全, 党的建设) have seed words only.  ``benchmarks/theme_vocabularies.py``
rebuilds the file from the glossary posts; :func:`vocabularies_from_entries` adds the bank's own
glossaries, so a new glossary adds a theme.

Every item gets its themes from its own text (:func:`item_themes`): the themes whose vocabulary
it matches best, when the match is strong enough — never its note's.  A note's themes are its
tags that name a theme plus the themes its sentences match most (:func:`note_themes`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jingdu.glossary.parse import Entry, scenario_phrases
from jingdu.glossary.suggest import STOP, names
from jingdu.segment import words

HAN = re.compile(r"[\u4e00-\u9fff]")
GENERIC = frozenset([
    "发展", "建设", "工作", "问题", "管理", "服务", "提高", "提升", "加强", "完善", "推动",
    "实现", "相关", "进行", "通过", "能够", "主要", "一定", "具有", "各种", "形成", "方面",
    "情况", "地方", "地区", "政府", "部门", "群众", "社会", "人们", "单位", "一种", "方式",
    "过程", "能力", "作用", "重要", "需要", "方法", "措施", "水平",
])


@dataclass(frozen=True)
class ThemeOptions:
    """Tunables of theme assignment."""

    item_max: int = 3
    item_min_score: float = 2.0  # an item's theme needs this much vocabulary weight
    item_share: float = 0.5  # … and a later theme this share of the first's
    note_max: int = 3
    note_share: float = 0.15  # a note's theme: this share of its sentences' first themes
    term_weight: float = 3.0  # weight of a word from a term's name
    seed_weight: float = 4.0
    min_weight: float = 0.6  # words weighing less are left out of a vocabulary


@dataclass(frozen=True)
class Vocabularies:
    themes: dict[str, dict[str, float]]  # theme -> word -> weight
    aliases: dict[str, str]  # a tag or old theme name -> theme

    @property
    def names(self) -> list[str]:
        return list(self.themes)

    def canonical(self, name: str) -> str | None:
        if name in self.themes:
            return name
        return self.aliases.get(name)


# kept for callers of the keyword lexicon (the same object now)
Lexicon = Vocabularies


def _content(text: str) -> list[str]:
    return [w for w in words(text) if len(w) >= 2 and HAN.search(w) and w not in STOP]


def build(glossaries: Mapping[str, Sequence[Entry]], seeds: Mapping[str, Sequence[str]],
          options: ThemeOptions = ThemeOptions(),
          others: Sequence[Mapping[str, float]] = ()) -> dict[str, dict[str, float]]:
    """Vocabularies from glossary entries (by theme) and seed words (by theme); ``others`` are
    vocabularies already built, which count when weighing how particular a word is."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for theme, entries in glossaries.items():
        for e in entries:
            for n in names(e.term):
                for w in _content(n):
                    counts[theme][w] += options.term_weight
            for w in _content(e.definition):
                counts[theme][w] += 1.0
            for s in e.scenarios:
                for p in scenario_phrases(s):
                    for w in _content(p):
                        counts[theme][w] += 0.5
    themes = sorted(set(counts) | set(seeds))
    df = Counter(w for t in themes for w in counts[t])
    df.update(w for other in others for w in other)
    n_themes = len(themes) + len(others)
    out: dict[str, dict[str, float]] = {}
    for t in themes:
        vocab: dict[str, float] = {}
        for w, c in counts[t].items():
            if w in GENERIC:
                continue
            weight = math.log1p(c) * math.log(1 + n_themes / df[w]) / 2
            if weight >= options.min_weight:
                vocab[w] = round(weight, 3)
        for w in seeds.get(t, ()):
            vocab[w] = max(vocab.get(w, 0.0), options.seed_weight)
        out[t] = dict(sorted(vocab.items(), key=lambda kv: -kv[1]))
    return out


def load_vocabularies(path: str | Path | None = None) -> Vocabularies:
    if path is None:
        raw = resources.files("jingdu").joinpath("data/themes.json").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = json.loads(raw)
    return Vocabularies({t: dict(v) for t, v in data["themes"].items()}, dict(data.get("aliases", {})))


load_lexicon = load_vocabularies


@lru_cache(maxsize=1)
def default_vocabularies() -> Vocabularies:
    return load_vocabularies()


default_lexicon = default_vocabularies


def vocabularies_from_entries(entries: Iterable[Entry], base: Vocabularies | None = None) -> Vocabularies:
    """The shipped vocabularies with the themes of ``entries`` (e.g. the bank's glossaries) added."""
    base = base or default_vocabularies()
    by_theme: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.theme:
            by_theme[e.theme].append(e)
    new = {t: es for t, es in by_theme.items() if t not in base.themes}
    if not new:
        return base
    built = build(new, {t: [t] for t in new}, others=list(base.themes.values()))
    return Vocabularies({**base.themes, **built}, base.aliases)


def scores(text: str, vocab: Vocabularies | None = None) -> Counter[str]:
    """Vocabulary weight per theme of the distinct words of ``text`` (and the seeds it holds)."""
    v = vocab or default_vocabularies()
    found = set(_content(text))
    out: Counter[str] = Counter()
    for theme, ws in v.themes.items():
        s = sum(ws[w] for w in found if w in ws)
        s += sum(wt for w, wt in ws.items() if wt >= 4.0 and w not in found and w in text)
        if s > 0:
            out[theme] = s  # type: ignore[assignment]
    return out


def item_themes(text: str, inherited: Sequence[str] = (), lexicon: Vocabularies | None = None,
                options: ThemeOptions = ThemeOptions()) -> list[str]:
    """The item's own themes, best first (``inherited`` is ignored: items never take their note's)."""
    sc = scores(text, lexicon).most_common(options.item_max)
    if not sc or sc[0][1] < options.item_min_score:
        return []
    top = sc[0][1]
    return [t for t, s in sc if s >= options.item_min_score and s >= options.item_share * top]


def note_themes(text: str, tags: Sequence[str] = (), lexicon: Vocabularies | None = None,
                options: ThemeOptions = ThemeOptions()) -> list[str]:
    """The note's tags that name a theme, then the first themes of most of its sentences."""
    v = lexicon or default_vocabularies()
    out = list(dict.fromkeys(c for t in tags if (c := v.canonical(t))))
    firsts = Counter()
    sentences = [s for s in re.split(r"[。！？；\n]", text) if len(s.strip()) > 4]
    for s in sentences:
        own = item_themes(s, (), v, options)
        if own:
            firsts[own[0]] += 1
    for theme, n in firsts.most_common(options.note_max):
        if n >= max(2, options.note_share * len(sentences)) and theme not in out:
            out.append(theme)
    return out


def theme_list(vocab: Vocabularies | None = None) -> list[str]:
    """Every theme a user can ask for."""
    return list((vocab or default_vocabularies()).themes)
