"""What a request asks for, in the measures the on-demand limits are set in (art15; pure).

The amounts are the allocation model's (provisioner.allocation): hosts and databases
count through their catalogue flavors (a database standby counts twice, system disks
count as block storage); a flavor missing from the catalogue counts nothing here, the
catalogue rules report it. Besides each total, the place of its largest part: a finding
points there, since that is where cutting helps most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby
from typing import TYPE_CHECKING

from provisioner.allocation import Allocation, allocate
from provisioner.allocation import kinds
from provisioner.allocation.model import Server
from provisioner.catalogue import Catalogue
from provisioner.policy.model import MEASURES
from provisioner.policy.messages import WORDS
from provisioner.spec.findings import Path
from provisioner.words import Text

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

MEASURE_WORDS: dict[str, Text] = {measure: WORDS("measure-" + measure.replace("_", "-")) for measure in MEASURES}

Totals = dict[str, float]


@dataclass(frozen=True)
class Usage:
    totals: Totals
    largest: dict[str, Path] = field(default_factory=dict)   # measure -> where its largest part is


def usage(spec: RequestSpec, catalogue: Catalogue) -> Usage:
    return usage_of(allocate(spec, catalogue))


def usage_of(allocation: Allocation) -> Usage:
    parts: dict[str, dict[Path, float]] = {measure: {} for measure in MEASURES}
    for measure, amount, path in _parts(allocation):
        if amount:
            found = parts[measure]
            found[path] = found.get(path, 0.0) + amount
    totals = {measure: float(sum(found.values())) for measure, found in parts.items()}
    # max keeps the first of equal parts, in the order _parts gives them
    largest = {measure: max(found, key=found.__getitem__) for measure, found in parts.items() if found}
    return Usage(totals, largest)


class Measured:
    """Each spec's allocation and usage under one catalogue, worked out once.

    A review asks three times about each spec (its department's totals, the on-demand caps,
    the catalogue's offers); expanding a spec is most of what a policy check costs."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._allocations: dict[int, tuple[RequestSpec, Allocation]] = {}   # by id(spec), spec kept alive
        self._usages: dict[int, Usage] = {}

    def allocation(self, spec: RequestSpec) -> Allocation:
        done = self._allocations.get(id(spec))
        if done is None:
            done = self._allocations[id(spec)] = (spec, allocate(spec, self.catalogue))
        return done[1]

    def usage(self, spec: RequestSpec) -> Usage:
        found = self._usages.get(id(spec))
        if found is None:
            found = self._usages[id(spec)] = usage_of(self.allocation(spec))
        return found


_DATABASES: Path = ("resources", "databases")


def _parts(allocation: Allocation) -> Iterable[tuple[str, float, Path]]:
    """(measure, amount, spec field) of every part; parts at one field add up."""
    # A role's servers are alike and listed together: counted a role at a time (the amounts
    # are whole or 1/1024ths, exact in a float, so adding them by role changes no bit).
    for (path, vcpus, ram_mb, is_database), alike in groupby(allocation.servers, key=_role):
        servers = sum(1 for _ in alike)
        if not is_database:
            yield "hosts", servers, path + ("count",)
        yield "vcpus", (vcpus or 0) * servers, path + ("flavor",)
        yield "ram_gb", (ram_mb or 0) * servers / 1024, path + ("flavor",)
    for unit in allocation.of(kinds.BLOCK):
        database = unit.path[:len(_DATABASES)] == _DATABASES
        yield "database_storage_gb" if database else "block_storage_gb", _float(unit.amount), unit.path
    for kind, measure in _MEASURE_OF_KIND.items():
        for unit in allocation.of(kind):
            yield measure, _float(unit.amount), unit.path


def _float(amount: Fraction) -> float:
    """float(amount), the same division without the detour through numbers.Rational (a unit's
    amount is read this way thousands of times in a review)."""
    return amount.numerator / amount.denominator


def _role(server: Server) -> tuple[Path, int | None, int | None, bool]:
    return server.path, server.vcpus, server.ram_mb, server.database is not None


_MEASURE_OF_KIND = {kinds.SHARES: "block_storage_gb", kinds.OBJECT: "object_storage_gb",
                    kinds.BANDWIDTH: "internet_mbps", kinds.FLOATING_IPS: "public_ips",
                    kinds.LOAD_BALANCERS: "load_balancers"}


def add(a: Totals, b: Totals) -> Totals:
    return {measure: a.get(measure, 0.0) + b.get(measure, 0.0) for measure in MEASURES}


def subtract(a: Totals, b: Totals) -> Totals:
    return {measure: a.get(measure, 0.0) - b.get(measure, 0.0) for measure in MEASURES}


def number(value: float) -> str:
    """2.0 -> 2, 2.5 -> 2.5: amounts as people write them."""
    return f"{value:g}" if value != int(value) else str(int(value))
