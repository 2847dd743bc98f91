"""Domain exceptions.  The CLI turns each into a one-line message and an exit code; the web API
into its one JSON error shape."""

from __future__ import annotations


class JingduError(Exception):
    """Base of every error jingdu reports to a user (never a traceback)."""

    code = "error"


class InputError(JingduError):
    """An input that cannot be read: empty, binary, undecodable, too large, unreachable."""

    code = "bad_input"


class NotAnArticle(InputError):
    """A page that is not an article: deleted, blocked, an anti-bot check, an image post."""

    code = "not_an_article"


class FetchError(InputError):
    """A URL that could not be fetched (scheme, timeout, size cap, HTTP status)."""

    code = "fetch_failed"


class ModelError(JingduError):
    """A model file that is missing, corrupt or of the wrong version."""

    code = "bad_model"


class NotFound(JingduError):
    code = "not_found"
