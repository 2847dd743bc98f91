"""``jingdu bench ingest``: body text of jingdu, trafilatura (default ``extract``) and gne on the
same pages in one run, each scored against a reference body by character-4-gram F1.

A page is any ``*.html``/``*.htm`` file under the pages folder (subfolders included); its
reference is the file of the same relative path and stem with the suffix ``.txt`` under the
reference folder, holding the plain text of the article's body (UTF-8; no title, no markup; line
breaks and spaces do not count, since all whitespace is removed before scoring).  Pages without a
reference are skipped.  Every extractor reads the same decoded page (jingdu's decoder).

gne (GeneralNewsExtractor) is an optional extra (``pip install jingdu[bench]``); when it is not
installed its column stays empty.  :func:`references_from_gne_result` turns the gne project's
``gne-result.txt`` (its own answers) into reference files.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jingdu.errors import JingduError
from jingdu.ingest.decode import decode_bytes
from jingdu.ingest.generic import f1, grams

EXTRACTORS = ("jingdu", "trafilatura", "gne")
PAGE_SUFFIXES = (".html", ".htm")


class IngestBenchError(JingduError):
    """The folders cannot be benchmarked (missing, or no page has a reference)."""


@dataclass(frozen=True)
class PageScore:
    name: str  # the page's path relative to the pages folder
    scores: dict[str, float | None]  # extractor -> F1; None when the extractor did not run
    empty: dict[str, bool]  # extractor -> produced no text


@dataclass
class IngestBench:
    rows: list[PageScore] = field(default_factory=list)
    extractors: tuple[str, ...] = EXTRACTORS
    missing: dict[str, str] = field(default_factory=dict)  # extractor -> why it did not run
    unreferenced: int = 0  # pages without a reference file
    crashes: list[str] = field(default_factory=list)  # pages where jingdu failed with an unexpected error

    def mean(self, name: str) -> float | None:
        vals = [r.scores[name] for r in self.rows if r.scores.get(name) is not None]
        return statistics.mean(v for v in vals if v is not None) if vals else None

    def empty_count(self, name: str) -> int | None:
        if name in self.missing:
            return None
        return sum(1 for r in self.rows if r.empty.get(name))

    def render(self) -> str:
        def cell(v: float | None) -> str:
            return f"{v:.3f}" if v is not None else ""

        width = max([len(r.name) for r in self.rows] + [4])
        head = f"{'page':{width}s}  " + "  ".join(f"{n:>11s}" for n in self.extractors)
        lines = [f"{why}" for why in self.missing.values()]
        lines += [head, "-" * len(head)]
        for r in self.rows:
            lines.append(f"{r.name:{width}s}  " + "  ".join(f"{cell(r.scores.get(n)):>11s}" for n in self.extractors))
        lines.append("-" * len(head))
        lines.append(f"{'mean F1':{width}s}  " + "  ".join(f"{cell(self.mean(n)):>11s}" for n in self.extractors))
        counts = [self.empty_count(n) for n in self.extractors]
        lines.append(f"{'no text':{width}s}  " + "  ".join(f"{'' if c is None else c:>11}" for c in counts))
        lines.append(f"{len(self.rows)} pages, character-4-gram F1 against the reference body (whitespace removed)"
                     + (f"; {self.unreferenced} pages without a reference skipped" if self.unreferenced else ""))
        lines += self.crashes
        return "\n".join(lines) + "\n"


# -- the extractors -----------------------------------------------------------------------------
def jingdu_text(html: str, name: str = "") -> str:
    """The body of jingdu's note: every block but the title, as plain text ('' when refused)."""
    from jingdu.ingest import load_text

    try:
        doc = load_text(html, name or "page.html")
    except JingduError:
        return ""
    return "\n".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind != "title")


def trafilatura_text(html: str) -> str:
    import trafilatura

    try:
        return trafilatura.extract(html) or ""
    except Exception:  # noqa: BLE001 - a peer's crash on one page is its empty answer
        return ""


def gne_extractor() -> Callable[[str], str] | None:
    """gne's ``extract(html)['content']``, or None when gne is not installed."""
    try:
        from gne import GeneralNewsExtractor
    except ImportError:
        return None

    def run(html: str) -> str:
        try:
            return str(GeneralNewsExtractor().extract(html).get("content") or "")
        except Exception:  # noqa: BLE001 - a peer's crash on one page is its empty answer
            return ""

    return run


# -- the run ------------------------------------------------------------------------------------
def _pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)


def run_ingest_bench(pages: Path, reference: Path,
                     extractors: dict[str, Callable[[str], str] | None] | None = None) -> IngestBench:
    """Score each extractor on each page of ``pages`` that has a reference in ``reference``.
    ``extractors`` replaces the default set (name -> function of the HTML text, None = missing)."""
    if not pages.is_dir():
        raise IngestBenchError(f"{pages}: not a folder of pages")
    if not reference.is_dir():
        raise IngestBenchError(f"{reference}: not a folder of reference bodies")
    if extractors is None:
        extractors = {"jingdu": None, "trafilatura": trafilatura_text, "gne": gne_extractor()}
    bench = IngestBench(extractors=tuple(extractors))
    for name, fn in extractors.items():
        if fn is None and name != "jingdu":
            bench.missing[name] = f"{name} not installed"
    for page in _pages(pages):
        rel = page.relative_to(pages)
        ref_path = reference / rel.with_suffix(".txt")
        if not ref_path.is_file():
            bench.unreferenced += 1
            continue
        gold = grams(ref_path.read_text(encoding="utf-8"))
        try:
            html = decode_bytes(page.read_bytes())
        except JingduError:
            html = ""
        scores: dict[str, float | None] = {}
        empty: dict[str, bool] = {}
        for name, fn in extractors.items():
            if name in bench.missing:
                scores[name] = None
                continue
            if not html:
                text = ""
            elif name == "jingdu" and fn is None:
                try:
                    text = jingdu_text(html, page.name)
                except Exception as exc:  # noqa: BLE001 - a bug on one page is reported, the run goes on
                    bench.crashes.append(f"{rel.as_posix()}: jingdu failed: {type(exc).__name__}: {exc}")
                    text = ""
            else:
                assert fn is not None
                text = fn(html)
            got = grams(text)
            empty[name] = not got
            scores[name] = f1(got, gold) if got and gold else 0.0
        bench.rows.append(PageScore(rel.as_posix(), scores, empty))
    if not bench.rows:
        raise IngestBenchError(f"no page under {pages} has a reference .txt under {reference}")
    return bench


# -- references from gne's own answers ----------------------------------------------------------
_GNE_RECORD = re.compile(r">{5,}(?:tests/)?(\S+?)>{5,}\n(.*?)\n<{5,}", re.S)


def references_from_gne_result(result_file: Path, out_dir: Path) -> list[Path]:
    """Write gne's ``content`` for each page of ``gne-result.txt`` (records of
    ``>>>>tests/SITE/PAGE.html>>>>``, a JSON object, ``<<<<``) as ``out_dir/SITE/PAGE.txt``."""
    written: list[Path] = []
    for m in _GNE_RECORD.finditer(result_file.read_text(encoding="utf-8")):
        try:
            content = json.loads(m.group(2)).get("content") or ""
        except ValueError:
            continue
        target = out_dir / Path(m.group(1)).with_suffix(".txt")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content + "\n", encoding="utf-8")
        written.append(target)
    return written
