"""The baselines that ``jingdu eval`` scores next to the model (short articles written for the tests)."""

from __future__ import annotations

from jingdu.annotate.baselines import NgramBaseline, dictionary_spans, lead_spans, red_words, textrank_spans
from jingdu.model import Doc
from jingdu.notation import read_note

HL = '<span style="background:#fff88f">{}</span>'
RED = '<font color="#ff0000">{}</font>'


def _note(title: str, paras: list[str]) -> Doc:
    return read_note(f"# {title}\n\n" + "\n\n".join(f"　　{p}" for p in paras) + "\n")


def _training() -> list[Doc]:
    """Three notes whose reader highlights the sentences with 必须 and marks two terms in red."""
    return [
        _note("江城推进老旧小区改造", [
            "今年江城改造小区42个。" + HL.format("必须把群众的急难愁盼放在心上。") + "居民搬回了新家。",
            "工程队每天早上七点进场。" + HL.format(f"必须坚持{RED.format('高质量发展')}不动摇。"),
        ]),
        _note("山镇发展特色农业", [
            "山镇种下茶树三千亩。" + HL.format(f"必须走{RED.format('乡村振兴')}之路。") + "茶农收入翻了一番。",
            "镇里修了新路。" + HL.format("必须让产业带动更多农民增收。"),
        ]),
        _note("港口扩建迎来新泊位", [
            "港口新建泊位两个。" + HL.format(f"必须以{RED.format('高质量发展')}统领港口建设。"),
            "货轮排队进港。" + HL.format("必须守住安全生产底线。") + "码头工人三班倒。",
        ]),
    ]


def test_ngram_baseline_ranks_the_cue_sentence_first() -> None:
    doc = _note("河谷小城建起物流园", ["物流园占地五百亩。园区里车来车往。必须把物流成本降下来。仓库新添了货架。"])
    spans = NgramBaseline(_training(), share=0.15).spans(doc)
    assert [doc.span_text(s) for s in spans] == ["必须把物流成本降下来。"]


def test_ngram_baseline_marks_nothing_without_highlights_to_learn_from() -> None:
    plain = [_note("小城新事", ["小城开了书店。读者很多。"]), _note("山村新事", ["山村通了公交。村民出行方便。"])]
    assert NgramBaseline(plain).spans(plain[0]) == []


def test_lead_marks_paragraph_openings_up_to_the_share() -> None:
    doc = _note("标题", ["第一段开头。第一段结尾。", "第二段开头。第二段结尾。", "第三段开头。第三段结尾。"])
    assert [doc.span_text(s) for s in lead_spans(doc, share=0.34)] == ["第一段开头。", "第二段开头。"]


def test_textrank_marks_the_share_of_sentences() -> None:
    doc = _note("标题", ["港口建设加快推进。港口建设带动就业。", "物流园区连接港口。居民生活改善。"])
    assert len(textrank_spans(doc, share=0.5)) == 2


def test_dictionary_of_two_notes_keeps_only_terms_two_notes_mark() -> None:
    notes = _training()
    assert red_words(notes) == {"高质量发展", "乡村振兴"}
    assert red_words(notes, min_notes=2) == {"高质量发展"}


def test_dictionary_marks_every_occurrence() -> None:
    doc = _note("标题", ["推动高质量发展。高质量发展是首要任务。"])
    assert [doc.span_text(s) for s in dictionary_spans(doc, frozenset({"高质量发展"}))] == ["高质量发展"] * 2
