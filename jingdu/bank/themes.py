"""Themes (乡村振兴, 基层治理, 生态保护 …) from a keyword lexicon (``jingdu/data/themes.json``).

An item's themes are those whose keywords its text holds (two keywords, or one of four or
more characters); an item that names none inherits its note's themes.  A note's themes are its
own tags that name a theme (the corpus posts are tagged) plus the themes its text mentions most.
Users retag items with ``Bank.tag``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class ThemeOptions:
    """Tunables of theme assignment."""

    note_max: int = 3  # at most this many lexicon themes per note
    note_min_hits: int = 3  # a lexicon theme needs this many keyword hits in a note
    note_share: float = 0.15  # … and this share of the note's keyword hits
    item_max: int = 3
    item_min_score: float = 2.0  # an item's own theme needs two keywords (or one of 4+ characters)


@dataclass(frozen=True)
class Lexicon:
    themes: dict[str, tuple[str, ...]]
    pattern: re.Pattern[str]
    owner: dict[str, tuple[str, ...]]  # keyword -> themes

    @property
    def names(self) -> list[str]:
        return list(self.themes)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    if path is None:
        raw = resources.files("jingdu").joinpath("data/themes.json").read_text(encoding="utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    themes = {k: tuple(v) for k, v in json.loads(raw)["themes"].items()}
    owner: dict[str, list[str]] = {}
    for theme, words in themes.items():
        for w in words:
            owner.setdefault(w, []).append(theme)
    words = sorted(owner, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return Lexicon(themes, pattern, {k: tuple(v) for k, v in owner.items()})


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


def scores(text: str, lexicon: Lexicon | None = None) -> Counter[str]:
    """Keyword hits per theme (a keyword of n characters counts n/2, at least 1)."""
    lex = lexicon or default_lexicon()
    out: Counter[str] = Counter()
    for m in lex.pattern.finditer(text):
        weight = max(1.0, len(m.group(0)) / 2)
        for theme in lex.owner[m.group(0)]:
            out[theme] += weight  # type: ignore[assignment]
    return out


def note_themes(text: str, tags: tuple[str, ...] | list[str] = (), lexicon: Lexicon | None = None,
                options: ThemeOptions = ThemeOptions()) -> list[str]:
    lex = lexicon or default_lexicon()
    out = [t for t in tags if t in lex.themes]
    sc = scores(text, lex)
    total = sum(sc.values()) or 1
    for theme, hits in sc.most_common(options.note_max):
        if hits >= options.note_min_hits and hits / total >= options.note_share and theme not in out:
            out.append(theme)
    return out


def item_themes(text: str, inherited: list[str], lexicon: Lexicon | None = None,
                options: ThemeOptions = ThemeOptions()) -> list[str]:
    sc = scores(text, lexicon)
    own = [t for t, n in sc.most_common(options.item_max) if n >= options.item_min_score]
    return own or list(inherited)
