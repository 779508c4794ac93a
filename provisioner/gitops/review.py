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
from provisioner.gitops.messages import WORDS
from provisioner.words import listing
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
        found.append(Finding.said(M, "spec-rename", WORDS("spec-rename", old=change.old_path, new=change.path),
                                  change.path))
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
        return Item(change, Action.NOTHING, dept, findings=(Finding.said(
            I, "spec-deleted-unreadable", WORDS("spec-deleted-unreadable"), change.path),))
    key = system_stack(base)
    view = inputs.live.get(key)
    item = Item(change, Action.TERMINATE, dept, key, tenant_stack(base.region, base.department), None, base,
                view.state if view else None, view.request_id if view else None)
    if view is None:
        return _with(item, action=Action.NOTHING, findings=(Finding.said(
            I, "terminate-unknown", WORDS("terminate-unknown-deleted", system=key), change.path),))
    if view.state in (State.TERMINATING, State.HANDOVER):
        return _with(item, action=Action.NOTHING, findings=(_terminating(key, view, change.path),))
    if view.state in (State.SUBMITTED, State.CHANGING):
        return _with(item, findings=(_busy(key, view, change.path),))
    return _with(item, findings=(Finding.said(
        I, "terminate-flow", WORDS("terminate-flow-deleted", system=key), change.path, article="art19"),))


def _terminating(key: str, view: SystemView, path: str) -> Finding:
    return Finding.said(I, "terminate-in-progress",
                        WORDS("terminate-in-progress", system=key, request=view.pending_request_id), path, article="art19")


def _busy(key: str, view: SystemView, path: str) -> Finding:
    request = view.pending_request_id or view.request_id
    return Finding.said(M, "system-busy", WORDS("system-busy", system=key, request=request, state=view.state.value),
                        path, article="art15")


def _lifecycle(item: Item, view: SystemView | None, head: Head,
               inputs: Inputs) -> tuple[Action, list[Finding], Classification | None]:
    spec, base, path = item.spec, item.base, item.change.path
    assert spec is not None and item.system_key is not None
    termination_added = spec.termination is not None and (base is None or base.termination != spec.termination)
    if view is None:
        if termination_added:
            return Action.NOTHING, [Finding.said(I, "terminate-unknown",
                                                 WORDS("terminate-unknown-requested", system=item.system_key), path,
                                                 _line(head.text, "termination"))], None
        return Action.NEW, [], None
    if view.state in (State.TERMINATING, State.HANDOVER) and spec.termination is not None:
        return Action.NOTHING, [_terminating(item.system_key, view, path)], None
    if view.state in IN_FLIGHT:
        return Action.NOTHING, [_busy(item.system_key, view, path)], None
    if termination_added:
        said = WORDS("terminate-flow-requested", system=item.system_key)
        return Action.TERMINATE, [Finding.said(I, "terminate-flow", said, path, _line(head.text, "termination"),
                                               article="art19")], None
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
        code = "change-request-stale" if stale else "change-request-missing"
        return Action.NOTHING, [Finding.said(M, code, WORDS(code, system=item.system_key), path,
                                             _line(head.text, "change" if stale else "resources"), article="art18")], None
    found = []
    if spec.metadata.request_id == view.request_id:
        found.append(Finding.said(M, "change-request-id", WORDS("change-request-id", request=spec.metadata.request_id),
                                  path, _line(head.text, "request_id"), article="art18"))
    verdict = _classify(base, spec, inputs)
    if spec.change.major and not verdict.major:
        verdict = Classification(True, (_reason("declared-major"),))
    elif verdict.major and not spec.change.major:
        found.append(Finding.said(A, "change-major-undeclared", WORDS("change-major-undeclared"), path,
                                  _line(head.text, "change"), article="art18"))
    return (Action.CHANGE_MAJOR if verdict.major else Action.CHANGE_MINOR), found, verdict


def _classify(base: RequestSpec | None, spec: RequestSpec, inputs: Inputs) -> Classification:
    if base is None:
        return Classification(True, (_reason("no-base"),))
    return classify(base, spec, inputs.rules, inputs.flavors)


def _reason(rule: str) -> Reason:
    """A reason of the classification worded by the table (a Reason holds both languages)."""
    return Reason(rule, WORDS.say(rule, "zh"), WORDS.say(rule, "en"))


def _parent_matches(spec: RequestSpec, path: str, text: str, owners: Owners | None) -> list[Finding]:
    if owners is None or spec.department not in owners.departments:
        return []
    recorded = owners.departments[spec.department].parent
    claimed = spec.applicant.parent_unit
    if spec.applicant.budget_level == 2 and claimed != recorded:
        return [Finding.said(M, "parent-unit-mismatch", WORDS("parent-unit-mismatch", claimed=claimed, recorded=recorded),
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
                found.append(Finding.said(M, "foreign-folder", WORDS("foreign-folder", author=author, department=dept),
                                          f"request_specs/{dept}/", article="art14"))
    elif len(touched) > 1:
        said = {lang: WORDS.say("several-departments", lang, departments=listing(touched, lang))
                for lang in ("zh", "en")}
        found.append(Finding(A, "several-departments", said["zh"], said["en"]))
    if inputs.owners is not None:
        for dept in touched:
            if dept not in inputs.owners.departments:
                found.append(Finding.said(M, "owners-missing", WORDS("owners-missing", department=dept),
                                          f"request_specs/{dept}/"))
    found += other_path_findings(inputs.other_paths)
    return found


def other_path_findings(paths: list[str]) -> list[Finding]:
    """What the merge request changes besides requests: policies/, and spec files placed
    where no request lives (they would never be applied, and their folder's owners
    approve them whatever department they name)."""
    found = [Finding.said(M, "spec-misplaced", WORDS("spec-misplaced"), path, article="art14")
             for path in paths if is_misplaced(path)]
    policies = [p for p in paths if p.startswith("policies/")]
    if policies:
        found.append(Finding.said(I, "policies-changed", WORDS("policies-changed", count=len(policies)), policies[0]))
    return found
