"""Training: lexicons from the notes (and mined posts), the three layers' models, and thresholds
calibrated on out-of-fold predictions grouped by article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from jingdu.annotate import bold as B
from jingdu.annotate import highlight as H
from jingdu.annotate import linear
from jingdu.annotate import ngram as N
from jingdu.annotate import terms as R
from jingdu.annotate.accounts import Rates
from jingdu.annotate.annotator import Model, Prepared, prepare, threshold_key, with_column
from jingdu.annotate.lexicon import Minus, TermStats, article_counts, count_terms
from jingdu.annotate.spans import best_threshold, gold_ranges, labels
from jingdu.annotate.trees import Scorer, fit_blend
from jingdu.model import Doc

SPAN_GRID = tuple(round(0.02 + 0.02 * i, 3) for i in range(40))

Rows = Sequence[tuple[np.ndarray, np.ndarray]]
Fitter = Callable[[Sequence[str], np.ndarray, np.ndarray], Scorer]


@dataclass(frozen=True)
class TrainOptions:
    """Tunables of training (the shipped recipe: highlight and red a blend of boosted trees and a
    logistic model, bold a logistic model)."""

    folds: int = 4
    c_highlight: float = 0.1  # regularisation of the logistic member of the highlight blend
    c_spans: float = 3.0  # of the bold model
    c_red: float = 3.0  # of the logistic member of the red blend
    max_term_len: int = 16
    max_bold_term_len: int = 12
    wording: float = N.WEIGHT  # weight of the highlight wording member (0: none)
    wording_grid: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0)  # weights whose thresholds are calibrated
    bold_wording: bool = True  # bold reads the sentence's highlight score with the wording member


def folds_of(n: int, k: int) -> list[np.ndarray]:
    """Article indices of ``k`` folds (deterministic, interleaved)."""
    k = max(2, min(k, n))
    return [np.arange(i, n, k) for i in range(k)]


def _lexicon_words(docs: Sequence[Doc], layer: str, max_len: int, digits: bool) -> Counter[str]:
    c: Counter[str] = Counter()
    for d in docs:
        for sp in d.spans(layer):
            t = R.clean_term(d.span_text(sp))
            if 2 <= len(t) <= max_len and "\n" not in t and (digits or not any(ch.isdigit() for ch in t)):
                c[t] += 1
    return c


def _fit(rows: Rows, names: Sequence[str], fitter: Fitter) -> Scorer:
    """One model over the rows of all articles (articles without candidates add nothing)."""
    full = [r for r in rows if len(r[0])]
    if not full:  # nothing to learn from: a model that marks nothing
        return linear.Linear(tuple(names), np.zeros(len(names), dtype=np.float32), -7.0)
    return fitter(names, np.vstack([r[0] for r in full]), np.concatenate([r[1] for r in full]))


def _oof(rows: Rows, names: Sequence[str], k: int, fitter: Fitter) -> list[np.ndarray]:
    """Out-of-fold probabilities per article."""
    out: list[np.ndarray] = [np.zeros(0)] * len(rows)
    for fold in folds_of(len(rows), k):
        held = set(fold.tolist())
        m = _fit([r for i, r in enumerate(rows) if i not in held], names, fitter)
        for i in fold:
            X = rows[i][0]
            out[i] = m.proba(X) if len(X) else np.zeros(0)
    return out


def _blend(C: float) -> Fitter:
    return partial(fit_blend, C=C)


def _logistic(C: float) -> Fitter:
    return partial(linear.fit, C=C)


def train(docs: Iterable[Doc], mined: Counter[str] | None = None,
          options: TrainOptions = TrainOptions(), posts: Sequence[str] = ()) -> Model:
    """Learn a model from annotated notes; ``mined`` are term candidates with post counts;
    ``posts`` are unmarked texts for the highlight wording table (genre and rarity of bigrams)."""
    docs = [d for d in docs if d.text.strip()]
    if len(docs) < 2:
        raise ValueError("training needs at least two annotated notes")
    mined = mined or Counter()
    red_lex = _lexicon_words(docs, "red", options.max_term_len, True)
    bold_lex = _lexicon_words(docs, "bold", options.max_bold_term_len, False)
    red_words = frozenset(set(red_lex) | set(mined))
    bold_words = frozenset(set(bold_lex) | set(red_lex))
    hl_lex = H.lex_table(posts)
    preps = [prepare(d, red_words, bold_words, hl_lex) for d in docs]
    k = options.folds
    hl_y = [H.sent_labels(p.doc, p.infos) for p in preps]
    rates, acct = _rates(preps, hl_y)
    hl_names = (*H.NAMES, "acct_rate")
    hl_rows = [(with_column(p.table.dense, a[0]), y) for p, y, a in zip(preps, hl_y, acct, strict=True)]
    hl_fitter = _blend(options.c_highlight)
    hl_oof = _oof(hl_rows, hl_names, k, hl_fitter)
    hl_rate = H.base_rate(hl_y)
    hl_f1 = H.micro_f1([(pr, r[1]) for pr, r in zip(hl_oof, hl_rows, strict=True)], hl_rate)
    hl_model = _fit(hl_rows, hl_names, hl_fitter)
    texts = [[s.text for s in p.infos] for p in preps]
    wording, cal, word_oof = _wording(texts, hl_y, hl_oof, k, options)
    hl_w = options.wording if wording else 0.0
    hl_t, hl_t_f1 = cal[hl_w]
    red_model, red_stats, red_t, red_f1 = _train_red(preps, hl_oof, mined, options, [a[1] for a in acct])
    bold_w = hl_w if options.bold_wording else 0.0
    bold_hl = [N.combine(p, o, bold_w) for p, o in zip(hl_oof, word_oof, strict=True)]
    bold_model, bold_stats, bold_t, bold_f1 = _train_bold(preps, bold_hl, red_stats, options, [a[2] for a in acct])
    info = {"notes": len(docs), "folds": k,
            "calibration_f1": {"highlight": round(hl_f1, 4), "highlight_threshold": round(hl_t_f1, 4),
                               "bold": round(bold_f1, 4), "red": round(red_f1, 4)}}
    thresholds = {"hl_rate": hl_rate, "hl_t": hl_t, "red_t": red_t, "bold_t": bold_t,
                  "hl_w": hl_w, **({"bold_w": bold_w} if bold_w else {}),
                  **{threshold_key(w): t for w, (t, _) in cal.items()}}
    info["calibration_f1"]["highlight_wording"] = {f"{w:g}": round(f, 4) for w, (_, f) in cal.items()}  # type: ignore[index]
    return Model(hl_model, red_model, bold_model, red_stats, bold_stats, thresholds, info, rates, hl_lex, wording)


def _wording(texts: Sequence[list[str]], ys: Sequence[np.ndarray], hl_oof: Sequence[np.ndarray], k: int,
             options: TrainOptions,
             ) -> tuple[N.NgramModel | None, dict[float, tuple[float, float]], list[np.ndarray]]:
    """The highlight wording member fitted on all notes, and for each weight of the grid the
    threshold (and its F1) calibrated on the out-of-fold combination of both members' scores, and
    the wording member's out-of-fold probabilities."""
    oof: list[np.ndarray] = [np.full(len(t), 0.5) for t in texts]
    for fold in folds_of(len(texts), k):
        held = set(fold.tolist())
        m = N.fit([s for i, t in enumerate(texts) if i not in held for s in t],
                  np.concatenate([y for i, y in enumerate(ys) if i not in held]))
        for i in fold:
            if m is not None and texts[i]:
                oof[i] = m.proba(texts[i])
    grid = sorted({0.0, *options.wording_grid, options.wording}) if options.wording else [0.0]
    cal = {w: H.best_threshold([(N.combine(p, o, w), y) for p, o, y in zip(hl_oof, oof, ys, strict=True)])
           for w in grid}
    model = N.fit([s for t in texts for s in t], np.concatenate(list(ys))) if options.wording else None
    return model, cal, oof


