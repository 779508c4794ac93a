"""art14: a second-level budget unit applies only with its first-level parent's approval."""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.spec.applicant import Applicant, Approvals
from provisioner.spec.findings import Finding


def check_parent_unit(applicant: Applicant) -> Iterator[Finding]:
    if applicant.budget_level == 2 and applicant.parent_unit is None:
        yield Finding("approval-parent-unit-missing", ("applicant", "budget_level"))
    if applicant.budget_level == 1 and applicant.parent_unit is not None:
        yield Finding("approval-parent-unit-unexpected", ("applicant", "parent_unit"), on_key=True)
    if applicant.parent_unit is not None and applicant.parent_unit == applicant.department:
        yield Finding("approval-parent-self", ("applicant", "parent_unit"), params={"unit": applicant.parent_unit})


def check_parent_approval(applicant: Applicant, approvals: Approvals) -> Iterator[Finding]:
    approval = approvals.parent_unit
    if applicant.budget_level == 1:
        if approval is not None:
            yield Finding("approval-parent-unexpected", ("approvals", "parent_unit"), on_key=True)
        return
    if approval is None:
        unit = applicant.parent_unit or "?"
        yield Finding("approval-parent-missing", ("approvals", "parent_unit"),
                      near=("applicant", "budget_level"), params={"unit": unit})
    elif applicant.parent_unit is not None and approval.unit != applicant.parent_unit:
        yield Finding("approval-parent-mismatch", ("approvals", "parent_unit", "unit"),
                      params={"unit": approval.unit, "parent": applicant.parent_unit})


CHECKS = (check_parent_unit, check_parent_approval)
