"""Time the workbench's pages over a filled bank, one request at a time (wall time, as a reader
waits): the home page and the search page of each query of ``jingdu bench bank``'s fixed set,
next to the same search done as a LIKE scan of the bank in the same run.

    jingdu bank add COPY0 COPY1 … --db BANK        # e.g. 5 copies of the corpus (3,420 posts)
    python benchmarks/workbench_pages.py BANK [--runs 20]

Prints the median and p95 of each page, the bank's bytes a post and the notes it holds.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from jingdu.bank import Bank
from jingdu.bank.bench import QUERIES
from jingdu.web import WebOptions, create_app


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bank", type=Path)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with Bank(args.bank) as bank:
        notes = bank.stats()["notes"]
        bank.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(f.stat().st_size for f in args.bank.parent.glob(args.bank.name + "*"))
    app = create_app(args.bank, WebOptions(annotate=False))
    port = _port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    pages = {"home": "/", **{f"search {q}": f"/search?q={q}" for _, q in QUERIES}}
    times: dict[str, list[float]] = {name: [] for name in pages}
    like: dict[str, list[float]] = {q: [] for _, q in QUERIES}
    with httpx.Client(base_url=base, timeout=60) as client, Bank(args.bank) as bank:
        for path in pages.values():  # warm: templates compiled, pages cached by the OS
            client.get(path)
        for i in range(args.runs):
            for name, path in pages.items():
                start = time.perf_counter()
                r = client.get(path)
                times[name].append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            if i < max(1, args.runs // 5):
                for _, q in QUERIES:
                    start = time.perf_counter()
                    bank.like_search(q, limit=20)
                    like[q].append((time.perf_counter() - start) * 1000)
    srv.should_exit = True
    print(f"{notes} notes, {size / notes / 1024:.1f} KB a post on disk")
    print(f"{'page':28} {'median':>8} {'p95':>8}   LIKE scan median")
    for name, samples in times.items():
        m, p = _summary(samples)
        q = name.removeprefix("search ")
        base_ms = f"{statistics.median(like[q]):10.1f} ms" if q in like else ""
        print(f"{name:28} {m:6.1f} ms {p:6.1f} ms   {base_ms}")


if __name__ == "__main__":
    main()
