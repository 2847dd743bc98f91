"""Reference bodies for ``jingdu bench ingest`` from the gne project's own answers.

``gne-result.txt`` holds records ``>>>>tests/SITE/PAGE.html>>>>``, a JSON object with the
extractor's title, author, publish_time and content, then ``<<<<``; each content is written as
``OUT/SITE/PAGE.txt`` (a peer's answer, not a hand-made truth).

    python benchmarks/gne_references.py ../shared/pages/gne/gne-result.txt OUT
    jingdu bench ingest ../shared/pages/gne --reference OUT
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jingdu.ingest.bench import references_from_gne_result  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("result", type=Path, help="gne-result.txt")
    ap.add_argument("out", type=Path, help="folder for the reference .txt files")
    args = ap.parse_args(argv)
    written = references_from_gne_result(args.result, args.out)
    print(f"{len(written)} reference files under {args.out}")
    return 0 if written else 1


if __name__ == "__main__":
    raise SystemExit(main())
