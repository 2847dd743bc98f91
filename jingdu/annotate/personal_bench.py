"""``jingdu bench personal``: does a personal model learn its user from a handful of corrected notes?

Simulated readers with distinct, consistent styles mark the corpus's unmarked posts (the 申论
exam pages left out): each "corrects" the default model's suggestions note by note (accepts those
that fit its style, rejects the others, adds what it misses), so its corrected note holds its own
marks only.  After 0, 5, 10, 20 and 40 corrected notes, a personal model (:mod:`jingdu.annotate.personal`)
is trained on them and scored on the reader's held-out notes, next to the default model and next
to a model trained on that reader's notes alone (``jingdu train`` on the same notes), all in the
same run.  The corpus's own reader is the last "user": her non-申论 notes in grouped 5-fold
cross-validation, the personal model trained on the training folds' notes (the first 5, 10, 20
and all of them), the default model on the same held-out notes.

Scores are micro F1 over the held-out notes: highlight over sentences, bold and red over spans
matched at half their length (as ``jingdu eval`` counts them).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jingdu.annotate.annotator import Model, predict
from jingdu.annotate.features import SentInfo, sentence_infos
from jingdu.annotate.personal import LAYERS, Counts, Personal, Seen, count, personal_ranges, see, train_personal
from jingdu.annotate.spans import Range
from jingdu.annotate.training import TrainOptions, folds_of, train
from jingdu.model import SCORED_LAYERS, Doc, Span

STEPS: tuple[int, ...] = (0, 5, 10, 20, 40)
QUICK_STEPS: tuple[int, ...] = (0, 5, 10)

_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|％|个百分点|倍|[万亿千百]*(?:元|美元|人次|人|家|个|项|件|座|公里|千米|平方米|"
                     r"平方公里|亩|吨|条|所|台|辆|艘|户|名|位|款|种|千瓦|标箱)|[万亿]+)")
_LEADER = re.compile(r"习近平|总书记")
_SAYS = re.compile(r"“|指出|强调|要求|提出")
_COINAGE = re.compile(r"“([\u4e00-\u9fff、]{2,10})”")


def _sentence_style(keep: Callable[[SentInfo], bool]) -> Callable[[Doc], list[Span]]:
    def marks(doc: Doc) -> list[Span]:
        return [Span(s.start, s.end, "highlight", origin="user") for s in sentence_infos(doc)
                if s.kind != "heading" and keep(s)]
    return marks


def _figures(doc: Doc) -> list[Span]:
    return [Span(m.start(), m.end(), "bold", origin="user") for m in _FIGURE.finditer(doc.text)]


def _coinages(doc: Doc) -> list[Span]:
    return [Span(m.start(1), m.end(1), "red", origin="user") for m in _COINAGE.finditer(doc.text)]


@dataclass(frozen=True)
class Style:
    name: str
    layer: str
    marks: Callable[[Doc], list[Span]]
    what: str


STYLES: tuple[Style, ...] = (
    Style("figures", "highlight", _sentence_style(lambda s: bool(_FIGURE.search(s.text))),
          "highlights only the sentences holding a figure with its unit"),
    Style("lead", "highlight", _sentence_style(lambda s: s.index == 0),
          "highlights only the first sentence of each paragraph"),
    Style("leader", "highlight", _sentence_style(lambda s: bool(_LEADER.search(s.text) and _SAYS.search(s.text))),
          "highlights only the sentences quoting a leader"),
    Style("units", "bold", _figures, "bolds only numbers with their units"),
    Style("coinage", "red", _coinages, "reds only quoted coinages (2-10 characters in “…”)"),
)


def corrected(doc: Doc, style: Style) -> Doc:
    """The reader's note: the default's suggestions corrected to the reader's own marks."""
    return doc.with_spans(style.marks(doc), replace_layers=SCORED_LAYERS)


def provenance(seen: Seen, gold: Doc, layer: str) -> dict[str, int]:
    """How a reader's note came about: suggestions accepted and rejected, marks added."""
    from jingdu.annotate.spans import gold_ranges, match_count

    sugg, mine = seen.default[layer], gold_ranges(gold, layer)
    ok = match_count(sugg, mine)
    return {"accepted": ok, "rejected": len(sugg) - ok, "added": len(mine) - ok}


