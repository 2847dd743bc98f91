"""Shared fixtures: the corpus in ../shared (skipped with a reason when absent) and short
articles written for these tests (never corpus text)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JINGDU_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
PAGES = SHARED / "pages"
FIXTURES = Path(__file__).parent / "fixtures"

os.environ.setdefault("JINGDU_NO_PROGRESS", "1")
# no test reads or writes the user's own bank (~/.local/share/jingdu): a command without --db
# gets a bank of the test session's own
os.environ["JINGDU_HOME"] = tempfile.mkdtemp(prefix="jingdu-test-home-")
# the optional sentence encoder (jingdu/glossary/encoder.py), when installed, is tested on its own;
# the other tests rank 规范词 without it, as a default install does
os.environ["JINGDU_ENCODER"] = "off"


@pytest.fixture
def corpus_dir() -> Path:
    if not (CORPUS / "annotated").is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture
def pages_dir() -> Path:
    if not PAGES.is_dir():
        pytest.skip(f"the shared pages are not at {PAGES}")
    return PAGES


@pytest.fixture
def sample_note_text() -> str:
    return (FIXTURES / "note_jiangnan.md").read_text(encoding="utf-8")
