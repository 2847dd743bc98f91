"""A personal model: the shipped annotator corrected by one user's marked notes.

A handful of notes cannot train the three scorers again, so the default model is the prior: every
candidate of a layer (a sentence for highlight, a term occurrence for red, a bold candidate) keeps
the default's features and its probability, and a small logistic *correction* is fitted on the
user's notes, with the default's log-odds as an offset (a correction of zero is the default)::

    logit p_user = logit p_default + w0 * logit p_default + w · z(x) + b

``z(x)`` are the default's features standardised on the user's rows; an L2 penalty pulls ``w0``, ``w``
and ``b`` toward zero, so a few notes move the model only as far as they agree.  The penalty and the
decision threshold (a probability for highlight, a greedy span threshold for bold and red) are chosen
on out-of-fold predictions grouped by note, and so is the figure that decides whether a layer uses
the correction at all: a layer keeps the default's marks unless the correction beats the default
on the user's own notes under grouped cross-validation.

A :class:`Personal` model is plain JSON (no pickle) and names the default model it corrects (a
hash of its file): a model made for another default is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from jingdu.annotate import bold as B
from jingdu.annotate import highlight as H
from jingdu.annotate import terms as R
from jingdu.annotate.annotator import Model, predict, prepare, with_column
from jingdu.annotate.features import SentInfo
from jingdu.annotate.furniture import furniture_ranges, touches
from jingdu.annotate.spans import Range, f1, gold_ranges, greedy, labels, match_count
from jingdu.annotate.training import SPAN_GRID, folds_of
from jingdu.model import SCORED_LAYERS, Doc, Span

FORMAT = "jingdu-personal"
VERSION = 1
LAYERS = SCORED_LAYERS
#: L2 penalties tried for the correction (on standardised features, summed log-loss).
PENALTIES: tuple[float, ...] = (2.0, 8.0, 32.0)
#: Probability thresholds tried for highlight sentences.
HL_GRID = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))
_EPS = 1e-4


# -- one note as the default model sees it ------------------------------------------------------
@dataclass
class LayerRows:
    """The candidates of one layer of one note: their ranges, features and default probabilities."""

    ranges: list[Range]
    X: np.ndarray
    base: np.ndarray


@dataclass
class Seen:
    """A note's candidates per layer and the default model's own marks (its full decision)."""

    text: str
    sentences: list[Range]
    rows: dict[str, LayerRows]
    default: dict[str, list[Range]]
    fallback: list[Range] = field(default_factory=list)  # the default's bold fallback (key figures, people)


def see(doc: Doc, base: Model) -> Seen:
    """The candidates of ``doc`` with the default model's features and probabilities (as
    :func:`jingdu.annotate.annotator.predict` computes them; page furniture gets probability 0)."""
    prep = prepare(doc, base.red_words, base.bold_words, base.hl_lex)
    sents = [(s.start, s.end) for s in prep.infos]
    default: dict[str, list[Range]] = {layer: [] for layer in LAYERS}
    for sp in predict(doc, base):
        default[sp.layer].append((sp.start, sp.end))
    if not prep.infos:
        empty = {layer: LayerRows([], np.zeros((0, 1), np.float32), np.zeros(0)) for layer in LAYERS}
        return Seen(doc.text, sents, empty, default, list(default["bold"]))
    acct = base.rates.features(doc.meta.account)
    skip = furniture_ranges(doc, sents)
    dense = with_column(H.columns(prep.table.dense, base.highlight.names[:-1]), acct[0])
    hl = base.highlight.proba(dense)
    Xr = with_column(R.features(prep.occs, prep.infos, base.red_terms, hl), acct[1])
    Xb = with_column(B.features(prep.cands, prep.infos, base.bold_terms, base.red_terms, base.bold_hl(hl, prep.infos)),
                     acct[2])
    red = [(o.start, o.end) for o in prep.occs]
    bold = [(c.start, c.end) for c in prep.cands]
    rows = {
        "highlight": LayerRows(sents, np.hstack([dense, sentence_style(prep.infos)]), _off(hl, sents, skip)),
        "red": LayerRows(red, np.hstack([Xr, span_style(doc.text, red, [o.sent for o in prep.occs], prep.infos)]),
                         _off(base.red.proba(Xr), red, skip)),
        "bold": LayerRows(bold, np.hstack([Xb, span_style(doc.text, bold, [c.sent for c in prep.cands], prep.infos)]),
                          _off(base.bold.proba(Xb), bold, skip)),
    }
    chosen = {bold[i] for i in (greedy(bold, rows["bold"].base, base.thresholds["bold_t"]) if bold else [])}
    return Seen(doc.text, sents, rows, default, [r for r in default["bold"] if r not in chosen])


#: Features of what a sentence or a span holds, added to the default's for the correction: readers
#: differ in what they mark (figures, quotations, leaders' words, people, dates, coinages).
SENT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("st_figure", B.KEY_FIGURE), ("st_date", B.DATE), ("st_quote", re.compile(r"“[^”]{2,}”")),
    ("st_leader", re.compile(r"习近平|总书记")), ("st_person", B.PERSON),
    ("st_says", re.compile(r"指出|强调|表示|说[：:，]")),
    ("st_colon", re.compile(r"[：:]")), ("st_name_quote", re.compile(r"《[^》]{2,}》")),
)
SENT_NAMES: tuple[str, ...] = (*(n for n, _ in SENT_CUES), "st_para_first", "st_para_last", "st_figures_log")
SPAN_NAMES: tuple[str, ...] = ("sp_figure", "sp_digit", "sp_quoted", "sp_han_only", "sp_len", "sp_short",
                               "sp_unit_end", "sp_sent_leader", "sp_sent_first")
_UNIT_END = re.compile(r"(?:%|％|个百分点|倍|元|人|家|个|项|吨|亩|公里|平方米|千瓦|[万亿])$")
_HAN = re.compile(r"^[\u4e00-\u9fff、]+$")


def sentence_style(infos: Sequence[SentInfo]) -> np.ndarray:
    """:data:`SENT_NAMES` per sentence."""
    out = np.zeros((len(infos), len(SENT_NAMES)), dtype=np.float32)
    for i, si in enumerate(infos):
        row = [float(bool(rx.search(si.text))) for _, rx in SENT_CUES]
        row += [float(si.index == 0), float(si.index == si.count - 1),
                math.log1p(len(B.KEY_FIGURE.findall(si.text)))]
        out[i] = row
    return out


def span_style(text: str, ranges: Sequence[Range], sents: Sequence[int], infos: Sequence[SentInfo]) -> np.ndarray:
    """:data:`SPAN_NAMES` per candidate span."""
    out = np.zeros((len(ranges), len(SPAN_NAMES)), dtype=np.float32)
    for i, ((a, e), k) in enumerate(zip(ranges, sents, strict=True)):
        t = text[a:e]
        fig = B.KEY_FIGURE.search(t)
        inner = t.strip("“”")
        si = infos[k]
        out[i] = (float(bool(fig) and 2 * (fig.end() - fig.start()) >= len(t)), float(any(c.isdigit() for c in t)),
                  float(t.startswith("“") or (a > 0 and text[a - 1] == "“")), float(bool(_HAN.match(inner))),
                  math.log1p(len(t)) / 3, float(len(t) <= 6), float(bool(_UNIT_END.search(t))),
                  float(bool(re.search(r"习近平|总书记", si.text))), float(si.index == 0))
    return out


def _off(p: np.ndarray, ranges: Sequence[Range], skip: Sequence[Range]) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64).copy()
    for i, (a, e) in enumerate(ranges):
        if skip and touches(a, e, skip):
            p[i] = 0.0
    return p


# -- the correction ------------------------------------------------------------------------------
def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, _EPS, 1 - _EPS)
    return np.log(q / (1 - q))


@dataclass
class Correction:
    """The fitted correction of one layer (see the module's docstring)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # [w0 (on the default's logit), w (on the standardised features)]
    intercept: float

    def logits(self, X: np.ndarray, base: np.ndarray) -> np.ndarray:
        off = _logit(base)
        if not len(off):
            return off
        Z = np.hstack([off[:, None], (X - self.mean) / self.scale])
        return off + Z @ self.weights + self.intercept

    def proba(self, X: np.ndarray, base: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-np.clip(self.logits(X, base), -30.0, 30.0)))
        return np.where(base <= 0.0, 0.0, p)  # page furniture stays unmarked

    def to_dict(self) -> dict[str, object]:
        return {"mean": _round(self.mean), "scale": _round(self.scale), "weights": _round(self.weights),
                "intercept": round(float(self.intercept), 6)}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Correction:
        arr = {k: np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "weights")}
        if not (len(arr["mean"]) == len(arr["scale"]) == len(arr["weights"]) - 1):
            raise ValueError("a correction's arrays differ in length")
        return cls(arr["mean"], arr["scale"], arr["weights"], float(d["intercept"]))  # type: ignore[arg-type]


