"""The one pipeline: read → annotate → extract, and the one batch runner.

The CLI, the bank and the web all call these functions; nothing else puts stages together.

>>> processed = process(read("post.md"), PipelineOptions(annotate=True))   # doctest: +SKIP
>>> processed.doc.spans("highlight"), processed.extraction.facts            # doctest: +SKIP

:func:`run_batch` runs a function over many inputs (in worker processes when ``jobs > 1``) and
yields one :class:`Outcome` per input in the order given: its result, or the one-line reason it
failed.  A bad input never stops the batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from jingdu.annotate import annotate as run_annotator
from jingdu.annotate import load_model
from jingdu.errors import JingduError
from jingdu.extract import Extraction, extract
from jingdu.ingest import DEFAULT_OPTIONS, IngestOptions, load, load_bytes, load_text
from jingdu.model import Doc

T = TypeVar("T")


class AnnotatorError(JingduError):
    """An annotator that returned something other than the same words with marks."""

    code = "bad_annotator"
    status = 500

#: Exceptions that mean "this input is bad": reported per input, never as a traceback.
INPUT_ERRORS: tuple[type[BaseException], ...] = (JingduError, OSError, UnicodeError, ValueError)
#: ``progress(done, total, name)`` after each input.
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PipelineOptions:
    """What the pipeline does to each input (one object threaded through every stage)."""

    ingest: IngestOptions = DEFAULT_OPTIONS
    annotate: bool = False  # let the model mark the note (origin "model")
    replace: bool = False  # drop the input's own highlight/bold/red first
    model: str | None = None  # a model file or folder; None: the shipped model
    explain: bool = False  # keep why each mark was made (annotate's report)
    extract: bool = True  # also extract facts, terms, quotes and the outline
    #: another annotator than the model's (tests, the workbench's options); not for worker processes
    annotator: Callable[[Doc], Doc] | None = None


DEFAULT_PIPELINE = PipelineOptions()


@dataclass(frozen=True)
class Processed:
    """A note after the pipeline: the document and what was extracted from it."""

    doc: Doc
    extraction: Extraction | None


def read(source: str, options: PipelineOptions = DEFAULT_PIPELINE) -> Doc:
    """A file path or an http(s) URL as a document."""
    return load(source, options.ingest)


def read_text(text: str, name: str = "", options: PipelineOptions = DEFAULT_PIPELINE) -> Doc:
    """Text already in memory (a note, HTML, JSON or plain text; ``options.ingest.fmt`` may say which)."""
    return load_text(text, name, options.ingest)


def read_bytes(data: bytes, name: str = "", options: PipelineOptions = DEFAULT_PIPELINE) -> Doc:
    """Bytes already in memory (an upload); the encoding and format are told from them."""
    return load_bytes(data, name, options.ingest)


def annotate(doc: Doc, options: PipelineOptions = DEFAULT_PIPELINE) -> Doc:
    """The model's marks added to ``doc`` (the words never change: an annotator that changed
    them is a bug, and its result is refused)."""
    if options.annotator is not None:
        out = options.annotator(doc)
    else:
        out = run_annotator(doc, load_model(options.model), replace=options.replace, explain=options.explain)
    if not isinstance(out, Doc) or out.text != doc.text:
        raise AnnotatorError("the annotator changed the article's words; its marks were not used")
    return out


def process(doc: Doc, options: PipelineOptions = DEFAULT_PIPELINE) -> Processed:
    """Annotate (when asked) and extract one document."""
    if options.annotate:
        doc = annotate(doc, options)
    return Processed(doc, extract(doc) if options.extract else None)


def run(source: str, options: PipelineOptions = DEFAULT_PIPELINE) -> Processed:
    """Read and process one input."""
    return process(read(source, options), options)


# -- the batch runner --------------------------------------------------------------------------
@dataclass
class Outcome(Generic[T]):
    """One input's result, or why it failed."""

    name: str
    value: T | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchReport:
    """What a batch did: the inputs that went through and those that failed, with reasons."""

    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def record(self, outcome: Outcome[object]) -> None:
        if outcome.error is None:
            self.done.append(outcome.name)
        else:
            self.failed.append((outcome.name, outcome.error))

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def reason_of(exc: BaseException) -> str:
    """The one-line reason an input failed: a domain error's message, else the error's type too."""
    if isinstance(exc, JingduError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


def _one(work: Callable[[str], T], name: str) -> Outcome[T]:
    try:
        return Outcome(name, work(name))
    except INPUT_ERRORS as exc:
        return Outcome(name, None, reason_of(exc))


def default_jobs() -> int:
    return min(4, os.cpu_count() or 1)


def run_batch(inputs: Iterable[str], work: Callable[[str], T], *, jobs: int = 1,
              progress: ProgressFn | None = None) -> Iterator[Outcome[T]]:
    """``work(name)`` for each input, in order; ``jobs > 1`` runs it in worker processes
    (``work`` must then be picklable: a module-level function or a ``functools.partial`` of one)."""
    names = list(inputs)
    if jobs > 1 and len(names) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(names))) as pool:
            outcomes: Iterator[Outcome[T]] = pool.map(_one, [work] * len(names), names, chunksize=4)
            yield from _counted(outcomes, len(names), progress)
        return
    yield from _counted((_one(work, n) for n in names), len(names), progress)


def _counted(outcomes: Iterator[Outcome[T]], total: int, progress: ProgressFn | None) -> Iterator[Outcome[T]]:
    for done, outcome in enumerate(outcomes, 1):
        if progress:
            progress(done, total, outcome.name)
        yield outcome

