"""The personal model: a correction of the default learnt from the user's notes, the bank's
versions of it, the workbench's background training, and the way back to the default.

The articles are written for these tests (not corpus text): sentences drawn from two pools, one
with figures and units, one without."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from jingdu.annotate import load_model
from jingdu.annotate.personal import (
    Correction,
    Personal,
    confidence,
    fit_correction,
    predict_personal,
    train_personal,
)
from jingdu.bank import Bank, models
from jingdu.errors import ModelError
from jingdu.model import SCORED_LAYERS, Doc, Span
from jingdu.notation import read_note

FIGURES = (
    "今年以来，全市新建社区服务站{a}个，惠及居民{b}万人。",
    "上半年全县地区生产总值增长{p}%，高于全省平均水平。",
    "截至目前，已累计发放助农贷款{a}亿元。",
    "全年共培训高素质农民{a}名，带动就业{b}人。",
    "新建改建农村公路{a}公里，通达率达到{p}%。",
    "园区入驻企业{a}家，实现产值{b}亿元。",
    "全市粮食播种面积稳定在{a}万亩，总产量达{b}万吨。",
)
WORDS = (
    "要坚持把群众满意作为工作的出发点和落脚点。",
    "各级干部要深入基层、深入群众，切实解决急难愁盼问题。",
    "推动高质量发展，关键在于激发各类经营主体活力。",
    "我们必须始终坚持以人民为中心的发展思想。",
    "基层治理是国家治理的基石，必须久久为功。",
    "要把新质生产力理念贯穿到产业发展全过程。",
    "党建引领是做好基层工作的根本保证。",
    "实践证明，只有改革创新才能赢得发展主动。",
    "网格员每天走访居民，及时收集社情民意。",
    "青年人才是乡村振兴的重要力量。",
    "坚持系统观念，统筹发展和安全。",
    "让群众办事少跑腿，是服务型政府的应有之义。",
    "全市深入实施“百千万工程”，推动城乡区域协调发展。",
    "坚持“两个毫不动摇”，支持民营经济发展壮大。",
)
DIGIT = re.compile(r"\d")


def article(seed: int) -> str:
    """A short article of three paragraphs, figures and words mixed."""
    rng = random.Random(seed)
    paras = []
    for _ in range(3):
        sents = []
        for _ in range(3):
            if rng.random() < 0.45:
                sents.append(rng.choice(FIGURES).format(a=rng.randint(12, 900), b=rng.randint(2, 90),
                                                         p=rng.randint(2, 30)))
            else:
                sents.append(rng.choice(WORDS))
        paras.append("　　" + "".join(sents))
    return f"# 某市第{seed}期工作简报\n\n" + "\n\n".join(paras) + "\n"


def sentences(doc: Doc) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^。\n　]+。", doc.text)]


def figure_reader(doc: Doc) -> Doc:
    """The user's style: highlights exactly the sentences holding a figure."""
    spans = [Span(a, e, "highlight", origin="user") for a, e in sentences(doc) if DIGIT.search(doc.text[a:e])]
    return doc.with_spans(spans, replace_layers=SCORED_LAYERS)


def highlighted(doc: Doc, spans: list[Span]) -> list[str]:
    return [doc.text[s.start:s.end] for s in spans if s.layer == "highlight"]


def figure_share(texts: list[str]) -> float:
    return sum(1 for t in texts if DIGIT.search(t)) / max(len(texts), 1)


# -- the learning ----------------------------------------------------------------------------------
def test_a_correction_of_zero_is_the_default() -> None:
    base = np.array([0.1, 0.5, 0.9])
    corr = Correction(np.zeros(2), np.ones(2), np.zeros(3), 0.0)
    assert np.allclose(corr.proba(np.ones((3, 2)), base), base)


def test_the_correction_follows_the_labels_against_the_default() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] > 0).astype(np.int64)
    base = np.where(X[:, 0] > 0, 0.2, 0.8)  # the default believes the opposite
    corr = fit_correction(X, base, y, penalty=2.0)
    p = corr.proba(X, base)
    assert ((p >= 0.5) == (y == 1)).mean() > 0.95


