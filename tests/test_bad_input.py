"""Bad input never crashes: the API answers a 4xx in the one error shape, the CLI names the bad
file with its reason and goes on with the batch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jingdu.cli import app as cli
from jingdu.web import WebOptions, create_app

ARTICLE = "# 青川市推进社区服务\n\n　　今年以来，全市新建社区服务站48个。\n\n　　网格员每天走访居民，收集诉求。\n"
HUGE = "99999999999999999999999"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "bank.db", WebOptions(annotate=False)), base_url="http://127.0.0.1",
                    raise_server_exceptions=False) as c:
        yield c


def one_shape(r: object, status: int) -> None:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    err = r.json()["error"]  # type: ignore[attr-defined]
    assert set(err) == {"code", "message", "status"} and err["status"] == status


@pytest.mark.parametrize("body", [{"markdown": "\u0000\u0000"}, {"text": "\u0000"}, {"html": "\u0000<p>\u0000</p>"},
                                  {"markdown": "# 标题\n\n　　正文\ud800。"}, {"text": "正文\udfff"},
                                  {"url": "javascript:alert(1)"}, {"url": "file:///etc/passwd"},
                                  {"url": "http://[::1"}, {"url": "http://a..b/"}, {"url": "http:///nohost"}])
@pytest.mark.parametrize("path", ["/api/annotate", "/api/notes"])
def test_bad_sources_answer_4xx(client: TestClient, path: str, body: dict[str, str]) -> None:
    r = client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
    assert 400 <= r.status_code < 500, r.text
    one_shape(r, r.status_code)


@pytest.mark.parametrize("path", [f"/api/notes/{HUGE}", f"/api/notes/{HUGE}/extract", f"/api/notes/{HUGE}/export",
                                  f"/notes/{HUGE}", "/api/notes/-1", "/api/notes/١٢", "/notes/1e9"])
def test_huge_or_odd_ids_are_404(client: TestClient, path: str) -> None:
    one_shape(client.get(path), 404)


@pytest.mark.parametrize("path", [f"/api/review/{HUGE}", f"/api/notes/{HUGE}/marks"])
def test_huge_ids_in_writes_are_4xx(client: TestClient, path: str) -> None:
    body = {"rating": 3} if "review" in path else {"layer": "bold", "start": 0, "end": 2}
    r = client.post(path, json=body)
    assert r.status_code in (404, 422), r.text
    one_shape(r, r.status_code)


def test_huge_id_on_the_review_form_is_404(client: TestClient) -> None:
    page = client.get("/").text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    r = client.post(f"/review/{HUGE}", data={"csrf": token, "rating": "3"}, headers={"accept": "application/json"})
    one_shape(r, 404)


def test_huge_offsets_of_a_mark_are_422(client: TestClient) -> None:
    note = client.post("/api/notes", json={"markdown": ARTICLE}).json()["id"]
    one_shape(client.post(f"/api/notes/{note}/marks", json={"layer": "bold", "start": 0, "end": 10**30}), 422)
    r = client.delete(f"/api/notes/{note}/marks?layer=bold&start=0&end={HUGE}")
    assert 400 <= r.status_code < 500


BAD_NOTES = {
    "surrogate.json": '{"text": "abc\\ud800def"}',
    "layers-list.json": '{"text": "abc", "layers": [1, 2]}',
    "blocks-string.json": '{"text": "abc", "blocks": "abc"}',
    "span-string.json": '{"text": "abc", "layers": {"bold": ["x"]}}',
    "huge-offset.json": '{"text": "abc", "layers": {"bold": [{"start": 0, "end": 99999999999999999999}]}}',
    "meta-list.json": '{"text": "abc", "meta": [1]}',
    "nul.md": "# 标题\n\n\u0000\u0000\n",
}
REASONS = {"surrogate.json": "lone surrogate", "layers-list.json": "'layers'", "blocks-string.json": "'blocks'",
           "span-string.json": "'layers'", "huge-offset.json": "span", "meta-list.json": "'meta'",
           "nul.md": "binary"}


@pytest.fixture
def batch(tmp_path: Path) -> list[str]:
    names = []
    for name, text in BAD_NOTES.items():
        (tmp_path / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        names.append(str(tmp_path / name))
    (tmp_path / "good.md").write_text(ARTICLE, encoding="utf-8")
    return [*names, str(tmp_path / "good.md")]


@pytest.mark.parametrize("command", [["convert", "--to", "md", "-o", "{out}"], ["convert", "--to", "json", "-o", "{out}"],
                                     ["ingest", "-o", "{out}"], ["bank", "add", "--db", "{out}/bank.db"]])
def test_cli_names_each_bad_note_and_goes_on(tmp_path: Path, batch: list[str], command: list[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(out=out) for a in command]
    result = CliRunner().invoke(cli, [*args[:2], *batch, *args[2:]] if command[0] == "bank" else
                                [args[0], *batch, *args[1:]])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for name, reason in REASONS.items():
        line = next((ln for ln in result.output.splitlines() if name in ln and "failed" in ln), "")
        assert reason in line, (name, result.output)
    if command[0] != "bank":
        assert (out / "good.md").exists() or (out / "good.json").exists()


@pytest.mark.parametrize("url", ["https://xn--/", "http://%zz/"])
def test_unfetchable_hosts_are_answered_in_the_one_shape(client: TestClient, url: str) -> None:
    r = client.post("/api/annotate", json={"url": url})
    assert r.status_code in (400, 403, 502), r.text
    one_shape(r, r.status_code)
