"""The annotator: prediction and the model file (training is :mod:`jingdu.annotate.training`).

A :class:`Model` is three scorers (highlight sentences, red term occurrences, bold candidates;
each a logistic model, boosted trees or a blend of both, see :mod:`jingdu.annotate.trees`), two
term lexicons with their statistics, and decision thresholds calibrated on grouped out-of-fold
predictions.  It is stored as one JSON file (no pickle).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from jingdu.annotate import bold as B
from jingdu.annotate import highlight as H
from jingdu.annotate import ngram as N
from jingdu.annotate import terms as R
from jingdu.annotate.accounts import Rates
from jingdu.annotate.features import SentInfo, sentence_infos
from jingdu.annotate.furniture import furniture_ranges, touches
from jingdu.annotate.lexicon import TermStats
from jingdu.annotate.spans import greedy
from jingdu.annotate.trees import Scorer, scorer_from_dict
from jingdu.model import SCORED_LAYERS, Doc, Span

FORMAT = "jingdu-annotator"
VERSION = 4  # 4: red term statistics hold the notes in which a term occurs (present, doc_rate)
#: Thresholds of older files that are no longer used: ``red_gamma`` (a weight of the account prior
#: in the red decision) is read only when it is 0, where it changed nothing.
_RETIRED = ("red_gamma",)


@dataclass
class Model:
    highlight: Scorer
    red: Scorer
    bold: Scorer
    red_terms: TermStats
    bold_terms: TermStats
    thresholds: dict[str, float]
    info: dict[str, object] = field(default_factory=dict)
    rates: Rates = field(default_factory=Rates)
    hl_lex: dict[str, list[float]] = field(default_factory=dict)
    wording: N.NgramModel | None = None

    @cached_property
    def red_words(self) -> frozenset[str]:
        """The red lexicon's words (computed once per model: a model is not changed once built)."""
        return frozenset(t for t in self.red_terms.words() if self.red_terms.marked[t] > 0 or self.red_terms.mined[t])

    @cached_property
    def bold_words(self) -> frozenset[str]:
        return frozenset(self.bold_terms.words() | {t for t, n in self.red_terms.marked.items() if n > 0})

    def to_dict(self) -> dict[str, object]:
        return {"format": FORMAT, "version": VERSION, "thresholds": self.thresholds, "info": self.info,
                "highlight": self.highlight.to_dict(), "red": self.red.to_dict(), "bold": self.bold.to_dict(),
                "red_terms": self.red_terms.to_dict(), "bold_terms": self.bold_terms.to_dict(),
                "rates": self.rates.counts, "highlight_lex": self.hl_lex,
                **({"highlight_wording": self.wording.to_dict()} if self.wording else {})}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Model:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} model of version {VERSION} (retrain it with `jingdu train`)")
        thresholds = {str(k): float(v) for k, v in dict(data["thresholds"]).items()}  # type: ignore[call-overload]
        retired = {k: thresholds.pop(k) for k in _RETIRED if k in thresholds}
        if any(retired.values()):
            raise ValueError(f"thresholds {', '.join(_RETIRED)} are no longer supported (retrain with `jingdu train`)")
        return cls(scorer_from_dict(data["highlight"]), scorer_from_dict(data["red"]),  # type: ignore[arg-type]
                   scorer_from_dict(data["bold"]), TermStats.from_dict(data["red_terms"]),  # type: ignore[arg-type]
                   TermStats.from_dict(data["bold_terms"]),  # type: ignore[arg-type]
                   thresholds,
                   dict(data.get("info") or {}),  # type: ignore[call-overload]
                   Rates({str(k): [float(x) for x in v] for k, v in dict(data.get("rates") or {}).items()}),
                   {str(k): [float(x) for x in v] for k, v in dict(data.get("highlight_lex") or {}).items()},
                   N.NgramModel.from_dict(data["highlight_wording"]) if data.get("highlight_wording") else None)  # type: ignore[arg-type]

    def highlight_scores(self, hl: np.ndarray, infos: Sequence[SentInfo], weight: float | None = None,
                         ) -> tuple[np.ndarray, float | None]:
        """The feature model's highlight probabilities ``hl`` combined with the wording member's
        (at its weight ``hl_w`` unless ``weight`` is given), and the threshold calibrated for it."""
        w = self.thresholds.get("hl_w", 0.0) if weight is None else weight
        if self.wording is None or not w or not len(hl):
            return hl, self.thresholds.get(threshold_key(0.0), self.thresholds.get("hl_t"))
        return N.combine(hl, self.wording.proba([s.text for s in infos]), w), self.thresholds.get(threshold_key(w))

    def bold_hl(self, hl: np.ndarray, infos: Sequence[SentInfo], score: np.ndarray | None = None) -> np.ndarray:
        """The sentences' highlight probabilities as the bold model reads them: the feature
        model's ``hl`` with the wording member's logit added at weight ``bold_w`` (none when 0,
        as the red model always reads them); ``score``, when given, is that combination at the
        highlight layer's weight ``hl_w``."""
        w = self.thresholds.get("bold_w", 0.0)
        if not w:
            return hl
        if score is not None and w == self.thresholds.get("hl_w", 0.0):
            return score
        return self.highlight_scores(hl, infos, w)[0]

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def threshold_key(weight: float) -> str:
    """The name of the highlight threshold calibrated for the wording member's ``weight``."""
    return f"hl_t_w{weight:g}"