def _rates(preps: Sequence[Prepared], hl_y: Sequence[np.ndarray]) -> tuple[Rates, list[tuple[float, float, float]]]:
    """Per-account mark rates, and each article's leave-one-out account features."""
    rows = []
    for p, y in zip(preps, hl_y, strict=True):
        red = labels([(o.start, o.end) for o in p.occs], gold_ranges(p.doc, "red"))
        bold = labels([(c.start, c.end) for c in p.cands], gold_ranges(p.doc, "bold"))
        rows.append((float(y.sum()), float(len(y)), float(red.sum()), float(len(red)),
                     float(bold.sum()), float(len(bold))))
    rates = Rates()
    for p, row in zip(preps, rows, strict=True):
        rates.add(p.doc.meta.account, row)
    return rates, [rates.features(p.doc.meta.account, row) for p, row in zip(preps, rows, strict=True)]


def red_counts(prep: Prepared) -> Minus:
    """The article's own red counts (marked, seen, docs, present) per term, to leave it out of the statistics."""
    y = labels([(o.start, o.end) for o in prep.occs], gold_ranges(prep.doc, "red"))
    return article_counts([o.term for o in prep.occs], y)


def _train_red(preps: Sequence[Prepared], hl: Sequence[np.ndarray], mined: Counter[str],
               options: TrainOptions, acct: Sequence[float]) -> tuple[Scorer, TermStats, float, float]:
    """The red model, its term statistics (leave-one-article-out for each training row), and the
    threshold and its F1 on grouped out-of-fold predictions."""
    ys = [labels([(o.start, o.end) for o in p.occs], gold_ranges(p.doc, "red")) for p in preps]
    per_doc = [article_counts([o.term for o in p.occs], y) for p, y in zip(preps, ys, strict=True)]
    stats = count_terms(per_doc, mined)
    rows, cands = [], []
    for p, y, h, minus, a in zip(preps, ys, hl, per_doc, acct, strict=True):
        keep = [i for i, o in enumerate(p.occs) if R.available(o, stats, minus)]
        occs = [p.occs[i] for i in keep]
        rows.append((with_column(R.features(occs, p.infos, stats, h, minus), a), y[keep]))
        cands.append([(o.start, o.end) for o in occs])
    names = (*R.NAMES, "acct_rate")
    fitter = _blend(options.c_red)
    oof = _oof(rows, names, options.folds, fitter)
    items = [(c, pr, gold_ranges(p.doc, "red")) for c, pr, p in zip(cands, oof, preps, strict=True)]
    t, score = best_threshold(items, SPAN_GRID)
    return _fit(rows, names, fitter), stats, t, score


