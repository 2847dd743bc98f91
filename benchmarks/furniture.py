"""How many page-furniture lines of unmarked posts the annotator marks, with and without the
furniture rules (``jingdu.annotate.furniture``).

A furniture line is a line of a block that a line rule matches, or a line (≤ 90 characters) holding
a prompt or credit that a sentence rule matches; "marked" means any model mark overlaps it.

    PYTHONPATH=. python benchmarks/furniture.py ../shared/corpus/plain
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from jingdu.annotate import load_model
from jingdu.annotate.annotator import predict
from jingdu.annotate.furniture import MAX_LINE, line_rule, sentence_rule
from jingdu.notation import read_note


def furniture_lines(doc) -> list[tuple[int, int, str]]:
    out = []
    for b in doc.blocks:
        pos = b.start
        for line in doc.text[b.start:b.end].split("\n"):
            rule = line_rule(line) or (sentence_rule(line) if len(line.strip()) <= MAX_LINE else None)
            if rule and line.strip():
                out.append((pos, pos + len(line), rule))
            pos += len(line) + 1
    return out


def main(folder: str) -> None:
    model = load_model()
    files = sorted(Path(folder).glob("*.md"))
    total = 0
    marked = {False: 0, True: 0}
    by_rule: Counter[str] = Counter()
    for f in files:
        doc = read_note(f.read_text(encoding="utf-8"))
        lines = furniture_lines(doc)
        if not lines:
            continue
        total += len(lines)
        for rules in (False, True):
            spans = predict(doc, model, furniture=rules)
            for a, e, rule in lines:
                if any(sp.start < e and a < sp.end for sp in spans):
                    marked[rules] += 1
                    if not rules:
                        by_rule[rule] += 1
    print(f"{len(files)} posts, {total} furniture lines")
    for rules in (False, True):
        print(f"  marked {'with' if rules else 'without'} the furniture rules: {marked[rules]} "
              f"({marked[rules] / max(total, 1):.1%})")
    print("  marked without the rules, by rule:", dict(by_rule.most_common()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/plain")