@dataclass
class Prepared:
    """One article's sentences, red occurrences, bold candidates and sentence features."""

    doc: Doc
    infos: list[SentInfo]
    occs: list[R.Occ]
    cands: list[B.Cand]
    table: H.SentTable


def prepare(doc: Doc, red_words: frozenset[str], bold_words: frozenset[str],
            hl_lex: dict[str, list[float]] | None = None) -> Prepared:
    infos = sentence_infos(doc)
    occs = R.occurrences(doc.text, infos, red_words)
    table = H.sent_table(doc, infos, R.term_counts(occs, len(infos)), hl_lex)
    red = R.with_quotes(doc.text, infos, occs)
    return Prepared(doc, infos, red, B.candidates(doc.text, infos, bold_words), table)


# -- prediction ---------------------------------------------------------------------------------
def _explain(model: Scorer, row: np.ndarray, p: float) -> str:
    return f"p={p:.2f}: " + ", ".join(model.reasons(row))


_DOC_TOPIC = H.NAMES.index("doc_topic")


def is_topic_page(prep: Prepared) -> bool:
    """Whether the article is a 申论 topic page (:func:`jingdu.annotate.features.topic_page`, as the
    sentence table holds it)."""
    return bool(len(prep.infos) and prep.table.dense[0, _DOC_TOPIC])


#: Bold falls back to key figures and named people with titles: ``"missing"`` adds an article's
#: first key figures when the model bolds no figure in it (not on a 申论 topic page) and its first
#: named person when the model bolds nobody (what the README promises bold marks); ``True`` (the
#: rule before) only when the model bolds nothing at all; ``False`` never.  The reader bolds almost
#: no figure in her notes, so each rule costs a little in grouped CV (figures in the model card);
#: on the issue's unseen commentary the model left 27万家 and 11.6% plain.
BOLD_FALLBACK: bool | str = "missing"


#: How the highlight layer decides: ``"threshold"`` (the combined score of the feature model and the
#: wording member at or above the threshold calibrated for it on out-of-fold predictions: each
#: article gets as many highlights as its own scores say), ``"count"`` (the shrunk expected count
#: per article) or ``"mix"`` (the mean of both counts).  The threshold is shipped: it is the best of
#: the three on the non-申论 notes in grouped CV, and the issue measured it +0.07 over the count
#: rule on unseen news articles, whose highlight density varies far more than the notes'.
HL_DECISION = "threshold"
#: How the highlight layer decides on a 申论 topic page (``doc_topic``): a rule of
#: :data:`HL_DECISION`'s and the wording member's weight (None: as on any article).  The feature
#: model's own threshold, without the wording member: on the 申论 pages in grouped CV 0.794 against
#: 0.760 for the rule of other articles (better in both splits; count 0.758, mix 0.780); nothing
#: else changes, since the other notes are no topic pages.
TOPIC_DECISION: tuple[str, float] | None = ("threshold", 0.0)