def _round(a: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in a]


def fit_correction(X: np.ndarray, base: np.ndarray, y: np.ndarray, penalty: float,
                   iterations: int = 25) -> Correction:
    """Penalised logistic regression (Newton's method) of ``y`` with the default's logit as offset."""
    mean = X.mean(axis=0) if len(X) else np.zeros(X.shape[1])
    scale = X.std(axis=0) if len(X) else np.ones(X.shape[1])
    scale = np.where(scale < 1e-6, 1.0, scale)
    off = _logit(base)
    Z = np.hstack([off[:, None], (X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    reg = np.full(Z.shape[1], penalty)
    reg[-1] = penalty * 0.05  # the intercept moves freely-ish: a reader who marks less or more
    yf = y.astype(np.float64)

    def loss(b: np.ndarray) -> float:
        eta = off + Z @ b
        return float(np.sum(np.logaddexp(0.0, eta) - yf * eta) + 0.5 * np.sum(reg * b * b))

    current = loss(beta)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(off + Z @ beta, -30.0, 30.0)))
        grad = Z.T @ (p - yf) + reg * beta
        hess = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        size = 1.0
        while size > 1e-4:  # damped: never a step that makes the objective worse
            trial = beta - size * step
            value = loss(trial)
            if value <= current:
                break
            size /= 2
        else:
            break
        beta, moved, current = trial, float(np.abs(size * step).max()), value
        if moved < 1e-6:
            break
    return Correction(mean, scale, beta[:-1], float(beta[-1]))


# -- labels and scores ----------------------------------------------------------------------------
def layer_labels(seen: Seen, gold: Doc, layer: str) -> np.ndarray:
    """1 for each candidate the user's note marks (highlight: sentences at least half marked)."""
    rows = seen.rows[layer]
    if layer == "highlight":
        return _sentence_marks(gold, rows.ranges)
    return labels(rows.ranges, gold_ranges(gold, layer))


def _sentence_marks(doc: Doc, ranges: Sequence[Range]) -> np.ndarray:
    """1 for each range whose non-blank characters are at least half in the highlight layer."""
    n = len(doc.text)
    mask = np.zeros(n, dtype=np.int64)
    for sp in doc.spans("highlight"):
        mask[sp.start:sp.end] = 1
    solid = np.fromiter((not c.isspace() for c in doc.text), dtype=np.int64, count=n)
    marked = np.concatenate([[0], np.cumsum(mask * solid)])
    total = np.concatenate([[0], np.cumsum(solid)])
    out = np.zeros(len(ranges), dtype=np.int64)
    for i, (a, e) in enumerate(ranges):
        den = total[e] - total[a]
        if den and 2 * (marked[e] - marked[a]) >= den:
            out[i] = 1
    return out


def _sentence_hits(doc: Doc, sentences: Sequence[Range], pred: Sequence[Range]) -> np.ndarray:
    """Which sentences ``pred`` marks (at least half of their non-blank characters)."""
    index = {r: i for i, r in enumerate(sentences)}
    if all(r in index for r in pred):
        out = np.zeros(len(sentences), dtype=np.int64)
        out[[index[r] for r in pred]] = 1
        return out
    probe = Doc(doc.text, doc.blocks, {"highlight": [Span(a, e, "highlight") for a, e in pred]}, doc.meta)
    return _sentence_marks(probe, sentences)


@dataclass
class Counts:
    tp: int = 0
    npred: int = 0
    ngold: int = 0

    def add(self, tp: int, npred: int, ngold: int) -> None:
        self.tp += tp
        self.npred += npred
        self.ngold += ngold

    @property
    def f1(self) -> float:
        return f1(self.tp, self.npred, self.ngold)


def count(seen: Seen, gold: Doc, layer: str, pred: Sequence[Range]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) of one layer of one note: sentences for highlight (as the
    referee counts them), spans matched at half their length for bold and red."""
    if layer == "highlight":
        want = _sentence_marks(gold, seen.sentences)
        got = _sentence_hits(gold, seen.sentences, pred)
        return int((want & got).sum()), int(got.sum()), int(want.sum())
    g = gold_ranges(gold, layer)
    return match_count(list(pred), g), len(pred), len(g)


def decide(layer: str, ranges: Sequence[Range], probs: np.ndarray, t: float) -> list[Range]:
    if layer == "highlight":
        return [r for r, p in zip(ranges, probs, strict=True) if p >= t]
    return [ranges[i] for i in (greedy(ranges, probs, t) if len(ranges) else [])]


def decide_for(seen: Seen, layer: str, probs: np.ndarray, t: float, fallback: bool = True) -> list[Range]:
    """:func:`decide` on a note's candidates; bold also gets the default's fallback (its key figures
    and people, :func:`jingdu.annotate.annotator.predict`) where they overlap none of its own marks,
    unless ``fallback`` is False (a user who never kept a bold mark)."""
    out = decide(layer, seen.rows[layer].ranges, probs, t)
    if layer != "bold" or not fallback:
        return out
    return out + [r for r in seen.fallback if not any(a < r[1] and r[0] < b for a, b in out)]


def _grid(layer: str) -> tuple[float, ...]:
    return HL_GRID if layer == "highlight" else SPAN_GRID


def _kept(layer: str, ranges: Sequence[Range], probs: np.ndarray) -> np.ndarray:
    """Candidates a decision at the lowest threshold keeps (greedy keeps the same ones above any
    higher threshold: it takes candidates best first), as a mask."""
    mask = np.zeros(len(probs), dtype=bool)
    if layer == "highlight":
        mask[:] = True
    elif len(ranges):
        mask[greedy(ranges, probs, 0.0)] = True
    return mask


def best_threshold(layer: str, probs: Sequence[np.ndarray], ys: Sequence[np.ndarray],
                   ngold: int, ranges: Sequence[Sequence[Range]]) -> tuple[float, float]:
    """The threshold with the best micro F1 over the notes (true positives counted by the
    candidates' labels); ties go to the higher threshold (fewer marks)."""
    keep = [_kept(layer, r, p) for r, p in zip(ranges, probs, strict=True)]
    p = np.concatenate([pr[k] for pr, k in zip(probs, keep, strict=True)]) if probs else np.zeros(0)
    y = np.concatenate([yy[k] for yy, k in zip(ys, keep, strict=True)]) if ys else np.zeros(0)
    best = (0.5, -1.0)
    for t in _grid(layer):
        sel = p >= t
        score = f1(min(int(y[sel].sum()), ngold), int(sel.sum()), ngold)
        if score >= best[1]:
            best = (t, score)
    return best


def _ngold(seen: Seen, gold: Doc, layer: str) -> int:
    if layer == "highlight":
        return int(_sentence_marks(gold, seen.sentences).sum())
    return len(gold_ranges(gold, layer))


# -- the personal model ---------------------------------------------------------------------------
@dataclass
class LayerModel:
    correction: Correction
    threshold: float
    penalty: float
    use: bool
    scores: dict[str, float]  # default / personal F1 on the user's notes, grouped CV

    def to_dict(self) -> dict[str, object]:
        return {"correction": self.correction.to_dict(), "threshold": self.threshold, "penalty": self.penalty,
                "use": self.use, "scores": self.scores}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> LayerModel:
        return cls(Correction.from_dict(d["correction"]), float(d["threshold"]),  # type: ignore[arg-type]
                   float(d["penalty"]), bool(d["use"]),  # type: ignore[arg-type]
                   {str(k): float(v) for k, v in dict(d["scores"]).items()})  # type: ignore[call-overload]


@dataclass
class Personal:
    """The default model (``base``) with a correction per layer learnt from one user's notes."""

    base_id: str
    layers: dict[str, LayerModel]
    info: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"format": FORMAT, "version": VERSION, "base": self.base_id, "info": self.info,
                "layers": {k: v.to_dict() for k, v in self.layers.items()}}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Personal:
        if d.get("format") != FORMAT or d.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} model of version {VERSION}")
        layers = {str(k): LayerModel.from_dict(v) for k, v in dict(d["layers"]).items()}  # type: ignore[call-overload]
        if set(layers) != set(LAYERS):
            raise ValueError(f"a personal model has the layers {', '.join(LAYERS)}")
        return cls(str(d["base"]), layers, dict(d.get("info") or {}))  # type: ignore[call-overload]

    @classmethod
    def loads(cls, text: str) -> Personal:
        return cls.from_dict(json.loads(text))

    @property
    def used(self) -> tuple[str, ...]:
        """The layers whose marks come from the correction (the others are the default's)."""
        return tuple(k for k in LAYERS if self.layers[k].use)

    def scores(self) -> dict[str, dict[str, float]]:
        return {k: dict(self.layers[k].scores) for k in LAYERS}


