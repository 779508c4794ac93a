"""The test suite's own departments: copies of the samples under department codes no sample uses.

The samples under request_specs/ are the operator's: after `scripts/govcloud-up` their
projects (`city-jj-xzspj`, `wuning-wn-yjglj`, ...) run on the same dev cloud the tests use,
held by the operator's state. A cloud test that applied a sample as it is would make, change
and destroy the operator's projects (Keystone names are unique). So a test applies a copy of
a sample moved to a department of its own: the code starts with the region's prefix
(policies/naming.yaml), ends in `-test`, and the request number is in the tests' range
(`<REGION>-2026-09xx`, as jj-safety-test and jj-gitops-test use), so that neither the
project, the department's user, the stacks nor the resources' labels name a sample.
The copy keeps every resource of the sample: a test still follows what the samples ask for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from provisioner.naming import project_name
from tests.agreements import file_agreement

ROOT = Path(__file__).resolve().parents[2]


def sample_departments(root: Path = ROOT) -> frozenset[str]:
    """The department codes of the samples (their folders under request_specs/)."""
    return frozenset(path.name for path in (root / "request_specs").iterdir() if path.is_dir())


@dataclass(frozen=True)
class Department:
    code: str        # the department code, e.g. jj-skeleton-test
    name: str        # its name, as a department writes it
    number: int      # the copy's request number: <REGION>-2026-<number>

    def project(self, region: str) -> str:
        return project_name(region, self.code)

    def spec(self, system: str) -> str:
        """Where the copy of a sample of that system goes in a scratch repository."""
        return f"request_specs/{self.code}/{system}.yaml"


# One department per test module: a module that crashed leaves nothing another one trips on.
SKELETON = Department("jj-skeleton-test", "九江市端到端测试局", 961)
LIFECYCLE = Department("jj-lifecycle-test", "九江市生命周期测试局", 962)
TENANCY_CITY = Department("jj-tenancy-test", "九江市租户隔离测试局", 963)
TENANCY_COUNTY = Department("dc-tenancy-test", "都昌县租户隔离测试局", 964)
KINDS = Department("wn-kinds-test", "武宁县资源种类测试局", 965)


def copy_sample(root: Path, sample: str, department: Department) -> str:
    """Put request_specs/<sample> of the repository into the scratch repository `root` as a
    request of `department`, registered in the scratch policies/owners.yaml with a service
    agreement in its policies/agreements.yaml; returns the copy's path relative to `root`
    (request_specs/<code>/<system>.yaml). Once per department and scratch repository."""
    source = ROOT / "request_specs" / sample
    old = source.parent.name
    assert department.code not in sample_departments(), f"{department.code} is a sample's department"
    text = source.read_text(encoding="utf-8")
    text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", department.code, text)
    text = re.sub(r"(?m)^(  department_name: ).*$", rf"\g<1>{department.name}", text)
    text, found = re.subn(r"(?m)^(  request_id: [A-Z]+-[0-9]{4}-)[0-9]{4}", rf"\g<1>{department.number:04d}", text)
    assert found == 1, f"no request_id in {sample}"
    copy = department.spec(source.stem)
    (root / copy).parent.mkdir(parents=True, exist_ok=True)
    (root / copy).write_text(text, encoding="utf-8")
    register_owner(root, department.code, department.name)
    file_agreement(root, department.code)      # art22: no request is accepted without one
    return copy


def register_owner(root: Path, code: str, name: str) -> None:
    """Add the department to the scratch repository's owners (a folder without one is refused)."""
    owners = root / "policies" / "owners.yaml"
    text = owners.read_text(encoding="utf-8")
    if f"\n  {code}:" not in text:
        owners.write_text(text.rstrip("\n") + f'\n  {code}: {{name: {name}, group: "@jiujiang-gov/{code}", email: {code}@jiujiang.example}}\n',
                          encoding="utf-8")
