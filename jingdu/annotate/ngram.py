"""A wording member for highlight: a class-balanced character 1–3-gram TF-IDF logistic model of
the sentences the reader highlighted, stored as plain numbers (grams, IDF, weights; no pickle).

Fitting uses scikit-learn (training only); scoring re-does its transform here — sublinear term
frequency times smoothed IDF, L2-normalised, dotted with the weights — so annotating never
imports scikit-learn (a test checks that both score alike).  Its score is not a rate: class
balancing centres it on 0.5 whatever the article, so it says how much a sentence's wording looks
like the reader's highlights, and it is added to the feature model's logit (:func:`combine`)
before the highlight threshold is calibrated on out-of-fold predictions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: n-gram orders, the fewest sentences a gram must occur in, and the logistic model's C.
NGRAMS = (1, 3)
MIN_DF = 3
C = 1.0


_SPACES = re.compile(r"\s\s+")


def _codes(t: str) -> np.ndarray:
    """The code points of ``t`` plus one (so that 0 never stands for a character)."""
    return np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + 1


def gram_key(gram: str) -> int:
    """An n-gram (n ≤ 3) as one integer: its characters' code points plus one, 21 bits each."""
    return sum((ord(ch) + 1) << (21 * i) for i, ch in enumerate(gram))


def _keys(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, gram key) of every 1-, 2- and 3-gram of ``texts``, all texts at once."""
    parts = [_codes(_SPACES.sub(" ", t.lower())) for t in texts]
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    owner = np.repeat(np.arange(len(texts)), [len(p) for p in parts])
    rows, keys = [owner], [codes]
    for n in range(2, NGRAMS[1] + 1):
        same = owner[:len(owner) - n + 1] == owner[n - 1:]
        key = codes[:len(codes) - n + 1].copy()
        for i in range(1, n):
            key |= codes[i:len(codes) - n + 1 + i] << np.uint64(21 * i)
        rows.append(owner[:len(owner) - n + 1][same])
        keys.append(key[same])
    return np.concatenate(rows), np.concatenate(keys)


@dataclass
class NgramModel:
    """The n-grams kept (as sorted integer keys, :func:`gram_key`), their IDF and weights, and
    the intercept."""

    grams: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float

    def __post_init__(self) -> None:
        keys = np.array([gram_key(g) for g in self.grams], dtype=np.uint64)
        order = np.argsort(keys)
        self._keys, self._idf, self._coef = keys[order], self.idf[order], self.coef[order]

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's logit: its n-grams found among the kept ones, counted per text (a text with
        none scores the intercept); every text of a call in one vectorised pass."""
        out = np.full(len(texts), self.intercept, dtype=np.float64)
        if not len(texts) or not len(self._keys):
            return out
        rows, keys = _keys(texts)
        pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        found = self._keys[pos] == keys
        rows, pos = rows[found], pos[found]
        if not len(pos):
            return out
        pair, counts = np.unique(rows * len(self._keys) + pos, return_counts=True)
        r, c = pair // len(self._keys), pair % len(self._keys)
        vals = (1.0 + np.log(counts)) * self._idf[c]
        dot = np.bincount(r, weights=vals * self._coef[c], minlength=len(texts))
        norm = np.sqrt(np.bincount(r, weights=vals * vals, minlength=len(texts)))
        has = norm > 0
        out[has] += dot[has] / norm[has]
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(texts)))

    def to_dict(self) -> dict[str, object]:
        return {"grams": self.grams, "idf": [round(float(x), 4) for x in self.idf],
                "coef": [round(float(x), 4) for x in self.coef], "intercept": round(self.intercept, 6)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> NgramModel:
        return cls([str(g) for g in data["grams"]], np.asarray(data["idf"], dtype=np.float64),  # type: ignore[attr-defined]
                   np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]))  # type: ignore[arg-type]


def fit(texts: Sequence[str], y: np.ndarray, c: float = C) -> NgramModel | None:
    """The model of ``texts`` labelled ``y`` (None when only one class is present)."""
    if len(set(np.asarray(y).tolist())) < 2:
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True)
    X = vec.fit_transform(list(texts))
    lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(X, y)
    grams = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    return NgramModel([str(g) for g in grams], np.asarray(vec.idf_, dtype=np.float64),
                      np.asarray(lr.coef_[0], dtype=np.float64), float(lr.intercept_[0]))


#: Weight of the wording member's logit added to the feature model's (:func:`combine`).
WEIGHT = 0.5


def combine(probs: np.ndarray, wording: np.ndarray | None, weight: float = WEIGHT) -> np.ndarray:
    """The feature model's probabilities with ``weight`` times the wording member's logit added."""
    if wording is None or not len(probs) or weight == 0:
        return probs
    p = np.clip(probs, 1e-6, 1 - 1e-6)
    w = np.clip(wording, 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p)) + weight * np.log(w / (1 - w))
    return 1.0 / (1.0 + np.exp(-z))
