"""Chinese full-text search on FTS5: overlapping character bigrams.

Chinese has no spaces, so the index holds each text as its overlapping character bigrams
(``深圳制造`` → ``深圳 圳制 制造 造``), the CJK scheme of Lucene's ``CJKAnalyzer``.  The index
keeps which texts hold each bigram, not where (``detail=none``: a third of the size); a query
term becomes all its bigrams, and the search keeps the texts that hold the term itself, so a
hit contains the term exactly: ``默想`` is the token ``默想`` and never matches ``默认``;
``新质生产力`` needs ``新质 质生 生产 产力`` and then the five characters in a row.  Unlike
the trigram tokenizer, two-character words (most Chinese words) are indexed terms, and unlike a
word segmenter, a term is found whatever way the segmenter would have cut its context.  BM25
ranks the hits (``bm25(items_fts)``).

Token characters are those FTS5's ``unicode61`` tokenizer keeps (letters, digits, private
use); everything else separates, in the index and in queries alike.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
#: A query holds at most this many terms and characters (a longer one is refused at once: the
#: cost of a query grows with its terms, and every other request waits for it).
MAX_TERMS, MAX_QUERY_CHARS = 16, 200


@lru_cache(maxsize=65536)
def _is_token_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def grams(text: str) -> str:
    """The text to index: its overlapping bigrams, space-joined (the last char on its own)."""
    t = text.replace('"', " ")
    return " ".join([t[i:i + 2] for i in range(len(t))])


def chunks(term: str) -> list[str]:
    """The runs of token characters in a query term."""
    out, buf = [], []
    for ch in term:
        if _is_token_char(ch):
            buf.append(ch)
        elif buf:
            out.append("".join(buf))
            buf = []
    if buf:
        out.append("".join(buf))
    return out


def chunk_query(chunk: str) -> str:
    """The FTS5 expression for one run of token characters: all its bigrams.

    The index keeps no positions (``detail=none``), so this finds the texts that hold every
    bigram of the run; the search keeps those that hold the run itself (:func:`contains_all`)."""
    if len(chunk) == 1:
        return f'"{chunk}"*'
    return "(" + " AND ".join(dict.fromkeys(f'"{chunk[i:i + 2]}"' for i in range(len(chunk) - 1))) + ")"


def parse_query(query: str) -> tuple[str, list[str]]:
    """``(fts5 MATCH expression, literal terms)`` for a user query (terms joined by AND).

    Terms are separated by whitespace; a term in double quotes may hold spaces.  Raises
    ``ValueError`` when nothing searchable is left.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise ValueError(f"the query is {len(query)} characters long; at most {MAX_QUERY_CHARS}")
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    if len(terms) > MAX_TERMS:
        raise ValueError(f"the query has {len(terms)} terms; at most {MAX_TERMS}")
    parts: list[str] = []
    literals: list[str] = []
    for term in terms:
        runs = chunks(term)
        if not runs:
            continue
        literals.append(term)
        parts.extend(chunk_query(r) for r in runs)
    if not parts:
        raise ValueError(f"nothing to search for in {query!r}")
    return " AND ".join(parts), literals


def contains_all(text: str, literals: list[str]) -> bool:
    """Whether ``text`` holds every literal term (case-insensitive for Latin letters)."""
    low = text.lower()
    return all(t.lower() in low for t in literals)


def passage(text: str, literals: list[str], width: int = 120) -> str:
    """The stretch of ``text`` (``width`` characters) around the first literal found, with ``…``."""
    low = text.lower()
    found = [i for i in (low.find(t.lower()) for t in literals) if i >= 0]
    lo = max(0, min(found, default=0) - width // 3)
    hi = min(len(text), lo + width)
    return ("…" if lo > 0 else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")


def snippet(text: str, literals: list[str], width: int = 60) -> str:
    """A window of ``text`` around the first match, HTML-escaped, matches in ``<mark>``."""
    low = text.lower()
    hits = [(low.find(t.lower()), t) for t in literals]
    hits = [(i, t) for i, t in hits if i >= 0]
    first = min((i for i, _ in hits), default=0)
    lo = max(0, first - width // 3)
    hi = min(len(text), lo + width)
    window = text[lo:hi].replace("\n", " ")
    pattern = "|".join(re.escape(t) for t in sorted(literals, key=len, reverse=True))
    out = []
    pos = 0
    if pattern:
        for m in re.finditer(pattern, window, flags=re.I):
            out.append(html.escape(window[pos:m.start()]))
            out.append(MARK_OPEN + html.escape(m.group(0)) + MARK_CLOSE)
            pos = m.end()
    out.append(html.escape(window[pos:]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")
