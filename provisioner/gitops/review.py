"""What each changed spec means for the lifecycle, and what blocks the merge (pure).

Input, gathered at the edges (git, the ledger, the policy package): the changes, the
spec at the base and at the head of each, the system's live generation in the ledger,
the owners. Output: one Item per changed spec, with the lifecycle action the merge
will start and the findings, plus the findings about the merge request as a whole.

    added / modified spec, system not live in the ledger   -> new request (art14-16)
    modified, system in trial                              -> trial update (art16)
    modified, system in production, `change` section       -> change, minor or major (art18)
    modified, production, resources changed, no `change`   -> blocked: a change needs a change request
    `termination` section added, or the spec deleted       -> termination flow (art19), nothing destroyed
    renamed to another department or system                -> blocked: terminate, then request anew
    a request of the system still in progress              -> blocked until it is decided or done
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from provisioner.gitops.changes import Change, Kind, department_of, is_spec
from provisioner.spec.location import is_misplaced
from provisioner.gitops.findings import Finding, Severity, from_problem, ordered
from provisioner.gitops.owners import Owners
from provisioner.errors import Problem
from provisioner.lifecycle.classify import Classification, FlavorSize, Reason, Rules, classify
from provisioner.lifecycle.machine import SystemView
from provisioner.lifecycle.states import State
from provisioner.spec.model import RequestSpec
from provisioner.naming import system_stack, tenant_stack

M, A, I = Severity.MANDATORY, Severity.ADVISORY, Severity.INFO
IN_FLIGHT = (State.SUBMITTED, State.ACCEPTED, State.CHANGING, State.TERMINATING, State.HANDOVER)


class Action(StrEnum):
    NEW = "new"                      # submit + accept, then create the trial
    CHANGE_MINOR = "change-minor"    # submit + approve, then apply the change (3 working days)
    CHANGE_MAJOR = "change-major"    # submit + accept a new generation: the whole flow again
    TRIAL_UPDATE = "trial-update"    # the trial follows the spec; acceptance records and extensions
    TERMINATE = "terminate"          # termination request + confirmation; backup first, by the flow
    NOTHING = "nothing"              # no resource or lifecycle change


@dataclass(frozen=True)
class Head:
    """A spec as the merge request leaves it: parsed (or not) and its validation problems."""

    path: str
    spec: RequestSpec | None
    problems: tuple[Problem, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Inputs:
    changes: list[Change]                          # spec changes only
    other_paths: list[str]
    heads: Mapping[str, Head]                      # by head path
    bases: Mapping[str, RequestSpec | None]        # by base path; None: did not parse at the base
    live: Mapping[str, SystemView]                 # system key -> its newest live generation in the ledger
    rules: Rules
    flavors: Mapping[str, FlavorSize]
    owners: Owners | None = None
    author_department: str | None = None
    policy: Mapping[str, list[Finding]] = field(default_factory=dict)   # by head path
    extra: list[Finding] = field(default_factory=list)                  # found at the edges (CODEOWNERS, duplicates)


@dataclass(frozen=True)
class Item:
    change: Change
    action: Action
    department: str
    system_key: str | None = None
    tenant_key: str | None = None
    spec: RequestSpec | None = None
    base: RequestSpec | None = None
    state: State | None = None
    live_request: str | None = None
    classification: Classification | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(f.blocking for f in self.findings)

    @property
    def migration(self) -> bool:
        return self.spec is not None and self.spec.application.kind == "migration"


@dataclass(frozen=True)
class Review:
    items: tuple[Item, ...]
    findings: tuple[Finding, ...]          # about the merge request as a whole

    @property
    def all_findings(self) -> list[Finding]:
        return ordered([f for item in self.items for f in item.findings] + list(self.findings))

    @property
    def blocking(self) -> bool:
        return any(f.blocking for f in self.all_findings)


def review(inputs: Inputs) -> Review:
    items = tuple(_item(change, inputs) for change in inputs.changes)
    return Review(items, tuple(ordered(_merge_request(inputs) + list(inputs.extra))))


# -- one changed spec ------------------------------------------------------------------------

def _item(change: Change, inputs: Inputs) -> Item:
    base = inputs.bases.get(change.base_path) if change.base_path else None
    if change.kind == Kind.DELETED:
        return _deleted(change, base, inputs)
    head = inputs.heads[change.path]
    found = [from_problem(p) for p in head.problems] + list(inputs.policy.get(change.path, []))
    if change.kind == Kind.RENAMED and _renamed_system(change):
        found.append(Finding(M, "spec-rename", f"申请文件由 {change.old_path} 改名为 {change.path}：系统栈随之改变。"
                             "请先提交终止原系统的申请，再以新名称新建申请",
                             f"{change.old_path} renamed to {change.path}: that is another system stack. "
                             "Terminate the old system first, then request the new one", change.path))
    spec = head.spec
    if spec is None:
        return Item(change, Action.NOTHING, department_of(change.path), findings=tuple(ordered(found)))
    key = system_stack(spec)
    view = inputs.live.get(key)
    item = Item(change, Action.NEW, spec.department, key, tenant_stack(spec.region, spec.department), spec, base,
                view.state if view else None, view.request_id if view else None)
    found += _parent_matches(spec, change.path, head.text, inputs.owners)
    action, more, verdict = _lifecycle(item, view, head, inputs)
    return _with(item, action=action, classification=verdict, findings=tuple(ordered(found + more)))


def _with(item: Item, **changes: object) -> Item:
    return Item(**{**item.__dict__, **changes})


def _renamed_system(change: Change) -> bool:
    old, new = change.old_path or "", change.path
    return (old.rsplit(".", 1)[0] != new.rsplit(".", 1)[0])


def _deleted(change: Change, base: RequestSpec | None, inputs: Inputs) -> Item:
    dept = department_of(change.path)
    if base is None:
        return Item(change, Action.NOTHING, dept, findings=(Finding(
            I, "spec-deleted-unreadable", "删除的申请文件在基线版本中即无法解析，不涉及任何系统",
            "the deleted file did not parse at the base either: no system is concerned", change.path),))
    key = system_stack(base)
    view = inputs.live.get(key)
    item = Item(change, Action.TERMINATE, dept, key, tenant_stack(base.region, base.department), None, base,
                view.state if view else None, view.request_id if view else None)
    if view is None:
        return _with(item, action=Action.NOTHING, findings=(Finding(
            I, "terminate-unknown", f"台账中没有运行中的系统 {key}：删除申请文件不会触发任何操作",
            f"no live system {key} in the ledger: deleting the file starts nothing", change.path),))
    if view.state in (State.TERMINATING, State.HANDOVER):
        return _with(item, action=Action.NOTHING, findings=(_terminating(key, view, change.path),))
    if view.state in (State.SUBMITTED, State.CHANGING):
        return _with(item, findings=(_busy(key, view, change.path),))
    return _with(item, findings=(Finding(
        I, "terminate-flow", f"删除申请文件将启动 {key} 的终止流程：先备份迁移数据，再下线（第十九条）；合并不直接删除任何资源",
        f"deleting the spec starts the termination flow of {key}: data is backed up and migrated first, then "
        "the system is taken offline (art19); the merge itself destroys nothing", change.path, article="art19"),))


def _terminating(key: str, view: SystemView, path: str) -> Finding:
    return Finding(I, "terminate-in-progress", f"{key} 的终止流程（{view.pending_request_id}）已在进行中，无需再次操作",
                   f"the termination of {key} ({view.pending_request_id}) is already under way: nothing more to do",
                   path, article="art19")


def _busy(key: str, view: SystemView, path: str) -> Finding:
    request = view.pending_request_id or view.request_id
    return Finding(M, "system-busy", f"{key} 仍有进行中的申请 {request}（{view.state.value}），须先办结再提交新的合并请求",
                   f"{key}: request {request} is still in progress ({view.state.value}); finish it before "
                   "another merge request", path, article="art15")


def _lifecycle(item: Item, view: SystemView | None, head: Head,
               inputs: Inputs) -> tuple[Action, list[Finding], Classification | None]:
    spec, base, path = item.spec, item.base, item.change.path
    assert spec is not None and item.system_key is not None
    termination_added = spec.termination is not None and (base is None or base.termination != spec.termination)
    if view is None:
        if termination_added:
            return Action.NOTHING, [Finding(I, "terminate-unknown", f"台账中没有运行中的系统 {item.system_key}：终止申请不会触发任何操作",
                                            f"no live system {item.system_key} in the ledger: the termination "
                                            "request starts nothing", path, _line(head.text, "termination"))], None
        return Action.NEW, [], None
    if view.state in (State.TERMINATING, State.HANDOVER) and spec.termination is not None:
        return Action.NOTHING, [_terminating(item.system_key, view, path)], None
    if view.state in IN_FLIGHT:
        return Action.NOTHING, [_busy(item.system_key, view, path)], None
    if termination_added:
        return Action.TERMINATE, [Finding(I, "terminate-flow", f"终止申请将启动 {item.system_key} 的终止流程：先备份迁移数据，再下线（第十九条）",
                                          f"the termination request starts the termination flow of "
                                          f"{item.system_key}: back up and migrate data first (art19)", path,
                                          _line(head.text, "termination"), article="art19")], None
    if view.state == State.TRIAL:
        return Action.TRIAL_UPDATE, [], None
    return _production_change(item, view, head, inputs)


def _production_change(item: Item, view: SystemView, head: Head,
                       inputs: Inputs) -> tuple[Action, list[Finding], Classification | None]:
    spec, base, path = item.spec, item.base, item.change.path
    assert spec is not None
    resources_changed = base is None or base.resources != spec.resources
    if spec.change is None or (base is not None and base.change == spec.change):
        if not resources_changed:
            return Action.NOTHING, [], None
        stale = spec.change is not None
        return Action.NOTHING, [Finding(
            M, "change-request-stale" if stale else "change-request-missing",
            (f"{item.system_key} 已在生产环境：change 一节与原申请相同，本次变更须填写新的变更申请（理由、申请日期）" if stale else
             f"{item.system_key} 已在生产环境：修改资源须附变更申请（在文件中填写 change 一节：理由、申请日期、是否重大变更）"),
            (f"{item.system_key} is in production: the change section is the previous one; this change needs a new "
             "change request (reason, date)" if stale else
             f"{item.system_key} is in production: changing its resources needs a change request (add a `change` "
             "section: reason, requested_on, major)"),
            path, _line(head.text, "change" if stale else "resources"), article="art18")], None
    found = []
    if spec.metadata.request_id == view.request_id:
        found.append(Finding(M, "change-request-id", f"变更申请须使用新的申请编号，{spec.metadata.request_id} 已用于现行申请",
                             f"a change request needs a new request number: {spec.metadata.request_id} is the "
                             "running request's", path, _line(head.text, "request_id"), article="art18"))
    verdict = _classify(base, spec, inputs)
    if spec.change.major and not verdict.major:
        verdict = Classification(True, (Reason("declared-major", "申请人声明为重大变更", "declared a major change by the department"),))
    elif verdict.major and not spec.change.major:
        found.append(Finding(A, "change-major-undeclared", "按变更分类规则这是重大变更（须重新走申请、试用、验收流程），但 change.major 未声明",
                             "by the classification rules this is a major change (the whole flow again), but "
                             "change.major says otherwise", path, _line(head.text, "change"), article="art18"))
    return (Action.CHANGE_MAJOR if verdict.major else Action.CHANGE_MINOR), found, verdict


def _classify(base: RequestSpec | None, spec: RequestSpec, inputs: Inputs) -> Classification:
    if base is None:
        return Classification(True, (Reason("no-base", "基线版本中没有可比较的原申请，按重大变更办理",
                                             "no previous request to compare with: treated as a major change"),))
    return classify(base, spec, inputs.rules, inputs.flavors)


def _parent_matches(spec: RequestSpec, path: str, text: str, owners: Owners | None) -> list[Finding]:
    if owners is None or spec.department not in owners.departments:
        return []
    recorded = owners.departments[spec.department].parent
    claimed = spec.applicant.parent_unit
    if spec.applicant.budget_level == 2 and claimed != recorded:
        return [Finding(M, "parent-unit-mismatch", f"申请写明的主管单位为 {claimed}，而信息办登记的主管单位为 {recorded}（policies/owners.yaml）",
                        f"the spec names parent unit {claimed}, the office records {recorded} (policies/owners.yaml)",
                        path, _line(text, "parent_unit"), article="art14")]
    return []


def _line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*{re.escape(key)}:")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0


# -- the merge request as a whole ------------------------------------------------------------

def _merge_request(inputs: Inputs) -> list[Finding]:
    touched = sorted({department_of(p) for c in inputs.changes for p in (c.base_path, c.head_path) if is_spec(p)})
    found: list[Finding] = []
    author = inputs.author_department
    if author and inputs.owners is not None and author not in inputs.owners.departments:
        author = None       # not a department's branch (the office's, the provider's): no folder is "foreign"
    if author:
        for dept in touched:
            if dept != author:
                found.append(Finding(M, "foreign-folder", f"本合并请求由 {author} 提交，却修改了 {dept} 的申请文件夹",
                                     f"this merge request comes from {author} but changes the folder of {dept}",
                                     f"request_specs/{dept}/", article="art14"))
    elif len(touched) > 1:
        found.append(Finding(A, "several-departments", f"本合并请求同时修改了多个单位的申请：{'、'.join(touched)}；请按单位分开提交",
                             f"this merge request changes the requests of several departments: {', '.join(touched)}; "
                             "submit one merge request per department"))
    if inputs.owners is not None:
        for dept in touched:
            if dept not in inputs.owners.departments:
                found.append(Finding(M, "owners-missing", f"单位 {dept} 未在 policies/owners.yaml 登记审批组：其申请无人审批。请信息办登记后重新生成 CODEOWNERS",
                                     f"department {dept} has no group in policies/owners.yaml: nobody would approve its "
                                     "requests. The office registers it, then regenerates CODEOWNERS",
                                     f"request_specs/{dept}/"))
    found += other_path_findings(inputs.other_paths)
    return found


def other_path_findings(paths: list[str]) -> list[Finding]:
    """What the merge request changes besides requests: policies/, and spec files placed
    where no request lives (they would never be applied, and their folder's owners
    approve them whatever department they name)."""
    found = [Finding(M, "spec-misplaced", "申请文件必须直接放在 request_specs/<单位代码>/ 下（文件夹决定申请单位），"
                     "放在此处不会被受理", "a request must sit directly in request_specs/<department>/ (the folder is "
                     "the department's); here it is never applied", path, article="art14")
             for path in paths if is_misplaced(path)]
    policies = [p for p in paths if p.startswith("policies/")]
    if policies:
        found.append(Finding(I, "policies-changed", f"本合并请求修改了 policies/（{len(policies)} 个文件），须由信息办审批",
                             f"this merge request changes policies/ ({len(policies)} file(s)): the information "
                             "office must approve it", policies[0]))
    return found
