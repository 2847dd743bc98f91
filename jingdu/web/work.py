"""Heavy work (reading, annotating and storing a note, exports) off the event loop.

The server's event loop only routes requests and serves static files; a request that reads,
annotates, extracts or exports hands its work to a :class:`WorkPool`: ``workers`` threads and
at most ``queue`` more jobs waiting.  Past that bound the request is answered at once with
503 ``busy`` ("try again"), in the one error shape; a job that runs past ``timeout`` seconds is
answered 503 ``timeout`` (the job itself finishes in its thread: a note being stored is stored).

The bank's own work has a limit too: the store runs each call under
:meth:`jingdu.bank.Bank.deadline`, which interrupts a statement that runs past it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from fastapi import Request

from jingdu.errors import JingduError

T = TypeVar("T")


class Busy(JingduError):
    """Every worker is busy and the queue is full: try again."""

    code = "busy"
    status = 503


class TooSlow(JingduError):
    """The request's work ran past its time limit."""

    code = "timeout"
    status = 503


class WorkPool:
    """``workers`` threads for heavy work, at most ``queue`` jobs waiting, ``timeout`` seconds a job."""

    def __init__(self, workers: int = 2, queue: int = 8, timeout: float = 120.0) -> None:
        self.workers, self.queue, self.timeout = workers, queue, timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="jingdu-work")
        self.slots = threading.BoundedSemaphore(workers + queue)

    async def run(self, fn: Callable[[], T]) -> T:
        """``fn()`` in a worker thread; :class:`Busy` past the bound, :class:`TooSlow` past the limit."""
        if not self.slots.acquire(blocking=False):
            raise Busy(f"the workbench is busy ({self.workers} jobs running, {self.queue} waiting); "
                       "try again in a moment")
        try:
            future = self.pool.submit(fn)
        except BaseException:
            self.slots.release()
            raise
        future.add_done_callback(lambda _f: self.slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout)
        except TimeoutError:
            raise TooSlow(f"the work took longer than {self.timeout:g} s; it goes on, try again later") from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def pool_of(request: Request) -> WorkPool:
    """The work pool of the app serving ``request``."""
    return request.app.state.work  # type: ignore[no-any-return]
