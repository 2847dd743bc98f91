"""Who made a note's marks in the scored layers: what a personal model learns from.

``accepted``: the model's suggestions the user kept; ``added``: marks the user made; ``rejected``:
suggestions the user refused; ``marked``: the note's own marks (a note added with its marks).
A note with none of these teaches nothing; ``notes.trained_marks`` stores their sum, so the
trainer reads only the notes that have some.
"""

from __future__ import annotations

from jingdu.model import SCORED_LAYERS, Doc

Rejected = tuple[tuple[str, int, int], ...]


def provenance(doc: Doc, rejected: Rejected) -> dict[str, int]:
    """The counts of the scored layers' marks by who made them."""
    model = {(s.layer, s.start, s.end) for s in doc.all_spans() if s.origin == "model"}
    out = {"accepted": 0, "rejected": sum(1 for r in rejected if r[0] in SCORED_LAYERS), "added": 0, "marked": 0}
    for s in doc.all_spans():
        if s.layer not in SCORED_LAYERS:
            continue
        if s.origin == "user":
            out["accepted" if (s.layer, s.start, s.end) in model else "added"] += 1
        elif s.origin == "note":
            out["marked"] += 1
    return out


def trained_marks(doc: Doc, rejected: Rejected) -> int:
    """How many of the note's marks a personal model learns from (``notes.trained_marks``)."""
    return sum(provenance(doc, rejected).values())
