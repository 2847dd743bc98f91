"""Files written atomically (a crash never leaves half a file) and output names for inputs."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    The file keeps the mode of the file it replaces; a new file gets the usual mode (0666 less the
    umask), not the private 0600 of a temporary file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_umask()


@lru_cache(maxsize=1)
def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def is_url(name: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name))


def stem_of(name: str) -> str:
    """The output stem for an input: the file's stem, or a readable name for a URL."""
    if is_url(name):
        parsed = urlparse(name)
        last = unquote(parsed.path.rstrip("/").rsplit("/", 1)[-1])
        last = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", last)
        last = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", last).strip("-")
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        return f"{last}-{digest}" if last else f"{parsed.hostname or 'page'}-{digest}"
    base = Path(name).name
    for ext in (".json", ".md", ".html", ".htm", ".txt", ".markdown"):
        if base.lower().endswith(ext):
            return base[: -len(ext)]
    return Path(base).stem or base


def unique_stems(names: list[str]) -> dict[str, str]:
    """An output stem for each input, distinct even when two inputs share a file stem.

    The first input with a stem keeps it (``post``); later ones get ``post-2``, ``post-3`` … in
    the order given, skipping a stem that another input already has.
    """
    wanted = [stem_of(n) for n in names]
    taken = set(wanted)
    out: dict[str, str] = {}
    used: set[str] = set()
    for name, stem in zip(names, wanted, strict=True):
        if name in out:
            continue
        choice, n = stem, 1
        while choice in used or (n > 1 and choice in taken):
            n += 1
            choice = f"{stem}-{n}"
        used.add(choice)
        out[name] = choice
    return out


def web_url(url: str | None) -> str:
    """``url`` when it is an http(s) URL with nothing a link could be tricked with (spaces, control
    characters, quotes, angle brackets), else ``""``: what exports may put in a link."""
    text = (url or "").strip()
    if not re.match(r"https?://[^/\s]", text, re.I):
        return ""
    if any(ch <= " " or ch in "\x7f\"'<>`\\" for ch in text):
        return ""
    return text


def cache_dir() -> Path:
    """``$JINGDU_HOME/cache``, else ``$XDG_CACHE_HOME/jingdu`` (``~/.cache/jingdu``): files jingdu
    can always compute again."""
    home = os.environ.get("JINGDU_HOME")
    if home:
        return Path(home) / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jingdu"
