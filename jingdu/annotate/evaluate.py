"""Cross-validation grouped by article, scored exactly as the referee scores, next to baselines
computed in the same run: lead sentences, TextRank, and a dictionary of the training notes' red
terms (``jingdu eval``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from jingdu.annotate import metrics
from jingdu.annotate.annotator import Model, predict
from jingdu.annotate.features import sentence_infos
from jingdu.annotate.terms import clean_term
from jingdu.annotate.textrank import textrank
from jingdu.annotate.training import TrainOptions, folds_of, train
from jingdu.model import Doc, Span
from jingdu.notation import write_note
from jingdu.segment import find_words

SCORED = ("highlight", "bold", "red")
Predictor = Callable[[Doc], list[Span]]


def _score(golds: Sequence[Doc], preds: Sequence[Doc]) -> dict[str, object]:
    return metrics.total((write_note(g), write_note(p)) for g, p in zip(golds, preds, strict=True))


def _with(doc: Doc, spans: list[Span]) -> Doc:
    return doc.with_spans(spans, replace_layers=SCORED)


def lead_spans(doc: Doc, share: float = 0.15) -> list[Span]:
    """Baseline: the first sentence of each paragraph, up to ``share`` of the sentences."""
    infos = sentence_infos(doc)
    firsts = [s for s in infos if s.index == 0 and s.kind == "paragraph"]
    k = max(1, round(share * len(infos)))
    return [Span(s.start, s.end, "highlight", origin="model") for s in firsts[:k]]


def textrank_spans(doc: Doc, share: float = 0.15) -> list[Span]:
    """Baseline: the top ``share`` of sentences by TextRank."""
    infos = sentence_infos(doc)
    if not infos:
        return []
    r = textrank([s.text for s in infos])
    k = max(1, round(share * len(infos)))
    top = np.argsort(-r)[:k]
    return [Span(infos[i].start, infos[i].end, "highlight", origin="model") for i in sorted(top)]


def dictionary_spans(doc: Doc, words: frozenset[str]) -> list[Span]:
    """Baseline: every occurrence of a red term of the training notes."""
    return [Span(s, e, "red", origin="model") for s, e in find_words(doc.text, words)]


def red_words(docs: Sequence[Doc]) -> frozenset[str]:
    c = Counter(clean_term(d.span_text(sp)) for d in docs for sp in d.spans("red"))
    return frozenset(t for t in c if len(t) >= 2)


def cross_validate(docs: Sequence[Doc], folds: int = 5, mined: Counter[str] | None = None,
                   options: TrainOptions = TrainOptions(),
                   progress: Callable[[int, int], None] | None = None,
                   posts: Sequence[str] = ()) -> dict[str, object]:
    """Grouped K-fold: train on the other articles, predict each held-out article; baselines too."""
    docs = list(docs)
    preds: dict[str, list[Doc | None]] = {k: [None] * len(docs) for k in ("model", "lead", "textrank", "dictionary")}
    parts = folds_of(len(docs), folds)
    for n, fold in enumerate(parts):
        held = set(fold.tolist())
        train_docs = [d for i, d in enumerate(docs) if i not in held]
        model: Model = train(train_docs, mined, options, posts)
        words = red_words(train_docs)
        for i in fold:
            d = docs[i]
            preds["model"][i] = _with(d, predict(d, model))
            preds["lead"][i] = _with(d, lead_spans(d))
            preds["textrank"][i] = _with(d, textrank_spans(d))
            preds["dictionary"][i] = _with(d, dictionary_spans(d, words))
        if progress:
            progress(n + 1, len(parts))
    out: dict[str, object] = {"notes": len(docs), "folds": len(parts)}
    for name, ps in preds.items():
        out[name] = _score(docs, [p for p in ps if p is not None])
    return out


def summary_rows(result: dict[str, object]) -> list[tuple[str, str, float, float, float]]:
    """(system, layer, P, R, F1) rows for a table."""
    rows = []
    keys = {"highlight": "highlight_sentences", "bold": "bold_spans", "red": "red_spans"}
    wanted = {"model": SCORED, "lead": ("highlight",), "textrank": ("highlight",), "dictionary": ("red",)}
    for system, layers in wanted.items():
        res = result.get(system)
        if not isinstance(res, dict):
            continue
        for layer in layers:
            m = res[keys[layer]]
            rows.append((system, layer, m["p"], m["r"], m["f1"]))
    return rows
