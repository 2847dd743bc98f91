"""The workbench learns its user: corrections train a personal model in the background.

Every change of a note's marks wakes :class:`Trainer`; once ``every`` notes have been corrected
since the latest model learnt (default 5, :attr:`jingdu.web.WebOptions.personal_every`), it trains
a new one — in a child process, one training at a time, never on a request's path — and the bank
stores it as the next version (:mod:`jingdu.bank.models`).  A training that fails or is killed
stores nothing: the previous model stays in use.  New suggestions come from the personal model
(the layers where it beats the default on the user's notes under grouped cross-validation) while
the user keeps it chosen; the page ``/personal`` shows both figures per layer and switches back.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from jingdu.bank import models
from jingdu.errors import InvalidRequest, JingduError
from jingdu.model import Doc
from jingdu.web.templating import page

log = logging.getLogger("jingdu.web")
router = APIRouter()


def _train_in_child(db_path: str) -> None:
    """The child process: train from the bank at ``db_path`` and store the model; a domain error
    (kept in the bank by the training) ends it with code 1 and no traceback."""
    try:
        models.train_path(db_path)
    except JingduError as exc:
        log.warning("personal model not trained: %s", exc)
        raise SystemExit(1) from None


class Trainer:
    """Background training of the bank's personal model and the suggestions it makes.

    ``train`` is what one training runs (default: a spawned child process over the bank file);
    tests pass a function to make it fail or to run in the thread."""

    def __init__(self, db_path: str | Path, every: int = 5, train: Callable[[str], None] | None = None) -> None:
        self.db_path = str(db_path)
        self.every = max(1, every)
        self.train_fn = train or self._spawn
        self.bank = models.PersonalModels(self.db_path)
        self._one = threading.Lock()  # one training at a time
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.training = False
        self.last_error = ""
        self._cache: tuple[tuple[int, str], Any] | None = None

    # -- the bank --------------------------------------------------------------------------------
    def pending(self) -> int:
        return self.bank.pending()

    def status(self) -> dict[str, Any]:
        last = self.bank.latest()
        return {"training": self.training, "every": self.every, "pending": self.pending(),
                "use": self.bank.choice(), "error": self.last_error or self.bank.error(),
                "latest": last.to_dict() if last else None, "in_use": self.model_in_use(),
                "versions": self.bank.versions()}

    def choose(self, which: str) -> None:
        self.bank.set_choice(which)

    def active(self) -> Any | None:
        """The personal model new suggestions come from (None: the default), cached by version."""
        key = self.bank.key()
        if self._cache is None or self._cache[0] != key:
            try:
                model = self.bank.active()
            except (JingduError, ValueError) as exc:
                log.warning("personal model not used: %s", exc)
                model = None
            self._cache = (key, model)
        return self._cache[1]

    def model_in_use(self) -> str:
        model = self.active()
        return f"personal ({', '.join(model.used)})" if model is not None else "default"

    def annotate(self, doc: Doc, fallback: Callable[[Doc], Doc] | None = None) -> Doc:
        """``doc`` with suggestions from the personal model, else ``fallback`` (else the default)."""
        model = self.active()
        if model is None:
            if fallback is not None:
                return fallback(doc)
            from jingdu.annotate import annotate

            return annotate(doc)
        from jingdu.annotate import load_model
        from jingdu.annotate.personal import annotate_personal

        return annotate_personal(doc, load_model(), model)

    # -- training --------------------------------------------------------------------------------
    def corrected(self) -> None:
        """A note's marks changed: the worker looks whether enough notes are new."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="jingdu-personal", daemon=True)
            self._thread.start()
        self._wake.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                if self.pending() >= self.every:
                    self.train_now()
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any one failure
                log.warning("personal model: %s", exc)

    def train_now(self) -> bool:
        """Train once (waits for a training already running); True when a new model was stored."""
        with self._one:
            before = self.bank.latest()
            self.training = True
            try:
                self.train_fn(self.db_path)
                self.last_error = ""
            except Exception as exc:  # noqa: BLE001 - a failed training leaves the previous model
                self.last_error = str(exc)
                log.warning("personal model training failed: %s", exc)
            finally:
                self.training = False
            after = self.bank.latest()
        return after is not None and (before is None or after.version != before.version)

    def _spawn(self, db_path: str) -> None:
        proc = multiprocessing.get_context("spawn").Process(target=_train_in_child, args=(db_path,),
                                                            name="jingdu-personal-train")
        proc.start()
        proc.join()
        if proc.exitcode != 0:
            error = self.bank.error()
            raise RuntimeError(error or f"the training process ended with code {proc.exitcode}")


def trainer_of(request: Request) -> Trainer:
    return request.app.state.personal  # type: ignore[no-any-return]


def corrected(request: Request) -> None:
    """Tell the app's trainer that a note's marks changed (no-op without one)."""
    trainer = getattr(request.app.state, "personal", None)
    if trainer is not None:
        trainer.corrected()


# -- routes ------------------------------------------------------------------------------------------
class UseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    use: str


@router.get("/api/personal", summary="The personal model: its figures per layer, versions, and which model is used")
def personal_json(request: Request) -> dict[str, Any]:
    return trainer_of(request).status()


@router.post("/api/personal/use", summary="Use the personal model (where it beats the default) or the default")
def personal_use(request: Request, body: Annotated[UseIn, Body()]) -> dict[str, Any]:
    _choose(request, body.use)
    return trainer_of(request).status()


@router.post("/api/personal/train", status_code=202, summary="Train a personal model now, in the background")
def personal_train(request: Request) -> JSONResponse:
    trainer = trainer_of(request)
    threading.Thread(target=trainer.train_now, name="jingdu-personal-now", daemon=True).start()
    return JSONResponse({"training": True}, status_code=202)


def _choose(request: Request, which: str) -> None:
    if which not in models.CHOICES:
        raise InvalidRequest(f"use one of {', '.join(models.CHOICES)}")
    trainer_of(request).choose(which)


@router.get("/personal", response_class=HTMLResponse, include_in_schema=False)
def personal_page(request: Request) -> HTMLResponse:
    return page(request, "personal.html", status_info=trainer_of(request).status(), layers=models.SCORED_LAYERS,
                nav="personal")


@router.post("/personal/use", include_in_schema=False)
def personal_use_form(request: Request, csrf: Annotated[str, Form()] = "",
                      use: Annotated[str, Form()] = "") -> Response:
    from jingdu.web.pages import check_form

    check_form(request, csrf)
    _choose(request, use)
    return RedirectResponse("/personal", status_code=303)


@router.post("/personal/train", include_in_schema=False)
def personal_train_form(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    from jingdu.web.pages import check_form

    check_form(request, csrf)
    trainer = trainer_of(request)
    threading.Thread(target=trainer.train_now, name="jingdu-personal-now", daemon=True).start()
    return RedirectResponse("/personal", status_code=303)
