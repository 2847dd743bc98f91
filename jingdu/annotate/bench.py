"""``jingdu bench annotate``: annotating posts against jieba segmenting the same posts, in one run,
and the cold time of loading the model and annotating a first article (in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from jingdu.annotate import annotate, load_model
from jingdu.errors import InputError
from jingdu.notation import read_note
from jingdu.segment import words

_COLD = ("import sys, time; t = time.perf_counter(); from jingdu.annotate import annotate, load_model; "
         "from jingdu.notation import read_note; d = read_note(open(sys.argv[1], encoding='utf-8').read()); "
         "annotate(d, load_model(sys.argv[2] if len(sys.argv) > 2 else None)); print(time.perf_counter() - t)")


def bench(corpus: Path, n: int = 300, model_path: str | None = None) -> dict[str, float]:
    """Seconds for jieba and for the annotator over the same ``n`` posts, their ratio, and cold start."""
    files = sorted((corpus / "plain").glob("*.md")) if (corpus / "plain").is_dir() else sorted(corpus.glob("*.md"))
    files = files[:n]
    if not files:
        raise InputError(f"no posts (*.md) under {corpus}")
    docs = [read_note(f.read_text(encoding="utf-8")) for f in files]
    cold = _cold_start(files[0], model_path)
    model = load_model(model_path)
    words("预热")
    annotate(docs[0], model)
    t0 = time.perf_counter()
    for d in docs:
        words(d.text)
    t_jieba = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        annotate(d, model)
    t_ann = time.perf_counter() - t0
    chars = sum(len(d.text) for d in docs)
    return {"posts": len(docs), "chars": chars, "jieba_s": t_jieba, "annotate_s": t_ann,
            "ratio": t_ann / t_jieba if t_jieba else float("inf"), "cold_start_s": cold}


def _cold_start(first: Path, model_path: str | None) -> float:
    cmd = [sys.executable, "-c", _COLD, str(first), *([model_path] if model_path else [])]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    try:
        return float(res.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")