def predict(doc: Doc, model: Model, explain: bool = False, furniture: bool = True,
            bold_fallback: bool | str | None = None, hl_decision: str | None = None,
            key_figures: int = B.KEY_FIGURES, key_people: int = B.KEY_PEOPLE,
            wording: float | None = None, topic_decision: tuple[str, float] | None = None) -> list[Span]:
    """The model's spans (origin ``model``) for the three layers of ``doc``; nothing is marked on
    page furniture (:mod:`jingdu.annotate.furniture`) unless ``furniture`` is False.  An article
    the bold model leaves without a figure gets its first key figures, one without a person its first
    named person with a title (:func:`jingdu.annotate.bold.key_spans`; ``bold_fallback``, see
    :data:`BOLD_FALLBACK`)."""
    prep = prepare(doc, model.red_words, model.bold_words, model.hl_lex)
    out: list[Span] = []
    if not prep.infos:
        return out
    t = prep.table
    acct = model.rates.features(doc.meta.account)
    dense = with_column(H.columns(t.dense, model.highlight.names[:-1]), acct[0])
    hl = model.highlight.proba(dense)
    score, hl_t = model.highlight_scores(hl, prep.infos, wording)
    skip = furniture_ranges(doc, [(s.start, s.end) for s in prep.infos]) if furniture else []
    topic_rule = topic_decision if topic_decision is not None else TOPIC_DECISION
    if topic_rule is not None and is_topic_page(prep):
        hl_score, hl_t = model.highlight_scores(hl, prep.infos, topic_rule[1])
        sel = _decide(topic_rule[0], hl_score, hl_t, model.thresholds["hl_rate"])
    else:
        hl_score = score
        sel = _decide(hl_decision or HL_DECISION, score, hl_t, model.thresholds["hl_rate"])
    if skip:
        sel &= np.array([not touches(s.start, s.end, skip) for s in prep.infos])
    for i in np.flatnonzero(sel):
        s = prep.infos[i]
        note = _explain(model.highlight, dense[i], float(hl_score[i])) if explain else None
        out.append(Span(s.start, s.end, "highlight", origin="model", note=note))
    Xr = with_column(R.features(prep.occs, prep.infos, model.red_terms, hl), acct[1])
    pr = _off(model.red.proba(Xr), prep.occs, skip)
    for i in _greedy([(o.start, o.end) for o in prep.occs], pr, model.thresholds["red_t"]):
        note = _explain(model.red, Xr[i], float(pr[i])) if explain else None
        out.append(Span(prep.occs[i].start, prep.occs[i].end, "red", origin="model", note=note))
    bold_hl = model.bold_hl(hl, prep.infos, score if wording is None else None)
    Xb = with_column(B.features(prep.cands, prep.infos, model.bold_terms, model.red_terms, bold_hl), acct[2])
    pb = _off(model.bold.proba(Xb), prep.cands, skip)
    chosen = _greedy([(c.start, c.end) for c in prep.cands], pb, model.thresholds["bold_t"])
    for i in chosen:
        note = _explain(model.bold, Xb[i], float(pb[i])) + f", kind={prep.cands[i].kind}" if explain else None
        out.append(Span(prep.cands[i].start, prep.cands[i].end, "bold", origin="model", note=note))
    fallback = BOLD_FALLBACK if bold_fallback is None else bold_fallback
    for a, e, kind in _fallback(prep, chosen, skip, fallback, key_figures, key_people):
        note = f"fallback: the first key {kind}, as the model bolds no {kind} here" if explain else None
        out.append(Span(a, e, "bold", origin="model", note=note))
    return out


def _decide(rule: str, score: np.ndarray, hl_t: float | None, rate: float) -> np.ndarray:
    """Which sentences of one article the highlight ``rule`` (:data:`HL_DECISION`) marks."""
    if rule == "threshold" and hl_t is not None:
        return H.decide_threshold(score, hl_t)
    if rule == "mix" and hl_t is not None:
        return H.decide_mix(score, rate, hl_t)
    return H.decide(score, rate)


def _fallback(prep: Prepared, chosen: Sequence[int], skip: Sequence[tuple[int, int]], rule: bool | str,
              key_figures: int, key_people: int) -> list[tuple[int, int, str]]:
    """The bold fallback's spans under ``rule`` (:data:`BOLD_FALLBACK`), given the candidates the
    model ``chosen``: key figures unless it bolds a figure (or the article is a 申论 topic page,
    whose figures are its material), a named person unless it bolds one."""
    kinds = {prep.cands[i].kind for i in chosen}
    if rule == "missing":
        figures = 0 if kinds & {"figure", "clause"} or is_topic_page(prep) else key_figures
        people = 0 if "person" in kinds else key_people
    elif rule and not kinds:
        figures, people = key_figures, key_people
    else:
        return []
    taken = [*skip, *((prep.cands[i].start, prep.cands[i].end) for i in chosen)]
    return B.key_spans(prep.infos, taken, figures, people)


def _off(probs: np.ndarray, cands: Sequence[R.Occ] | Sequence[B.Cand], skip: Sequence[tuple[int, int]]) -> np.ndarray:
    """``probs`` with those of candidates on page furniture set to 0 (never kept)."""
    if not skip:
        return probs
    out = probs.copy()
    for i, c in enumerate(cands):
        if touches(c.start, c.end, skip):
            out[i] = 0.0
    return out


def with_column(X: np.ndarray, value: float) -> np.ndarray:
    """``X`` with a constant column (the article's account prior) appended."""
    return np.hstack([X, np.full((len(X), 1), value, dtype=np.float32)])


def _greedy(cands: Sequence[tuple[int, int]], probs: np.ndarray, t: float) -> list[int]:
    return greedy(cands, probs, t) if len(cands) else []


def _free(sp: Span, existing: Sequence[Span]) -> bool:
    return not any(sp.start < e.end and e.start < sp.end for e in existing)


def annotate_with(doc: Doc, model: Model, *, replace: bool = False, explain: bool = False) -> Doc:
    """``doc`` with the model's marks added; existing marks are kept unless ``replace``."""
    spans = predict(doc, model, explain)
    if replace:
        return doc.with_spans(spans, replace_layers=SCORED_LAYERS)
    kept = [sp for sp in spans if _free(sp, doc.spans(sp.layer))]
    return doc.with_spans(kept)


@lru_cache(maxsize=4)
def cached_model(text: str) -> Model:
    return Model.from_dict(json.loads(text))