def _train_bold(preps: Sequence[Prepared], hl: Sequence[np.ndarray], red: TermStats,
                options: TrainOptions, acct: Sequence[float]) -> tuple[Scorer, TermStats, float, float]:
    ys = [labels([(c.start, c.end) for c in p.cands], gold_ranges(p.doc, "bold")) for p in preps]
    per_doc = []
    for p, y in zip(preps, ys, strict=True):
        idx = [i for i, c in enumerate(p.cands) if c.term]
        per_doc.append(article_counts([p.cands[i].term for i in idx], y[idx]))
    stats = count_terms(per_doc, Counter())
    rows, cands = [], []
    for p, y, h, minus, a in zip(preps, ys, hl, per_doc, acct, strict=True):
        rm = red_counts(p)  # the article's own red marks stay out of its red prior
        keep = [i for i, c in enumerate(p.cands) if not c.term or stats.counts(c.term, minus)[0] > 0
                or red.counts(c.term, rm)[0] > 0]
        cs = [p.cands[i] for i in keep]
        rows.append((with_column(B.features(cs, p.infos, stats, red, h, minus, rm), a), y[keep]))
        cands.append([(c.start, c.end) for c in cs])
    names = (*B.NAMES, "acct_rate")
    fitter = _logistic(options.c_spans)
    oof = _oof(rows, names, options.folds, fitter)
    items = [(c, pr, gold_ranges(p.doc, "bold")) for c, pr, p in zip(cands, oof, preps, strict=True)]
    t, score = best_threshold(items, SPAN_GRID)
    return _fit(rows, names, fitter), stats, t, score
