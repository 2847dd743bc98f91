"""Rebuild ``jingdu/data/themes.json``: one vocabulary per theme from the 规范词 glossary posts
(term sections only), seeded with the theme's name, the tags that stand for it and (with
``--keywords jingdu/data/themes-keywords-v1.json``) the earlier lexicon's keywords; the themes
that have no glossary yet have seeds only.  Writes words and weights only.

    python benchmarks/theme_vocabularies.py ../shared/corpus/plain/p428.md … -o jingdu/data/themes.json
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from jingdu.bank.themes import build
from jingdu.fsutil import write_atomic
from jingdu.glossary.parse import Entry, read_glossary

#: Tags and earlier theme names that stand for a glossary's theme.
ALIASES = {"生态保护": "绿色发展", "生态文明": "绿色发展", "民生": "民生福祉", "教育": "发展高质量教育",
           "人才": "人才队伍建设", "三农": "乡村振兴"}
#: Themes without a glossary yet, with their seed words.
SEEDED = {
    "科技创新": ["科技创新", "新质生产力", "人工智能", "自主创新", "关键核心技术", "科技自立自强", "研发", "芯片",
             "集成电路", "量子", "大模型", "算力", "基础研究", "创新驱动", "科研", "科学家", "实验室", "低空经济",
             "机器人", "智能制造"],
    "国家安全": ["国家安全", "总体国家安全观", "国防", "军队", "网络安全", "安全生产", "防灾减灾", "应急管理"],
    "党的建设": ["党的建设", "全面从严治党", "党风廉政", "反腐败", "中央八项规定", "作风建设", "党性", "主题教育",
             "政治建设"],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("posts", nargs="+")
    ap.add_argument("-o", "--out", type=Path, required=True)
    ap.add_argument("--keywords", type=Path, help="The earlier keyword lexicon, its words used as seeds.")
    args = ap.parse_args()
    glossaries: dict[str, list[Entry]] = defaultdict(list)
    for p in args.posts:
        for e in read_glossary(Path(p).read_text(encoding="utf-8"), Path(p).stem):
            glossaries[e.theme].append(e)
    seeds = {t: [t, *(a for a, c in ALIASES.items() if c == t)] for t in glossaries}
    seeds.update(SEEDED)
    if args.keywords:  # the earlier keyword lexicon's words as seeds of their (renamed) themes
        for theme, kws in json.loads(args.keywords.read_text(encoding="utf-8"))["themes"].items():
            seeds.setdefault(ALIASES.get(theme, theme), []).extend(kws)
    themes = build(glossaries, seeds)
    data = {"version": 2,
            "about": "Theme vocabularies: word -> weight, built by benchmarks/theme_vocabularies.py from the 规范词 "
                     "glossaries (term sections) and seed words; aliases map tags to themes.",
            "aliases": ALIASES, "themes": themes}
    write_atomic(args.out, json.dumps(data, ensure_ascii=False, indent=0))
    print(f"{len(themes)} themes, {sum(len(v) for v in themes.values())} words -> {args.out}")


if __name__ == "__main__":
    main()