_IDS: dict[int, tuple[Model, str]] = {}


def base_id(base: Model) -> str:
    """A short hash naming the default model a personal model corrects (once per model object)."""
    hit = _IDS.get(id(base))
    if hit is not None and hit[0] is base:
        return hit[1]
    digest = hashlib.sha256(base.dumps().encode("utf-8")).hexdigest()[:16]
    if len(_IDS) >= 8:
        _IDS.clear()
    _IDS[id(base)] = (base, digest)
    return digest


def _layer_rows(seens: Sequence[Seen], golds: Sequence[Doc], layer: str
                ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    Xs = [s.rows[layer].X for s in seens]
    bs = [s.rows[layer].base for s in seens]
    ys = [layer_labels(s, g, layer) for s, g in zip(seens, golds, strict=True)]
    return Xs, bs, ys


def _fit_on(idx: Sequence[int], Xs: Sequence[np.ndarray], bs: Sequence[np.ndarray],
            ys: Sequence[np.ndarray], penalty: float) -> Correction:
    width = Xs[0].shape[1] if Xs else 1
    X = np.vstack([Xs[i] for i in idx]) if idx else np.zeros((0, width))
    live = np.concatenate([bs[i] for i in idx]) > 0 if idx else np.zeros(0, dtype=bool)
    b = np.concatenate([bs[i] for i in idx]) if idx else np.zeros(0)
    y = np.concatenate([ys[i] for i in idx]) if idx else np.zeros(0, dtype=np.int64)
    return fit_correction(X[live].astype(np.float64), b[live], y[live], penalty)


def train_layer(layer: str, seens: Sequence[Seen], golds: Sequence[Doc], folds: int = 5) -> LayerModel:
    """The correction of one layer.  In each fold grouped by note, a correction fitted on the other
    notes decides the held-out ones at a threshold calibrated on its own training notes (so no
    held-out label chooses anything); the penalty with the best F1 of these decisions is kept, and
    whether the layer uses the correction is decided on them against the default's marks.  The
    stored threshold is calibrated on all the out-of-fold probabilities."""
    Xs, bs, ys = _layer_rows(seens, golds, layer)
    ranges = [s.rows[layer].ranges for s in seens]
    gold_n = [_ngold(s, g, layer) for s, g in zip(seens, golds, strict=True)]
    n = len(seens)
    parts = folds_of(n, min(folds, n))
    best: tuple[float, float, np.ndarray, list[np.ndarray], bool] | None = None
    fallbacks = (True, False) if layer == "bold" else (True,)
    for penalty in PENALTIES:
        oof: list[np.ndarray] = [np.zeros(0)] * n
        rows = {fb: np.zeros((n, 3), dtype=np.int64) for fb in fallbacks}
        for fold in parts:
            held = set(fold.tolist())
            train_idx = [i for i in range(n) if i not in held]
            corr = _fit_on(train_idx, Xs, bs, ys, penalty)
            inner = [_proba(corr, Xs[i], bs[i]) for i in train_idx]
            t_fold, _ = best_threshold(layer, inner, [ys[i] for i in train_idx], sum(gold_n[i] for i in train_idx),
                                       [ranges[i] for i in train_idx])
            keeps = sum(gold_n[j] for j in train_idx) > 0
            for i in fold:
                oof[i] = _proba(corr, Xs[i], bs[i])
                for fb in fallbacks:
                    marks = decide_for(seens[i], layer, oof[i], t_fold, keeps and fb)
                    rows[fb][i] = count(seens[i], golds[i], layer, marks)
        for fb in fallbacks:
            # leaving the default's fallback out must win by the margin a correction needs
            score = _f1_rows(rows[fb]) - (0.0 if fb else margin(n))
            if best is None or score > best[0] + 1e-9:
                best = (score, penalty, rows[fb], oof, fb)
    assert best is not None
    _, penalty, mine, oof, fallback = best
    score = _f1_rows(mine)
    t, _ = best_threshold(layer, oof, ys, sum(gold_n), ranges)
    theirs = np.array([count(s, g, layer, s.default[layer]) for s, g in zip(seens, golds, strict=True)],
                      dtype=np.int64).reshape(-1, 3)
    sure = confidence(mine, theirs)
    dflt = _f1_rows(theirs)
    corr = _fit_on(list(range(n)), Xs, bs, ys, penalty)
    better = score >= dflt + margin(n) or (mine[:, 2].sum() == 0 and mine[:, 1].sum() < theirs[:, 1].sum())
    return LayerModel(corr, t, penalty, bool(better and sure >= CONFIDENCE),
                      {"default": round(dflt, 4), "personal": round(score, 4), "confidence": round(sure, 3),
                       "marks": int(sum(gold_n)), "fallback": int(fallback and sum(gold_n) > 0)})


def _proba(corr: Correction, X: np.ndarray, base: np.ndarray) -> np.ndarray:
    return corr.proba(X.astype(np.float64), base) if len(base) else np.zeros(0)


def _f1_rows(c: np.ndarray) -> float:
    tot = c.sum(axis=0)
    return f1(int(tot[0]), int(tot[1]), int(tot[2]))


#: A layer uses the correction when, resampling the user's notes, it beats the default this often,
CONFIDENCE = 0.9
#: and by at least this much F1 on n notes, divided by the square root of n (a handful of notes
#: can favour a correction by chance: 0.045 on 5 notes, 0.016 on 40).
MARGIN = 0.1


def margin(n: int) -> float:
    return MARGIN / math.sqrt(max(n, 1))
BOOTSTRAP = 400


def confidence(mine: np.ndarray, theirs: np.ndarray, rounds: int = BOOTSTRAP, seed: int = 0) -> float:
    """The share of bootstrap resamples of the notes (rows of per-note true positives, predicted,
    gold) in which ``mine`` has the higher micro F1 than ``theirs`` (fewer marks, where the
    resampled notes have none of the layer: a user who rejects every suggestion of a layer)."""
    if not len(mine):
        return 0.0
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(mine), size=(rounds, len(mine)))

    def f1s(c: np.ndarray) -> np.ndarray:
        tot = c[idx].sum(axis=1).astype(np.float64)
        p = np.divide(tot[:, 0], tot[:, 1], out=np.zeros(rounds), where=tot[:, 1] > 0)
        r = np.divide(tot[:, 0], tot[:, 2], out=np.zeros(rounds), where=tot[:, 2] > 0)
        return np.divide(2 * p * r, p + r, out=np.zeros(rounds), where=(p + r) > 0)

    mine_f1, their_f1 = f1s(mine), f1s(theirs)
    # where the resampled notes hold no mark of the layer, F1 is 0 for both: fewer marks is better
    none = mine[idx, 2].sum(axis=1) == 0
    fewer = mine[idx, 1].sum(axis=1) < theirs[idx, 1].sum(axis=1)
    return float(np.where(none, fewer, mine_f1 > their_f1).mean())


