"""How densely the reader marks articles of each source account: a per-article prior on the rate
of marks (some accounts get no red at all, others are marked heavily).  Stored as counts; the
feature is the smoothed log-odds of a mark for the article's account, leave-one-article-out
while training."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

PSEUDO = 30.0


def account_key(account: str) -> str:
    return account.strip()[:20]


@dataclass
class Rates:
    """Per account: [positives, candidates] for highlight, red and bold (6 numbers)."""

    counts: dict[str, list[float]] = field(default_factory=dict)

    def add(self, account: str, row: Sequence[float]) -> None:
        cur = self.counts.setdefault(account_key(account), [0.0] * 6)
        for i, v in enumerate(row):
            cur[i] += float(v)

    def _total(self) -> list[float]:
        tot = [0.0] * 6
        for row in self.counts.values():
            for i, v in enumerate(row):
                tot[i] += v
        return tot

    def features(self, account: str, minus: Sequence[float] | None = None) -> tuple[float, float, float]:
        """Smoothed log-odds of a mark per layer for ``account`` (without ``minus``, its own counts)."""
        tot = self._total()
        row = list(self.counts.get(account_key(account), [0.0] * 6))
        if minus is not None:
            row = [a - b for a, b in zip(row, minus, strict=True)]
            tot = [a - b for a, b in zip(tot, minus, strict=True)]
        out = []
        for k in range(3):
            g = (tot[2 * k] + 1.0) / (tot[2 * k + 1] + 2.0)
            pos, n = row[2 * k], row[2 * k + 1]
            p = (pos + PSEUDO * g) / (n + PSEUDO)
            out.append(math.log(p / (1 - p)) / 3)
        return out[0], out[1], out[2]
