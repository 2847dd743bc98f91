"""The material bank: notes, their items (quotes, facts, terms), themes, user marks and cards
in one SQLite file, searchable in Chinese (FTS5 over character bigrams, BM25).

Public API (used by the CLI and the web UI)::

    bank = Bank(path)                       # None: the default file (JINGDU_HOME or ~/.local/share/jingdu)
    bank.add_doc(doc, annotate=False)       # -> ("added"|"updated"|"unchanged", note id)
    bank.add_paths(paths, annotate=False, progress=cb)   # -> AddReport (failed: [(name, reason)])
    bank.search(query, kind=, theme=, source=, limit=)   # -> [Hit] (kind, text, note, score, snippet …)
    bank.get_note(id) / bank.get_doc(id) / bank.recent_notes(n) / bank.item(id) / bank.items(...)
    bank.set_user_marks(note_id, spans)     # the user's own marks, kept across re-adds
    bank.tag(item_id, themes)               # retag an item
    bank.due_cards(limit=) / bank.review(card_id, rating)   # FSRS (jingdu.review)
    bank.stats()

Exports live in :mod:`jingdu.bank.export` (``export_anki``, ``export_csv``, ``collect``).
"""

from jingdu.bank.schema import BankError, default_path
from jingdu.bank.search import Hit, SearchError
from jingdu.bank.store import AddReport, Bank

__all__ = ["AddReport", "Bank", "BankError", "Hit", "SearchError", "default_path"]
