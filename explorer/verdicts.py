"""A verdict over several seeds: "holds on k of 5 seeds", one definition for the Lesson's steps
(:mod:`explorer.lesson.seeds`) and the Playground's presets (:mod:`explorer.presets`).

Each seed gets one status: ``holds`` (the claim's predicate is true on that seed's runs),
``fails`` (it is not), or ``diverged`` (a run diverged, :attr:`explorer.record.RunRecord.divergence`:
nothing is claimed from it, and it never counts as holding). The seeds counted are 0 … n−1 when
the shown seed is one of them, else the shown seed and the n − 1 after it (before it at the seed
field's upper end): the run a page shows is always one of the counted seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import FIELDS

HOLDS, FAILS, DIVERGED = "holds", "fails", "diverged"
STATUSES = (HOLDS, FAILS, DIVERGED)
#: how many seeds a verdict is counted on
VERDICT_SEEDS = 5


def verdict_seeds(seed: int, n: int = VERDICT_SEEDS) -> tuple[int, ...]:
    """The seeds a verdict is counted on: 0 … n−1 if ``seed`` is one of them, else ``seed``
    and the n − 1 seeds after it (the seed field's upper end: the ones before it)."""
    if 0 <= seed < n:
        return tuple(range(n))
    top = int(FIELDS["seed"].hi)
    first = min(seed, top - n + 1)
    return tuple(range(first, first + n))


@dataclass(frozen=True)
class Tally:
    """Statuses on ``seeds`` (in order); ``shown`` is the seed the page shows; ``seeded`` False
    for a claim whose numbers do not depend on the seed (computed once)."""

    seeds: tuple[int, ...]
    statuses: tuple[str, ...]
    shown: int
    seeded: bool = True

    def __post_init__(self) -> None:
        if len(self.seeds) != len(self.statuses):
            raise ValueError("Tally: one status per seed")
        if self.shown not in self.seeds:
            raise ValueError(f"Tally: the shown seed {self.shown} is not counted")
        bad = set(self.statuses) - set(STATUSES)
        if bad:
            raise ValueError(f"Tally: unknown status {sorted(bad)}")

    @property
    def k(self) -> int:
        """Seeds on which the claim holds (a diverged seed never does)."""
        return self.statuses.count(HOLDS)

    @property
    def n(self) -> int:
        return len(self.seeds)

    def where(self, which: str) -> list[int]:
        """The seeds with status ``which``."""
        return [s for s, v in zip(self.seeds, self.statuses, strict=True) if v == which]

    @property
    def shown_status(self) -> str:
        return self.statuses[self.seeds.index(self.shown)]
