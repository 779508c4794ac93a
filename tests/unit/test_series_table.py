"""The snapshot's compact table of per-system series (provisioner/metering/series.py) reads as the dict it replaces."""

from __future__ import annotations

import random

import pytest

from provisioner.metering.series import SeriesTable


def test_it_holds_and_orders_what_a_dict_of_sums_would() -> None:
    table, reference = SeriesTable(), {}
    pick = random.Random(7)
    for _ in range(5000):         # series met in any order, zeros included: a zero is a series
        key = (("city", f"d{pick.randint(0, 3)}", f"s{pick.randint(0, 60)}"), pick.choice(("trial", "production")),
               pick.choice(("compute/cores", "compute/ram", "volumev3/capacity", "security/waf")))
        value = pick.choice((0.0, 1.5, 4.0))
        table.add(*key, value)
        reference[key] = reference.get(key, 0.0) + value
    assert list(table.sorted_items()) == sorted(reference.items())
    assert len(table) == len(reference) and dict(table) == reference
    with pytest.raises(KeyError):
        table[(("city", "d0", "nothing"), "trial", "compute/cores")]
    with pytest.raises(KeyError):
        table[(("city", "d0", "s0"), "trial", "network/bandwidth")]


def test_systems_with_the_same_series_share_one_layout() -> None:
    table = SeriesTable()
    for n in range(100):
        for kind in (("compute/ram", "compute/cores") if n % 2 else ("compute/cores", "compute/ram")):
            table.add(("city", "d", f"s{n}"), "production", kind, 1.0)
    assert len(table._layouts) == 3      # noqa: SLF001 - {cores}, {ram}, then {cores, ram} whichever came first