@pytest.mark.parametrize(("mine", "theirs", "sure"), [((5, 5, 5), (1, 5, 5), True), ((1, 5, 5), (5, 5, 5), False)])
def test_confidence_of_beating_the_default(mine: tuple[int, int, int], theirs: tuple[int, int, int],
                                           sure: bool) -> None:
    a, b = np.array([mine] * 6), np.array([theirs] * 6)
    assert (confidence(a, b) >= 0.9) is sure


def test_a_handful_of_notes_teaches_a_style_the_default_lacks() -> None:
    base = load_model()
    golds = [figure_reader(read_note(article(i))) for i in range(6)]
    model = train_personal(base, golds)
    assert "highlight" in model.used
    fresh = read_note(article(100))
    mine = highlighted(fresh, predict_personal(fresh, base, model))
    assert mine and figure_share(mine) == 1.0
    assert len(mine) == sum(1 for a, e in sentences(fresh) if DIGIT.search(fresh.text[a:e]))


def test_a_personal_model_is_json_and_names_its_default() -> None:
    base = load_model()
    model = train_personal(base, [figure_reader(read_note(article(i))) for i in range(3)])
    again = Personal.loads(model.dumps())
    assert again.to_dict() == model.to_dict()
    other = Personal(base_id="0" * 16, layers=again.layers)
    with pytest.raises(ValueError, match="another default"):
        predict_personal(read_note(article(1)), base, other)


# -- the bank ----------------------------------------------------------------------------------------
def _bank_with_corrections(path: Path, n: int = 6) -> Bank:
    """A bank whose user corrected ``n`` notes in the figure style (through the bank's marks)."""
    bank = Bank(path)
    base = load_model()
    from jingdu.annotate import annotate

    for i in range(n):
        _, note = bank.add_doc(annotate(read_note(article(i)), base))
        _correct(bank, note)
    return bank


def _correct(bank: Bank, note: int) -> None:
    """Accept the suggested highlights with a figure, reject the others, add the missing ones."""
    stored = bank.note(note)
    doc = stored.shown
    want = {r for r in sentences(doc) if DIGIT.search(doc.text[r[0]:r[1]])}
    user, rejected = [], []
    for sp in doc.all_spans():
        if sp.origin == "model" and sp.layer in SCORED_LAYERS:
            if sp.layer == "highlight" and (sp.start, sp.end) in want:
                user.append(Span(sp.start, sp.end, "highlight", origin="user"))
            else:
                rejected.append((sp.layer, sp.start, sp.end))
    have = {(s.start, s.end) for s in user}
    user += [Span(a, e, "highlight", origin="user") for a, e in sorted(want - have)]
    bank.set_marks(note, user, rejected)


def test_corrections_are_training_data_with_their_provenance(tmp_path: Path) -> None:
    bank = _bank_with_corrections(tmp_path / "bank.db", 3)
    notes = models.training_notes(bank.con)
    assert [n.id for n in notes] == [1, 2, 3]
    total = models.totals([n.provenance for n in notes])
    assert total["accepted"] + total["added"] > 0 and total["rejected"] > 0
    assert models.pending(bank.con) == 3


def test_notes_without_corrections_are_not_read_for_training(tmp_path: Path) -> None:
    bank = _bank_with_corrections(tmp_path / "bank.db", 2)
    from jingdu.annotate import annotate

    _, plain = bank.add_doc(annotate(read_note(article(50)), load_model()))  # suggestions only: nothing to learn
    counts = dict(bank.con.execute("SELECT id, trained_marks FROM notes").fetchall())
    assert counts[plain] == 0 and counts[1] > 0 and counts[2] > 0
    assert [n.id for n in models.training_notes(bank.con)] == [1, 2]
    _correct(bank, plain)
    assert [n.id for n in models.training_notes(bank.con)] == [1, 2, plain]


def test_training_from_the_bank_stores_a_version_and_changes_suggestions(tmp_path: Path) -> None:
    db = tmp_path / "bank.db"
    bank = _bank_with_corrections(db)
    stored = models.train_bank(db)
    assert stored.version == 1 and len(stored.notes) == 6
    assert stored.scores["highlight"]["personal"] > stored.scores["highlight"]["default"]
    assert models.pending(bank.con) == 0
    annotator = models.personal_annotator(db)
    fresh = read_note(article(200))
    from jingdu.annotate import annotate

    before = highlighted(fresh, list(annotate(fresh).all_spans()))
    after = highlighted(fresh, list(annotator(fresh).all_spans()))
    assert figure_share(after) == 1.0 and figure_share(after) > figure_share(before)


