"""Domain exceptions: one hierarchy for the CLI and the web.

Every error jingdu reports to a user is a :class:`JingduError`; each class carries a short
machine ``code`` and the HTTP ``status`` the web answers with.  The CLI prints the message on
one line and exits non-zero; the web renders ``{"error": {"code", "message", "status"}}`` (or a
small HTML page) from the same two attributes.  Raise with another status or code for one
occasion: ``InvalidRequest("…", code="csrf", status=403)``.
"""

from __future__ import annotations


class JingduError(Exception):
    """Base of every error jingdu reports to a user (never a traceback)."""

    code = "error"
    status = 400

    def __init__(self, message: str = "", *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return str(self) or self.code


class InputError(JingduError):
    """An input that cannot be read: empty, binary, undecodable, too large, unreachable."""

    code = "bad_input"


class InvalidRequest(InputError):
    """A request whose shape is wrong: missing or extra fields, a bad value, a bad range."""

    code = "invalid_request"
    status = 422


class Forbidden(JingduError):
    """A request refused: a wrong token, a foreign origin, a private address."""

    code = "forbidden"
    status = 403


class NotAnArticle(InputError):
    """A page that is not an article: deleted, blocked, an anti-bot check, an image post."""

    code = "not_an_article"


class FetchError(InputError):
    """A URL that could not be fetched (scheme, timeout, size cap, HTTP status)."""

    code = "fetch_failed"
    status = 502


class ModelError(JingduError):
    """A model file that is missing, corrupt or of the wrong version."""

    code = "bad_model"
    status = 503


class NotFound(JingduError):
    code = "not_found"
    status = 404


class BankError(JingduError):
    """A bank file that cannot be opened, is newer than this jingdu, or a write that broke."""

    code = "bank"
    status = 500
