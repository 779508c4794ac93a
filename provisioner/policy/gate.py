"""The policy gate of the Pulumi program: a hand-run `pulumi up` cannot bypass the office's rules.

The program calls enforce() right after loading its spec, before it declares
any resource: a mandatory finding stops the run before a provider is even
configured, with the same located, cited findings the merge request showed.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.clock import Clock, system_now, today
from provisioner.errors import UserError
from provisioner.policy.findings import PolicyFinding
from provisioner.policy.messages import WORDS
from provisioner.policy.model import Severity
from provisioner.policy.requests import department_requests
from provisioner.policy.review import FileReview, review
from provisioner.spec.batch import Report
from provisioner.spec.load import Checked, shown_path
from provisioner.spec.model import RequestSpec

if TYPE_CHECKING:
    from provisioner.policy.store import Policies

BLOCKING = (Severity.MANDATORY,)


class PolicyViolation(UserError):
    """The request breaks mandatory rules of policies/; each finding says where and how to fix it."""

    def __init__(self, findings: list[PolicyFinding]):
        self.findings = findings
        super().__init__()

    def render(self, lang: str = "zh") -> str:
        """In the reader's language (the CLI's `--lang`)."""
        return "\n".join([WORDS.say("policy-violation", lang) + ":", *(f.render(lang) for f in self.findings)])

    def __str__(self) -> str:
        # A hand-run `pulumi up` prints this with no language asked for: both, English first.
        lines = [f"{WORDS.say('policy-violation', 'en')} ({WORDS.say('policy-violation', 'zh')}):"]
        for finding in self.findings:
            lines += [finding.render("zh"), finding.render("en")]
        return "\n".join(lines)


def today_in_shanghai(clock: Clock = system_now) -> date:
    return today(clock)


def enforce(spec: RequestSpec, path: Path, policies: Policies, today: date) -> FileReview:
    """Raise PolicyViolation on a mandatory finding; else the spec's review (counts of the others)."""
    root = policies.root
    checked = Checked(shown_path(path, root), spec, [], None, path.read_text(encoding="utf-8"))
    result = review(Report([checked]), policies.rule_set, partial(department_requests, root), today,
                    show=BLOCKING).files[0]
    if result.findings:
        raise PolicyViolation(result.findings)
    return result
