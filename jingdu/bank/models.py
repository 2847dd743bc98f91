"""Personal models in the bank: the user's corrections as training data, and the models trained on
them, by version.

Every note the user has corrected in the workbench (a suggestion accepted or rejected, a mark
added) and every note added with marks of its own is a training note: the note as the user sees it
(:meth:`jingdu.bank.Bank.get_doc`), with where its marks came from (``accepted``, ``rejected``,
``added``, ``marked`` in the note as read).  :func:`train_from_bank` trains a personal model on
them (:mod:`jingdu.annotate.personal`) and stores it as a new version in ``personal_models``
with the notes it learnt from and its scores; the previous versions stay, so a training that
fails or is killed leaves the last good model in use.  ``personal_settings`` (both tables made by
the schema's step 5) holds the user's choice (``personal`` — used while it beats the default on
their notes — or ``default``) and the last training's error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from jingdu.bank.provenance import provenance
from jingdu.bank.schema import connect, write_tx
from jingdu.bank.write import load_stored, now_iso
from jingdu.errors import ModelError
from jingdu.model import SCORED_LAYERS, Doc

T = TypeVar("T")
CHOICES = ("personal", "default")
#: Training notes needed before a personal model is trained at all.
MIN_NOTES = 2


@dataclass(frozen=True)
class TrainingNote:
    """One note the user corrected or marked: as they see it, and where its marks came from."""

    id: int
    doc: Doc
    fingerprint: str
    provenance: dict[str, int]


@dataclass(frozen=True)
class StoredModel:
    version: int
    created_at: str
    base: str
    notes: list[dict[str, Any]]
    scores: dict[str, dict[str, float]]
    model: str

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "created_at": self.created_at, "notes": len(self.notes),
                "scores": self.scores, "provenance": totals(self.notes)}


def totals(notes: list[dict[str, Any]]) -> dict[str, int]:
    out = {"accepted": 0, "rejected": 0, "added": 0, "marked": 0}
    for n in notes:
        for k in out:
            out[k] += int(n.get(k, 0))
    return out


# -- training data ---------------------------------------------------------------------------------
def _fingerprint(doc: Doc, rejected: tuple[tuple[str, int, int], ...]) -> str:
    marks = sorted((s.layer, s.start, s.end, s.origin) for s in doc.all_spans()
                   if s.layer in SCORED_LAYERS and s.origin in ("user", "note"))
    raw = json.dumps([marks, sorted(r for r in rejected if r[0] in SCORED_LAYERS), len(doc.text)])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


#: Only the notes with a user's mark, a rejection or a mark of their own (``notes.trained_marks``,
#: kept by :mod:`jingdu.bank.write`): a bank of 100,000 unmarked posts is not unpacked per training.
_CANDIDATES = "SELECT id, doc FROM notes WHERE trained_marks > 0 ORDER BY id"


def training_notes(con: sqlite3.Connection) -> list[TrainingNote]:
    """Every note the user corrected in a scored layer, or added with its own marks."""
    from jingdu.bank.items import shown

    out = []
    for row in con.execute(_CANDIDATES).fetchall():
        doc, rejected = load_stored(row["doc"])
        prov = provenance(doc, rejected)
        if not any(prov.values()):
            continue
        out.append(TrainingNote(int(row["id"]), shown(doc, rejected), _fingerprint(doc, rejected), prov))
    return out


# -- stored models ---------------------------------------------------------------------------------
def _row(r: sqlite3.Row) -> StoredModel:
    return StoredModel(int(r["version"]), r["created_at"], r["base"], json.loads(r["notes"]),
                       json.loads(r["scores"]), r["model"])


def latest(con: sqlite3.Connection) -> StoredModel | None:
    r = con.execute("SELECT * FROM personal_models ORDER BY version DESC LIMIT 1").fetchone()
    return _row(r) if r else None


def versions(con: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = con.execute("SELECT * FROM personal_models ORDER BY version DESC").fetchall()
    return [_row(r).to_dict() for r in rows]


def setting(con: sqlite3.Connection, key: str, default: str = "") -> str:
    r = con.execute("SELECT value FROM personal_settings WHERE key = ?", (key,)).fetchone()
    return str(r[0]) if r else default


def set_setting(con: sqlite3.Connection, key: str, value: str) -> None:
    with write_tx(con):
        con.execute("INSERT INTO personal_settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def choice(con: sqlite3.Connection) -> str:
    """``personal`` (the default: the personal model is used where it beats the default) or ``default``."""
    return setting(con, "use", "personal")


def set_choice(con: sqlite3.Connection, value: str) -> None:
    if value not in CHOICES:
        raise ModelError(f"choose one of {', '.join(CHOICES)}, not {value!r}")
    set_setting(con, "use", value)


def save(con: sqlite3.Connection, model: Any, notes: list[TrainingNote]) -> int:
    """Store ``model`` (a :class:`jingdu.annotate.personal.Personal`) as the next version."""
    rows = [{"note": n.id, "fingerprint": n.fingerprint, **n.provenance} for n in notes]
    scores = {k: {**v.scores, "use": v.use} for k, v in model.layers.items()}
    with write_tx(con):
        version = int(con.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM personal_models").fetchone()[0])
        con.execute("INSERT INTO personal_models (version, created_at, base, notes, scores, model) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (version, now_iso(), model.base_id, json.dumps(rows), json.dumps(scores), model.dumps()))
        con.execute("DELETE FROM personal_settings WHERE key = 'error'")
    return version


def pending(con: sqlite3.Connection, notes: list[TrainingNote] | None = None) -> int:
    """Training notes new or changed since the latest model learnt from them."""
    notes = training_notes(con) if notes is None else notes
    last = latest(con)
    seen = {(int(n["note"]), n["fingerprint"]) for n in last.notes} if last else set()
    return sum(1 for n in notes if (n.id, n.fingerprint) not in seen)


# -- training and use ------------------------------------------------------------------------------
def train_from_bank(con: sqlite3.Connection, base_path: str | None = None) -> int:
    """Train a personal model on the bank's training notes and store it; returns its version.

    Raises :class:`ModelError` when there are too few notes or training fails; the error is kept
    (``personal_settings.error``) and the previous model stays in use."""
    from jingdu.annotate import load_model
    from jingdu.annotate.personal import train_personal

    notes = training_notes(con)
    if len(notes) < MIN_NOTES:
        msg = f"a personal model needs at least {MIN_NOTES} corrected notes; the bank has {len(notes)}"
        set_setting(con, "error", f"{now_iso()}: {msg}")
        raise ModelError(msg)
    try:
        model = train_personal(load_model(base_path), [n.doc for n in notes])
    except (ValueError, ArithmeticError, MemoryError) as exc:
        set_setting(con, "error", f"{now_iso()}: {exc}")
        raise ModelError(f"training the personal model failed: {exc}") from exc
    return save(con, model, notes)


def active(con: sqlite3.Connection, base_path: str | None = None) -> Any | None:
    """The personal model new suggestions come from, or None for the default: the latest version
    while the user chose it, it corrects the current default model and one of its layers beats
    the default on the user's notes."""
    from jingdu.annotate import load_model
    from jingdu.annotate.personal import Personal, base_id

    last = latest(con)
    if last is None or choice(con) != "personal":
        return None
    model = Personal.loads(last.model)
    if not model.used or model.base_id != base_id(load_model(base_path)):
        return None
    return model


