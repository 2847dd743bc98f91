"""The orchestrator: one article through every stage.

Stages, in order (each is its own module and can be used alone):

1. **ingest**   ``jingdu.ingest.load``           file / URL / text  -> ``Doc``
2. **segment**  ``jingdu.segment.sentences``     sentences cut like the referee, jieba words
3. **annotate** ``jingdu.annotate.annotate``     adds ``highlight``, ``bold``, ``red`` spans (origin "model")
4. **extract**  ``jingdu.extract.extract``       facts, policy terms, quotes, outline
5. **bank**     ``jingdu.bank.Bank.add_doc``     stores the note and its items for search and review
6. **publish**  ``jingdu.publish``               Hugo/Obsidian posts and theme collections
7. **web**      ``jingdu.web``                   the workbench over all of the above

All tunables of a run sit in one :class:`PipelineOptions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingdu.ingest import DEFAULT_OPTIONS, IngestOptions, load, load_text
from jingdu.model import Doc


@dataclass(frozen=True)
class PipelineOptions:
    """What a run does: where the model is, whether to annotate, replace marks, extract."""

    ingest: IngestOptions = field(default_factory=lambda: DEFAULT_OPTIONS)
    annotate: bool = True
    replace_marks: bool = False
    model_path: Path | None = None
    extract: bool = True


@dataclass(frozen=True)
class Processed:
    doc: Doc
    extraction: dict[str, Any] | None


def process_doc(doc: Doc, options: PipelineOptions = PipelineOptions()) -> Processed:
    """Annotate and extract an ingested document, as the options say."""
    if options.annotate:
        from jingdu.annotate import annotate, load_model

        doc = annotate(doc, load_model(options.model_path), replace=options.replace_marks)
    extraction = None
    if options.extract:
        from jingdu.extract import extract

        extraction = extract(doc)
    return Processed(doc, extraction)


def process(name: str, options: PipelineOptions = PipelineOptions()) -> Processed:
    """Ingest a file or URL and run it through the stages."""
    return process_doc(load(name, options.ingest), options)


def process_text(text: str, name: str = "", options: PipelineOptions = PipelineOptions()) -> Processed:
    """Ingest text already in memory (pasted text, HTML, a note) and run it through the stages."""
    return process_doc(load_text(text, name, options.ingest), options)
