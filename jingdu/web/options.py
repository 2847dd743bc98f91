"""Tunables of the web workbench."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jingdu.model import Doc


@dataclass(frozen=True)
class WebOptions:
    """Options of :func:`jingdu.web.create_app`."""

    #: Largest request body accepted (bytes); a larger one is answered 413.
    max_body: int = 5 * 1024 * 1024
    #: Run the annotator on ingested notes (its marks are shown as suggestions).
    annotate: bool = True
    #: The annotator to use instead of ``jingdu.annotate.annotate`` (tests, other models).
    annotator: Callable[[Doc], Doc] | None = None
    #: Allow ingesting from a URL (the server fetches it).
    allow_url: bool = True
    #: Notes shown on the home page.
    recent: int = 20
    #: Hits shown by a search.
    search_limit: int = 50
    #: Cards shown per review session page.
    review_batch: int = 20
    #: Threads for heavy work (reading, annotating, storing, exporting) …
    workers: int = 2
    #: … and jobs that may wait for one; past that a request is answered 503 ``busy``.
    queue: int = 8
    #: Seconds a heavy job may take before its request is answered 503 ``timeout``.
    work_timeout: float = 120.0
    #: Seconds one call may keep the bank (a statement past it is interrupted).
    bank_timeout: float = 30.0


DEFAULT_WEB_OPTIONS = WebOptions()
