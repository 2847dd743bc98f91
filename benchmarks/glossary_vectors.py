"""Word vectors for ``jingdu suggest`` (``jingdu/data/glossary/vectors.npz``): PPMI of jieba words
within 4 words of each other, reduced by SVD, over the corpus posts that are not glossaries
(posts holding exercises — a ``show-text`` answer — or titled …规范词 are left out, so no
exercise or answer shapes the vectors).  Ships words and numbers, no article text.

    python benchmarks/glossary_vectors.py ../shared/corpus -o jingdu/data/glossary/vectors.npz
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils.extmath import randomized_svd

from jingdu.segment import words

HAN = re.compile(r"[\u4e00-\u9fff]")
WINDOW = 4


def sentences(corpus: Path) -> list[list[str]]:
    out = []
    for f in sorted(corpus.glob("*/*.md")):
        t = f.read_text(encoding="utf-8")
        if "show-text" in t or "规范词" in t[:300]:
            continue
        t = re.sub(r"<[^>]+>|\*\*|\{\{.*?\}\}|\(http[^)]*\)", "", t)
        for s in re.split(r"[。！？；\n]", t):
            if len(s.strip()) > 4:
                out.append([w for w in words(s.strip()) if HAN.search(w)])
    return out


def vectors(sents: list[list[str]], dims: int, min_count: int) -> tuple[list[str], np.ndarray]:
    counts = Counter(w for s in sents for w in s)
    vocab = sorted(w for w, c in counts.items() if c >= min_count)
    index = {w: i for i, w in enumerate(vocab)}
    rows: list[int] = []
    cols: list[int] = []
    for s in sents:
        ids = [index[w] for w in s if w in index]
        for i, a in enumerate(ids):
            for j in range(max(0, i - WINDOW), min(len(ids), i + WINDOW + 1)):
                if j != i:
                    rows.append(a)
                    cols.append(ids[j])
    n = len(vocab)
    m = sp.coo_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n)).tocsr().tocoo()
    total = m.sum()
    r = np.asarray(m.tocsr().sum(1)).ravel()
    c = np.asarray(m.tocsr().sum(0)).ravel() ** 0.75
    c = c / c.sum() * total
    pmi = np.log(m.data * total / (r[m.row] * c[m.col]))
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=(n, n))
    u, s, _ = randomized_svd(ppmi, dims, random_state=0)
    x = u * np.sqrt(s)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    return vocab, x.astype(np.float16)


def save(out: Path, vocab: list[str], x: np.ndarray) -> None:
    """The words as one UTF-8 text, the vectors as int8 with a scale per word (a quarter of float32)."""
    x = x.astype(np.float32)
    scale = np.abs(x).max(axis=1) + 1e-9
    q = np.rint(x / scale[:, None] * 127).astype(np.int8)
    np.savez_compressed(out, words=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                        vectors=q, scale=scale.astype(np.float16))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--out", type=Path, required=True)
    ap.add_argument("--dims", type=int, default=96)
    ap.add_argument("--min-count", type=int, default=4)
    args = ap.parse_args()
    vocab, x = vectors(sentences(args.corpus), args.dims, args.min_count)
    save(args.out, vocab, x)
    print(f"{len(vocab)} words × {x.shape[1]} dims -> {args.out}")


if __name__ == "__main__":
    main()
