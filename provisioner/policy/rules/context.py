"""What a check knows besides the spec: the policies, the day, and the department's other requests."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from provisioner.allocation import Allocation, allocate
from provisioner.policy.measures import Measured, Totals, Usage, usage
from provisioner.policy.model import PolicySet
from provisioner.spec.messages import WORDS as SPEC_WORDS, Names
from provisioner.words import Text

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec


@dataclass(frozen=True)
class Department:
    """A department's other requests under request_specs/ (pending ones included) and their totals."""

    code: str
    systems: tuple[str, ...] = ()
    totals: Totals = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    policies: PolicySet
    today: date
    department: Department | None = None   # None: the department has no other request
    measured: Measured | None = None       # a review's expansions of its specs (None: expand here)

    def allocation(self, spec: RequestSpec) -> Allocation:
        """What the spec allocates on the policies' catalogue."""
        if self.measured is not None:
            return self.measured.allocation(spec)
        return allocate(spec, self.policies.catalogue)

    def usage(self, spec: RequestSpec) -> Usage:
        if self.measured is not None:
            return self.measured.usage(spec)
        return usage(spec, self.policies.catalogue)


def listing(items: Sequence[str], limit: int = 6) -> Names:
    """`a、b、c` / `a, b, c`, shortened past `limit` items: long lists help nobody in one line."""
    return Names(tuple(items), limit)


def did_you_mean(value: str, candidates: Iterable[str]) -> Text | str:
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return SPEC_WORDS("did-you-mean", name=close[0]) if close else ""
