"""The wording features (jingdu/annotate/features.py ``lex_matrix``), computed for all of an
article's sentences at once, equal their definition sentence by sentence: each text's distinct
bigrams of two Chinese characters looked up in a bigram -> [genre, idf] table."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jingdu.annotate.features import han_bigrams, lex_matrix

TABLE = {"乡村": [1.5, 3.0], "村振": [-0.5, 6.0], "振兴": [2.0, 2.5], "发展": [-1.0, 1.0], "高质": [0.25, 4.0],
         "质量": [0.75, 3.5], "新质": [3.0, 7.0]}
ALPHABET = "乡村振兴发展高质量新生产力。，、\n a1\ud800"


def reference(texts: list[str], lex: dict[str, list[float]]) -> np.ndarray:
    out = np.zeros((len(texts), 4), dtype=np.float32)
    unknown = max(v[1] for v in lex.values())
    for i, t in enumerate(texts):
        han = [("\u4e00" <= c <= "\u9fff") for c in t]
        grams = {t[i:i + 2] for i in range(len(t) - 1) if han[i] and han[i + 1]}
        assert grams == han_bigrams(t)
        if not grams:
            continue
        vals = [lex[g] for g in grams if g in lex]
        genre = [v[0] for v in vals]
        idf = math.fsum(v[1] for v in vals) + unknown * (len(grams) - len(vals))
        out[i] = (math.fsum(genre) / len(genre) / 3 if genre else 0.0, max(genre) / 5 if genre else 0.0,
                  idf / len(grams) / 5, (len(grams) - len(vals)) / len(grams))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=8))
def test_all_sentences_at_once_equal_one_by_one(texts: list[str]) -> None:
    assert np.allclose(lex_matrix(texts, TABLE), reference(texts, TABLE), rtol=1e-6, atol=1e-7)


def test_no_table_gives_zeros() -> None:
    assert not lex_matrix(["乡村振兴"], None).any() and lex_matrix([], TABLE).shape == (0, 4)
