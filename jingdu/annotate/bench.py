"""``jingdu bench annotate``: annotating posts against jieba segmenting the same posts, in CPU time.

Three figures: (1) CPU time (``time.process_time``) per post, jieba and the annotator alternating
post by post in one process, so that the machine's load falls on both alike; (2) the whole-process
ratio: a fresh interpreter that reads the posts and segments them with jieba, against one that
reads them and annotates them (imports and model load included), each its own CPU time; (3) the
cold time of loading the model and annotating a first article in a fresh interpreter."""

from __future__ import annotations

import json
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
         "t1 = time.perf_counter(); annotate(d, load_model(sys.argv[2] if len(sys.argv) > 2 else None)); "
         "t2 = time.perf_counter(); print(t2 - t1, t2 - t)")
#: A whole process: read the posts (paths on stdin), then segment them (``jieba``) or annotate them.
_WHOLE = ("import sys, time\n"
          "from jingdu.notation import read_note\n"
          "docs = [read_note(open(p, encoding='utf-8').read()) for p in sys.stdin.read().split('\\n') if p]\n"
          "if sys.argv[1] == 'jieba':\n"
          "    from jingdu.segment import words\n"
          "    for d in docs: words(d.text)\n"
          "else:\n"
          "    from jingdu.annotate import annotate, load_model\n"
          "    m = load_model(sys.argv[2] if len(sys.argv) > 2 else None)\n"
          "    for d in docs: annotate(d, m)\n"
          "print(time.process_time())\n")


def bench(corpus: Path, n: int = 300, model_path: str | None = None, whole: bool = True) -> dict[str, float]:
    """CPU seconds for jieba and for the annotator over the same ``n`` posts (alternating), their
    ratio, the whole-process CPU times and their ratio, and the cold start."""
    files = sorted((corpus / "plain").glob("*.md")) if (corpus / "plain").is_dir() else sorted(corpus.glob("*.md"))
    files = files[:n]
    if not files:
        raise InputError(f"no posts (*.md) under {corpus}")
    docs = [read_note(f.read_text(encoding="utf-8")) for f in files]
    cold, cold_all = _cold_start(files[0], model_path)
    model = load_model(model_path)
    words("预热")
    annotate(docs[0], model)
    t_jieba = t_ann = 0.0
    for d in docs:
        t0 = time.process_time()
        words(d.text)
        t1 = time.process_time()
        annotate(d, model)
        t2 = time.process_time()
        t_jieba += t1 - t0
        t_ann += t2 - t1
    chars = sum(len(d.text) for d in docs)
    out = {"posts": len(docs), "chars": chars, "jieba_s": t_jieba, "annotate_s": t_ann,
           "jieba_ms_per_post": 1000 * t_jieba / len(docs), "annotate_ms_per_post": 1000 * t_ann / len(docs),
           "ratio": t_ann / t_jieba if t_jieba else float("inf"), "cold_start_s": cold,
           "cold_with_imports_s": cold_all}
    if whole:
        pj = _whole("jieba", files, model_path)
        pa = _whole("annotate", files, model_path)
        out.update({"process_jieba_s": pj, "process_annotate_s": pa,
                    "process_ratio": pa / pj if pj else float("inf")})
    return out


def _whole(kind: str, files: list[Path], model_path: str | None) -> float:
    cmd = [sys.executable, "-c", _WHOLE, kind, *([model_path] if model_path else [])]
    res = subprocess.run(cmd, input="\n".join(map(str, files)), capture_output=True, text=True, timeout=1200,
                         check=False)
    try:
        return float(res.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")


def _cold_start(first: Path, model_path: str | None) -> tuple[float, float]:
    """Wall seconds of loading the model and annotating a first article in a fresh interpreter,
    and the same with the imports."""
    cmd = [sys.executable, "-c", _COLD, str(first), *([model_path] if model_path else [])]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    try:
        a, b = res.stdout.strip().splitlines()[-1].split()
        return float(a), float(b)
    except (ValueError, IndexError):
        return float("nan"), float("nan")


def dumps(result: dict[str, float]) -> str:
    return json.dumps(result, ensure_ascii=False)
