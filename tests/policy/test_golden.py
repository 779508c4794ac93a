"""Each policy case produces exactly the findings in its golden file, every severity, in both languages.

The cases are realistic requests breaking the office's rules; department totals
count the repository's own request_specs/, as on a merge request. Refresh after
a deliberate change with GOVCLOUD_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os

import pytest

from tests.policy.conftest import CASES, findings_of

CASE_FILES = sorted(CASES.glob("*.yaml"))


def _rendered(path, policies) -> str:
    findings = findings_of(path, policies)
    lines = ["# zh", *(f.render("zh") for f in findings), "# en", *(f.render("en") for f in findings)]
    return "\n".join(lines) + "\n"


def test_there_are_cases_for_every_mandatory_and_expert_review_rule(policies) -> None:
    fired = {f.rule for path in CASE_FILES for f in findings_of(path, policies)}
    # Whether an agreement has lapsed or covers a service depends on what the office filed and on the
    # day, not on the request: tests/policy/test_agreements.py has those cases. The inspection's rules
    # judge the cloud, not a request: tests/inspection/test_checks.py has theirs.
    wanted = {rule for rule, words in policies.rules.items() if words.severity.value != "advisory"
              and rule not in ("agreement-lapsed", "agreement-services") and policies.files[rule] != "inspection.yaml"}
    assert wanted <= fired, sorted(wanted - fired)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_matches_its_golden_file(path, policies) -> None:
    golden = path.with_suffix(".golden")
    actual = _rendered(path, policies)
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path.name}: run with GOVCLOUD_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_golden_file_has_its_case() -> None:
    assert sorted(p.stem for p in CASES.glob("*.golden")) == [p.stem for p in CASE_FILES]
