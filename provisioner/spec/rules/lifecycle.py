"""art16: a pass means all four tests were done; art18/art19: change or terminate, not both."""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.spec.findings import Finding, Words
from provisioner.spec.lifecycle import ACCEPTANCE_TESTS, Acceptance, Change, Termination

_TEST_NAMES = {"function": Words("功能", "function"), "performance": Words("性能", "performance"),
               "data": Words("数据", "data"), "security": Words("安全", "security")}


def check_acceptance_tests(acceptance: Acceptance) -> Iterator[Finding]:
    for party in ("department", "provider"):
        record = getattr(acceptance, party)
        if record is None or record.result != "passed":
            continue
        missing = [test for test in ACCEPTANCE_TESTS if test not in record.tests]
        if missing:
            yield Finding("acceptance-tests-incomplete", ("acceptance", party, "tests"), params={"missing": Words(
                              "、".join(_TEST_NAMES[t].zh for t in missing), ", ".join(missing))})


def check_change_or_termination(change: Change | None, termination: Termination | None) -> Iterator[Finding]:
    if change is not None and termination is not None:
        yield Finding("change-and-termination", ("termination",), on_key=True)


CHECKS = (check_acceptance_tests, check_change_or_termination)
