"""The information office's rules (policies/) evaluated against request specs (art5, art12-15, art20-27).

    load_policies(root) -> PolicySet          policies/*.yaml, or PolicyConfigError with file:line
    review(report, policies, requests, today) every valid spec of a spec.batch Report, with its
                                              department's other requests -> Review of PolicyFindings
    enforce(spec, path, root, today)          the program's gate: PolicyViolation on a mandatory finding
    render_docs(policies) -> str              policies/README.md, generated from policies/ itself

Severities: mandatory (blocks the merge and `pulumi up`), expert-review (art15:
the office calls an expert review instead of rejecting), advisory.
"""

from provisioner.policy.docs import render_docs
from provisioner.policy.findings import PolicyFinding
from provisioner.policy.gate import PolicyViolation, enforce, today_in_shanghai
from provisioner.policy.load import PolicyConfigError, department_requests, has_policies, load_policies
from provisioner.policy.model import PolicySet, Severity
from provisioner.policy.review import FileReview, Review, review

__all__ = ["FileReview", "PolicyConfigError", "PolicyFinding", "PolicySet", "PolicyViolation", "Review",
           "Severity", "department_requests", "enforce", "render_docs", "has_policies", "load_policies", "review",
           "today_in_shanghai"]
