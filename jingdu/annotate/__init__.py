"""Stage annotate: mark an article the way the corpus's close reader does.

``annotate(doc)`` adds ``origin="model"`` spans in the ``highlight``, ``bold`` and ``red`` layers
(the words never change; existing marks are kept unless ``replace=True``).  ``train(docs)``
learns a model from annotated notes, ``save_model``/``load_model`` store it as JSON (no
pickle), and :mod:`jingdu.annotate.evaluate` cross-validates it grouped by article.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from jingdu.annotate.annotator import Model, annotate_with, cached_model, predict
from jingdu.annotate.lexicon import mine_terms
from jingdu.errors import ModelError
from jingdu.fsutil import write_atomic
from jingdu.model import SCORED_LAYERS, Doc

__all__ = ["DEFAULT_MODEL", "Model", "annotate", "evaluate_files", "load_model", "mine_terms", "predict",
           "save_model", "train", "train_files"]

#: The model shipped with the package.
DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "data" / "annotator"
MODEL_FILE = "model.json"


def _model_file(path: str | Path) -> Path:
    p = Path(path)
    return p / MODEL_FILE if p.is_dir() or not p.suffix else p


#: Models loaded, by file: (path, modification time, size) -> model.
_LOADED: dict[tuple[str, int, int], Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file (or a directory holding ``model.json``); the shipped one by default.

    A file is read and parsed once while its modification time and size stay the same."""
    f = _model_file(path or DEFAULT_MODEL)
    try:
        st = f.stat()
        key = (str(f.resolve()), st.st_mtime_ns, st.st_size)
        hit = _LOADED.get(key)
        if hit is not None:
            return hit
        text = f.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"cannot read model {f}: {exc.strerror or exc}") from exc
    try:
        model = cached_model(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{f} is not a jingdu annotator model: {exc}") from exc
    if len(_LOADED) >= 4:
        _LOADED.clear()
    _LOADED[key] = model
    return model


def save_model(model: Model, path: str | Path) -> Path:
    """Write ``model`` as JSON to ``path`` (a directory gets ``model.json``)."""
    return write_atomic(_model_file(path), model.dumps())


def train(docs: Iterable[Doc], mined: Counter[str] | None = None, *, folds: int = 4,
          posts: Iterable[str] = ()) -> Model:
    """Learn a model from annotated notes; ``mined`` are candidate terms counted in unmarked posts,
    ``posts`` the unmarked posts' texts (for the highlight wording table)."""
    from jingdu.annotate.training import TrainOptions
    from jingdu.annotate.training import train as _train

    return _train(docs, mined, TrainOptions(folds=folds), list(posts))


def annotate(doc: Doc, model: Model | None = None, *, replace: bool = False, explain: bool = False) -> Doc:
    """``doc`` with the model's highlight, bold and red marks (``origin="model"``)."""
    return annotate_with(doc, model or load_model(), replace=replace, explain=explain)


def explain_report(doc: Doc) -> list[dict[str, object]]:
    """For each model mark: layer, text and why it was made (needs ``annotate(..., explain=True)``)."""
    return [{"layer": sp.layer, "start": sp.start, "end": sp.end, "text": doc.span_text(sp), "why": sp.note}
            for sp in sorted(doc.all_spans(), key=lambda s: (s.start, s.layer))
            if sp.origin == "model" and sp.layer in SCORED_LAYERS]


def dumps_report(doc: Doc) -> str:
    return json.dumps({"title": doc.title, "marks": explain_report(doc)}, ensure_ascii=False, indent=1)


def read_notes(paths: Iterable[str | Path]) -> list[Doc]:
    """Annotated notes (any input ``jingdu.ingest.load`` reads), in order."""
    from jingdu.ingest import load

    return [load(str(p)) for p in paths]


def read_posts(paths: Iterable[str | Path]) -> list[str]:
    """Texts of unmarked posts (files or directories of ``.md``)."""
    texts: list[str] = []
    for p in map(Path, paths):
        files = sorted(p.glob("*.md")) if p.is_dir() else [p]
        texts.extend(f.read_text(encoding="utf-8", errors="replace") for f in files)
    return texts


def mine_files(paths: Iterable[str | Path], docs: Iterable[Doc] = (), posts: list[str] | None = None) -> Counter[str]:
    """Candidate terms mined from unmarked posts (files or directories of ``.md``) and ``docs``."""
    return mine_terms([d.text for d in docs] + (read_posts(paths) if posts is None else posts))


def train_files(notes: Iterable[str | Path], out: str | Path, mine: Iterable[str | Path] = (),
                folds: int = 4) -> Model:
    """Read notes, mine terms from them and from ``mine``, train, and save the model to ``out``."""
    docs = read_notes(notes)
    posts = read_posts(mine)
    model = train(docs, mine_files(mine, docs, posts), folds=folds, posts=posts)
    save_model(model, out)
    return model


def evaluate_files(notes: Iterable[str | Path], folds: int = 5, mine: Iterable[str | Path] = (),
                   repeats: int = 1, progress: Callable[[int, int], None] | None = None) -> dict[str, object]:
    """Grouped cross-validation of the annotator on ``notes`` next to the baselines, on
    ``repeats`` different splits; candidate terms are mined inside each fold (from its training
    notes and the posts of ``mine``), and every score is also given for 申论 pages and the others."""
    from jingdu.annotate.evaluate import repeated

    notes = list(notes)
    docs = read_notes(notes)
    if len(docs) < 2:
        raise ModelError("cross-validation needs at least two notes")
    posts = read_posts(mine)
    return repeated(docs, folds, repeats, None, posts, progress, groups=note_groups(notes, docs))


#: The group of notes reported apart in ``jingdu eval``: topic pages of 申论 exam preparation.
SHENLUN = "申论"


def note_groups(notes: Iterable[str | Path], docs: Iterable[Doc]) -> list[str]:
    """``申论`` or ``other`` per note: a note is a 申论 page when its categories (its own, or those
    of its entry in a ``manifest.jsonl`` beside the notes' folder or in it) include 申论."""
    cats: dict[str, list[str]] = {}
    for p in {Path(n).resolve().parent for n in notes}:
        for m in (p / "manifest.jsonl", p.parent / "manifest.jsonl"):
            if m.is_file():
                for line in m.read_text(encoding="utf-8").splitlines():
                    try:
                        row = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(row, dict) and row.get("file"):
                        cats[(m.parent / str(row["file"])).resolve().as_posix()] = list(row.get("categories") or [])
    out = []
    for n, d in zip(notes, docs, strict=True):
        c = cats.get(Path(n).resolve().as_posix(), list(d.meta.categories))
        out.append(SHENLUN if SHENLUN in c else "other")
    return out
