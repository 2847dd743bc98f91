"""Fit the shipped ranker of ``jingdu suggest`` (``jingdu/data/glossary/ranker.json``) on every
exercise of the glossary posts (``jingdu eval glossary`` refits it without the scored post).

    python benchmarks/glossary_ranker.py ../shared/corpus/plain/p428.md … -o jingdu/data/glossary/ranker.json
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jingdu.fsutil import write_atomic
from jingdu.glossary.evaluate import fit_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("posts", nargs="+")
    ap.add_argument("-o", "--out", type=Path, required=True)
    args = ap.parse_args()
    write_atomic(args.out, fit_all(args.posts).to_json())
    print(f"ranker -> {args.out}")


if __name__ == "__main__":
    main()
