"""What a check knows besides the spec: the policies, the day, and the department's other requests."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from provisioner.allocation import Allocation, allocate
from provisioner.policy.measures import Measured, Totals, Usage, usage
from provisioner.policy.model import PolicySet
from provisioner.spec.findings import Words
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


NONE = Words("无", "none")


def listing(items: Sequence[str], limit: int = 6) -> Words:
    """`a、b、c` / `a, b, c`, shortened past `limit` items: long lists help nobody in one line."""
    if not items:
        return NONE
    shown = list(items[:limit])
    rest = len(items) - len(shown)
    zh, en = "、".join(shown), ", ".join(shown)
    if rest:
        zh, en = f"{zh} 等 {len(items)} 个", f"{en} and {rest} more"
    return Words(zh, en)


def did_you_mean(value: str, candidates: Iterable[str]) -> Words:
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    if not close:
        return Words("", "")
    return Words(f"，是想写 {close[0]} 吗？", f"; did you mean {close[0]}?")
