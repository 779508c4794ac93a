"""A table of per-system values keyed (labels, phase, kind), held compactly (pure).

The snapshot holds two of these (granted now, resource-seconds) for every system the
ledger knows: at 10,000 systems a plain dict of (labels, phase, kind) tuples to floats
costs ~140 bytes a series and ~90,000 series. Here each system has one row of doubles, a
slot per (phase, kind) it ever had, NaN where it has none: ~40 bytes a series. It reads
as a Mapping of the same keys and values, and `sorted_items()` gives the series in the
order /metrics lists them without building and sorting a list of them all.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping

Labels = tuple[str, str, str]          # region, department, system
Key = tuple[Labels, str, str]          # labels, phase, kind
_NONE = math.nan


class SeriesTable(Mapping[Key, float]):
    def __init__(self) -> None:
        self._slots: dict[tuple[str, str], int] = {}      # (phase, kind) -> index in each row
        self._rows: dict[Labels, array] = {}

    def add(self, labels: Labels, phase: str, kind: str, value: float) -> None:
        """Add `value` to the series (created at `value` if it did not exist)."""
        slot = self._slots.get((phase, kind))
        if slot is None:
            slot = self._slots[(phase, kind)] = len(self._slots)
            for row in self._rows.values():
                row.append(_NONE)
        row = self._rows.get(labels)
        if row is None:
            row = self._rows[labels] = array("d", [_NONE]) * len(self._slots)
        held = row[slot]
        row[slot] = value if held != held else held + value        # NaN: no such series yet

    def __getitem__(self, key: Key) -> float:
        labels, phase, kind = key
        row, slot = self._rows.get(labels), self._slots.get((phase, kind))
        if row is None or slot is None or row[slot] != row[slot]:
            raise KeyError(key)
        return row[slot]

    def __iter__(self) -> Iterator[Key]:
        return (key for key, _ in self.sorted_items())

    def __len__(self) -> int:
        return sum(1 for _ in self.sorted_items())

    def sorted_items(self) -> Iterator[tuple[Key, float]]:
        """Every series, ordered by labels, phase, kind (as sorted() would order the keys)."""
        slots = sorted(self._slots.items())
        for labels in sorted(self._rows):
            row = self._rows[labels]
            for (phase, kind), slot in slots:
                value = row[slot]
                if value == value:
                    yield (labels, phase, kind), value

    def items(self) -> Iterator[tuple[Key, float]]:  # type: ignore[override] - same pairs, in order
        return self.sorted_items()
