"""Which files a diff touches (pure): git's -z name-status format, specs apart from other paths."""

from __future__ import annotations

import pytest

from provisioner.gitops.changes import Change, Kind, department_of, other_paths, parse_name_status, spec_changes

A, M, D, R = Kind.ADDED, Kind.MODIFIED, Kind.DELETED, Kind.RENAMED


def z(*fields: str) -> str:
    return "\0".join(fields) + "\0"


@pytest.mark.parametrize(("output", "expected"), [
    ("", []),
    (z("A", "request_specs/a/x.yaml"), [Change("request_specs/a/x.yaml", A)]),
    (z("M", "request_specs/a/x.yaml", "D", "request_specs/b/y.yaml"),
     [Change("request_specs/a/x.yaml", M), Change("request_specs/b/y.yaml", D)]),
    (z("R087", "request_specs/a/old.yaml", "request_specs/a/new.yaml"),
     [Change("request_specs/a/new.yaml", R, "request_specs/a/old.yaml")]),
    (z("C100", "request_specs/a/x.yaml", "request_specs/a/copy.yaml"), [Change("request_specs/a/copy.yaml", A)]),
    (z("T", "request_specs/a/x.yaml"), [Change("request_specs/a/x.yaml", M)]),
    (z("M", "请求 with space/文件.yaml"), [Change("请求 with space/文件.yaml", M)]),
])
def test_parse_name_status(output: str, expected: list[Change]) -> None:
    assert parse_name_status(output) == expected


def test_an_unmerged_path_is_refused() -> None:
    with pytest.raises(ValueError, match="unexpected git status 'U'"):
        parse_name_status(z("U", "request_specs/a/x.yaml"))


def test_specs_are_request_specs_department_system_yaml_only() -> None:
    changes = parse_name_status(z(
        "A", "request_specs/a/x.yaml", "M", "request_specs/README.md", "M", "request_specs/a/deep/y.yaml",
        "M", "policies/catalogue.yaml", "A", "stacks/Pulumi.city.a.x.yaml", "M", "request_specs/request-spec.schema.json"))
    assert spec_changes(changes) == [Change("request_specs/a/x.yaml", A)]
    assert other_paths(changes) == ["policies/catalogue.yaml", "request_specs/README.md", "request_specs/a/deep/y.yaml",
                                    "request_specs/request-spec.schema.json", "stacks/Pulumi.city.a.x.yaml"]


def test_a_rename_into_or_out_of_request_specs_is_an_addition_or_a_deletion() -> None:
    changes = parse_name_status(z("R100", "drafts/x.yaml", "request_specs/a/x.yaml",
                                  "R100", "request_specs/b/y.yaml", "archive/y.yaml"))
    assert spec_changes(changes) == [Change("request_specs/a/x.yaml", A), Change("request_specs/b/y.yaml", D)]
    assert department_of("request_specs/b/y.yaml") == "b"


def test_base_and_head_paths() -> None:
    renamed = Change("request_specs/a/new.yaml", R, "request_specs/a/old.yaml")
    assert (renamed.base_path, renamed.head_path) == ("request_specs/a/old.yaml", "request_specs/a/new.yaml")
    assert (Change("p", A).base_path, Change("p", D).head_path) == (None, None)


@pytest.mark.parametrize(("subject", "branch", "department"), [
    ("Merge branch 'jj-xzspj/portal-disk' into 'main'", "jj-xzspj/portal-disk", "jj-xzspj"),   # GitLab
    ("Merge branch 'hotfix'", "hotfix", None),
    ("Merge pull request #12 from jiujiang-gov/lx-wjw/extend-trial", "lx-wjw/extend-trial", "lx-wjw"),   # GitHub
    ("流水线测试系统：申请终止", None, None),
])
def test_the_merged_branch_names_the_department(subject: str, branch: str | None, department: str | None) -> None:
    from provisioner.gitops.git import department_of_branch, merged_branch
    assert merged_branch(subject) == branch
    assert department_of_branch(branch) == department
