"""The use case behind `govcloud validate`, `govcloud policy check|report` and the program's gate.

Each valid spec is evaluated with its department's other requests: every spec
under request_specs/<department>/ (pending ones included), read through an
injected `requests` function so this module does no I/O of its own. The
department's request for the spec's own system is left out of those totals:
the spec under review is that request, changed.
Findings are located (which may mean reading positions again) only for the
severities that will be shown; every severity is counted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date

from provisioner.errors import Problem
from provisioner.policy.findings import Hit, PolicyFinding
from provisioner.policy.locate import locate, tree_of
from provisioner.policy.measures import Measured, Totals, add, subtract
from provisioner.policy.model import PolicySet, Severity
from provisioner.policy.rules import Context, Department, evaluate
from provisioner.spec.batch import Report
from provisioner.spec.load import Checked
from provisioner.spec.model import RequestSpec

# department -> its files under request_specs/: (shown path, read the spec or None when invalid)
Requests = Callable[[str], list[tuple[str, Callable[[], RequestSpec | None]]]]
ALL = frozenset(Severity)


@dataclass(frozen=True)
class FileReview:
    path: str
    spec: RequestSpec | None
    problems: list[Problem]                 # the spec's own (then no policy could be evaluated)
    findings: list[PolicyFinding]           # located, of the severities asked for
    counts: dict[Severity, int] = field(default_factory=dict)   # every hit, by severity

    @property
    def ok(self) -> bool:
        """Valid and free of mandatory findings: may be merged (after expert review if one is needed)."""
        return self.spec is not None and not self.counts.get(Severity.MANDATORY)

    @property
    def needs_expert_review(self) -> bool:
        return bool(self.counts.get(Severity.EXPERT_REVIEW))


@dataclass(frozen=True)
class DepartmentTotals:
    """What a department's requests under request_specs/ ask for together (art27's aggregate)."""

    code: str
    systems: tuple[str, ...]
    totals: Totals


@dataclass(frozen=True)
class Review:
    files: list[FileReview]
    departments: list[DepartmentTotals] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def findings(self) -> list[PolicyFinding]:
        return [finding for f in self.files for finding in f.findings]

    def count(self, severity: Severity) -> int:
        return sum(f.counts.get(severity, 0) for f in self.files)

    @property
    def expert_review(self) -> list[str]:
        return [f.path for f in self.files if f.needs_expert_review]


class Departments:
    """Each department's requests, read once, as per-system totals."""

    def __init__(self, measured: Measured, requests: Requests, known: dict[str, RequestSpec | None]):
        self._measured, self._requests, self._known = measured, requests, known
        self._systems: dict[str, dict[str, Totals]] = {}
        self._sums: dict[str, Totals] = {}
        self._names: dict[str, tuple[str, ...]] = {}     # each department's systems, sorted

    def around(self, spec: RequestSpec) -> Department:
        """The department's other requests: all of its folder but this system."""
        code = spec.department
        if code not in self._systems:
            self._read(code)
        systems, names, total = self._systems[code], self._names[code], self._sums[code]
        own = systems.get(spec.metadata.system)
        if own is None:
            return Department(code, names, total)
        # The names are sorted: this system's is found by bisection, the others are two slices
        # (a department of 125 systems asks 125 times).
        at = bisect_left(names, spec.metadata.system)
        return Department(code, names[:at] + names[at + 1:], subtract(total, own))

    def _read(self, code: str) -> None:
        systems: dict[str, Totals] = {}
        for path, read in self._requests(code):
            spec = self._known[path] if path in self._known else read()
            if spec is not None and spec.department == code:
                systems[spec.metadata.system] = self._measured.usage(spec).totals
        total: Totals = {}
        for totals in systems.values():
            total = add(total, totals)
        self._systems[code], self._sums[code] = dict(sorted(systems.items())), total
        self._names[code] = tuple(self._systems[code])

    def read(self) -> list[DepartmentTotals]:
        """Every department read so far."""
        return [DepartmentTotals(code, self._names[code], self._sums[code]) for code in sorted(self._systems)]


def review(report: Report, policies: PolicySet, requests: Requests, today: date,
           show: Collection[Severity] = ALL) -> Review:
    known = {checked.path: checked.spec for checked in report.files}
    measured = Measured(policies.catalogue)      # each spec expanded once, whoever asks
    departments = Departments(measured, requests, known)
    files = [_file(checked, policies, departments, today, show, measured) for checked in report.files]
    return Review(files, departments.read())


def evaluate_spec(spec: RequestSpec, policies: PolicySet, department: Department | None, today: date,
                  measured: Measured | None = None) -> list[Hit]:
    return evaluate(spec, Context(policies, today, department, measured))


def _file(checked: Checked, policies: PolicySet, departments: Departments, today: date,
          show: Collection[Severity], measured: Measured) -> FileReview:
    spec = checked.spec
    if spec is None:
        return FileReview(checked.path, None, checked.problems, [])
    hits = evaluate_spec(spec, policies, departments.around(spec), today, measured)
    counts: dict[Severity, int] = {}
    shown = []
    for hit in hits:
        severity = policies.rules[hit.rule].severity
        counts[severity] = counts.get(severity, 0) + 1
        if severity in show:
            shown.append(hit)
    findings = locate(shown, policies, tree_of(checked.text, checked.tree), checked.path) if shown else []
    return FileReview(checked.path, spec, checked.problems, findings, counts)

