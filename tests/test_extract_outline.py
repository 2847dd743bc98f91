"""Outline, Markdown outline and the Mermaid mind map (checked against mindmap's grammar)."""

from __future__ import annotations

import re

import pytest

from jingdu.extract.outline import Outline, find_sections, mermaid_text, outline, outline_markdown, outline_mermaid
from jingdu.notation import read_note

ARTICLE = """# 某市(试点)建设“数字城市”[纪实]

　　某市把数字化作为转型主引擎。全市上下齐心协力。

------

### 从“上网”到“上云”的转变

　　企业上云是第一步。越来越多的工厂连上了网。

### 从“单点”到“全域”的跃升

　　全域治理靠数据打通。部门之间不再各自为政。

#### 一个细节 {小节}

　　窗口前不再排长队。
"""

PLAIN = "# 某县的一年\n\n一、产业发展\n\n　　全县产业稳步增长。\n\n二、民生改善\n\n　　新建学校两所。\n"

# -- a small checker of Mermaid's mindmap grammar ------------------------------------------------
_SHAPES = [r"\(\([^()\[\]{}]*\)\)", r"\)\)[^()\[\]{}]*\(\(", r"\)[^()\[\]{}]*\(", r"\{\{[^{}()\[\]]*\}\}",
           r"\[[^\[\]()]*\]", r"\([^()\[\]]*\)"]
NODE_RE = re.compile(rf"^(?:[\w\u4e00-\u9fff-]+)?(?:{'|'.join(_SHAPES)})$|^[^()\[\]{{}}\"`:<>]+$")


def check_mindmap(src: str) -> None:
    lines = src.rstrip("\n").split("\n")
    assert lines[0] == "mindmap"
    indents = []
    for line in lines[1:]:
        assert line.strip(), "blank line inside the mind map"
        indent = len(line) - len(line.lstrip(" "))
        assert "\t" not in line[:indent]
        assert indent % 2 == 0 and indent >= 2
        assert not indents or indent <= indents[-1] + 2, f"indent jumps: {line!r}"
        assert not indents or indent > indents[0], "only one root"
        indents.append(indent)
        assert NODE_RE.match(line.strip()), f"not a mindmap node: {line.strip()!r}"
        assert '"' not in line and "`" not in line


@pytest.mark.parametrize("bad", ["mindmap\n  root((a))\n        b\n", "mindmap\n  root((a(b)))\n",
                                 'mindmap\n  root((a))\n    b["x"]\n', "graph TD\n  a-->b\n"])
def test_checker_rejects_bad_mindmaps(bad: str) -> None:
    with pytest.raises(AssertionError):
        check_mindmap(bad)


def test_sections_heading_level_topic() -> None:
    secs = find_sections(read_note(ARTICLE))
    assert [(s.heading, s.level) for s in secs] == [
        ("从“上网”到“上云”的转变", 3), ("从“单点”到“全域”的跃升", 3), ("一个细节 {小节}", 4)]
    assert secs[0].topic == "企业上云是第一步。"


def test_outline_has_lead_and_round_trips_as_json() -> None:
    data = outline(read_note(ARTICLE))
    assert data.lead == "某市把数字化作为转型主引擎。"
    assert len(data.sections) == 3
    assert Outline.from_dict(data.to_dict()) == data


def test_pseudo_headings_without_heading_blocks() -> None:
    assert [s.heading for s in find_sections(read_note(PLAIN))] == ["一、产业发展", "二、民生改善"]


def test_mermaid_is_valid_mindmap() -> None:
    src = outline_mermaid(read_note(ARTICLE))
    check_mindmap(src)
    assert "root((某市（试点）建设“数字城市”【纪实】))" in src
    assert "      s3(一个细节 ｛小节｝)" in src  # a level-4 heading sits under the level-3 ones


def test_mermaid_of_article_without_sections() -> None:
    check_mindmap(outline_mermaid(read_note("# 短讯\n\n　　今天(周一)发布[通知]。\n")))


@pytest.mark.parametrize(("raw", "safe"), [("a(b)", "a（b）"), ('说"好"', "说”好”"), ("x[1]", "x【1】"),
                                           ("a:b", "a：b"), ("{c}", "｛c｝")])
def test_mermaid_escaping(raw: str, safe: str) -> None:
    assert mermaid_text(raw) == safe


def test_markdown_outline() -> None:
    md = outline_markdown(read_note(ARTICLE))
    assert md.startswith("# 某市(试点)建设“数字城市”[纪实]\n")
    assert "### 从“上网”到“上云”的转变\n\n- 企业上云是第一步。" in md
    assert "#### 一个细节 {小节}" in md
