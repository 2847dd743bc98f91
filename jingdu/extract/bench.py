"""Benchmark: our figure and period finders against jionlp's money and time parsers.

On every note the two run over the same text; a figure (or period) counts as found by both
when their spans overlap.  The report gives counts, examples of what each finds that the other
misses, and the time ratio (ours / jionlp's), measured in the same run.  jionlp is an optional
extra (``pip install jingdu[bench]``); without it :class:`BenchError` says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jingdu.extract.facts import CURRENCIES, PERIOD_RE, find_facts
from jingdu.model import Doc

Spans = list[tuple[int, int, str]]


class BenchError(RuntimeError):
    """The benchmark cannot run (jionlp missing, no corpus)."""


@dataclass
class Side:
    """One comparison (money or time): hits of each finder and what only one of them found."""

    name: str
    ours: int = 0
    theirs: int = 0
    both: int = 0
    only_ours: list[str] = field(default_factory=list)
    only_theirs: list[str] = field(default_factory=list)

    def add(self, ours: Spans, theirs: Spans) -> None:
        self.ours += len(ours)
        self.theirs += len(theirs)
        for s, e, t in ours:
            if any(s < te and ts < e for ts, te, _ in theirs):
                self.both += 1
            else:
                self.only_ours.append(t)
        for s, e, t in theirs:
            if not any(s < oe and os_ < e for os_, oe, _ in ours):
                self.only_theirs.append(t)


@dataclass
class Report:
    notes: int = 0
    money: Side = field(default_factory=lambda: Side("money (元)"))
    time: Side = field(default_factory=lambda: Side("time / period"))
    facts: int = 0
    ours_s: float = 0.0
    theirs_s: float = 0.0

    def render(self, examples: int = 5) -> str:
        lines = [f"notes: {self.notes}; our facts of every kind: {self.facts}"]
        for side in (self.money, self.time):
            lines.append(f"\n{side.name}: ours {side.ours}, jionlp {side.theirs}, overlapping {side.both}, "
                         f"only ours {len(side.only_ours)}, only jionlp {len(side.only_theirs)}")
            lines.append("  only ours:   " + "；".join(side.only_ours[:examples]))
            lines.append("  only jionlp: " + "；".join(side.only_theirs[:examples]))
        ratio = self.ours_s / self.theirs_s if self.theirs_s else float("nan")
        lines.append(f"\ntime: ours {self.ours_s:.2f}s (all facts + periods), jionlp {self.theirs_s:.2f}s "
                     f"(money + time); ratio ours/jionlp = {ratio:.2f}")
        return "\n".join(lines)


def _jionlp() -> object:
    try:
        import jionlp
    except ImportError:
        raise BenchError("jionlp is not installed (pip install 'jingdu[bench]'); nothing compared") from None
    return jionlp


def _docs(corpus: Path, limit: int) -> Iterable[Doc]:
    from jingdu.ingest import load

    files = sorted((corpus / "annotated").glob("*.md")) + sorted((corpus / "plain").glob("*.md"))
    if not files:
        raise BenchError(f"no notes under {corpus}/annotated or {corpus}/plain")
    for path in files[:limit] if limit else files:
        yield load(str(path))


def _timed(fn: Callable[[], Spans]) -> tuple[Spans, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def _theirs(jio: object, text: str, key: str) -> Spans:
    ner = jio.ner  # type: ignore[attr-defined]
    found = ner.extract_money(text) if key == "money" else ner.extract_time(text, with_parsing=False)
    return [(d["offset"][0], d["offset"][1], d["text"]) for d in found]


def run_bench(corpus: Path, limit: int = 60) -> Report:
    """Run both finders over up to ``limit`` notes of ``corpus`` (annotated first)."""
    jio = _jionlp()
    report = Report()
    for doc in _docs(corpus, limit):
        report.notes += 1
        text = doc.text
        t0 = time.perf_counter()
        facts = find_facts(doc)
        periods = [(m.start(), m.end(), m.group(0)) for m in PERIOD_RE.finditer(text) if len(m.group(0)) > 1]
        report.ours_s += time.perf_counter() - t0
        report.facts += len(facts)
        money_ours = [(f.start, f.end, f.surface) for f in facts if f.unit in CURRENCIES]
        money_theirs, t_money = _timed(lambda t=text: _theirs(jio, t, "money"))
        time_theirs, t_time = _timed(lambda t=text: _theirs(jio, t, "time"))
        report.theirs_s += t_money + t_time
        report.money.add(money_ours, money_theirs)
        report.time.add(periods, time_theirs)
    return report
