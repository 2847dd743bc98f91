"""``jingdu bench themes``: per note, the share of its sentences whose first theme is the note's
own theme — vocabulary themes (per item) next to the earlier keyword lexicon (an item naming
no keyword took its note's themes), both computed in the same run."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from jingdu import pipeline
from jingdu.bank.themes import Vocabularies, default_vocabularies, item_themes, note_themes
from jingdu.errors import InputError
from jingdu.segment import sentences


@dataclass(frozen=True)
class KeywordLexicon:
    """The keyword lexicon themes of before (``data/themes-keywords-v1.json``), kept as the baseline."""

    themes: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls) -> KeywordLexicon:
        raw = resources.files("jingdu").joinpath("data/themes-keywords-v1.json").read_text(encoding="utf-8")
        return cls({k: tuple(v) for k, v in json.loads(raw)["themes"].items()})

    def scores(self, text: str) -> Counter[str]:
        out: Counter[str] = Counter()
        words = sorted({w for ws in self.themes.values() for w in ws}, key=len, reverse=True)
        for m in re.finditer("|".join(map(re.escape, words)), text):
            for theme, ws in self.themes.items():
                if m.group(0) in ws:
                    out[theme] += max(1.0, len(m.group(0)) / 2)  # type: ignore[assignment]
        return out

    def note_themes(self, text: str, tags: tuple[str, ...]) -> list[str]:
        out = [t for t in tags if t in self.themes]
        sc = self.scores(text)
        total = sum(sc.values()) or 1
        for theme, hits in sc.most_common(3):
            if hits >= 3 and hits / total >= 0.15 and theme not in out:
                out.append(theme)
        return out

    def item_themes(self, text: str, inherited: list[str]) -> list[str]:
        own = [t for t, n in self.scores(text).most_common(3) if n >= 2.0]
        return own or list(inherited)


@dataclass
class ThemeRow:
    note: str
    own: str
    sentences: int
    vocab_first: int
    vocab_any: int
    vocab_none: int
    keyword_first: int
    keyword_any: int
    keyword_own_first: int = 0  # the keyword lexicon on the sentence alone (no note themes inherited)

    def to_dict(self) -> dict[str, object]:
        n = max(self.sentences, 1)
        return {"note": self.note, "theme": self.own, "sentences": self.sentences,
                "vocabulary_first": self.vocab_first / n, "vocabulary_any": self.vocab_any / n,
                "vocabulary_none": self.vocab_none / n,
                "keywords_first": self.keyword_first / n, "keywords_any": self.keyword_any / n,
                "keywords_own_first": self.keyword_own_first / n}


def bench_note(name: str, own: str, vocab: Vocabularies | None = None,
               baseline: KeywordLexicon | None = None) -> ThemeRow:
    v = vocab or default_vocabularies()
    base = baseline or KeywordLexicon.load()
    own_new = v.canonical(own) or own
    own_old = own if own in base.themes else {"绿色发展": "生态保护"}.get(own, own)
    doc = pipeline.read(name, pipeline.PipelineOptions())
    sents = [s.text for s in sentences(doc)]
    if not sents:
        raise InputError(f"{name}: no sentences")
    old_note = base.note_themes(doc.text, doc.meta.tags)
    note_themes(doc.text, doc.meta.tags, v)  # the note's own themes are not given to its items
    row = ThemeRow(name, own_new, len(sents), 0, 0, 0, 0, 0)
    for s in sents:
        new = item_themes(s, (), v)
        old = base.item_themes(s, old_note)
        row.vocab_first += bool(new) and new[0] == own_new
        row.vocab_any += own_new in new
        row.vocab_none += not new
        row.keyword_first += bool(old) and old[0] == own_old
        row.keyword_any += own_old in old
        alone = base.item_themes(s, [])
        row.keyword_own_first += bool(alone) and alone[0] == own_old
    return row
