"""A registry is an ordered name -> entry table.

Activations, initialisers, optimisers, losses and datasets are all registries of small
objects with at least ``.name`` and ``.label``; widgets, tests and docs iterate over them, so
adding an entry is the object plus one ``register`` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Ordered mapping of names to entries, with helpful errors for unknown names."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        name = entry.name  # type: ignore[attr-defined]
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def unregister(self, name: str) -> T:
        """Remove and return the entry ``name`` (a test's throwaway entry, for instance)."""
        return self._entries.pop(name)

    def __getitem__(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            raise ValueError(
                f"unknown {self.kind} {name!r}; allowed: {', '.join(self._entries)}"
            ) from None

    def get(self, name: str, default: T | None = None) -> T | None:
        return self._entries.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        return list(self._entries)

    def labels(self) -> dict[str, str]:
        return {n: e.label for n, e in self._entries.items()}  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"Registry({self.kind}: {', '.join(self._entries)})"
