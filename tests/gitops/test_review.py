"""What each changed spec means for the lifecycle and what blocks the merge (pure, table-driven)."""

from __future__ import annotations


import pytest

from provisioner.errors import Location, Problem
from provisioner.gitops.changes import Change, Kind
from provisioner.gitops.findings import Severity
from provisioner.policy import Policies
from provisioner.gitops.review import Action, Head, Inputs, Review, review
from provisioner.lifecycle.states import State
from tests.gitops.helpers import DEMO, DEPT, KEY, ROOT, demo_text, flavors, rules, spec, view

OWNERS = Policies(ROOT).owners.model_copy(update={"departments": {
    **Policies(ROOT).owners.departments,
    DEPT: Policies(ROOT).owners.departments["jj-xzspj"].model_copy(update={"name": "测试局", "group": "@g/t"})}})
CHANGE = {"reason": "汛期前扩容，主机增加一台", "requested_on": "2026-11-20", "major": False}


def run(changes, heads=None, bases=None, live=None, author=None, owners=OWNERS, other=()) -> Review:  # noqa: ANN001
    return review(Inputs(changes, list(other), heads or {}, bases or {}, live or {}, rules(), flavors(), owners,
                         author))


def head(data=None, path: str = DEMO, problems=()) -> Head:  # noqa: ANN001
    return Head(path, data if data is not None else spec(), tuple(problems), demo_text())


def codes(result: Review) -> list[tuple[str, str]]:
    return [(f.severity.value, f.code) for f in result.all_findings]


def test_a_new_spec_is_a_new_request() -> None:
    result = run([Change(DEMO, Kind.ADDED)], {DEMO: head()})
    (item,) = result.items
    assert (item.action, item.system_key, item.tenant_key, item.state) == (Action.NEW, KEY, f"city.{DEPT}", None)
    assert not result.blocking and codes(result) == []


def test_an_invalid_spec_blocks_with_its_located_problems() -> None:
    problem = Problem(Location(DEMO, 7, 3), "spec-missing", "缺少 applicant", article="art14",
                      message_en="applicant is missing")
    result = run([Change(DEMO, Kind.ADDED)], {DEMO: Head(DEMO, None, (problem,), "")})
    (item,) = result.items
    assert item.blocked and item.action == Action.NOTHING
    (finding,) = result.all_findings
    assert (finding.where, finding.code, finding.zh, finding.en, finding.article) == (
        f"{DEMO}:7:3", "spec-missing", "缺少 applicant", "applicant is missing", "art14")


def test_a_spec_modified_during_the_trial_updates_the_trial() -> None:
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(spec(resources__hosts=[
        {"name": "app", "flavor": "gc.c1m2", "image": "cirros-tiny", "count": 2}]))}, {DEMO: spec()},
        {KEY: view(State.TRIAL)})
    assert [i.action for i in result.items] == [Action.TRIAL_UPDATE] and not result.blocking


@pytest.mark.parametrize(("edit", "expected"), [
    # resources changed without a change request
    (dict(resources__network={"cidr": "10.99.2.0/24"}), [("mandatory", "change-request-missing")]),
    # only the contacts changed: nothing to apply, nothing to flag
    (dict(applicant__contacts=[{"name": "新联系人", "phone": "0792-8000001"}]), []),
])
def test_production_needs_a_change_request_for_resources(edit: dict, expected: list) -> None:
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(spec(**edit))}, {DEMO: spec()},
                 {KEY: view(State.PRODUCTION)})
    assert codes(result) == expected
    assert result.items[0].action == Action.NOTHING


def test_the_same_change_section_again_is_a_stale_change_request() -> None:
    before = spec(change=CHANGE, metadata__request_id="JJ-2026-0902")
    after = spec(change=CHANGE, metadata__request_id="JJ-2026-0903", resources__network={"cidr": "10.99.9.0/24"})
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(after)}, {DEMO: before}, {KEY: view(State.PRODUCTION)})
    assert codes(result) == [("mandatory", "change-request-stale")]
    assert result.all_findings[0].article == "art18"


def _grow(count: int):  # noqa: ANN202
    return [{"name": "app", "flavor": "gc.c1m2", "image": "cirros-tiny", "count": count}]


def _hosts(count: int, disk: int):  # noqa: ANN202
    def edit(data: dict) -> None:
        data["resources"]["hosts"] = [{"name": "app", "flavor": "gc.c1m2", "image": "cirros-tiny", "count": count,
                                       "data_disks": [{"size_gb": disk}]}]
    return edit


@pytest.mark.parametrize(("count", "disk", "declared", "action", "expected"), [
    (1, 25, False, Action.CHANGE_MINOR, []),             # data disk +25 %: within the 50 % of the rules
    (3, 20, False, Action.CHANGE_MAJOR, [("advisory", "change-major-undeclared")]),   # hosts +200 %
    (1, 25, True, Action.CHANGE_MAJOR, []),              # declared major: the whole flow, as asked
])
def test_a_change_request_is_classified_minor_or_major(count: int, disk: int, declared: bool, action: Action,
                                                        expected: list) -> None:
    before = spec(_hosts(1, 20))
    after = spec(_hosts(count, disk), change={**CHANGE, "major": declared}, metadata__request_id="JJ-2026-0950")
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(after)}, {DEMO: before}, {KEY: view(State.PRODUCTION)})
    (item,) = result.items
    assert item.action == action and codes(result) == expected
    assert item.classification is not None and item.classification.major == (action == Action.CHANGE_MAJOR)


