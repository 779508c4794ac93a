"""A table of per-system values keyed (labels, phase, kind), held compactly (pure).

The snapshot holds two of these (granted now, resource-seconds) for every system the
ledger knows: at 10,000 systems a plain dict of (labels, phase, kind) tuples to floats
costs ~140 bytes a series and ~200,000 series. Here each system has one row of doubles
holding only the series it has, led by the number of its layout: the (phase, kind) slots
of its values, a tuple shared by every system with the same ones (a few dozen distinct).
A series costs 8 bytes and a system ~70 more (a row with a slot for every (phase, kind)
any system has, NaN where it has none, cost 2 MB more at 10,000 systems: 38 slots, 17
used). It reads as a Mapping of the same keys and values, and `sorted_items()` gives the
series in the order /metrics lists them without building and sorting a list of them all.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping

Labels = tuple[str, str, str]          # region, department, system
Key = tuple[Labels, str, str]          # labels, phase, kind


class SeriesTable(Mapping[Key, float]):
    def __init__(self) -> None:
        self._slots: dict[tuple[str, str], int] = {}      # (phase, kind) -> its slot number
        self._layouts: list[tuple[int, ...]] = []         # a row's slots, sorted: the order of its values
        self._layout_ids: dict[tuple[int, ...], int] = {}
        self._rows: dict[Labels, array] = {}               # [layout number, value, value, ...]

    def _layout(self, slots: tuple[int, ...]) -> float:
        found = self._layout_ids.get(slots)
        if found is None:
            found = self._layout_ids[slots] = len(self._layouts)
            self._layouts.append(slots)
        return float(found)

    def add(self, labels: Labels, phase: str, kind: str, value: float) -> None:
        """Add `value` to the series (created at `value` if it did not exist)."""
        slot = self._slots.setdefault((phase, kind), len(self._slots))
        row = self._rows.get(labels)
        if row is None:
            self._rows[labels] = array("d", (self._layout((slot,)), value))
            return
        layout = self._layouts[int(row[0])]
        if slot in layout:
            row[layout.index(slot) + 1] += value
        else:                   # layouts are sorted: systems with the same series share one
            grown = tuple(sorted((*layout, slot)))
            row[0] = self._layout(grown)
            row.insert(grown.index(slot) + 1, value)

    def __getitem__(self, key: Key) -> float:
        labels, phase, kind = key
        row, slot = self._rows.get(labels), self._slots.get((phase, kind))
        if row is None or slot is None:
            raise KeyError(key)
        layout = self._layouts[int(row[0])]
        if slot not in layout:
            raise KeyError(key)
        return row[layout.index(slot) + 1]

    def __iter__(self) -> Iterator[Key]:
        return (key for key, _ in self.sorted_items())

    def __len__(self) -> int:
        return sum(len(row) - 1 for row in self._rows.values())

    def sorted_items(self) -> Iterator[tuple[Key, float]]:
        """Every series, ordered by labels, phase, kind (as sorted() would order the keys)."""
        names = {slot: key for key, slot in self._slots.items()}
        orders: dict[int, list[tuple[tuple[str, str], int]]] = {}     # layout -> ((phase, kind), index), sorted
        for labels in sorted(self._rows):
            row = self._rows[labels]
            number = int(row[0])
            order = orders.get(number)
            if order is None:
                order = orders[number] = sorted((names[slot], i + 1) for i, slot in enumerate(self._layouts[number]))
            for (phase, kind), index in order:
                yield (labels, phase, kind), row[index]

    def items(self) -> Iterator[tuple[Key, float]]:  # type: ignore[override] - same pairs, in order
        return self.sorted_items()
