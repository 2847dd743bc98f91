"""Rebuild jingdu/data/terms.tsv from the shared corpus.

    python benchmarks/build_terms.py [CORPUS_DIR]

Rows: every red mark of ``annotated/`` and quoted coinages found in at least three ``plain/``
posts (see :func:`jingdu.extract.terms.build_lexicon`).  A term table, not article text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jingdu.extract.terms import DATA_DIR, LEXICON_FILE, build_lexicon, write_lexicon


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    corpus = Path(argv[0]) if argv else root.parent / "shared" / "corpus"
    rows = build_lexicon(corpus)
    write_lexicon(rows, DATA_DIR / LEXICON_FILE)
    print(f"{len(rows)} terms written to {DATA_DIR / LEXICON_FILE}")


if __name__ == "__main__":
    main(sys.argv[1:])
