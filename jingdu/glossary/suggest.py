"""Ranking 规范词 for a piece of material.

A :class:`Suggester` holds a glossary's entries and, for a text, scores every entry with a few
similarities — character 1–3-gram TF-IDF to the whole entry, to its definition, to its name and
to each quoted scenario phrase (the best one); word TF-IDF and BM25 (jieba words); and the
cosine of idf-weighted word vectors (``jingdu/data/glossary/vectors.npz``, trained on the corpus's
non-glossary posts) to the entry, its definition, name and best phrase; and character TF-IDF to the
entry's *group* (the entries its glossary files with it) — each also as a share of
the query's best, a z-score among the entries and a reciprocal rank.  The same features are
computed a second time for the *context* — the material around the text (an exercise's whole
material, the note around a selection; the text itself when none is given).  A logistic model
(:class:`Ranker`, ``jingdu/data/glossary/ranker.json``) and a LightGBM lambdarank model over the
text's pool of entries (:class:`Booster`, ``jingdu/data/glossary/booster.txt``) combine them, their
z-scores averaged; both are fitted by ``benchmarks/glossary_ranker.py``, and ``jingdu eval
glossary`` fits them again without the scored post.
With a sentence encoder installed (:mod:`jingdu.glossary.encoder`, optional), the cosine of the
text's vector to each entry's is one more similarity, read by a second pair of rankers
(``ranker-encoder.json``, ``booster-encoder.txt``) fitted for it.
After the best term comes a composition of a verb and it: the verb its own definition or
scenarios write before it (优化营商环境), else — when the material asks for an action (应/要/需/推动
…) — a policy verb of the material (完善…, 提升…, 加强…).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from jingdu.glossary.encoder import Encoder, default_encoder
from jingdu.glossary.parse import Entry, scenario_phrases
from jingdu.segment import words

log = logging.getLogger("jingdu.glossary")

STOP = frozenset([
    "的", "了", "和", "与", "在", "是", "等", "中", "时", "对", "为", "将", "把",
    "也", "及", "或", "其", "这", "那", "有", "就", "都", "而", "被", "让", "从",
    "向", "通过", "进行", "可以", "通常", "出现", "资料", "材料", "表述", "类似", "概括",
    "联想", "规范", "表达", "当", "指", "一", "个", "上", "下", "我们", "可", "将其",
])
ACTION = re.compile(r"应当|应该|要|需要|必须|亟需|亟待|建议|推动|推进|加快|着力|积极|努力|提出|措施|举措|办法")
#: Policy verbs a composition may start with (a term that already starts with one is left alone).
POLICY_VERBS = ("完善", "提升", "提高", "加强", "优化", "强化", "推动", "健全", "建立", "创新", "培养", "增强",
                "发展", "打造", "改善", "规范", "加大", "拓宽", "畅通", "保障", "促进", "深化", "推进", "发挥", "调整")
SIMS = ("doc", "phrase", "definition", "name", "word_doc", "word_phrase", "bm25",
        "vec_doc", "vec_phrase", "vec_definition", "vec_name", "group")
#: The ranker's inputs: every similarity of the text, then of its context.
FEATURES = (*SIMS, *(f"context_{s}" for s in SIMS))
#: With a sentence encoder installed (:mod:`jingdu.glossary.encoder`), one more: the cosine of the
#: text's embedding to the whole entry's (the context's adds nothing measurable and costs 3×).
ENCODER_SIMS = ("encoder_doc",)


def feature_names(encoder: bool = False) -> tuple[str, ...]:
    return (*FEATURES, *ENCODER_SIMS) if encoder else FEATURES


def _model_file(stem: str, ext: str, encoder: bool) -> str:
    return f"data/glossary/{stem}{'-encoder' if encoder else ''}.{ext}"


def names(term: str) -> list[str]:
    """The names of an entry: ``A/B`` is two, a bracketed gloss is dropped."""
    out = []
    for part in term.split("/"):
        part = re.sub(r"（.*?）|\(.*?\)", "", part).strip()
        if part:
            out.append(part)
    return out or [term]


#: Two characters directly before a term's name in its own definition or scenarios (优化营商环境):
#: the verb the glossary itself uses with the term; function words are not verbs.
_NOT_VERB = frozenset("为到的是和与及或在把将被对从向等了着过也都而其之这那此")


def glossary_compositions(entry: Entry) -> Counter[str]:
    """Verb + name as the entry's own definition and scenarios write it (``优化营商环境`` in the
    definition of 营商环境), with how often: two Chinese characters directly before a name."""
    text = f"{entry.definition} {' '.join(entry.scenarios)}"
    out: Counter[str] = Counter()
    for name in names(entry.term):
        for m in re.finditer(f"([\u4e00-\u9fff]{{2}}){re.escape(name)}", text):
            verb = m.group(1)
            if not set(verb) & _NOT_VERB and not name.startswith(verb):
                out[verb + name] += 1
    return out


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w.strip() and w not in STOP and re.search(r"\w", w)]


@dataclass(frozen=True)
class Suggestion:
    term: str
    score: float
    why: str
    entry: int | None = None  # index of the entry (None: not from the glossary)
    theme: str = ""
    group: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"term": self.term, "score": round(self.score, 4), "why": self.why,
                "theme": self.theme, "group": self.group}


class Vectors:
    """Word vectors: ``words`` and unit ``vectors`` (float)."""

    def __init__(self, vocab: Sequence[str], matrix: np.ndarray) -> None:
        self.index = {w: i for i, w in enumerate(vocab)}
        self.matrix = matrix.astype(np.float32)

    def embed(self, texts: Sequence[str], idf: dict[str, float]) -> np.ndarray:
        out = np.zeros((len(texts), self.matrix.shape[1]), dtype=np.float32)
        for i, t in enumerate(texts):
            ws = [w for w in content_words(t) if w in self.index]
            if ws:
                v = sum(idf.get(w, 1.0) * self.matrix[self.index[w]] for w in ws)
                out[i] = v / (np.linalg.norm(v) + 1e-9)
        return out


@lru_cache(maxsize=1)
def default_vectors() -> Vectors | None:
    ref = resources.files("jingdu").joinpath("data/glossary/vectors.npz")
    if not ref.is_file():
        return None
    with resources.as_file(ref) as path, np.load(path) as z:
        words = bytes(z["words"]).decode("utf-8").split("\n")
        return Vectors(words, z["vectors"].astype(np.float32) * (z["scale"].astype(np.float32)[:, None] / 127))


@dataclass(frozen=True)
class Ranker:
    """A logistic model over the features of :meth:`Suggester.features`."""

    coef: tuple[float, ...]
    intercept: float = 0.0

    def score(self, x: np.ndarray) -> np.ndarray:
        return x @ np.asarray(self.coef) + self.intercept

    def to_json(self, encoder: bool = False) -> str:
        return json.dumps({"features": list(feature_names(encoder)), "coef": list(self.coef),
                           "intercept": self.intercept}, indent=1)


@lru_cache(maxsize=2)
def default_ranker(encoder: bool = False) -> Ranker | None:
    """The shipped logistic ranker (``ranker.json``; ``ranker-encoder.json`` for the features with
    the sentence encoder's); None when missing or made for other features."""
    ref = resources.files("jingdu").joinpath(_model_file("ranker", "json", encoder))
    if not ref.is_file():
        return None
    data = json.loads(ref.read_text(encoding="utf-8"))
    if data.get("features") != list(feature_names(encoder)):
        return None
    return Ranker(tuple(data["coef"]), float(data["intercept"]))


#: The boosted ranker orders the best POOL entries by the text's character similarity to the
#: whole entry (the first feature), the same at fitting and scoring; the rest come after them.
POOL = 100


class Booster:
    """A LightGBM lambdarank model over the same features, fitted on each exercise's pool."""

    def __init__(self, model: str) -> None:
        import lightgbm

        self.model = model
        self.booster = lightgbm.Booster(model_str=model)

    def score(self, x: np.ndarray) -> np.ndarray:
        """(queries, entries) scores: the model's z-score within the pool, -10 outside it."""
        out = np.full(x.shape[:2], -10.0)
        for i, row in enumerate(x):
            pool = np.argsort(-row[:, 0], kind="stable")[:POOL]
            out[i, pool] = _z(self.booster.predict(row[pool], num_threads=1))
        return out


@lru_cache(maxsize=2)
def default_booster(encoder: bool = False) -> Booster | None:
    """The shipped boosted ranker (``booster.txt``, or ``booster-encoder.txt``); None (the logistic
    ranks alone) when it is missing, made for other features, or LightGBM cannot load (its wheel
    needs the system's OpenMP runtime, ``libgomp1``)."""
    ref = resources.files("jingdu").joinpath(_model_file("booster", "txt", encoder))
    if not ref.is_file():
        return None
    try:
        booster = Booster(ref.read_text(encoding="utf-8"))
    except (ImportError, OSError) as exc:
        log.warning("the boosted 规范词 ranker is not used (LightGBM cannot load: %s); install libgomp1", exc)
        return None
    return booster if booster.booster.num_feature() == 4 * len(feature_names(encoder)) else None


def _z(v: np.ndarray) -> np.ndarray:
    return (v - v.mean(-1, keepdims=True)) / (v.std(-1, keepdims=True) + 1e-9)


def combined(x: np.ndarray, ranker: Ranker, booster: Booster | None) -> np.ndarray:
    """The logistic's scores, averaged (as z-scores) with the boosted ranker's when there is one."""
    logistic = ranker.score(x)
    if booster is None:
        return logistic
    return 0.5 * _z(logistic) + 0.5 * booster.score(x)


def _transform(vectorizer: TfidfVectorizer, texts: list[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)``, also for no texts (a glossary without scenarios)."""
    if not texts:
        return sp.csr_matrix((0, len(vectorizer.vocabulary_)))
    return vectorizer.transform(texts)


def _max_by_owner(sim: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((sim.shape[0], n), dtype=np.float64)
    for k in range(sim.shape[1]):
        j = owner[k]
        np.maximum(out[:, j], sim[:, k], out=out[:, j])
    return out


def encoder_features(encoder: Encoder, entry_vectors: np.ndarray, queries: Sequence[str]) -> np.ndarray:
    """(queries, entries, 4) features of the encoder's cosine of each query to each entry."""
    return per_query(encoder.encode(list(queries)) @ entry_vectors.T)


def per_query(sim: np.ndarray) -> np.ndarray:
    """Each similarity as is, as a share of the query's best, as a z-score and as 1/log2(rank+2)."""
    best = sim.max(1, keepdims=True) + 1e-9
    z = (sim - sim.mean(1, keepdims=True)) / (sim.std(1, keepdims=True) + 1e-9)
    rank = np.argsort(np.argsort(-sim, 1), 1)
    return np.stack([sim, sim / best, z, 1 / np.log2(rank + 2)], -1)


class Suggester:
    """Suggestions of a glossary's terms (and compositions) for pieces of material."""

    def __init__(self, entries: Sequence[Entry], ranker: Ranker | None = None, vectors: Vectors | None = None,
                 use_vectors: bool = True, booster: Booster | None = None, use_booster: bool = True,
                 encoder: Encoder | None = None, use_encoder: bool = True) -> None:
        self.entries = list(entries)
        self.encoder = (encoder or default_encoder()) if use_encoder else None
        if self.encoder is not None and ranker is None and default_ranker(True) is None:
            self.encoder = None  # an encoder without rankers fitted for its feature
        with_encoder = self.encoder is not None
        self.ranker = ranker if ranker is not None else default_ranker(with_encoder)
        self.booster = (booster or default_booster(with_encoder)) if use_booster else None
        self.vectors = (vectors or default_vectors()) if use_vectors else None
        e = self.entries
        self.docs = [f"{x.term} {x.definition} {' '.join(x.scenarios)}" for x in e]
        self.encoded_docs = self.encoder.encode_cached(self.docs) if self.encoder is not None else None
        self.phrases: list[str] = []
        owner: list[int] = []
        for j, x in enumerate(e):
            for s in x.scenarios:
                for p in scenario_phrases(s):
                    self.phrases.append(p)
                    owner.append(j)
        self.owner = np.array(owner, dtype=int)
        self.baseline_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(self.docs)
        self.baseline_docs = self.baseline_vec.transform(self.docs)
        self.char = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.char.fit(self.docs + self.phrases)
        self.char_parts = [_transform(self.char, t) for t in self._parts()]
        self._groups_prepare()
        self.word = TfidfVectorizer(analyzer=content_words, sublinear_tf=True).fit(self.docs + self.phrases)
        self.word_docs = self.word.transform(self.docs)
        self.word_phrases = _transform(self.word, self.phrases)
        self._bm25_prepare()
        if self.vectors is not None:
            idf = dict(zip(self.word.get_feature_names_out(), self.word.idf_, strict=True))
            self.idf = idf
            self.vec_parts = [self.vectors.embed(t, idf) for t in self._parts()]

    def _parts(self) -> list[list[str]]:
        return [self.docs, self.phrases, [x.definition for x in self.entries],
                [" ".join(names(x.term)) for x in self.entries]]

    def _groups_prepare(self) -> None:
        """Each entry's group (its theme and group name; its theme alone when it has no group) as
        one document: the entries that the glossary files together."""
        keys = [(x.theme or x.source, x.group) for x in self.entries]
        index: dict[tuple[str, str], int] = {}
        self.group_of = np.array([index.setdefault(k, len(index)) for k in keys], dtype=int)
        docs = [""] * len(index)
        for j, g in enumerate(self.group_of):
            docs[g] += " " + self.docs[j]
        self.char_groups = self.char.transform(docs)

    def _bm25_prepare(self) -> None:
        toks = [content_words(d) for d in self.docs]
        self.bm_len = np.array([len(t) for t in toks], dtype=float)
        self.bm_avg = float(self.bm_len.mean()) if len(toks) else 1.0
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for j, t in enumerate(toks):
            for w, c in Counter(t).items():
                rows.append(vocab.setdefault(w, len(vocab)))
                cols.append(j)
                vals.append(c)
        self.bm_vocab = vocab
        self.bm_tf = sp.csr_matrix((vals, (rows, cols)), shape=(len(vocab), len(toks)), dtype=float)
        df = np.diff(self.bm_tf.indptr)
        n = len(toks)
        self.bm_idf = np.log(1 + (n - df + 0.5) / (df + 0.5))

    def _bm25(self, queries: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(queries), len(self.entries)))
        k1, b = 1.2, 0.75
        norm = k1 * (1 - b + b * self.bm_len / max(self.bm_avg, 1e-9))
        for i, q in enumerate(queries):
            for w in set(content_words(q)):
                r = self.bm_vocab.get(w)
                if r is None:
                    continue
                tf = self.bm_tf.getrow(r).toarray().ravel()
                out[i] += self.bm_idf[r] * tf * (k1 + 1) / (tf + norm)
        return out

    # -- scoring ------------------------------------------------------------------------------
    def baseline(self, queries: Sequence[str]) -> np.ndarray:
        """The char 1–3-gram TF-IDF cosine of each query to each entry's name + definition + scenarios."""
        return (self.baseline_vec.transform(list(queries)) @ self.baseline_docs.T).toarray()

    def similarities(self, queries: Sequence[str]) -> np.ndarray:
        """(queries, entries, len(SIMS)) raw similarities."""
        q = list(queries)
        n = len(self.entries)
        qc = self.char.transform(q)
        doc, phr, dfn, name = ((qc @ m.T).toarray() for m in self.char_parts)
        qw = self.word.transform(q)
        sims = [doc, _max_by_owner(phr, self.owner, n), dfn, name, (qw @ self.word_docs.T).toarray(),
                _max_by_owner((qw @ self.word_phrases.T).toarray(), self.owner, n), self._bm25(q)]
        if self.vectors is not None:
            qv = self.vectors.embed(q, self.idf)
            vd, vp, vdf, vn = (qv @ m.T for m in self.vec_parts)
            sims += [vd, _max_by_owner(vp, self.owner, n), vdf, vn]
        else:
            sims += [np.zeros((len(q), n))] * 4
        sims.append((qc @ self.char_groups.T).toarray()[:, self.group_of])
        return np.stack(sims, -1)

    def _features(self, queries: Sequence[str]) -> np.ndarray:
        sims = self.similarities(queries)
        return np.concatenate([per_query(sims[:, :, k]) for k in range(sims.shape[2])], -1)

    def features(self, queries: Sequence[str], contexts: Sequence[str | None] | None = None) -> np.ndarray:
        """(queries, entries, 4 * len(feature_names(...))) features for the ranker: those of each
        query, then those of its context (the query itself where the context is missing or empty),
        then, with an encoder, the query's :func:`encoder_features`."""
        q = list(queries)
        ctx = [c or t for t, c in zip(q, contexts or [None] * len(q), strict=True)]
        own = self._features(q)
        parts = [own, own if ctx == q else self._features(ctx)]
        if self.encoder is not None and self.encoded_docs is not None:
            parts.append(encoder_features(self.encoder, self.encoded_docs, q))
        return np.concatenate(parts, -1)

    def scores(self, queries: Sequence[str], contexts: Sequence[str | None] | None = None) -> np.ndarray:
        if self.ranker is None:
            return self.baseline(queries)
        return combined(self.features(queries, contexts), self.ranker, self.booster)

    def suggest(self, text: str, k: int = 5, context: str | None = None, theme: str | None = None) -> list[Suggestion]:
        return self.suggest_many([text], k, contexts=[context], theme=theme)[0]

    def suggest_many(self, texts: Sequence[str], k: int = 5, compose: bool = True,
                     contexts: Sequence[str | None] | None = None,
                     theme: str | None = None) -> list[list[Suggestion]]:
        """Suggestions for each text, best first; ``contexts`` (one per text, optional) is the
        material around it; with ``theme``, only that theme's entries (scored among the whole
        glossary's, as without it)."""
        if not self.entries or not texts:
            return [[] for _ in texts]
        scores = self.within_theme(self.scores(texts, contexts), theme)
        return [self._rank(t, scores[i], k, compose) for i, t in enumerate(texts)]

    def within_theme(self, scores: np.ndarray, theme: str | None) -> np.ndarray:
        """``scores`` with the entries outside ``theme`` at −inf (never suggested); unchanged without one."""
        if not theme:
            return scores
        outside = np.array([e.theme != theme for e in self.entries])
        return np.where(outside, -np.inf, scores)

    def _rank(self, text: str, row: np.ndarray, k: int, compose: bool) -> list[Suggestion]:
        order = np.argsort(-row)
        out: list[Suggestion] = []
        seen: set[str] = set()
        for j in order:
            if row[j] == -np.inf:
                break
            e = self.entries[int(j)]
            if e.term in seen:
                continue
            seen.add(e.term)
            out.append(Suggestion(e.term, float(row[j]), self.why(text, int(j)), int(j), e.theme, e.group))
            if len(out) >= k:
                break
        if compose and out:
            comp = self.composition(text, out[0])
            if comp is not None:
                out = [out[0], comp, *out[1:]][:k]
        return out

    def composition(self, text: str, best: Suggestion) -> Suggestion | None:
        """A verb + the best term: the verb the glossary's own definition or scenarios put before
        the term (优化营商环境); else, when the material asks for an action, a policy verb of the
        material (完善…) for a term that has none."""
        if best.entry is not None:
            written = glossary_compositions(self.entries[best.entry])
            if written:
                phrase = written.most_common(1)[0][0]
                return Suggestion(phrase, best.score - 1e-6, f"释义与场景中写作“{phrase}”",
                                  best.entry, best.theme, best.group)
        term = names(best.term)[0]
        if not ACTION.search(text) or term.startswith(POLICY_VERBS) or len(term) > 8:
            return None
        verb = next((v for v in POLICY_VERBS if v in text), None)
        if verb is None:
            return None
        return Suggestion(verb + term, best.score - 1e-6, f"材料要求行动（“{verb}”），{best.why}",
                          best.entry, best.theme, best.group)

    def why(self, text: str, j: int) -> str:
        """The scenario phrase (else the definition) of entry ``j`` closest to ``text``."""
        e = self.entries[j]
        idx = np.where(self.owner == j)[0]
        q = self.char.transform([text])
        if len(idx):
            sims = (q @ self.char_parts[1][idx].T).toarray().ravel()
            best = self.phrases[int(idx[int(np.argmax(sims))])]
            if sims.max() > 0:
                return f"应用场景：{best}"
        return f"基本释义：{e.definition}" if e.definition else e.term


def fit_ranker(features: Sequence[np.ndarray], labels: Sequence[np.ndarray], c: float = 0.05) -> Ranker:
    """A logistic ranker from per-query feature matrices and their 0/1 labels (the best
    60 candidates by the first feature plus every positive of each query)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for x, y in zip(features, labels, strict=True):
        cand = np.union1d(np.argsort(-x[:, 0])[:60], np.where(y)[0])
        xs.append(x[cand])
        ys.append(y[cand])
    model = LogisticRegression(C=c, max_iter=3000).fit(np.concatenate(xs), np.concatenate(ys))
    return Ranker(tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]))


def fit_booster(features: Sequence[np.ndarray], labels: Sequence[np.ndarray], exact: Sequence[np.ndarray],
                rounds: int = 200) -> Booster:
    """A LightGBM lambdarank model on each query's pool (its best :data:`POOL` entries by the first
    feature); relevance 2 for the answer as written, 1 for an entry that contains it or that it
    contains, 0 else."""
    import lightgbm

    xs, ys = [], []
    for x, y, e in zip(features, labels, exact, strict=True):
        pool = np.argsort(-x[:, 0], kind="stable")[:POOL]
        xs.append(x[pool])
        ys.append(y[pool].astype(int) + e[pool].astype(int))
    params = {"objective": "lambdarank", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 40,
              "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1,
              "lambdarank_truncation_level": 10, "verbose": -1, "num_threads": 2, "seed": 0,
              "deterministic": True, "force_col_wise": True}
    data = lightgbm.Dataset(np.concatenate(xs), np.concatenate(ys), group=[len(x) for x in xs])
    return Booster(lightgbm.train(params, data, rounds).model_to_string())
