"""Baselines that ``jingdu eval`` scores in the same run as the model.

- **lead**: the first sentence of each paragraph, up to 15% of the sentences;
- **TextRank**: the top 15% of sentences by TextRank;
- **n-gram LR**: a logistic regression over the character 1–3-grams of the training notes'
  sentences, its top 15% of sentences per article (the issue's own reference for scale);
- **TF-IDF LR**: a class-balanced character 1–3-gram TF-IDF logistic regression, marking the
  sentences whose probability reaches a threshold calibrated on out-of-fold predictions;
- **dictionary**: every occurrence of a red term of the training notes; and the same restricted
  to terms that at least two training notes mark (the better of the two on this corpus).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from jingdu.annotate.features import SentInfo, sentence_infos
from jingdu.annotate.highlight import sent_labels
from jingdu.annotate.terms import clean_term
from jingdu.annotate.textrank import textrank
from jingdu.model import Doc, Span
from jingdu.segment import find_words

#: Share of sentences the fixed-share highlight baselines mark.
SHARE = 0.15


def _quota(infos: Sequence[SentInfo], share: float) -> int:
    return max(1, round(share * len(infos)))


def _top(infos: Sequence[SentInfo], scores: np.ndarray, share: float) -> list[Span]:
    top = np.argsort(-scores, kind="stable")[:_quota(infos, share)]
    return [Span(infos[i].start, infos[i].end, "highlight", origin="model") for i in sorted(top)]


def lead_spans(doc: Doc, share: float = SHARE) -> list[Span]:
    """The first sentence of each paragraph, up to ``share`` of the sentences."""
    infos = sentence_infos(doc)
    firsts = [s for s in infos if s.index == 0 and s.kind == "paragraph"]
    return [Span(s.start, s.end, "highlight", origin="model") for s in firsts[:_quota(infos, share)]]


def textrank_spans(doc: Doc, share: float = SHARE) -> list[Span]:
    """The top ``share`` of sentences by TextRank."""
    infos = sentence_infos(doc)
    if not infos:
        return []
    return _top(infos, textrank([s.text for s in infos]), share)


class NgramBaseline:
    """Character 1–3-gram logistic regression over sentences, trained on annotated notes."""

    def __init__(self, docs: Sequence[Doc], share: float = SHARE) -> None:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        texts: list[str] = []
        ys: list[np.ndarray] = []
        for d in docs:
            infos = sentence_infos(d)
            texts += [s.text for s in infos]
            ys.append(sent_labels(d, infos))
        y = np.concatenate(ys) if ys else np.zeros(0, dtype=np.int64)
        self.share = share
        self.vectorizer = CountVectorizer(analyzer="char", ngram_range=(1, 3), binary=True, min_df=2)
        #: None when the notes hold no highlights (or only highlights): nothing to learn, no marks.
        self.model = (LogisticRegression(C=1.0, max_iter=2000).fit(self.vectorizer.fit_transform(texts), y)
                      if len(set(y.tolist())) == 2 else None)

    def spans(self, doc: Doc) -> list[Span]:
        """The top ``share`` of the article's sentences by the model's probability."""
        infos = sentence_infos(doc)
        if not infos or self.model is None:
            return []
        probs = self.model.predict_proba(self.vectorizer.transform([s.text for s in infos]))[:, 1]
        return _top(infos, probs, self.share)


def red_words(docs: Sequence[Doc], min_notes: int = 1) -> frozenset[str]:
    """Red terms (two characters or more) that at least ``min_notes`` of the notes mark."""
    notes: Counter[str] = Counter()
    for d in docs:
        notes.update({clean_term(d.span_text(sp)) for sp in d.spans("red")})
    return frozenset(t for t, c in notes.items() if len(t) >= 2 and c >= min_notes)


def dictionary_spans(doc: Doc, words: frozenset[str]) -> list[Span]:
    """Every occurrence of a dictionary term (longest match)."""
    return [Span(s, e, "red", origin="model") for s, e in find_words(doc.text, words)]


class TfidfBaseline:
    """Class-balanced character 1–3-gram TF-IDF logistic regression over sentences; a sentence is
    marked when its probability reaches a threshold chosen on grouped out-of-fold predictions of
    the training notes (micro sentence F1), so each article gets as many marks as its scores say."""

    GRID = tuple(round(0.3 + 0.02 * i, 2) for i in range(31))

    def __init__(self, docs: Sequence[Doc], folds: int = 3) -> None:
        texts: list[list[str]] = []
        ys: list[np.ndarray] = []
        for d in docs:
            infos = sentence_infos(d)
            texts.append([s.text for s in infos])
            ys.append(sent_labels(d, infos))
        self.threshold = 0.5
        self.model = self._fit(texts, ys)
        if self.model is None or len(docs) < folds:
            return
        oof: list[np.ndarray] = [np.zeros(0)] * len(docs)
        for k in range(folds):
            held = set(range(k, len(docs), folds))
            m = self._fit([t for i, t in enumerate(texts) if i not in held],
                          [y for i, y in enumerate(ys) if i not in held])
            for i in held:
                oof[i] = m.proba(texts[i]) if m is not None and texts[i] else np.zeros(len(texts[i]))
        p, y = np.concatenate(oof), np.concatenate(ys)
        best = -1.0
        for t in self.GRID:
            sel = p >= t
            tp, npred, ngold = int((sel & (y == 1)).sum()), int(sel.sum()), int(y.sum())
            f = 2 * tp / (npred + ngold) if npred + ngold else 0.0
            if f > best:
                best, self.threshold = f, t

    @staticmethod
    def _fit(texts: Sequence[list[str]], ys: Sequence[np.ndarray]) -> _Tfidf | None:
        flat = [t for ts in texts for t in ts]
        y = np.concatenate(ys) if ys else np.zeros(0, dtype=np.int64)
        return _Tfidf(flat, y) if len(set(y.tolist())) == 2 else None

    def spans(self, doc: Doc) -> list[Span]:
        infos = sentence_infos(doc)
        if not infos or self.model is None:
            return []
        probs = self.model.proba([s.text for s in infos])
        return [Span(s.start, s.end, "highlight", origin="model") for s, p in zip(infos, probs, strict=True)
                if p >= self.threshold]


class _Tfidf:
    def __init__(self, texts: list[str], y: np.ndarray) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
        self.model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(
            self.vectorizer.fit_transform(texts), y)

    def proba(self, texts: list[str]) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(texts))[:, 1]
