"""Splitting an SQL script into its statements (for the schema's migration steps)."""

from __future__ import annotations

import sqlite3


def statements(script: str) -> list[str]:
    """The statements of an SQL script (a trigger's body stays with its trigger)."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf)
        if joined.strip().endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    return out
