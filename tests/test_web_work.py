"""The workbench stays answerable: heavy work runs in a bounded pool off the event loop, past
the bound a request is answered 503 ``busy``, and a huge query is refused at once.  Against a
live server (uvicorn in a thread) whose annotator holds a worker for seconds of CPU."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

uvicorn = pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from jingdu.model import Doc  # noqa: E402
from jingdu.web import WebOptions, create_app  # noqa: E402

SLOW_S = 3.0
NOTE = "# 海港新区加快发展\n\n海港新区坚持以高水平对外开放推动高质量发展，着力培育新质生产力。\n"


def slow_annotator(doc: Doc) -> Doc:
    """Seconds of work: bursts of pure-Python CPU (holding the GIL as an annotator does) between
    short waits (reading, the model's native code), so that the test measures whether the server
    is blocked, not how loaded the shared machine is."""
    end = time.monotonic() + SLOW_S
    n = 0
    while time.monotonic() < end:
        burst = time.monotonic() + 0.02
        while time.monotonic() < burst:
            n += sum(i * i for i in range(200))
        time.sleep(0.02)
    return doc


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db: Path = tmp_path_factory.mktemp("work") / "bank.db"
    app = create_app(db, WebOptions(annotator=slow_annotator, workers=1, queue=1))
    port = _port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    for path in ("/", "/search?q=发展", "/static/style.css"):  # templates compiled before timing
        httpx.get(f"http://127.0.0.1:{port}{path}", timeout=10)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _ingest(base: str, form: bool = False) -> httpx.Response:
    """Add the note through the API, or through the home page's form (the ``/ingest`` route)."""
    headers = {"origin": base, "sec-fetch-site": "same-origin"}
    if not form:
        return httpx.post(f"{base}/api/notes", json={"markdown": NOTE}, timeout=60, headers=headers)
    home = httpx.get(base + "/", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', home)
    assert csrf is not None
    return httpx.post(f"{base}/ingest", data={"csrf": csrf.group(1), "text": NOTE, "fmt": "markdown"},
                      timeout=60, headers=headers)


def _timed(url: str) -> tuple[int, float]:
    """The status and the median wall time of three requests, one at a time."""
    times, status = [], 0
    for _ in range(3):
        start = time.monotonic()
        status = httpx.get(url, timeout=10).status_code
        times.append(time.monotonic() - start)
    return status, sorted(times)[1]


@pytest.mark.slow
@pytest.mark.parametrize("form", [False, True], ids=["api", "form"])
def test_pages_answer_while_a_long_ingest_runs(server: str, form: bool) -> None:
    with ThreadPoolExecutor(1) as ex:
        ingest = ex.submit(_ingest, server, form)
        time.sleep(0.8)  # the ingest is annotating now
        assert not ingest.done()
        for path in ("/static/style.css", "/", "/search?q=发展"):
            status, took = _timed(server + path)
            assert status == 200 and took < 0.5, (path, status, took)
        assert ingest.result().status_code in (201, 303)


@pytest.mark.slow
def test_past_the_bound_a_request_is_told_to_try_again(server: str) -> None:
    with ThreadPoolExecutor(3) as ex:
        first = [ex.submit(_ingest, server) for _ in range(2)]  # one running, one waiting
        time.sleep(0.5)
        start = time.monotonic()
        third = _ingest(server)
        assert time.monotonic() - start < 1.0
        assert third.status_code == 503 and third.json()["error"]["code"] == "busy"
        assert [f.result().status_code for f in first] == [201, 201]


@pytest.mark.parametrize("path", ["/api/search?q=", "/search?q="])
def test_thousands_of_query_terms_are_refused_within_a_second(server: str, path: str) -> None:
    start = time.monotonic()
    r = httpx.get(server + path + "+".join(["国"] * 6000), timeout=10)
    assert time.monotonic() - start < 1.0
    assert r.status_code == 400 and "at most" in r.text


@pytest.mark.slow
def test_several_server_processes_serve_one_bank(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JINGDU_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "jingdu", "serve", "--db", str(tmp_path / "bank.db"),
                             "--port", str(port), "--workers", "2", "--no-annotate"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "the server did not start"
            time.sleep(0.3)
        added = [_ingest(base, form=bool(i % 2)).status_code for i in range(4)]  # forms: one secret for all
        assert added == [201, 303, 201, 303]
        hits = [httpx.get(base + "/api/search", params={"q": "新质生产力"}, timeout=10).json()["hits"]
                for _ in range(4)]
        assert all(h for h in hits)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("route", ["/api/annotate", "/api/notes"])
def test_a_fetch_past_the_limit_is_refused_before_it_takes_the_pool(tmp_path: Path, route: str) -> None:
    from fastapi.testclient import TestClient

    from jingdu.web.intake import fetch_slot

    app = create_app(tmp_path / "bank.db", WebOptions(annotate=False, max_fetches=1, workers=1, queue=0))
    with TestClient(app, base_url="http://127.0.0.1", headers={"Origin": "http://127.0.0.1"}) as client:
        jobs: list[object] = []
        real_run = app.state.work.run
        app.state.work.run = lambda fn: (jobs.append(fn), real_run(fn))[1]
        with fetch_slot(app.state.options):  # another visitor's slow page holds the only fetch slot
            answer = client.post(route, json={"url": "http://news.example.cn/a.html"})
        assert jobs == []  # refused before it took a place in the work pool
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "busy"
