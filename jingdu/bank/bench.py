"""``jingdu bench bank``: a bank of N posts made from copies of a corpus, and what it costs.

The corpus's posts are prepared once (read, extracted, items drawn); copy ``k`` of a post gets its
own URL and title, so every copy is a note of its own.  Then, in one run: the add rate, the bytes
a post takes on disk, the median and 95th percentile CPU time of a fixed set of searches (a
common two-character word, a four-character term, an eight-character phrase, a rare term, a miss)
next to a LIKE scan of the same bank, and the time of the home page's listing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from jingdu import pipeline
from jingdu.bank.items import Prepared
from jingdu.bank.schema import write_tx
from jingdu.bank.store import Bank, prepare_path
from jingdu.bank.write import write_note
from jingdu.pipeline import PipelineOptions

#: The fixed query set: (what it is, the query).
QUERIES: tuple[tuple[str, str], ...] = (
    ("common 2-char word", "发展"), ("4-char term", "乡村振兴"), ("8-char phrase", "推动经济高质量发展"),
    ("rare term", "默想"), ("miss", "量子纠缠"))
ProgressFn = Callable[[int, int], None]


@dataclass
class BenchResult:
    posts: int
    add_seconds: float
    bytes_per_post: float
    search_ms: dict[str, tuple[float, float]]  # query -> (median, p95) CPU ms of its search page
    like_ms: dict[str, tuple[float, float]]
    home_ms: tuple[float, float]
    overall_ms: tuple[float, float] = (0.0, 0.0)  # every search of the fixed set pooled: (median, p95)
    like_overall_ms: tuple[float, float] = (0.0, 0.0)


def prepared_corpus(corpus: Path, progress: ProgressFn | None = None) -> list[Prepared]:
    """Every post of ``corpus`` (annotated/ and plain/), prepared once."""
    files = sorted(str(p) for p in corpus.glob("*/*.md"))
    work = partial(prepare_path, options=PipelineOptions(), replace=False, entries={})
    tick = (lambda done, total, _name: progress(done, total)) if progress else None
    return [o.value for o in pipeline.run_batch(files, work, jobs=pipeline.default_jobs(), progress=tick)
            if o.value is not None]


def copy_of(p: Prepared, k: int) -> Prepared:
    """Copy ``k`` of a prepared post: its own URL and title."""
    meta = p.doc.meta
    doc = p.doc.with_meta(url=f"https://bench.jingdu.invalid/{k}/{meta.id or 'post'}",
                          title=f"{meta.title or p.doc.title}（{k}）")
    return replace(p, doc=doc, source_path="", source_hash="")


def build(bank: Bank, prepared: list[Prepared], n: int, progress: ProgressFn | None = None,
          batch: int = 500) -> float:
    """Add ``n`` posts (copies of ``prepared``) to ``bank``; the seconds it took."""
    start = time.perf_counter()
    done = 0
    while done < n:
        chunk = [copy_of(prepared[(done + i) % len(prepared)], (done + i) // len(prepared))
                 for i in range(min(batch, n - done))]
        with write_tx(bank.con):
            for p in chunk:
                write_note(bank.con, p)
        done += len(chunk)
        if progress:
            progress(done, n)
    return time.perf_counter() - start


def _cpu_ms(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        out.append((time.process_time() - t) * 1000)
    return out


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


Samples = dict[str, list[float]]


def measure(bank: Bank, runs: int = 20) -> tuple[Samples, Samples, list[float]]:
    """CPU ms of each query's search page (terms grouped, sentences, notes: what the workbench and
    ``jingdu search`` show) and LIKE scan, alternating; and of the home page's reads."""
    fts: Samples = {q: [] for _, q in QUERIES}
    like: Samples = {q: [] for _, q in QUERIES}
    for i in range(runs):
        for _, q in QUERIES:
            fts[q] += _cpu_ms(lambda q=q: bank.search_page(q, limit=20), 1)
            if i < max(1, runs // 5):  # the scan is slow: fewer runs, alternating all the same
                like[q] += _cpu_ms(lambda q=q: bank.like_search(q, limit=20), 1)
    home = _cpu_ms(lambda: (bank.recent_notes(20), bank.themes(), bank.sources()), runs)
    return fts, like, home


def run(db: Path, corpus: Path, n: int, progress: ProgressFn | None = None, runs: int = 20,
        preparing: ProgressFn | None = None) -> BenchResult:
    """Build a bank of ``n`` posts at ``db`` (a new file) and measure it."""
    prepared = prepared_corpus(corpus, preparing)
    if not prepared:
        raise ValueError(f"no posts under {corpus}")
    with Bank(db) as bank:
        took = build(bank, prepared, n, progress)
        bank.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(f.stat().st_size for f in db.parent.glob(db.name + "*"))
        search, like, home = measure(bank, runs)
    pooled = [x for v in search.values() for x in v]
    like_pooled = [x for v in like.values() for x in v]
    return BenchResult(n, took, size / n, {q: _summary(v) for q, v in search.items()},
                       {q: _summary(v) for q, v in like.items()}, _summary(home), _summary(pooled),
                       _summary(like_pooled))
