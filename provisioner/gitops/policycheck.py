"""The policy package's findings for the changed specs, as review findings: where policy enters gitops.

provisioner.policy evaluates the office's rules under policies/ (art14 completeness,
art15 on-demand caps, the security baseline, naming) on each spec together with its
department's other requests. Its severities map onto the merge request's:

    mandatory      -> mandatory: blocks the merge (and `pulumi up`, through the program's gate)
    expert-review  -> advisory `expert-review:<rule>`: mergeable once the office's expert review agrees (art15)
    advisory       -> advisory
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial

from provisioner.gitops.findings import Finding, Severity
from provisioner.gitops.messages import WORDS
from provisioner.policy import Policies, PolicyFinding, department_requests
from provisioner.policy.review import review
from provisioner.policy import Severity as PolicySeverity
from provisioner.spec.batch import Report
from provisioner.spec.load import Checked
from provisioner.spec.model import RequestSpec


def convert(found: PolicyFinding) -> Finding:
    loc = found.location
    if found.severity is PolicySeverity.MANDATORY:
        severity, code = Severity.MANDATORY, found.rule
    elif found.severity is PolicySeverity.EXPERT_REVIEW:
        severity, code = Severity.ADVISORY, f"expert-review:{found.rule}"
    else:
        severity, code = Severity.ADVISORY, found.rule
    return Finding(severity, code, WORDS.say("policy-finding", "zh", message=found.message_zh, fix=found.fix_zh),
                   WORDS.say("policy-finding", "en", message=found.message_en, fix=found.fix_en),
                   loc.path, loc.line, loc.column, found.article)


def policy_findings(policies: Policies, specs: Mapping[str, tuple[RequestSpec, str]], today: date
                    ) -> dict[str, list[Finding]]:
    """Findings by spec path; `specs` maps each changed spec's path to (spec, its text)."""
    if not specs or not policies.exists():
        return {}
    report = Report([Checked(path, spec, [], None, text) for path, (spec, text) in specs.items()])
    result = review(report, policies.rule_set, partial(department_requests, policies.root), today)
    return {f.path: [convert(x) for x in f.findings] for f in result.files}
