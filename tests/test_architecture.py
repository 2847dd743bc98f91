"""The package's shape: the layered contract of pyproject.toml holds (import-linter), and no
module imports itself back through others (no import circles, function-level imports included)."""

from __future__ import annotations

import os
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), package ``__init__``
    modules counted as modules of their own."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return out


def test_no_import_circles() -> None:
    assert _circles(grimp.build_graph("jingdu")) == []


def test_the_layered_contract_holds() -> None:
    from importlinter.cli import lint_imports

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    finally:
        os.chdir(cwd)
    assert code == 0, "run `lint-imports` to see the broken contract"


@pytest.mark.parametrize("module", ["jingdu.web", "jingdu.cli"])
def test_only_the_pipeline_assembles_stages(module: str) -> None:
    """The CLI and the web never call the annotator or the extractor themselves."""
    graph = grimp.build_graph("jingdu")
    for importer in graph.find_descendants(module) | {module}:
        imported = graph.find_modules_directly_imported_by(importer)
        assert "jingdu.annotate.annotator" not in imported and "jingdu.ingest.page" not in imported, importer
