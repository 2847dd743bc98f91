"""The JSON dict of an extraction record (a flat dataclass of scalars)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any


def as_dict(record: Any) -> dict[str, Any]:
    """Field name -> value, in field order (``dataclasses.asdict`` without its deep copy)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}