def test_a_change_request_needs_its_own_request_number() -> None:
    after = spec(change=CHANGE, resources__network={"cidr": "10.99.3.0/24"})
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(after)}, {DEMO: spec()}, {KEY: view(State.PRODUCTION)})
    assert ("mandatory", "change-request-id") in codes(result)


@pytest.mark.parametrize(("state", "action", "expected"), [
    (State.PRODUCTION, Action.TERMINATE, [("info", "terminate-flow")]),
    (State.TRIAL, Action.TERMINATE, [("info", "terminate-flow")]),
    (State.ACCEPTED, Action.TERMINATE, [("info", "terminate-flow")]),
    (None, Action.NOTHING, [("info", "terminate-unknown")]),
    (State.TERMINATING, Action.NOTHING, [("info", "terminate-in-progress")]),
    (State.CHANGING, Action.TERMINATE, [("mandatory", "system-busy")]),
])
def test_a_deleted_spec_starts_the_termination_flow(state: State | None, action: Action, expected: list) -> None:
    live = {KEY: view(state, pending="JJ-2026-0901-T" if state == State.TERMINATING else None)} if state else {}
    result = run([Change(DEMO, Kind.DELETED)], {}, {DEMO: spec()}, live)
    (item,) = result.items
    assert item.action == action and codes(result) == expected
    if expected == [("info", "terminate-flow")]:
        assert "合并不直接删除任何资源" in result.all_findings[0].zh and "destroys nothing" in result.all_findings[0].en


def test_a_termination_section_starts_the_termination_flow() -> None:
    after = spec(termination={"reason": "业务并入省平台", "requested_on": "2026-11-25",
                              "data": {"method": "backup", "destination": "市档案馆"}}, metadata__request_id="JJ-2026-0960")
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head(after)}, {DEMO: spec()}, {KEY: view(State.PRODUCTION)})
    assert [i.action for i in result.items] == [Action.TERMINATE]


def test_a_rename_to_another_system_is_refused() -> None:
    new = f"request_specs/{DEPT}/demo2.yaml"
    result = run([Change(new, Kind.RENAMED, DEMO)], {new: head(spec(metadata__system="demo2"), new)}, {DEMO: spec()})
    assert ("mandatory", "spec-rename") in codes(result) and result.blocking


def test_a_request_in_progress_blocks_another_merge_request() -> None:
    result = run([Change(DEMO, Kind.MODIFIED)], {DEMO: head()}, {DEMO: spec()}, {KEY: view(State.SUBMITTED)})
    assert codes(result) == [("mandatory", "system-busy")]
    assert "JJ-2026-0901" in result.all_findings[0].zh


def test_another_departments_folder_is_flagged() -> None:
    other = "request_specs/jj-xzspj/zwfw-portal.yaml"
    changes = [Change(DEMO, Kind.ADDED), Change(other, Kind.DELETED)]
    result = run(changes, {DEMO: head()}, {other: None}, author=DEPT)
    assert ("mandatory", "foreign-folder") in codes(result)
    finding = next(f for f in result.all_findings if f.code == "foreign-folder")
    assert finding.zh == f"本合并请求由 {DEPT} 提交，却修改了 jj-xzspj 的申请文件夹"
    # Without a known author, several departments in one merge request is for review only;
    # a branch of the office or the provider (not a department code) is no department's.
    assert ("advisory", "several-departments") in codes(run(changes, {DEMO: head()}, {other: None}))
    assert ("advisory", "several-departments") in codes(run(changes, {DEMO: head()}, {other: None}, author="xxb"))


def test_a_department_without_owners_is_flagged_and_a_wrong_parent_too() -> None:
    owners = Policies(ROOT).owners
    assert ("mandatory", "owners-missing") in codes(run([Change(DEMO, Kind.ADDED)], {DEMO: head()}, owners=owners))
    path = "request_specs/jj-jyksy/zk-bm.yaml"
    text = (ROOT / path).read_text(encoding="utf-8").replace("jj-jyj", "jj-rsj")
    from provisioner.spec import parse_spec
    lying = parse_spec(text, path)
    result = run([Change(path, Kind.MODIFIED)], {path: Head(path, lying, (), text)}, {path: lying}, owners=owners)
    finding = next(f for f in result.all_findings if f.code == "parent-unit-mismatch")
    assert (finding.severity, finding.line) == (Severity.MANDATORY, 15)


def test_policies_changes_need_the_office() -> None:
    result = run([], other=["policies/catalogue.yaml", "README.md"])
    assert codes(result) == [("info", "policies-changed")]


def test_policy_findings_join_the_items_findings() -> None:
    from provisioner.gitops.findings import Finding
    blocking = Finding(Severity.MANDATORY, "cap-exceeded", "超出上限", "over the cap", DEMO, 30, 7, "art15")
    result = review(Inputs([Change(DEMO, Kind.ADDED)], [], {DEMO: head()}, {}, {}, rules(), flavors(), OWNERS, None,
                           {DEMO: [blocking]}))
    assert result.blocking and result.items[0].blocked and result.all_findings == [blocking]


