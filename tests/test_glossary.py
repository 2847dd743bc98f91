"""The 规范词 glossary: reading posts and one's own lists, storing them, suggesting, evaluating.
Every text here is our own, written in the style of the glossary posts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from glossary_texts import POST
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.cli import app
from jingdu.errors import InputError
from jingdu.glossary import Entry, Suggester, read_file, read_glossary
from jingdu.glossary.evaluate import contains, evaluate, exact
from jingdu.glossary.parse import read_exercises, scenario_phrases, theme_of_title
from jingdu.glossary.suggest import (
    POOL,
    SIMS,
    Ranker,
    combined,
    default_booster,
    default_ranker,
    fit_booster,
    glossary_compositions,
)

runner = CliRunner()



@pytest.fixture
def post(tmp_path: Path) -> Path:
    p = tmp_path / "river.md"
    p.write_text(POST, encoding="utf-8")
    return p


def entries() -> list[Entry]:
    return read_glossary(POST, "river")


def test_terms_are_read_with_definition_scenarios_group_and_theme() -> None:
    got = {e.term: e for e in entries()}
    assert list(got) == ["河长制", "生态补水", "退圩还湖"]
    assert got["河长制"].group == "水体保护" and got["退圩还湖"].group == "岸线管理"
    assert all(e.theme == "河湖治理" and e.source == "river" for e in got.values())
    assert got["生态补水"].definition.startswith("指通过调水")
    assert "从水库放水给干涸的湿地" in got["生态补水"].scenarios[0]


def test_exercise_answers_never_become_terms() -> None:
    assert "加强岸线整治" not in {e.term for e in entries()}


def test_exercises_hold_the_underlined_part_and_the_answer() -> None:
    ex = read_exercises(POST, "river")
    assert [x.answers for x in ex] == [("河长制",), ("加强岸线整治",)]
    assert ex[0].underlined == "每条河都落实一名干部专门负责巡查"
    assert ex[1].group == "岸线管理"


@pytest.mark.parametrize(("title", "theme"), [("乡村振兴规范词", "乡村振兴"), ("我的词表", "我的词表"),
                                              ("城市建设申论规范词", "城市建设")])
def test_theme_comes_from_the_title(title: str, theme: str) -> None:
    assert theme_of_title(title) == theme


def test_scenario_phrases_are_the_quoted_parts() -> None:
    assert scenario_phrases("当资料中出现“甲乙丙”“丁戊己”等表述时") == ["甲乙丙", "丁戊己"]
    assert scenario_phrases("当资料中提到某地集中发展一种产业时") == ["当资料中提到某地集中发展一种产业时"]


def test_a_csv_of_ones_own(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text("term,definition,scenarios,group,theme\n接诉即办,群众诉求马上办,热线电话|当天回复,服务,基层治理\n",
                 encoding="utf-8")
    (e,) = read_file(p)
    assert (e.term, e.scenarios, e.group, e.theme) == ("接诉即办", ("热线电话", "当天回复"), "服务", "基层治理")


def test_a_markdown_list_of_ones_own(tmp_path: Path) -> None:
    p = tmp_path / "mine.md"
    p.write_text("# 我的规范词\n\n## 治理\n\n- 接诉即办：群众诉求马上办\n- 未诉先办\n", encoding="utf-8")
    got = read_file(p)
    assert [(e.term, e.definition, e.group, e.theme) for e in got] == [
        ("接诉即办", "群众诉求马上办", "治理", "我的"), ("未诉先办", "", "治理", "我的")]


def test_a_file_without_terms_is_a_named_error(tmp_path: Path) -> None:
    p = tmp_path / "empty.md"
    p.write_text("# 标题\n\n正文一段。\n", encoding="utf-8")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty.md"):
        read_file(p)
    with pytest.raises(InputError, match="x.csv"):
        read_file(tmp_path / "x.csv")


@pytest.mark.parametrize("use_vectors", [True, False])
def test_suggest_ranks_the_paraphrased_scenario_first(use_vectors: bool) -> None:
    sug = Suggester(entries(), use_vectors=use_vectors)
    top = sug.suggest("镇里把湖中的养殖围堤全部拆掉，围湖造的田重新还给了湖泊", k=3)
    assert top[0].term == "退圩还湖"
    assert "围" in top[0].why and top[0].why.startswith("应用场景")


@pytest.mark.parametrize(("context", "first"), [
    ("拆掉湖里的养殖围堤，把围湖造的田重新还给湖泊，湖面重新变大", "退圩还湖"),
    ("从水库放水给干涸的湿地，引水入湖，湖面重新变大", "生态补水"),
])
def test_the_material_around_the_text_decides_between_terms(context: str, first: str) -> None:
    assert Suggester(entries()).suggest("湖面重新变大", k=3, context=context)[0].term == first


def _two_themes() -> list[Entry]:
    other = read_glossary(POST.replace("河湖治理", "水利建设"), "dam")
    return entries() + other


@pytest.mark.parametrize("theme", ["水利建设", "河湖治理"])
def test_a_theme_keeps_the_suggestions_within_it(theme: str) -> None:
    got = Suggester(_two_themes(), use_vectors=False).suggest("拆掉湖里的养殖围堤", k=6, theme=theme)
    assert got[0].term == "退圩还湖" and {s.theme for s in got} == {theme}


def test_a_theme_without_entries_suggests_nothing() -> None:
    assert Suggester(_two_themes(), use_vectors=False).suggest("拆掉湖里的养殖围堤", theme="城市建设") == []


def test_no_context_is_the_text_as_its_own_context() -> None:
    sug = Suggester(entries(), use_vectors=False)
    text = "从水库放水给干涸的湿地"
    assert (sug.features([text]) == sug.features([text], [text])).all()
    assert (sug.features([text]) == sug.features([text], [None])).all()


def test_a_composition_is_offered_when_the_material_asks_for_an_action() -> None:
    sug = Suggester(entries())
    terms = [s.term for s in sug.suggest("要进一步完善制度，让每条河都有专人负责，县里领导包干一段河道", k=3)]
    assert terms[0] == "河长制" and terms[1] == "完善河长制"
    plain = [s.term for s in sug.suggest("每条河都有专人负责，县里领导包干一段河道", k=3)]
    assert "完善河长制" not in plain


@pytest.mark.parametrize(("definition", "found"), [
    ("指各地持续优化营商环境，为企业减负。", {"优化营商环境": 1}),
    ("指良好的营商环境。", {}),  # 好的: a function word, not a verb
    ("指营商环境。", {}),
])
def test_glossary_compositions_are_the_verbs_the_entry_writes_before_its_name(definition: str, found: dict) -> None:
    assert dict(glossary_compositions(Entry("营商环境", definition))) == found


def test_the_composition_the_glossary_writes_comes_second() -> None:
    own = [*entries(), Entry("岸线整治", "指通过清理违建等手段开展岸线整治，恢复河岸的自然面貌。",
                             ("若材料里写到“拆除河边违建”“河岸恢复原貌”一类说法时，不妨写成“岸线整治”。",),
                             "岸线管理", "河湖治理", "river")]
    terms = [s.term for s in Suggester(own).suggest("拆除河边违建以后，河岸恢复原貌", k=3)]
    assert terms[:2] == ["岸线整治", "开展岸线整治"]


def test_the_group_similarity_is_that_of_the_entries_filed_together() -> None:
    own = [Entry("甲", "指一种做法", group="水体保护"), Entry("乙", "指河湖补水放水", group="水体保护"),
           Entry("丙", "指一种做法", group="岸线管理"), Entry("丁", "指拆除违建", group="岸线管理")]
    sims = Suggester(own, use_vectors=False).similarities(["从水库放水补水"])[0, :, SIMS.index("group")]
    assert sims[0] == sims[1] > sims[2] == sims[3]


def test_a_glossary_without_scenarios_suggests_from_definitions() -> None:
    own = [Entry("生态补水", "指向缺水的湖泊湿地补充水量"), Entry("退圩还湖", "指拆除湖中的围堤，恢复湖面")]
    assert Suggester(own).suggest("拆掉湖里的围堤", k=2)[0].term == "退圩还湖"


def test_the_shipped_rankers_fit_the_features() -> None:
    assert default_ranker() is not None and default_booster() is not None


def test_the_boosted_ranker_orders_its_pool_and_puts_the_rest_after() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, POOL + 20, 3))
    labels = [row[:, 1] > 1.0 for row in x]  # relevance follows the second feature
    booster = fit_booster(list(x), labels, labels, rounds=20)
    scores = booster.score(x[:2])
    for row, s in zip(x[:2], scores, strict=True):
        outside = np.argsort(-row[:, 0], kind="stable")[POOL:]
        assert (s[outside] == -10).all() and (np.delete(s, outside) > -10).all()
    pooled = np.argsort(-x[0, :, 0], kind="stable")[:POOL]
    assert np.corrcoef(scores[0, pooled], x[0, pooled, 1])[0, 1] > 0.5


def test_without_a_booster_the_scores_are_the_logistic_ones() -> None:
    x = np.arange(12.0).reshape(1, 4, 3)
    ranker = Ranker((1.0, -1.0, 0.5), 0.2)
    assert (combined(x, ranker, None) == ranker.score(x)).all()


def test_a_lightgbm_that_cannot_load_leaves_the_logistic(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from jingdu.glossary import suggest

    monkeypatch.setitem(sys.modules, "lightgbm", None)  # as when libgomp1 is missing: the import fails
    suggest.default_booster.cache_clear()
    try:
        assert suggest.default_booster() is None
    finally:
        suggest.default_booster.cache_clear()


@pytest.mark.parametrize(("term", "answers", "is_exact", "is_contained"), [
    ("河道布局", ("调整河道布局",), False, True),
    ("乱堆乱放/私堆乱放", ("私堆乱放",), True, True),
    ("路口定责（路口责任认定）", ("路口定责",), True, True),
    ("河长制", ("湖长制",), False, False),
])
def test_exact_and_contains(term: str, answers: tuple[str, ...], is_exact: bool, is_contained: bool) -> None:
    assert exact(term, answers) is is_exact and contains(term, answers) is is_contained


def test_eval_scores_each_post_without_fitting_on_it(tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    a.write_text(POST, encoding="utf-8")
    b.write_text(POST.replace("河湖治理", "水利建设").replace("青溪镇", "白沙镇"), encoding="utf-8")
    report = evaluate([a, b], use_vectors=False)
    assert report.posts == ["a", "b"] and report.jingdu["all"].n == 4
    assert report.baseline["all"].n == 4
    assert report.jingdu["a"].row()["contains@5"] >= 0.5
    assert report.given_theme["all"].n == 4 and report.given_theme["b"].row()["contains@5"] >= 0.5


def test_bank_glossary_add_list_edit_delete(tmp_path: Path) -> None:
    with Bank(tmp_path / "bank.db") as bank:
        assert bank.glossary_add(entries()) == (3, 0)
        assert bank.glossary_add(entries()) == (0, 3)  # the same post again updates
        one = bank.glossary("河湖治理")[0]
        edited = bank.glossary_edit(one.id, {"definition": "新的释义", "scenarios": ["一句场景"]})
        assert (edited.definition, edited.scenarios) == ("新的释义", ("一句场景",))
        bank.glossary_delete(one.id)
        assert [e.term for e in bank.glossary()] == ["生态补水", "退圩还湖"]
        assert bank.glossary_themes() == [("河湖治理", 2)]
        assert bank.suggest(["拆掉湖里的养殖围堤"])[0][0].term == "退圩还湖"


def _cli(tmp_path: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "--db", str(tmp_path / "bank.db")])


def test_cli_glossary_and_suggest_jsonl(tmp_path: Path, post: Path) -> None:
    assert _cli(tmp_path, "glossary", "add", str(post)).exit_code == 0
    listed = _cli(tmp_path, "glossary", "list", "--json")
    rows = [json.loads(x) for x in listed.stdout.splitlines()]
    assert [r["term"] for r in rows] == ["河长制", "生态补水", "退圩还湖"]
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"text": "从水库放水给干涸的湿地"}\n{"txt": 1}\n', encoding="utf-8")
    out = _cli(tmp_path, "suggest", "--jsonl", str(lines))
    answers = [json.loads(x) for x in out.stdout.splitlines()]
    assert answers[0]["suggestions"][0]["term"] == "生态补水"
    assert set(answers[0]["suggestions"][0]) >= {"term", "score", "why"}
    assert "error" in answers[1] and out.exit_code == 1


@pytest.mark.parametrize(("added", "message"), [
    (True, "no glossary theme '城市建设'; themes: 河湖治理"),
    (False, "the glossary is empty"),
])
def test_cli_suggest_names_an_unknown_theme_or_an_empty_glossary(tmp_path: Path, post: Path, added: bool,
                                                                 message: str) -> None:
    if added:
        assert _cli(tmp_path, "glossary", "add", str(post)).exit_code == 0
    out = _cli(tmp_path, "suggest", "拆掉湖里的养殖围堤", "--theme", "城市建设")
    assert out.exit_code != 0 and message in out.output and "Traceback" not in out.output


def test_cli_suggest_names_each_terms_theme(tmp_path: Path, post: Path) -> None:
    assert _cli(tmp_path, "glossary", "add", str(post)).exit_code == 0
    out = _cli(tmp_path, "suggest", "从水库放水给干涸的湿地")
    assert out.exit_code == 0 and out.output.startswith("1. 生态补水 (河湖治理) ")


def test_cli_suggest_takes_a_context(tmp_path: Path, post: Path) -> None:
    assert _cli(tmp_path, "glossary", "add", str(post)).exit_code == 0
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"text": "湖面重新变大", "context": "从水库放水给干涸的湿地，引水入湖，湖面重新变大"}\n'
                     '{"text": "湖面重新变大", "context": 3}\n', encoding="utf-8")
    out = _cli(tmp_path, "suggest", "--jsonl", str(lines))
    answers = [json.loads(x) for x in out.stdout.splitlines()]
    assert answers[0]["suggestions"][0]["term"] == "生态补水"
    assert "error" in answers[1] and out.exit_code == 1
    around = "拆掉湖里的养殖围堤，把围湖造的田重新还给湖泊，湖面重新变大"
    one = _cli(tmp_path, "suggest", "湖面重新变大", "--context", around, "--json")
    assert json.loads(one.stdout)["suggestions"][0]["term"] == "退圩还湖"


def test_cli_glossary_edit_delete_and_bad_ids(tmp_path: Path, post: Path) -> None:
    _cli(tmp_path, "glossary", "add", str(post))
    assert _cli(tmp_path, "glossary", "edit", "1", "--term", "河湖长制").exit_code == 0
    assert "河湖长制" in _cli(tmp_path, "glossary", "list").stdout
    bad = _cli(tmp_path, "glossary", "delete", "2", "99")
    assert bad.exit_code == 1 and "99" in bad.stderr
    assert "生态补水" not in _cli(tmp_path, "glossary", "list").stdout


def test_cli_glossary_add_names_a_bad_file_and_goes_on(tmp_path: Path, post: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("# 空\n", encoding="utf-8")
    r = _cli(tmp_path, "glossary", "add", str(bad), str(post))
    assert r.exit_code == 1 and "bad.md" in r.stderr and "3 added" in r.stdout


def test_bench_suggest_times_each_system(post: Path) -> None:
    r = runner.invoke(app, ["bench", "suggest", str(post), "--queries", "2", "--rounds", "1", "--json"])
    assert r.exit_code == 0, r.output
    ms = json.loads(r.stdout)
    assert list(ms) == ["jingdu, with context", "jingdu, text alone", "logistic alone, with context", "char TF-IDF"]
    assert all(v > 0 for v in ms.values())


def test_bench_suggest_names_posts_without_exercises(tmp_path: Path) -> None:
    empty = tmp_path / "none.md"
    empty.write_text("# 空白规范词\n", encoding="utf-8")
    r = runner.invoke(app, ["bench", "suggest", str(empty)])
    assert r.exit_code != 0 and "no glossary terms or no exercises" in r.output and "Traceback" not in r.output


def test_suggest_on_an_empty_glossary_says_so(tmp_path: Path) -> None:
    r = _cli(tmp_path, "suggest", "一段材料")
    assert r.exit_code == 1 and "glossary add" in r.stderr


GLOSSARY_POSTS = ("p428", "p429", "p432", "p433", "p492", "p512", "p514", "p553", "p562", "p604", "p610")


@pytest.mark.slow
@pytest.mark.corpus
def test_eval_glossary_beats_the_char_tfidf_baseline(corpus_dir: Path) -> None:
    report = evaluate([corpus_dir / "plain" / f"{p}.md" for p in GLOSSARY_POSTS])
    mine, base = report.jingdu["all"].row(), report.baseline["all"].row()
    assert mine["n"] >= 480
    assert mine["exact@5"] > base["exact@5"] and mine["contains@5"] > base["contains@5"]
    assert mine["contains@1"] > base["contains@1"]
