"""One key press from the terminal (``jingdu review`` rates with a single digit, no Enter).

In a terminal the key is read in cbreak mode (no echo, no line buffering) and the terminal is
restored afterwards; when input is not a terminal (a pipe, a test), a line is read instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO


def key_reader(stream: TextIO, show: Callable[[str], None],
               read_line: Callable[[str], str]) -> Callable[[str], str]:
    """``ask(prompt)`` that returns one key press from ``stream`` when it is a terminal, else a line."""
    try:
        fd = stream.fileno()
        interactive = stream.isatty()
    except (AttributeError, OSError, ValueError):
        interactive = False
    if not interactive:
        return read_line

    def ask(prompt: str) -> str:
        show(prompt)
        key = read_key(fd)
        show((key if key.isprintable() else "") + "\n")
        if key in ("\x03", "\x04"):  # Ctrl-C, Ctrl-D
            raise EOFError
        return key

    return ask


def read_key(fd: int) -> str:
    """One character from the terminal ``fd``, without echo or Enter."""
    import os
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # keys typed ahead are kept, not flushed
        data = os.read(fd, 4)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return data.decode("utf-8", errors="replace")[:1] or "\x04"
