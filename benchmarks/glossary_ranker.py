"""Fit the shipped rankers of ``jingdu suggest`` — the logistic (``jingdu/data/glossary/ranker.json``)
and the boosted one (``jingdu/data/glossary/booster.txt``) — on every exercise of the glossary posts
(``jingdu eval glossary`` refits them without the scored post).  With ``--encoder``, the pair for
the features with the installed sentence encoder's (``ranker-encoder.json``, ``booster-encoder.txt``;
see ``jingdu/glossary/encoder.py``).

    python benchmarks/glossary_ranker.py ../shared/corpus/plain/p428.md … -o jingdu/data/glossary/ranker.json \
        --booster jingdu/data/glossary/booster.txt
    python benchmarks/glossary_ranker.py ../shared/corpus/plain/p428.md … --encoder \
        -o jingdu/data/glossary/ranker-encoder.json --booster jingdu/data/glossary/booster-encoder.txt
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
    ap.add_argument("--booster", type=Path, required=True)
    ap.add_argument("--encoder", action="store_true", help="fit for the features with the sentence encoder's")
    args = ap.parse_args()
    ranker, booster = fit_all(args.posts, encoder=args.encoder)
    write_atomic(args.out, ranker.to_json(encoder=args.encoder))
    write_atomic(args.booster, booster.model)
    print(f"rankers -> {args.out}, {args.booster}")


if __name__ == "__main__":
    main()
