"""The web workbench: read, correct and search notes in the browser (``jingdu serve``).

``create_app(db_path, options)`` returns the FastAPI application; see :mod:`jingdu.web.app`.
"""

from __future__ import annotations

from jingdu.web.app import create_app
from jingdu.web.options import WebOptions

__all__ = ["WebOptions", "create_app"]
