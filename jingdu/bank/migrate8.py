"""Schema 8: ``notes.trained_marks``, the number of marks of a note a personal model learns from
(:func:`jingdu.bank.provenance.trained_marks`), so the trainer reads only the notes that have some
instead of unpacking every note of the bank."""

from __future__ import annotations

import sqlite3


def trained_marks_column(con: sqlite3.Connection) -> None:
    """Run inside the caller's transaction: add the column and count each stored note's marks."""
    from jingdu.bank.provenance import trained_marks
    from jingdu.bank.write import load_stored

    con.execute("ALTER TABLE notes ADD COLUMN trained_marks INTEGER NOT NULL DEFAULT 0")
    for row in con.execute("SELECT id, doc FROM notes").fetchall():
        count = trained_marks(*load_stored(row["doc"]))
        if count:
            con.execute("UPDATE notes SET trained_marks = ? WHERE id = ?", (count, row["id"]))
