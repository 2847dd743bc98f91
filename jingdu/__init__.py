"""精读 jingdu: clip, mark, extract and review Chinese official-media articles.

The stages, each a module of its own and usable alone, all speaking :class:`jingdu.model.Doc`:

1. **ingest**   :func:`jingdu.ingest.load`            file / URL / text -> ``Doc``
2. **segment**  :func:`jingdu.segment.sentences`      sentences cut like the referee; jieba words
3. **annotate** :func:`jingdu.annotate.annotate`      adds ``highlight``, ``bold``, ``red`` (origin "model")
4. **extract**  :func:`jingdu.extract.extract`        facts, policy terms, quotes, outline
5. **bank**     :class:`jingdu.bank.Bank`             stores notes and their items; search, themes
6. **review**   :mod:`jingdu.review`                  FSRS cards from the bank's quotes and facts
7. **publish**  :mod:`jingdu.publish`                 Hugo/Obsidian posts and theme collections
8. **web**      :func:`jingdu.web.create_app`         the workbench over all of the above

Writers (:mod:`jingdu.notation`, :mod:`jingdu.jsonio`, :mod:`jingdu.w3c`, :mod:`jingdu.htmlout`)
render a ``Doc``; the CLI (:mod:`jingdu.cli`) calls one library function per command.  The bank
runs ingest -> annotate -> extract for each input it adds (:meth:`jingdu.bank.Bank.add_paths`).
"""

__version__ = "0.1.0"
