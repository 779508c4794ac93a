"""The information office's rules (policies/) evaluated against request specs (art5, art12-15, art20-27).

    Policies(root)                            every file under policies/, each read once when first used;
                                              any problem a PolicyConfigError with file:line and rule id
    review(report, policies, requests, today) every valid spec of a spec.batch Report, with its
                                              department's other requests -> Review of PolicyFindings
    enforce(spec, path, policies, today)      the program's gate: PolicyViolation on a mandatory finding
    render_docs(policies) -> str              policies/README.md, generated from policies/ itself

Severities: mandatory (blocks the merge and `pulumi up`), expert-review (art15:
the office calls an expert review instead of rejecting), advisory.

The names are loaded on first use: a process that only reads the policy files (the exporter
daemon: Policies, the rule set's models) does not import the review, the gate and the docs
(bench/README.md, bench_metrics.py), which it would hold for months.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provisioner.policy.docs import render_docs
    from provisioner.policy.files import PolicyConfigError
    from provisioner.policy.findings import PolicyFinding
    from provisioner.policy.gate import PolicyViolation, enforce, today_in_shanghai
    from provisioner.policy.requests import department_requests
    from provisioner.policy.model import PolicySet, Severity
    from provisioner.policy.review import FileReview, Review
    from provisioner.policy.store import Policies

_WHERE = {"render_docs": "provisioner.policy.docs", "PolicyConfigError": "provisioner.policy.files",
          "PolicyFinding": "provisioner.policy.findings",
          **dict.fromkeys(("PolicyViolation", "enforce", "today_in_shanghai"), "provisioner.policy.gate"),
          "department_requests": "provisioner.policy.requests",
          **dict.fromkeys(("PolicySet", "Severity"), "provisioner.policy.model"),
          # not `review`, the function: the name is its submodule's, which the import system sets on the package
          # once any module imports it (provisioner.policy.review.review is the function)
          **dict.fromkeys(("FileReview", "Review"), "provisioner.policy.review"),
          "Policies": "provisioner.policy.store"}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = ["FileReview", "Policies", "PolicyConfigError", "PolicyFinding", "PolicySet", "PolicyViolation", "Review",
           "Severity", "department_requests", "enforce", "render_docs",
           "today_in_shanghai"]