def train_personal(base: Model, golds: Sequence[Doc], seens: Sequence[Seen] | None = None,
                   info: dict[str, object] | None = None, folds: int = 5) -> Personal:
    """A personal model from the user's marked notes ``golds`` (at least two)."""
    if len(golds) < 2:
        raise ValueError("a personal model needs at least two marked notes")
    from threadpoolctl import threadpool_limits

    seens = list(seens) if seens is not None else [see(g, base) for g in golds]
    with threadpool_limits(1):  # small matrices: threads of a BLAS only fight over the cores
        layers = {layer: train_layer(layer, seens, golds, folds) for layer in LAYERS}
    return Personal(base_id(base), layers, {"notes": len(golds), **(info or {})})


def personal_ranges(seen: Seen, model: Personal) -> dict[str, list[Range]]:
    """The personal model's marks per layer (a layer not in use keeps the default's)."""
    out: dict[str, list[Range]] = {}
    for layer in LAYERS:
        lm = model.layers[layer]
        if not lm.use:
            out[layer] = list(seen.default[layer])
            continue
        rows = seen.rows[layer]
        probs = lm.correction.proba(rows.X.astype(np.float64), rows.base) if len(rows.base) else np.zeros(0)
        fallback = lm.scores.get("fallback", lm.scores.get("marks", 1))  # models before it: marks kept
        out[layer] = decide_for(seen, layer, probs, lm.threshold, bool(fallback))
    return out