def test_a_failed_training_leaves_the_previous_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "bank.db"
    bank = _bank_with_corrections(db, 4)
    first = models.train_bank(db)

    def broken(*_args: object, **_kwargs: object) -> Personal:
        raise ValueError("singular matrix")

    monkeypatch.setattr("jingdu.annotate.personal.train_personal", broken)
    with pytest.raises(ModelError, match="singular matrix"):
        models.train_bank(db)
    last = models.latest(bank.con)
    assert last is not None and last.version == first.version
    assert "singular matrix" in models.setting(bank.con, "error")
    assert models.active(bank.con) is not None


def test_a_bank_without_corrections_has_no_personal_model(tmp_path: Path) -> None:
    db = tmp_path / "bank.db"
    Bank(db).add_doc(read_note(article(1)))
    with pytest.raises(ModelError, match="at least"):
        models.train_bank(db)
    with pytest.raises(ModelError, match="no personal model"):
        models.personal_annotator(db)


# -- the commands ------------------------------------------------------------------------------------
def test_train_from_bank_and_annotate_with_the_personal_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jingdu.cli import app

    runner = CliRunner()
    db = tmp_path / "bank.db"
    _bank_with_corrections(db, 5).close()
    src = tmp_path / "in.md"
    src.write_text(article(400), encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["annotate", str(src), "-o", str(out), "--model", "personal", "--db", str(db)])
    assert r.exit_code != 0 and "no personal model" in r.output
    r = runner.invoke(app, ["train", "--from-bank", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "personal model v1" in r.output and "highlight" in r.output
    r = runner.invoke(app, ["annotate", str(src), "-o", str(out), "--model", "personal", "--db", str(db)])
    assert r.exit_code == 0, r.output
    doc = read_note((out / "in.md").read_text(encoding="utf-8"))
    marked = highlighted(doc, list(doc.all_spans()))
    assert marked and figure_share(marked) == 1.0


def test_train_needs_notes_or_the_bank(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jingdu.cli import app

    r = CliRunner().invoke(app, ["train"])
    assert r.exit_code != 0 and "--from-bank" in r.output


# -- the workbench -----------------------------------------------------------------------------------
pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from jingdu.web import WebOptions, create_app  # noqa: E402


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app with the real default model; trainings run in the worker thread (no child process)."""
    app = create_app(tmp_path / "bank.db", WebOptions(personal_every=3))
    app.state.personal.train_fn = models.train_path
    with TestClient(app, base_url="http://127.0.0.1", headers={"Origin": "http://127.0.0.1"}) as c:
        yield c


def _correct_in_workbench(client: TestClient, seed: int) -> int:
    """Add an article and correct its suggestions to the figure style through the API."""
    note = client.post("/api/notes", json={"markdown": article(seed)}).json()["id"]
    doc = client.get(f"/api/notes/{note}").json()
    text = doc["text"]
    want = {r for r in (
        (m.start(), m.end()) for m in re.finditer(r"[^。\n　]+。", text)) if DIGIT.search(text[r[0]:r[1]])}
    for layer, spans in doc["layers"].items():
        for sp in spans:
            if sp.get("origin") != "model":
                continue
            if layer == "highlight" and (sp["start"], sp["end"]) in want:
                r = client.post(f"/api/notes/{note}/marks", json={"layer": layer, "start": sp["start"],
                                                                   "end": sp["end"], "action": "accept"})
                want.discard((sp["start"], sp["end"]))
            else:
                r = client.request("DELETE", f"/api/notes/{note}/marks",
                                   params={"layer": layer, "start": sp["start"], "end": sp["end"]})
            assert r.status_code == 200, r.text
    for a, e in sorted(want):
        r = client.post(f"/api/notes/{note}/marks", json={"layer": "highlight", "start": a, "end": e})
        assert r.status_code == 200, r.text
    return int(note)


def _wait(client: TestClient, cond: str, timeout: float = 60.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        status = client.get("/api/personal").json()
        if eval(cond, {}, {"s": status}):  # noqa: S307 - conditions written in this file
            return status
        assert time.monotonic() < deadline, f"timed out waiting for {cond}: {status}"
        time.sleep(0.2)


def _suggested(client: TestClient, seed: int) -> list[str]:
    doc = client.post("/api/annotate", json={"markdown": article(seed)}).json()
    return [doc["text"][s["start"]:s["end"]] for s in doc["layers"].get("highlight", [])]


def test_the_workbench_trains_in_the_background_and_suggests_in_the_users_style(client: TestClient) -> None:
    before = _suggested(client, 300)
    for seed in range(3):
        _correct_in_workbench(client, seed)
    status = _wait(client, "s['latest'] is not None and not s['training']")
    assert status["latest"]["notes"] == 3  # type: ignore[index]  # trained once 3 notes were corrected
    for seed in range(3, 6):
        _correct_in_workbench(client, seed)
    status = _wait(client, "s['latest']['version'] >= 2 and not s['training'] and s['pending'] < 3")
    assert status["latest"]["scores"]["highlight"]["use"]  # type: ignore[index]
    assert status["in_use"].startswith("personal")
    after = _suggested(client, 300)
    assert figure_share(after) == 1.0 > figure_share(before)
    page = client.get("/personal")
    assert page.status_code == 200 and "personal F1" in page.text and 'data-layer="highlight"' in page.text
    # back to the default: the default's suggestions again
    r = client.post("/api/personal/use", json={"use": "default"})
    assert r.json()["in_use"] == "default"
    assert _suggested(client, 300) == before
    client.post("/api/personal/use", json={"use": "personal"})
    assert _suggested(client, 300) == after


def test_a_failed_training_in_the_workbench_keeps_the_model_in_use(client: TestClient) -> None:
    for seed in range(3):
        _correct_in_workbench(client, seed)
    first = _wait(client, "s['latest'] is not None and not s['training']")

    def crash(_db: str) -> None:
        raise RuntimeError("the training process was killed")

    client.app.state.personal.train_fn = crash  # type: ignore[attr-defined]
    assert client.app.state.personal.train_now() is False  # type: ignore[attr-defined]
    status = client.get("/api/personal").json()
    assert status["latest"]["version"] == first["latest"]["version"]  # type: ignore[index]
    assert "killed" in status["error"] and status["in_use"] == first["in_use"]


def test_choosing_an_unknown_model_is_refused(client: TestClient) -> None:
    r = client.post("/api/personal/use", json={"use": "mine"})
    assert r.status_code == 422 and "use one of" in r.json()["error"]["message"]


def test_a_layer_the_user_always_rejects_stops_being_suggested() -> None:
    base = load_model()
    golds = [figure_reader(read_note(article(i))) for i in range(6)]  # no bold, no red at all
    model = train_personal(base, golds)
    fresh = read_note(article(101) + "\n　　全市深入实施“百千万工程”，坚持“两个毫不动摇”。\n")
    from jingdu.annotate import annotate

    default = {s.layer for s in annotate(fresh).all_spans()}
    assert "bold" in default or "red" in default
    mine = {s.layer for s in predict_personal(fresh, base, model)}
    assert mine == {"highlight"}


def test_a_training_process_that_fails_stores_nothing(tmp_path: Path) -> None:
    """The real worker: a spawned child process; it exits with an error (too few notes)."""
    from jingdu.web.personal import Trainer

    db = tmp_path / "bank.db"
    _bank_with_corrections(db, 1).close()
    trainer = Trainer(db, every=1)
    assert trainer.train_now() is False
    assert "at least" in trainer.status()["error"]
    assert trainer.status()["latest"] is None and trainer.model_in_use() == "default"


def test_a_reader_who_bolds_no_figure_learns_away_the_default_fallback() -> None:
    """The default adds an article's first key figures where it bolds none; a reader whose own
    bold never holds a figure gets a personal model that leaves them out."""

    def says_reader(doc: Doc) -> Doc:
        spans = [Span(a, e, "bold", origin="user") for a, e in sentences(doc) if "要" in doc.text[a:e]]
        return doc.with_spans(spans, replace_layers=SCORED_LAYERS)

    base = load_model()
    model = train_personal(base, [says_reader(read_note(article(i))) for i in range(12)])
    assert model.layers["bold"].use and model.layers["bold"].scores["fallback"] == 0
    fresh = read_note(article(100))
    bold = [fresh.text[s.start:s.end] for s in predict_personal(fresh, base, model) if s.layer == "bold"]
    assert not any(DIGIT.search(b) for b in bold), bold
