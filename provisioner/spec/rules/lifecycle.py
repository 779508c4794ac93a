"""art16: a pass means all four tests were done; art18/art19: change or terminate, not both."""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.spec.findings import Finding
from provisioner.spec.lifecycle import ACCEPTANCE_TESTS, Acceptance, Change, Termination
from provisioner.spec.messages import WORDS, Names


def check_acceptance_tests(acceptance: Acceptance) -> Iterator[Finding]:
    for party in ("department", "provider"):
        record = getattr(acceptance, party)
        if record is None or record.result != "passed":
            continue
        missing = [test for test in ACCEPTANCE_TESTS if test not in record.tests]
        if missing:
            yield Finding("acceptance-tests-incomplete", ("acceptance", party, "tests"), params={"missing": Names(
                              [WORDS(f"test-{test}") for test in missing])})


def check_change_or_termination(change: Change | None, termination: Termination | None) -> Iterator[Finding]:
    if change is not None and termination is not None:
        yield Finding("change-and-termination", ("termination",), on_key=True)


CHECKS = (check_acceptance_tests, check_change_or_termination)