# -- scoring -----------------------------------------------------------------------------------------
def _score(seens: Sequence[Seen], golds: Sequence[Doc], marks: Sequence[dict[str, list[Range]]]
           ) -> dict[str, float]:
    counts = {layer: Counts() for layer in LAYERS}
    for s, g, m in zip(seens, golds, marks, strict=True):
        for layer in LAYERS:
            counts[layer].add(*count(s, g, layer, m[layer]))
    return {k: round(v.f1, 4) for k, v in counts.items()}


def _alone(docs: Sequence[Doc], held: Sequence[Doc]) -> list[dict[str, list[Range]]]:
    model = train(docs, None, TrainOptions(folds=min(4, len(docs))))
    return [_ranges(predict(d, model)) for d in held]


def _ranges(spans: Iterable[Span]) -> dict[str, list[Range]]:
    out: dict[str, list[Range]] = {layer: [] for layer in LAYERS}
    for sp in spans:
        out[sp.layer].append((sp.start, sp.end))
    return out


def _personal(model: Personal | None, seens: Sequence[Seen]) -> list[dict[str, list[Range]]]:
    if model is None:
        return [s.default for s in seens]
    return [personal_ranges(s, model) for s in seens]


# -- the simulated readers ---------------------------------------------------------------------------
def run_style(style: Style, base: Model, train_docs: Sequence[Doc], train_seen: Sequence[Seen],
              held_docs: Sequence[Doc], held_seen: Sequence[Seen], steps: Sequence[int],
              alone: bool = True) -> dict[str, object]:
    golds = [corrected(d, style) for d in train_docs]
    held = [corrected(d, style) for d in held_docs]
    rows = []
    for n in steps:
        n = min(n, len(golds))
        model = train_personal(base, golds[:n], train_seen[:n]) if n >= 2 else None
        row: dict[str, object] = {"notes": n, "default": _score(held_seen, held, [s.default for s in held_seen]),
                                  "personal": _score(held_seen, held, _personal(model, held_seen)),
                                  "uses": list(model.used) if model else []}
        if alone and n >= 5:
            row["alone"] = _score(held_seen, held, _alone(golds[:n], held_docs))
        rows.append(row)
    prov = {"accepted": 0, "rejected": 0, "added": 0}
    for s, g in zip(train_seen[:max(steps)], golds[:max(steps)], strict=False):
        for layer in LAYERS:
            for k, v in provenance(s, g, layer).items():
                prov[k] += v
    return {"style": style.name, "layer": style.layer, "what": style.what, "steps": rows, "corrections": prov}


def run_reader(base: Model, docs: Sequence[Doc], seens: Sequence[Seen], steps: Sequence[int],
               folds: int = 5) -> dict[str, object]:
    """The corpus's reader as the user: grouped k-fold over her notes; in each fold the personal
    model learns from the first n training notes and is scored on the held-out ones."""
    agg: dict[str, dict[str, Counts]] = {}
    used: dict[str, list[str]] = {}
    for fold in folds_of(len(docs), folds):
        held_idx = set(fold.tolist())
        tr = [i for i in range(len(docs)) if i not in held_idx]
        held = [docs[i] for i in fold]
        hs = [seens[i] for i in fold]
        for n in (*[s for s in steps if 0 < s < len(tr)], len(tr)):
            key = "all" if n == len(tr) else str(n)
            model = train_personal(base, [docs[i] for i in tr[:n]], [seens[i] for i in tr[:n]]) if n >= 2 else None
            used.setdefault(key, []).append("+".join(model.used) if model else "")
            for name, marks in (("default", [s.default for s in hs]), ("personal", _personal(model, hs))):
                c = agg.setdefault(f"{key}:{name}", {layer: Counts() for layer in LAYERS})
                for s, g, m in zip(hs, held, marks, strict=True):
                    for layer in LAYERS:
                        c[layer].add(*count(s, g, layer, m[layer]))
    rows = []
    for key in dict.fromkeys(k.split(":")[0] for k in agg):
        rows.append({"notes": key, "default": {k: round(v.f1, 4) for k, v in agg[f"{key}:default"].items()},
                     "personal": {k: round(v.f1, 4) for k, v in agg[f"{key}:personal"].items()},
                     "uses": used[key]})
    return {"style": "corpus reader", "notes": len(docs), "folds": folds, "steps": rows}


