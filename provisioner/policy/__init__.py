"""The information office's rules (policies/) evaluated against request specs (art5, art12-15, art20-27).

    Policies(root)                            every file under policies/, each read once when first used;
                                              any problem a PolicyConfigError with file:line and rule id
    review(report, policies, requests, today) every valid spec of a spec.batch Report, with its
                                              department's other requests -> Review of PolicyFindings
    enforce(spec, path, policies, today)      the program's gate: PolicyViolation on a mandatory finding
    render_docs(policies) -> str              policies/README.md, generated from policies/ itself

Severities: mandatory (blocks the merge and `pulumi up`), expert-review (art15:
the office calls an expert review instead of rejecting), advisory.
"""

from provisioner.policy.docs import render_docs
from provisioner.policy.findings import PolicyFinding
from provisioner.policy.files import PolicyConfigError
from provisioner.policy.gate import PolicyViolation, enforce, today_in_shanghai
from provisioner.policy.load import department_requests
from provisioner.policy.model import PolicySet, Severity
from provisioner.policy.review import FileReview, Review, review



def __getattr__(name: str) -> object:
    # Policies reads every kind of policy file, so its module imports the parts whose models
    # they are (calendar, lifecycle, billing); those import policy.files: loaded on first use.
    if name == "Policies":
        from provisioner.policy.store import Policies
        return Policies
    raise AttributeError(name)


__all__ = ["FileReview", "Policies", "PolicyConfigError", "PolicyFinding", "PolicySet", "PolicyViolation", "Review",
           "Severity", "department_requests", "enforce", "render_docs", "review",
           "today_in_shanghai"]
