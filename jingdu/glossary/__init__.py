"""规范词 glossaries: reading them (:mod:`jingdu.glossary.parse`), suggesting standard expressions for a
piece of material (:mod:`jingdu.glossary.suggest`) and evaluating the suggestions on the glossary
posts' exercises (:mod:`jingdu.glossary.evaluate`).  The bank stores entries (``Bank.glossary_*``)."""

from jingdu.glossary.parse import Entry, read_file, read_glossary
from jingdu.glossary.suggest import Suggester, Suggestion

__all__ = ["Entry", "Suggester", "Suggestion", "read_file", "read_glossary"]