def _plain_posts(corpus: Path) -> list[Path]:
    """The corpus's unmarked posts that are not 申论 pages, in file order."""
    skip: set[str] = set()
    man = corpus / "manifest.jsonl"
    if man.is_file():
        for line in man.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "申论" in (row.get("categories") or []):
                skip.add(Path(row["file"]).name)
    return [p for p in sorted((corpus / "plain").glob("*.md")) if p.name not in skip]


def bench(corpus: Path, base: Model, quick: bool = False, alone: bool = True,
          progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Every style and the corpus's reader; ``quick``: 10 training and 10 held-out notes, steps
    0/5/10, three styles, the reader on 20 notes."""
    from jingdu.annotate import note_groups, read_notes

    t0 = time.process_time()
    steps = QUICK_STEPS if quick else STEPS
    posts = _plain_posts(corpus)
    n_train, n_held = (max(steps), 10) if quick else (max(steps), 30)
    from jingdu.notation import read_note

    texts = [read_note(p.read_text(encoding="utf-8")) for p in posts[: n_train + n_held]]
    texts = [d for d in texts if d.text.strip()]
    seens = [see(d, base) for d in texts]
    styles = STYLES
    tr, ho = texts[:n_train], texts[n_train:n_train + n_held]
    out: list[dict[str, object]] = []
    for st in styles:
        if progress:
            progress(st.name)
        out.append(run_style(st, base, tr, seens[:n_train], ho, seens[n_train:n_train + n_held], steps, alone))
    notes = sorted((corpus / "annotated").glob("*.md"))
    docs = read_notes(notes)
    mine = [d for d, g in zip(docs, note_groups(notes, docs), strict=True) if g != "申论"]
    if quick:
        mine = mine[:20]
    if progress:
        progress("corpus reader")
    reader = run_reader(base, mine, [see(d, base) for d in mine], steps)
    return {"styles": out, "reader": reader, "quick": quick, "cpu_s": round(time.process_time() - t0, 1),
            "train_notes": len(tr), "held_notes": len(ho)}


def report(result: dict[str, object]) -> str:
    """The bench as text: per style and layer, F1 after n notes: default / personal / alone."""
    lines = [f"simulated readers: {result['train_notes']} notes to correct, {result['held_notes']} held out; "
             "F1 on the held-out notes (default | personal | trained on the reader's notes alone)"]
    for st in result["styles"]:  # type: ignore[attr-defined]
        lines.append(f"\n{st['style']} ({st['what']}); marked layer {st['layer']}; corrections of the "
                     f"default on its notes: {st['corrections']}")
        lines.append(f"  {'notes':>5}  " + "  ".join(f"{layer:>24}" for layer in LAYERS) + "  uses")
        for row in st["steps"]:
            cells = []
            for layer in LAYERS:
                a = row.get("alone", {}).get(layer)
                alone = f"{a:.3f}" if a is not None else "  -  "
                cells.append(f"{row['default'][layer]:.3f} | {row['personal'][layer]:.3f} | {alone}")
            lines.append(f"  {row['notes']:>5}  " + "  ".join(f"{c:>24}" for c in cells)
                         + "  " + ",".join(row["uses"]))
        gain = {r["notes"]: r["personal"][st["layer"]] - r["default"][st["layer"]] for r in st["steps"]}
        if 10 in gain:
            lines.append(f"  after 10 notes: personal - default on {st['layer']} = {gain[10]:+.3f}")
    rd = result["reader"]
    lines.append(f"\n{rd['style']}: her {rd['notes']} non-申论 notes, grouped {rd['folds']}-fold CV "  # type: ignore[index]
                 "(default | personal)")
    for row in rd["steps"]:  # type: ignore[index]
        cells = [f"{layer} {row['default'][layer]:.3f} | {row['personal'][layer]:.3f}" for layer in LAYERS]
        worse = [layer for layer in LAYERS if row["personal"][layer] < row["default"][layer]]
        lines.append(f"  {row['notes']:>5} notes  " + "   ".join(cells)
                     + ("   worse: " + ",".join(worse) if worse else "   never worse"))
    lines.append(f"\nCPU time {result['cpu_s']} s")
    return "\n".join(lines)
