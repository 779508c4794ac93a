"""Checks across fields: what the model's types cannot say on their own.

Each check is a function whose parameters are named after the top-level
sections it reads (`applicant`, `materials`, ...). run_checks calls it only when
those sections are valid, so a broken `resources` does not hide a missing
material: the department learns about both at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from provisioner.spec.findings import Finding
from provisioner.spec.rules import approvals, bandwidth, completeness, lifecycle

Check = Callable[..., Iterable[Finding]]

CHECKS: tuple[Check, ...] = (
    *completeness.CHECKS, *approvals.CHECKS, *lifecycle.CHECKS, *bandwidth.CHECKS,
)
_NEEDS = {check: tuple(inspect.signature(check).parameters) for check in CHECKS}


def run_checks(sections: Mapping[str, Any]) -> list[Finding]:
    """Findings of every check whose sections are all present in `sections`."""
    found: list[Finding] = []
    for check in CHECKS:
        needs = _NEEDS[check]
        if all(name in sections for name in needs):
            found.extend(check(**{name: sections[name] for name in needs}))
    return found
