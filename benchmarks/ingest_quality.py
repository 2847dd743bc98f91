"""Ingest quality on the corpus's served blog pages, next to trafilatura (baseline, same run).

For each ``corpus/html/<id>.html`` with a note ``corpus/annotated/<id>.md``: ingest the page,
render it as ``jingdu ingest`` does (``write_note(doc, footer=True)``), and compare its text
with the note's text (both read by the referee's ``chars()``, whitespace removed) by
character-4-gram F1; a title counts when it equals the note's title exactly.

    python benchmarks/ingest_quality.py [--shared ../shared] [--per-page]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jingdu.ingest.page import read_html  # noqa: E402
from jingdu.notation import read_note, write_note  # noqa: E402


def load_referee(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("jingdu_referee", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no referee at {shared / 'eval' / 'score.py'}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def grams(text: str, n: int = 4) -> Counter[str]:
    return Counter(text[i:i + n] for i in range(max(len(text) - n + 1, 0)))


def f1(pred: str, gold: str) -> float:
    p, g = grams(pred), grams(gold)
    if not p or not g:
        return 0.0
    hit = sum((p & g).values())
    if not hit:
        return 0.0
    prec, rec = hit / sum(p.values()), hit / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def text_of(referee: ModuleType, note: str) -> str:
    seq, _ = referee.chars(note)
    return "".join(ch for ch, _ in seq)


def trafilatura_note(html: str) -> tuple[str, str]:
    import trafilatura

    text = trafilatura.extract(html) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta else "") or ""
    return title, f"# {title}\n\n{text}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--per-page", action="store_true", help="print each page's scores")
    args = ap.parse_args(argv)
    referee = load_referee(args.shared)
    corpus = args.shared / "corpus"
    rows: list[tuple[str, float, bool, float, bool]] = []
    for page in sorted((corpus / "html").glob("*.html")):
        note_path = corpus / "annotated" / f"{page.stem}.md"
        if not note_path.exists():
            continue
        html, note = page.read_text(encoding="utf-8"), note_path.read_text(encoding="utf-8")
        gold_text, gold_title = text_of(referee, note), read_note(note).title.strip()
        doc = read_html(html, note_id=page.stem)
        ours = f1(text_of(referee, write_note(doc, footer=True)), gold_text)
        t_title, t_note = trafilatura_note(html)
        theirs = f1(text_of(referee, t_note), gold_text)
        rows.append((page.stem, ours, doc.title.strip() == gold_title, theirs, t_title.strip() == gold_title))
        if args.per_page:
            print(f"{page.stem}  jingdu {ours:.3f}  trafilatura {theirs:.3f}")
    if not rows:
        print(f"no pages under {corpus / 'html'}")
        return 1
    for name, i in (("jingdu", 1), ("trafilatura", 3)):
        scores = [r[i] for r in rows]
        titles = sum(1 for r in rows if r[i + 1]) / len(rows)
        print(f"{name:12s} pages {len(rows)}  F1 mean {statistics.mean(scores):.4f}  "
              f"min {min(scores):.4f}  exact title {titles:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
