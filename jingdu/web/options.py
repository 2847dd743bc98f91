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
    #: Let the server fetch URLs on this machine or a private network (refused by default).
    allow_private_fetch: bool = False
    #: Seconds a whole URL fetch may take (connect, redirects, every byte).
    fetch_timeout: float = 15.0
    #: URL fetches at once (per process); one more is answered 503 at once.
    max_fetches: int = 4
    #: Longest note text read from a paste, file or URL (characters); a longer one is answered 413.
    max_text: int = 200_000
    #: Host header names answered (None: any); ``jingdu serve`` sets those it was started for.
    allowed_hosts: frozenset[str] | None = frozenset({"127.0.0.1", "localhost", "::1"})
    #: The token every request must carry (cookie or header); ``jingdu serve`` sets one whenever it
    #: listens beyond loopback.
    token: str | None = None
    #: Notes shown on the home page.
    recent: int = 20
    #: Hits shown by a search.
    search_limit: int = 50
    #: Cards shown per review session page.
    review_batch: int = 20
    #: Newly corrected notes after which a personal model is trained in the background.
    personal_every: int = 5
    #: Threads for heavy work (reading, annotating, storing, exporting) …
    workers: int = 2
    #: … and jobs that may wait for one; past that a request is answered 503 ``busy``.
    queue: int = 8
    #: Seconds a heavy job may take before its request is answered 503 ``timeout``.
    work_timeout: float = 120.0
    #: Seconds one call may keep the bank (a statement past it is interrupted).
    bank_timeout: float = 30.0


DEFAULT_WEB_OPTIONS = WebOptions()
