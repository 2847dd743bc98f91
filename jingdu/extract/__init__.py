"""Stage: extract what a writer reuses from an article — figures, policy terms, quotable lines
and the outline.

``extract(doc) -> Extraction``: typed results (:class:`~jingdu.extract.facts.Fact`,
:class:`~jingdu.extract.terms.Term`, :class:`~jingdu.extract.quotes.Quote`,
:class:`~jingdu.extract.outline.Outline`).  ``Extraction.to_dict()`` is the one JSON shape
(``jingdu extract --json``, the bank, the API); the shape is stable (new keys may be added, none
removed or renamed) and ``Extraction.from_dict`` reads it back::

    {
      "id": str,                      # Doc.meta.id (the note's file stem)
      "title": str,
      "source": {"account": str, "url": str},
      "facts": [{                     # figures, in text order (jingdu.extract.facts)
          "surface": str,             # the figure as written, e.g. "超2.5万家", "同比增长42.7%"
          "value": int | float,       # in the base unit: 3.83万亿元 -> 3830000000000; 9.7% -> 9.7;
                                      # a decline (下降3%) is negative; a range gives its low end
          "high": int | float,        # only for ranges (3至5万元): the high end
          "unit": str,                # 元 | 美元 | 家 | 项 | 件 | 秒 | 毫米 | % | 个百分点 | 倍 | 位 (rank) | "" …
          "qualifier": str | None,    # bounding word before the figure as written: 超, 超过, 逾, 近, 约, 达 …
          "kind": str,                # amount | count | growth | share | rank | measure
          "period": str | None,       # 2025年前三季度, 截至2024年底, “十四五”期间 …
          "subject": str | None,      # what it measures, e.g. 江城规上工业总产值
          "sentence": str,            # the sentence it is in
          "start": int, "end": int,   # offsets of surface in Doc.text
      }],
      "terms": [{"term": str, "kind": "lexicon" | "coinage" | "formula" | "slogan",
                 "count": int, "start": int, "end": int}],        # most frequent first
      "quotes": [{"text": str, "start": int, "end": int,
                  "patterns": [str],  # parallel-yi | from-to | antithesis | parallel | speech | highlight
                  "speaker": str | None, "highlight": str | None}],  # in text order
      "outline": {"title": str, "lead": str | None,
                  "sections": [{"heading": str, "level": int, "topic": str | None,
                                "start": int, "end": int, "paragraphs": int}]},
    }

``outline_mermaid(doc)`` and ``outline_markdown(doc)`` draw the outline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jingdu.errors import InputError
from jingdu.extract.facts import Fact, find_facts
from jingdu.extract.outline import Outline, Section, outline, outline_markdown, outline_mermaid
from jingdu.extract.quotes import Quote, find_quotes
from jingdu.extract.terms import Term, find_terms
from jingdu.model import Doc

__all__ = ["Extraction", "Fact", "Outline", "Quote", "Section", "Term", "extract", "find_facts", "find_quotes",
           "find_terms", "outline", "outline_markdown", "outline_mermaid"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything a writer reuses from one note."""

    id: str
    title: str
    account: str
    url: str
    facts: tuple[Fact, ...]
    terms: tuple[Term, ...]
    quotes: tuple[Quote, ...]
    outline: Outline

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the module doc."""
        return {
            "id": self.id,
            "title": self.title,
            "source": {"account": self.account, "url": self.url},
            "facts": [f.to_dict() for f in self.facts],
            "terms": [t.to_dict() for t in self.terms],
            "quotes": [q.to_dict() for q in self.quotes],
            "outline": self.outline.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Extraction:
        """Read the JSON shape back (as the bank stores it)."""
        try:
            src = data.get("source") or {}
            return cls(
                str(data.get("id") or ""), str(data.get("title") or ""), str(src.get("account") or ""),
                str(src.get("url") or ""),
                tuple(Fact(**f) for f in data["facts"]),
                tuple(Term(**t) for t in data["terms"]),
                tuple(Quote(**{**q, "patterns": tuple(q["patterns"])}) for q in data["quotes"]),
                Outline.from_dict(data["outline"]),
            )
        except (KeyError, TypeError) as exc:
            raise InputError(f"malformed extraction JSON: {exc}") from exc


def extract(doc: Doc) -> Extraction:
    """Everything a writer reuses from ``doc``."""
    return Extraction(doc.meta.id, doc.title, doc.meta.account, doc.meta.url, tuple(find_facts(doc)),
                      tuple(find_terms(doc)), tuple(find_quotes(doc)), outline(doc))