class PersonalModels:
    """The personal models of the bank at ``path`` through a connection of their own (the
    workbench's trainer thread uses it beside the store's), every call under one lock."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self.con = connect(self.path)
        self.lock = threading.Lock()

    def _do(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self.lock:
            return fn(self.con)

    def pending(self) -> int:
        return self._do(pending)

    def latest(self) -> StoredModel | None:
        return self._do(latest)

    def versions(self) -> list[dict[str, Any]]:
        return self._do(versions)

    def choice(self) -> str:
        return self._do(choice)

    def set_choice(self, value: str) -> None:
        self._do(lambda c: set_choice(c, value))

    def error(self) -> str:
        return self._do(lambda c: setting(c, "error"))

    def key(self) -> tuple[int, str]:
        """What decides the model in use: the latest version and the user's choice."""
        return self._do(lambda c: (int(c.execute("SELECT COALESCE(MAX(version), 0) FROM personal_models")
                                       .fetchone()[0]), choice(c)))

    def active(self) -> Any | None:
        return self._do(active)

    def close(self) -> None:
        self.con.close()


def train_path(db_path: str) -> int:
    """:func:`train_from_bank` on the bank file at ``db_path`` (a worker process's entry point)."""
    con = connect(db_path)
    try:
        return train_from_bank(con)
    finally:
        con.close()


def personal_annotator(db_path: str | os.PathLike[str] | None = None, replace: bool = False) -> Callable[[Doc], Doc]:
    """An annotator (``Doc -> Doc``, picklable for worker processes) with the bank's latest
    personal model; :class:`ModelError` when the bank has none or it corrects another default."""
    from functools import partial

    from jingdu.annotate import load_model
    from jingdu.annotate.personal import annotate_text, base_id, loads_cached
    from jingdu.bank.schema import default_path

    con = connect(db_path or default_path())
    try:
        last = latest(con)
    finally:
        con.close()
    if last is None:
        raise ModelError("the bank has no personal model yet: `jingdu train --from-bank` trains one")
    if loads_cached(last.model).base_id != base_id(load_model()):
        raise ModelError("the bank's personal model corrects another default model: `jingdu train --from-bank` again")
    return partial(annotate_text, model_text=last.model, replace=replace)


def train_bank(db_path: str | os.PathLike[str] | None = None) -> StoredModel:
    """Train a personal model from the bank (default: the user's bank) and return it as stored."""
    from jingdu.bank.schema import default_path

    con = connect(db_path or default_path())
    try:
        train_from_bank(con)
        last = latest(con)
    finally:
        con.close()
    assert last is not None
    return last
