"""Cross-validation grouped by article, scored exactly as the referee scores, next to baselines
computed in the same run (:mod:`jingdu.annotate.baselines`): lead sentences, TextRank, character
n-gram logistic regressions, and dictionaries of the training notes' red terms (``jingdu eval``).

Every figure is reported for all notes and for each group of notes (``groups``: 申论 topic pages
and the other notes, whose figure is the one that predicts unseen news articles).  Candidate
terms are mined inside each fold, from the training notes and the unmarked posts only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from jingdu.annotate import metrics
from jingdu.annotate.annotator import Model, predict
from jingdu.annotate.baselines import (
    NgramBaseline,
    TfidfBaseline,
    dictionary_spans,
    lead_spans,
    red_words,
    textrank_spans,
)
from jingdu.annotate.lexicon import mine_terms
from jingdu.annotate.training import TrainOptions, folds_of, train
from jingdu.model import SCORED_LAYERS, Doc, Span
from jingdu.notation import write_note

SCORED = SCORED_LAYERS
#: The systems of a run and the layers each is scored on.
WANTED: dict[str, tuple[str, ...]] = {"model": SCORED, "lead": ("highlight",), "textrank": ("highlight",),
                                      "ngram_lr": ("highlight",), "tfidf_lr": ("highlight",),
                                      "dictionary": ("red",),
                                      "dictionary_2notes": ("red",)}


def _score(golds: Sequence[Doc], preds: Sequence[Doc]) -> dict[str, object]:
    return metrics.total((write_note(g), write_note(p)) for g, p in zip(golds, preds, strict=True))


def _with(doc: Doc, spans: list[Span]) -> Doc:
    return doc.with_spans(spans, replace_layers=SCORED)


#: The group every note belongs to when ``groups`` is not given.
OTHER = "other"


def cross_validate(docs: Sequence[Doc], folds: int = 5, mined: Counter[str] | None = None,
                   options: TrainOptions = TrainOptions(),
                   progress: Callable[[int, int], None] | None = None,
                   posts: Sequence[str] = (), seed: int = 0,
                   groups: Sequence[str] | None = None,
                   variants: dict[str, dict[str, object]] | None = None) -> dict[str, object]:
    """Grouped K-fold: train on the other articles, predict each held-out article; baselines too.

    Candidate terms are mined in each fold from its training notes and ``posts`` (``mined``, when
    given, is used as is instead: a fixed table).  ``groups`` names each note's group (e.g. 申论
    and other); every score is also reported per group under ``"groups"``.  Seed 0 puts every
    K-th article in the same fold (in the order given); another seed shuffles the articles first,
    for a different split.  ``variants`` maps a name to keyword arguments of :func:`predict` (the
    decision rules, furniture, the bold fallback): each is scored as system ``model[name]`` from
    the same trained models."""
    docs = list(docs)
    groups = list(groups) if groups is not None else [OTHER] * len(docs)
    variants = dict(variants or {})
    preds: dict[str, list[Doc | None]] = {k: [None] * len(docs) for k in (*WANTED, *map(variant_name, variants))}
    parts = folds_of(len(docs), folds)
    if seed:
        order = np.random.default_rng(seed).permutation(len(docs))
        parts = [order[p] for p in parts]
    for n, fold in enumerate(parts):
        held = set(fold.tolist())
        train_docs = [d for i, d in enumerate(docs) if i not in held]
        fold_mined = mined if mined is not None else mine_terms([d.text for d in train_docs] + list(posts))
        model: Model = train(train_docs, fold_mined, options, posts)
        ngram = NgramBaseline(train_docs)
        tfidf = TfidfBaseline(train_docs)
        words, words2 = red_words(train_docs), red_words(train_docs, min_notes=2)
        for i in fold:
            d = docs[i]
            preds["model"][i] = _with(d, predict(d, model))
            for v, kwargs in variants.items():
                preds[variant_name(v)][i] = _with(d, predict(d, model, **kwargs))  # type: ignore[arg-type]
            preds["lead"][i] = _with(d, lead_spans(d))
            preds["textrank"][i] = _with(d, textrank_spans(d))
            preds["ngram_lr"][i] = _with(d, ngram.spans(d))
            preds["tfidf_lr"][i] = _with(d, tfidf.spans(d))
            preds["dictionary"][i] = _with(d, dictionary_spans(d, words))
            preds["dictionary_2notes"][i] = _with(d, dictionary_spans(d, words2))
        if progress:
            progress(n + 1, len(parts))
    out: dict[str, object] = {"notes": len(docs), "folds": len(parts)}
    for name, ps in preds.items():
        out[name] = _score(docs, [p for p in ps if p is not None])
    out["groups"] = {g: {"notes": groups.count(g),
                         **{name: _score([d for d, h in zip(docs, groups, strict=True) if h == g],
                                         [p for p, h in zip(ps, groups, strict=True) if h == g and p is not None])
                            for name, ps in preds.items()}}
                     for g in sorted(set(groups))}
    return out


def repeated(docs: Sequence[Doc], folds: int = 5, repeats: int = 1, mined: Counter[str] | None = None,
             posts: Sequence[str] = (), progress: Callable[[int, int], None] | None = None,
             groups: Sequence[str] | None = None, options: TrainOptions = TrainOptions(),
             variants: dict[str, dict[str, object]] | None = None) -> dict[str, object]:
    """:func:`cross_validate` on ``repeats`` different splits (seeds 0, 1, …): with 54 notes one
    split's score moves by a few points, so the mean over splits is the estimate to report."""
    runs = []
    for seed in range(max(1, repeats)):
        runs.append(cross_validate(docs, folds, mined, options, posts=posts, seed=seed, groups=groups,
                                   variants=variants))
        if progress:
            progress(seed + 1, max(1, repeats))
    return {"notes": len(docs), "folds": runs[0]["folds"], "repeats": len(runs), "runs": runs}


KEYS = {"highlight": "highlight_sentences", "bold": "bold_spans", "red": "red_spans"}
Row = tuple[str, str, float, float, float, float, float]
ALL = "all"


def variant_name(name: str) -> str:
    return f"model[{name}]"


def group_names(result: dict[str, object]) -> list[str]:
    """The groups of a result: ``all`` first, then each group of notes."""
    runs = result.get("runs") or [result]
    return [ALL, *sorted(runs[0].get("groups") or {})]  # type: ignore[union-attr]


def summary_rows(result: dict[str, object], group: str = ALL) -> list[Row]:
    """(system, layer, P, R, F1, lowest F1, highest F1) rows for a table: the mean over the
    splits of a :func:`repeated` result (or the one split of a :func:`cross_validate` result),
    for all notes or for one ``group`` of them."""
    runs = result.get("runs") or [result]
    if group != ALL:
        runs = [r["groups"][group] for r in runs]  # type: ignore[index]
    rows = []
    extra = {k: SCORED for k in runs[0] if k.startswith("model[")}  # type: ignore[union-attr]
    for system, layers in {**WANTED, **extra}.items():
        if not all(isinstance(r.get(system), dict) for r in runs):  # type: ignore[union-attr]
            continue
        for layer in layers:
            ms = [r[system][KEYS[layer]] for r in runs]  # type: ignore[index]
            f1s = [m["f1"] for m in ms]
            rows.append((system, layer, _mean(m["p"] for m in ms), _mean(m["r"] for m in ms), _mean(f1s),
                         min(f1s), max(f1s)))
    return rows


def _mean(values: Iterable[float]) -> float:
    vals = list(values)
    return round(sum(vals) / len(vals), 4)
