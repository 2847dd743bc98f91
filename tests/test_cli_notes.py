"""`jingdu ingest` and `jingdu convert`, driven in-process: batches, bad inputs, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingdu.cli import app
from jingdu.notation import read_note

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture
def note_file(tmp_path: Path, sample_note_text: str) -> Path:
    path = tmp_path / "jiangnan.md"
    path.write_text(sample_note_text, encoding="utf-8")
    return path


def test_convert_to_md_gives_the_same_bytes(note_file: Path, tmp_path: Path) -> None:
    code, _ = run("convert", str(note_file), "--to", "md", "-o", str(tmp_path / "out"))
    assert code == 0
    assert (tmp_path / "out" / "jiangnan.md").read_bytes() == note_file.read_bytes()


@pytest.mark.parametrize(("fmt", "ext"), [("json", "json"), ("html", "html"), ("w3c", "jsonld")])
def test_convert_writes_each_format(note_file: Path, tmp_path: Path, fmt: str, ext: str) -> None:
    code, _ = run("convert", str(note_file), "--to", fmt, "-o", str(tmp_path))
    assert code == 0 and (tmp_path / f"jiangnan.{ext}").stat().st_size > 0


def test_json_then_md_gives_the_same_note(note_file: Path, tmp_path: Path) -> None:
    run("convert", str(note_file), "--to", "json", "-o", str(tmp_path / "j"))
    code, _ = run("convert", str(tmp_path / "j" / "jiangnan.json"), "--to", "md", "-o", str(tmp_path / "m"))
    assert code == 0
    assert (tmp_path / "m" / "jiangnan.md").read_bytes() == note_file.read_bytes()


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.md",
        "binary": tmp / "binary.md",
        "missing": tmp / "missing.md",
        "json": tmp / "broken.json",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["json"].write_text('{"text": 5}', encoding="utf-8")
    return files


@pytest.mark.parametrize("kind", ["empty", "binary", "missing", "json"])
def test_bad_input_is_named_and_the_batch_goes_on(note_file: Path, tmp_path: Path, kind: str) -> None:
    bad = _bad_inputs(tmp_path)[kind]
    code, output = run("ingest", str(bad), str(note_file), "-o", str(tmp_path / "out"))
    assert code == 1
    assert bad.name in output and "Traceback" not in output
    assert (tmp_path / "out" / "jiangnan.md").exists()


def test_gbk_text_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("乡村振兴的新路子\n\n村里建起了合作社，农民收入稳步提高。\n".encode("gbk"))
    code, _ = run("ingest", str(path), "-o", str(tmp_path / "out"))
    assert code == 0
    assert "合作社" in read_note((tmp_path / "out" / "gbk.md").read_text(encoding="utf-8")).text


def test_huge_file_is_refused_quickly(tmp_path: Path, note_file: Path) -> None:
    big = tmp_path / "huge.md"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    code, output = run("ingest", str(big), str(note_file), "-o", str(tmp_path / "out"))
    assert code == 1 and "huge.md" in output and "MB" in output


def test_non_http_url_is_refused(tmp_path: Path) -> None:
    code, output = run("ingest", "ftp://example.org/a.html", "-o", str(tmp_path))
    assert code == 1 and "ftp://example.org/a.html" in output


def test_json_output_is_valid_json(note_file: Path, tmp_path: Path) -> None:
    run("convert", str(note_file), "--to", "json", "-o", str(tmp_path))
    data = json.loads((tmp_path / "jiangnan.json").read_text(encoding="utf-8"))
    assert data["meta"]["title"].startswith("江南县")


def test_corpus_round_trips_through_the_cli(corpus_dir: Path, tmp_path: Path) -> None:
    notes = sorted(str(p) for p in (corpus_dir / "annotated").glob("*.md"))
    assert run("convert", *notes, "--to", "json", "-o", str(tmp_path / "j"))[0] == 0
    jsons = sorted(str(p) for p in (tmp_path / "j").glob("*.json"))
    assert run("convert", *jsons, "--to", "md", "-o", str(tmp_path / "m"))[0] == 0
    for note in notes:
        name = Path(note).name
        assert (tmp_path / "m" / name).read_bytes() == Path(note).read_bytes(), name


def test_ingested_page_keeps_its_date_in_the_footer(tmp_path: Path) -> None:
    page = Path(__file__).parent / "fixtures" / "wechat_served.html"
    code, _ = run("ingest", str(page), "-o", str(tmp_path))
    assert code == 0
    text = (tmp_path / "wechat_served.md").read_text(encoding="utf-8")
    assert "\n---\n\n> 作者: " in text and "\n> 发布: " in text
    doc = read_note(text)
    assert doc.meta.published.endswith("+08:00")
    assert doc.title and doc.meta.account
