"""What a reader sees in the workbench, in process: the figures chart grouped by unit with whole
labels, Mermaid shipped as a static file (never fetched elsewhere) under a CSP that still allows
only this server's scripts, pagination of the notes, and the review counter counting down."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from jingdu.web import WebOptions, create_app  # noqa: E402
from jingdu.web.insight import LABEL_CHARS, Figure, chart  # noqa: E402

STATIC = Path(__file__).resolve().parents[1] / "jingdu" / "web" / "static"
MERMAID_VERSION = "11.17.2"


def _note(n: int) -> str:
    # short articles written for these tests
    return (f"# 第{n}篇：青川市社区服务记\n\n> 青川发布 [原文链接](https://example.org/qc/{n})\n\n"
            f"　　<span style=\"background:#fff88f\">青川市坚持把<font color=\"#ff0000\">基层治理</font>作为民生工程来抓，"
            f"推动服务资源向社区下沉{n}次。</span>2024年，全市新建社区服务站{40 + n}个。\n")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(tmp_path / "bank.db", WebOptions(annotate=False, recent=4, review_batch=3))
    with TestClient(app, base_url="http://127.0.0.1", headers={"Origin": "http://127.0.0.1"}) as c:
        yield c


def test_chart_groups_by_unit_and_keeps_whole_labels() -> None:
    long_label = "全市规模以上工业企业数字化改造项目累计投资总额与智能产线数量"
    figs = [Figure("建成智能产线", 12, "条", ""), Figure("单件生产节拍", 38, "秒", ""), Figure("换型时间", 45, "秒", ""),
            Figure(long_label, 3.2e9, "元", "", surface="32亿元"), Figure("改造车间", 30, "条", ""),
            Figure("研发投入", 8.6e9, "元", "", surface="86亿元"), Figure("节省工时", 1200, "小时", "")]
    out = chart(figs)
    assert [g["unit"] for g in out["groups"]] == ["条", "秒", "元"]  # 小时 has one figure: no bar
    for g in out["groups"]:
        assert max(b["width"] for b in g["bars"]) == 220  # each unit's largest fills the bar
    labels = ["".join(line["text"] for line in b["lines"]) for g in out["groups"] for b in g["bars"]]
    assert long_label in labels  # whole, on two lines
    assert all(len(line["text"]) <= LABEL_CHARS for g in out["groups"] for b in g["bars"] for line in b["lines"])
    ys = [line["y"] for g in out["groups"] for b in g["bars"] for line in b["lines"]]
    assert ys == sorted(ys) and out["height"] > ys[-1]


def test_mermaid_is_a_static_file_of_the_package_with_its_licence(client: TestClient) -> None:
    assert (STATIC / "mermaid" / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")
    r = client.get("/static/mermaid/mermaid.min.js")
    assert r.status_code == 200 and f'"{MERMAID_VERSION}"' in r.text
    app_js = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "/static/mermaid/mermaid.min.js" in app_js and "http" not in re.sub(r"//.*", "", app_js)


def test_note_page_draws_its_mind_map_under_a_script_tight_csp(client: TestClient) -> None:
    r = client.post("/api/notes", json={"markdown": _note(1)})
    page = client.get(f"/notes/{r.json()['id']}")
    assert 'id="mindmap"' in page.text and "mindmap\n" in page.text  # the box and its source
    for path, inline_styles in ((f"/notes/{r.json()['id']}", True), ("/", False), ("/review", False)):
        csp = client.get(path).headers["content-security-policy"]
        directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
        assert directives["script-src"] == ["'self'"] and directives["img-src"] == ["'self'", "data:"]
        assert ("'unsafe-inline'" in directives["style-src"]) is inline_styles


def test_home_page_paginates_the_notes(client: TestClient) -> None:
    for n in range(1, 11):
        assert client.post("/api/notes", json={"markdown": _note(n)}).status_code == 201
    titles = []
    for page_no in (1, 2, 3):
        html = client.get(f"/?page={page_no}").text
        assert f"第 {page_no} / 3 页" in html
        titles += re.findall(r"第(\d+)篇：", html)
    assert sorted(map(int, titles)) == list(range(1, 11))  # every note once, newest first
    assert titles[:4] == ["10", "9", "8", "7"]
    assert 'href="/?page=2"' in client.get("/").text and 'rel="prev"' not in client.get("/").text
    assert client.get("/?page=99").status_code == 200 and "第 3 / 3 页" in client.get("/?page=99").text
    assert client.get("/?page=0").status_code == 422


def _due(html: str) -> int:
    return int(re.search(r'id="due-count">(\d+)<', html).group(1))  # type: ignore[union-attr]


def test_review_counter_counts_down(client: TestClient) -> None:
    for n in range(1, 5):
        client.post("/api/notes", json={"markdown": _note(n)})
    html = client.get("/review").text
    counts = [_due(html)]
    assert counts[0] == 3  # review_batch new cards a day
    while 'data-card="' in html:
        card = re.search(r'data-card="(\d+)"', html).group(1)  # type: ignore[union-attr]
        csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        html = client.post(f"/review/{card}", data={"csrf": csrf, "rating": "3"}).text
        counts.append(_due(html) if 'id="due-count"' in html else -1)
    assert counts == [3, 2, 1, 0]
