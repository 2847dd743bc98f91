"""Policy terms (提法): lexicon terms, quoted coinages, numbered formulas and parallel slogans.

Kinds:

* ``lexicon`` — a term of the shipped table ``jingdu/data/terms.tsv`` (新质生产力, 现代化产业体系 …);
* ``coinage`` — a short quoted name “百千万工程”, “体系优势”;
* ``formula`` — a numbered formula: “1310”, “20+8”, 三大动力, 十大新突破, 两个维护;
* ``slogan`` — a parallel slogan of three or more equal short phrases: 走在前、作示范、挑大梁.

The table is data: :func:`build_lexicon` rebuilds it from the red marks of the annotated corpus
and the quoted coinages frequent across the plain posts (``benchmarks/build_terms.py`` runs it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jingdu.annotate.lexicon import mine_terms
from jingdu.extract.record import as_dict
from jingdu.model import Doc
from jingdu.segment import find_words

LEXICON_FILE = "terms.tsv"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_CJK = r"\u4e00-\u9fff"
QUOTED_RE = re.compile(rf"“([{_CJK}A-Za-z0-9+·]{{2,10}})”")
FORMULA_RE = re.compile(
    rf"“[\d+＋]{{2,8}}”|[一二两三四五六七八九十]+(?:大|个|项|条|种|张|化)(?:新)?[{_CJK}]{{2,4}}?"
    rf"(?=[，。；、”）]|$)"
)
_FORMULA_HEADS = re.compile(r"^[一二两三四五六七八九十]+(?:大|个|项|条|种|张|化)")
CLAUSE_RE = re.compile(r"[^，。；：！？,;:!?\n]+")
_VERB_HEADS = re.compile(r"^(?:发展|建设|推进|推动|加快|坚持|强化|深化|着眼|打造|构建|实施|促进|提升|加强|落实)+"
                         r"(?=[\u4e00-\u9fff“]{3})")
_NOT_FORMULA = re.compile(r"^(?:一个|一项|一条|一种|一张|一大|两个月|三个月|十个月|一化)")


@dataclass(frozen=True, slots=True)
class Term:
    """A term, how many times it occurs and where it first occurs in ``Doc.text``."""

    term: str
    kind: str
    count: int
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return as_dict(self)


# -- the lexicon -------------------------------------------------------------------------------
def clean_term(text: str) -> str | None:
    """A red-marked span as a lexicon entry, or None when it is not a term."""
    t = text.strip().strip("“”\"'　 ")
    if not 3 <= len(t) <= 16 or re.search(r"[，。；：！？,.;:!?（）()\s]", t):
        return None
    if re.fullmatch(r"[\d.%]+", t):
        return None
    t = _VERB_HEADS.sub("", t)
    return t if len(t) >= 3 else None


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[str, ...]:
    """The shipped term table, longest first."""
    path = DATA_DIR / LEXICON_FILE
    if not path.is_file():
        return ()
    rows = path.read_text(encoding="utf-8").splitlines()
    terms = {r.split("\t")[0] for r in rows if r and not r.startswith("#")}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def build_lexicon(corpus_dir: Path, min_docs: int = 3) -> list[tuple[str, str]]:
    """(term, source) rows: every red mark of ``annotated/`` plus quoted coinages found in at
    least ``min_docs`` posts of ``plain/``."""
    from jingdu.notation import read_note

    rows: dict[str, str] = {}
    for path in sorted((corpus_dir / "annotated").glob("*.md")):
        doc = read_note(path.read_text(encoding="utf-8"))
        for sp in doc.spans("red"):
            t = clean_term(doc.span_text(sp))
            if t:
                rows.setdefault(t, "red")
    texts = (path.read_text(encoding="utf-8") for path in sorted((corpus_dir / "plain").glob("*.md")))
    for t in mine_terms(texts, min_docs, limit=0, pattern=QUOTED_RE):
        if not t.startswith("“") and not re.fullmatch(r"[\d+]+", t):  # bare forms; no “1310”
            rows.setdefault(t, "coinage")
    return sorted(rows.items())


def write_lexicon(rows: Iterable[tuple[str, str]], path: Path) -> None:
    from jingdu.fsutil import write_atomic

    body = "# term\tsource (red = a red mark of the annotated corpus; coinage = frequent quoted name)\n"
    write_atomic(path, body + "".join(f"{t}\t{s}\n" for t, s in rows))


# -- finding terms -----------------------------------------------------------------------------
def _add(found: dict[str, list[object]], term: str, kind: str, start: int, end: int) -> None:
    if term in found:
        found[term][2] = int(found[term][2]) + 1  # type: ignore[call-overload]
    else:
        found[term] = [term, kind, 1, start, end]


def _lexicon_hits(text: str) -> Iterable[tuple[str, int, int]]:
    return ((text[s:e], s, e) for s, e in find_words(text, frozenset(load_lexicon())))


def find_terms(doc: Doc) -> list[Term]:
    """Terms of the document, most frequent first (ties in text order)."""
    text = doc.text
    found: dict[str, list[object]] = {}
    for start, slogan in _slogans(text):
        _add(found, slogan, "slogan", start, start + len(slogan))
    for m in FORMULA_RE.finditer(text):
        t = m.group(0)
        if t.startswith("“") or (_FORMULA_HEADS.match(t) and not _NOT_FORMULA.match(t)):
            _add(found, t, "formula", m.start(), m.end())
    for m in QUOTED_RE.finditer(text):
        t = m.group(0)
        if t not in found and not re.fullmatch(r"“[\d+]+”", t):
            _add(found, t, "coinage", m.start(), m.end())
        elif t in found:
            continue
    for t, s, e in _lexicon_hits(text):
        quoted = f"“{t}”"
        if quoted in found and text[max(0, s - 1):s] == "“":
            continue
        if t in found and found[t][1] != "lexicon":
            continue
        _add(found, t, "lexicon", s, e)
    _recount_coinages(text, found)
    terms = [Term(str(v[0]), str(v[1]), int(v[2]), int(v[3]), int(v[4])) for v in found.values()]  # type: ignore[call-overload]
    return sorted(terms, key=lambda t: (-t.count, t.start))


def _slogans(text: str) -> Iterable[tuple[int, str]]:
    """Three or more 、-joined phrases of one length (3–4 characters): 走在前、作示范、挑大梁."""
    for m in CLAUSE_RE.finditer(text):
        items = m.group(0).split("、")
        if len(items) < 3:
            continue
        size = len(items[1])
        if not 3 <= size <= 4 or any(len(i) != size for i in items[1:]) or len(items[0]) < size:
            continue
        if not all(re.fullmatch(rf"[{_CJK}]+", i) for i in items[1:]):
            continue
        slogan = "、".join([items[0][-size:], *items[1:]])
        yield m.end() - len(slogan), slogan


def _recount_coinages(text: str, found: dict[str, list[object]]) -> None:
    for term, row in found.items():
        if row[1] == "coinage":
            row[2] = text.count(term)
