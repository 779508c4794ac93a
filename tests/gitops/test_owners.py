"""CODEOWNERS from policies/owners.yaml: each department its folder, level-2 units their parent too,
the office policies/; the committed file is current."""

from __future__ import annotations

import subprocess

import pytest

from provisioner.errors import SpecError
from provisioner.gitops.owners import approvers, codeowners, department_folders
from provisioner.policy import Policies
from provisioner.policy.files import INVALID
from provisioner.policy.owners import parse_owners
from tests.gitops.helpers import ROOT

SMALL = """\
version: 1
office: {name: 信息办, group: "@city/xxb", email: xxb@city.example}
provider: {name: 运维, group: "@city/ops", email: ops@city.example, paths: [/provisioner/, /stacks/]}
departments:
  a-jyj: {name: 教育局, group: "@city/a-jyj", email: a-jyj@city.example}
  a-ksy: {name: 考试院, group: "@city/a-ksy", email: a-ksy@city.example, parent: a-jyj}
"""


def test_gitlab_sections_make_each_approval_separate() -> None:
    text = codeowners(parse_owners(SMALL), ["a-ksy"])
    assert text.split("\n", 3)[3] == """\
# 信息办：规则、审批人与每一项申请
[office]
/policies/ @city/xxb
/CODEOWNERS @city/xxb
/request_specs/ @city/xxb

# 运维
[provider]
/provisioner/ @city/ops
/stacks/ @city/ops

# 考试院
[a-ksy]
/request_specs/a-ksy/ @city/a-ksy
# 考试院的主管一级预算单位教育局（第十四条）
[a-ksy parent a-jyj]
/request_specs/a-ksy/ @city/a-jyj
"""


def test_github_lists_the_unit_its_parent_and_the_office_on_one_line() -> None:
    text = codeowners(parse_owners(SMALL), ["a-jyj", "a-ksy"], "github", ".github/CODEOWNERS")
    assert text.endswith("/policies/ @city/xxb\n/.github/CODEOWNERS @city/xxb\n/request_specs/ @city/xxb\n"
                         "/request_specs/a-jyj/ @city/a-jyj @city/xxb\n"
                         "/request_specs/a-ksy/ @city/a-ksy @city/a-jyj @city/xxb\n")
    assert approvers(parse_owners(SMALL), "nobody") == ["@city/xxb"]


def test_a_folder_without_an_owner_is_refused() -> None:
    with pytest.raises(SpecError) as caught:
        codeowners(parse_owners(SMALL), ["a-ksy", "b-new"])
    assert [p.code for p in caught.value.problems] == ["owners-missing"]
    assert "b-new" in caught.value.problems[0].message


@pytest.mark.parametrize(("edit", "line", "code", "message"), [
    (("parent: a-jyj", "parent: a-zzz"), 6, "owners-parent", "a-zzz 不是本文件登记的单位"),
    (('group: "@city/a-jyj"', 'group: "city/a-jyj"'), 5, INVALID,
     "departments.a-jyj.group 取值无效：String should match pattern"),
    (("version: 1", "version: 2"), 1, INVALID, "version 取值无效：Input should be 1"),
    (("email: a-ksy@city.example", "email: a-ksy"), 6, INVALID,
     "departments.a-ksy.email 取值无效：String should match pattern"),
    ((", email: a-jyj@city.example", ""), 5, INVALID, "departments.a-jyj.email 取值无效：Field required"),
])
def test_owners_file_errors_are_reported_at_their_line(edit: tuple[str, str], line: int, code: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_owners(SMALL.replace(*edit))
    assert [(p.location.line, p.code) for p in caught.value.problems] == [(line, code)]
    shown = caught.value.problems[0].render("zh")
    assert shown.startswith(f"policies/owners.yaml:{line}:") and message in shown and shown.endswith("[art14]")


def test_every_problem_of_the_owners_file_is_reported_at_once() -> None:
    broken = SMALL.replace("email: xxb@city.example", "email: nobody").replace("a-ksy@city.example", "a-ksy")
    with pytest.raises(SpecError) as caught:
        parse_owners(broken)
    assert [p.location.line for p in caught.value.problems] == [2, 6]
    with pytest.raises(SpecError) as caught:
        parse_owners(SMALL.replace("parent: a-jyj", "parent: a-zzz").replace(
            '  a-jyj: {name: 教育局, group: "@city/a-jyj", email: a-jyj@city.example}',
            '  a-jyj: {name: 教育局, group: "@city/a-jyj", email: a-jyj@city.example, parent: a-ksy}'))
    assert [(p.location.line, p.message_en.split(":")[0]) for p in caught.value.problems] == [
        (5, "departments.a-jyj.parent"), (6, "departments.a-ksy.parent")]


def test_every_department_folder_of_the_repository_has_owners() -> None:
    owners = Policies(ROOT).owners
    assert set(department_folders(ROOT)) <= set(owners.departments)


def test_the_committed_codeowners_is_current() -> None:
    committed = (ROOT / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == codeowners(Policies(ROOT).owners, department_folders(ROOT))
    run = subprocess.run([str(ROOT / ".venv/bin/govcloud"), "codeowners", "--check"], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "CODEOWNERS：已是最新\n"