def predict_personal(doc: Doc, base: Model, model: Personal) -> list[Span]:
    """The personal model's spans (origin ``model``) for ``doc``."""
    if model.base_id != base_id(base):
        raise ValueError("this personal model corrects another default model: train it again")
    seen = see(doc, base)
    return [Span(a, e, layer, origin="model") for layer, ranges in personal_ranges(seen, model).items()
            for a, e in ranges]



def annotate_personal(doc: Doc, base: Model, model: Personal, *, replace: bool = False) -> Doc:
    """``doc`` with the personal model's marks (origin ``model``); existing marks are kept unless
    ``replace`` (as :func:`jingdu.annotate.annotator.annotate_with`)."""
    spans = predict_personal(doc, base, model)
    if replace:
        return doc.with_spans(spans, replace_layers=SCORED_LAYERS)
    kept = [sp for sp in spans if not any(sp.start < e.end and e.start < sp.end for e in doc.spans(sp.layer))]
    return doc.with_spans(kept)


def annotate_text(doc: Doc, model_text: str, base_path: str | None = None, replace: bool = False) -> Doc:
    """:func:`annotate_personal` with the personal model given as its JSON (picklable for workers)."""
    from jingdu.annotate import load_model

    return annotate_personal(doc, load_model(base_path), loads_cached(model_text), replace=replace)


@lru_cache(maxsize=4)
def loads_cached(text: str) -> Personal:
    return Personal.loads(text)
