"""Published posts build with Debian's hugo (``--panicOnWarning``) and render every mark; the
bank's items, the outlines and the mind maps hold no layout (embeds, shortcodes, attributes)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.bank import Bank
from jingdu.cli import app
from jingdu.extract import extract, outline_mermaid
from jingdu.notation import read_note

HERE = Path(__file__).parent
LAYOUT = re.compile(r"iframe|＜iframe|\{\{[<%]|(?:width|height|src|href|style)=[\"']")
MARKS = {"highlight": r"background:#fff88f", "bold": r"<strong>|<b>", "red": r'<font color="#ff0000"'}


def _note() -> str:
    """A note with every kind of layout (an article written for the tests; see test_structure)."""
    return (HERE / "fixtures" / "structure_note.md").read_text(encoding="utf-8")


def _hugo(site: Path) -> None:
    if shutil.which("hugo") is None:
        pytest.skip("Debian's hugo is not installed (apt-get install hugo)")
    res = subprocess.run(["hugo", "--panicOnWarning", "--quiet"], cwd=site, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


def _check_rendered(source: Path, site: Path) -> list[str]:
    """What is wrong with the rendered page of ``source`` (nothing: [])."""
    doc = read_note(source.read_text(encoding="utf-8"), note_id=source.stem)
    pages = list((site / "public" / "posts").glob(f"*{source.stem}*/index.html"))
    if len(pages) != 1:
        return [f"{source.name}: {len(pages)} pages"]
    body = re.sub(r"<code>.*?</code>|<pre.*?</pre>", "", pages[0].read_text(encoding="utf-8"), flags=re.S)
    problems = [f"{source.name}: {layer} {len(doc.spans(layer))} marks, {len(re.findall(pat, body, re.I))} shown"
                for layer, pat in MARKS.items() if len(re.findall(pat, body, re.I)) < len(doc.spans(layer))]
    problems += [f"{source.name}: {junk!r}" for junk in ("&lt;span", "&lt;strong", "&lt;font", "&lt;iframe", "{{<",
                                                         "raw HTML omitted") if junk in body]
    if body.count("**") > doc.text.count("**"):
        problems.append(f"{source.name}: literal **")
    return problems


def _publish(posts: list[Path], site: Path) -> None:
    res = CliRunner().invoke(app, ["publish", *map(str, posts), "--hugo", str(site)])
    assert res.exit_code == 0, res.output


def test_our_notes_publish_into_a_site_that_builds(tmp_path: Path) -> None:
    posts = [HERE / "fixtures" / "note_jiangnan.md", tmp_path / "structure.md"]
    posts[1].write_text(_note(), encoding="utf-8")
    _publish(posts, tmp_path / "site")
    _hugo(tmp_path / "site")
    assert [p for post in posts for p in _check_rendered(post, tmp_path / "site")] == []
    page = next((tmp_path / "site" / "public" / "posts").glob("*structure*/index.html")).read_text(encoding="utf-8")
    assert "<iframe" in page and "show-text" not in page and page.count("江南县的新路子") == 2  # title, h1


def test_clipped_markdown_annotated_then_published_keeps_its_links_footnotes_and_emphasis(tmp_path: Path) -> None:
    from test_structure import CLIPPED

    (tmp_path / "in").mkdir()
    note = tmp_path / "in" / "clipped.md"
    note.write_text("# 江南县的新路子\n\n" + "\n\n".join(CLIPPED) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["annotate", str(note), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    _publish([tmp_path / "out" / "clipped.md"], tmp_path / "site")
    _hugo(tmp_path / "site")
    page = next((tmp_path / "site" / "public" / "posts").glob("*clipped*/index.html")).read_text(encoding="utf-8")
    for shown in ('<a href="https://example.org/a" title="江南县政府">', '<a href="https://example.org/gov">',
                  '<a href="https://example.org/auto">', 'class="footnote-ref"', "<em>建成</em>",
                  "<em>图为江南县的示范基地。</em>", "参考文献[1][2]", "a_b与c_d", "<del>已经过时</del>",
                  "1~2天"):
        assert shown in page, shown


def test_items_and_outlines_hold_no_layout(tmp_path: Path) -> None:
    src = tmp_path / "structure.md"
    src.write_text(_note(), encoding="utf-8")
    with Bank(tmp_path / "b.db") as bank:
        bank.add_paths([str(src)], annotate=True, jobs=1)
        assert [h.text for h in bank.items() if LAYOUT.search(h.text)] == []
    doc = read_note(_note())
    assert not LAYOUT.search(outline_mermaid(doc)) and not LAYOUT.search(str(extract(doc).to_dict()))


@pytest.mark.slow
@pytest.mark.corpus
def test_the_whole_corpus_publishes_into_a_site_that_builds(corpus_dir: Path, tmp_path: Path) -> None:
    posts = sorted((corpus_dir / "annotated").glob("*.md")) + sorted((corpus_dir / "plain").glob("*.md"))
    _publish(posts, tmp_path / "site")
    _hugo(tmp_path / "site")
    assert [p for post in posts for p in _check_rendered(post, tmp_path / "site")] == []


@pytest.mark.slow
@pytest.mark.corpus
def test_no_layout_among_the_corpus_items_outlines_and_mind_maps(corpus_dir: Path, tmp_path: Path) -> None:
    posts = sorted((corpus_dir / "annotated").glob("*.md")) + sorted((corpus_dir / "plain").glob("*.md"))
    with Bank(tmp_path / "b.db") as bank:
        report = bank.add_paths([str(p) for p in posts])
        assert report.added == len(posts)
        bad = [h.text[:60] for h in bank.items() if h.kind != "note" and LAYOUT.search(h.text)]
        bad += [f"{n['note_id']}: outline" for n in bank.notes()
                if LAYOUT.search(str(bank.extraction(n["id"]).outline.to_dict()))]
    bad += [f"{p.name}: mind map" for p in posts
            if LAYOUT.search(outline_mermaid(read_note(p.read_text(encoding="utf-8"))))]
    assert bad == []
