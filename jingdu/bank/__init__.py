"""The material bank: notes (each stored once as ``jingdu.note/1`` JSON with every mark and
its origin), their items (quotes, facts, terms), themes and cards in one SQLite file, searchable
in Chinese (FTS5 over character bigrams, BM25).

Public API (used by the CLI and the web workbench; neither touches the SQL)::

    bank = Bank(path)                       # None: the default file (JINGDU_HOME or ~/.local/share/jingdu)
    bank.add_doc(doc, annotate=False)       # -> ("added"|"updated"|"unchanged", note id)
    bank.add_paths(paths, annotate=False, replace=False, progress=cb)   # -> AddReport
    bank.search(query, kind=, theme=, source=, limit=)   # -> [Hit] (kind, text, note, score, snippet …)
    bank.note(id) -> StoredNote             # every span, the rejections, the record
    bank.get_doc(id) / bank.export_doc(id) / bank.extraction(id) / bank.recent_notes(n) / bank.items(...)
    bank.set_marks(id, user_spans, rejected) / bank.set_user_marks(id, spans)
    bank.tag(item_id, themes)               # retag an item
    bank.due_cards(limit=) / bank.review(card_id, rating)   # FSRS
    bank.stats() / bank.sources() / bank.orphans()

A note's id is the bank's (an int); :meth:`Bank.resolve` also takes its label (file stem).
Exports live in :mod:`jingdu.bank.export` (``export_anki``, ``export_csv``, ``collect``).
"""

from jingdu.bank.schema import BankError, default_path
from jingdu.bank.search import Hit, SearchError
from jingdu.bank.store import AddReport, Bank, StoredNote, TooSlow, prepare

__all__ = ["AddReport", "Bank", "BankError", "Hit", "SearchError", "StoredNote", "TooSlow", "default_path", "prepare"]
