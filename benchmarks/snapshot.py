"""Snapshot what a restructuring must not change: the annotate output of the stripped corpus notes
and ``extract --json`` of every post.  Run it before and after, then ``diff -r`` the two folders.

    python benchmarks/snapshot.py ../shared OUT_DIR

The stripped notes are made by the referee's own ``strip``; nothing from the corpus is kept in
the repository.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path


def main(shared: Path, out: Path) -> None:
    spec = importlib.util.spec_from_file_location("referee", shared / "eval" / "score.py")
    assert spec and spec.loader
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    stripped = out / "stripped"
    stripped.mkdir(parents=True, exist_ok=True)
    for path in sorted((shared / "corpus" / "annotated").glob("*.md")):
        (stripped / path.name).write_text(ref.strip(path.read_text(encoding="utf-8")), encoding="utf-8")
    jingdu = [sys.executable, "-m", "jingdu"]
    subprocess.run([*jingdu, "annotate", *map(str, sorted(stripped.glob("*.md"))), "-o", str(out / "annotated")],
                   check=True)
    posts = sorted((shared / "corpus" / "annotated").glob("*.md")) + sorted((shared / "corpus" / "plain").glob("*.md"))
    res = subprocess.run([*jingdu, "extract", *map(str, posts), "--json"], capture_output=True, text=True)
    (out / "extract.jsonl").write_text(res.stdout, encoding="utf-8")
    (out / "extract.stderr").write_text(res.stderr, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
