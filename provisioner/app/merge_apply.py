"""`govcloud apply --base REF` after the merge: re-check, record the approval, do what the lifecycle says.

The merge is the information office's approval. For each changed spec, checked again
(the ledger or the repository may have moved since the review):

    new request      submit + accept in the ledger, create the trial (tenant, then the
                     system stack with phase trial), record create_trial done (art14-16)
    minor change     submit (classified by the ledger) + approve, apply it, record it done (art18)
    major change     submit + accept a new generation: its trial follows the whole flow (reconcile)
    trial update     record acceptance verdicts and approved extensions; the trial follows the spec
    termination      (spec deleted, or a `termination` section) request + confirm in the ledger;
                     nothing is destroyed here: the termination flow backs up first (art19)
    refused          an item with a mandatory finding (another department's folder, a production
                     change without change request, ...): nothing recorded, exit 1

Every step is idempotent: a rerun with the same base finds what is already recorded or
done and continues from there. Stack steps wait for a stack locked by another run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from provisioner.app import apply as apply_job
from provisioner.app.data_removal import system_first, up_keeping_data
from provisioner.app.messages import WORDS
from provisioner.cloud.preflight import Offer
from provisioner.errors import GovcloudError, InfraError
from provisioner.app import stackfiles
from provisioner.gitops import git
from provisioner.lifecycle.messages import WORDS as LIFECYCLE
from provisioner.stacks import locks
from provisioner.gitops.findings import Finding
from provisioner.app.plan import Options, gather
from provisioner.gitops.review import Action, Item, Review
from provisioner.ledger import store, workflow
from provisioner.lifecycle.classify import FlavorSize, Rules
from provisioner.lifecycle.machine import SystemView, TransitionError
from provisioner.lifecycle.states import Action as Due, Party, RequestKind, State
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine, Outcome, StackFailed
from provisioner.words import Text, say


@dataclass(frozen=True)
class Step:
    """What happened to one changed spec."""

    path: str
    system: str | None
    status: str             # done | recorded | refused | skipped | failed
    said: Any               # a Text, an error or findings: anything said in the reader's language
    outcomes: tuple[Outcome, ...] = ()

    def text(self, lang: str) -> str:
        return say(self.said, lang)


@dataclass
class Report:
    base: str
    head: str
    steps: list[Step] = field(default_factory=list)
    refused_for: list[Finding] = field(default_factory=list)     # merge-request findings that refused everything

    @property
    def exit_code(self) -> int:
        if any(s.status == "failed" for s in self.steps):
            return 2
        return 1 if any(s.status == "refused" for s in self.steps) else 0


@dataclass(frozen=True)
class Runner:
    """What the steps need: the ledger context, the classification inputs, the engine on demand."""

    settings: Settings
    ctx: workflow.Context
    rules: Rules
    flavors: Mapping[str, FlavorSize]
    engine: Callable[[], Engine]
    offer: Callable[[], Offer]          # what the cloud offers: checked before any stack runs
    lock_wait: float
    on_wait: Callable[[str, list[locks.Holder]], None] | None
    head: str

    @property
    def note(self) -> str:
        return f"merged {self.head[:12]}: approved by merge request (govcloud apply --base)"

    def up(self, stack: str) -> Outcome:
        engine = self.engine()
        wait = (lambda holders: self.on_wait(stack, holders)) if self.on_wait else None
        return locks.run_waiting(lambda: up_keeping_data(self.settings, engine, stack), stack, self.lock_wait,
                                 on_wait=wait)


def merge_apply(settings: Settings, base_ref: str, runner_for: Callable[[git.Revisions], Runner],
                author_department: str | None = None, now: datetime | None = None) -> Report:
    revisions = git.revisions(settings.root, base_ref)
    runner = runner_for(revisions)
    result = gather(settings, Options(base_ref, now or runner.ctx.clock(), author_department, False), revisions)
    report = Report(revisions.base, revisions.head)
    report.refused_for = [f for f in result.findings if f.blocking]
    for item in result.items:
        report.steps.append(_one(item, result, report, runner))
    return report


def _one(item: Item, result: Review, report: Report, runner: Runner) -> Step:
    path = item.change.path
    if report.refused_for or item.blocked:
        reasons = [f for f in item.findings if f.blocking] or report.refused_for
        return Step(path, item.system_key, "refused",
                    WORDS("not-done", reasons=[WORDS("finding-coded", code=f.code, finding=f) for f in reasons]))
    try:
        return _ACTIONS[item.action](item, runner)
    except InfraError as exc:
        return Step(path, item.system_key, "failed", exc)
    except GovcloudError as exc:
        return Step(path, item.system_key, "refused", exc)


# -- the lifecycle's steps ----------------------------------------------------------------------------

def _request(runner: Runner, request_id: str) -> Any:
    with runner.ctx.ledger.transaction() as conn:
        return store.request_row(conn, request_id)


def _generation(runner: Runner, key: str, request_id: str) -> SystemView | None:
    with runner.ctx.ledger.transaction() as conn:
        for view in store.generations(conn, key):
            if view.request_id == request_id or view.pending_request_id == request_id:
                return view
    return None


def _submit_and_accept(item: Item, runner: Runner) -> tuple[str, Any]:
    """Record the request (once) and the office's approval (once); return the recorded kind."""
    assert item.spec is not None
    request_id = item.spec.metadata.request_id
    row = _request(runner, request_id)
    if row is None:
        workflow.submit(runner.ctx, item.spec, runner.rules, runner.flavors)
        row = _request(runner, request_id)
    if row.decision == "rejected":
        raise TransitionError(LIFECYCLE("request-decided", request=request_id, decision=row.decision))
    if row.decision == "pending":
        workflow.accept(runner.ctx, request_id, runner.note)
    return request_id, RequestKind(row.kind)


def _stack_up(item: Item, runner: Runner, phase: str) -> tuple[Outcome, ...]:
    assert item.spec is not None and item.tenant_key and item.system_key
    planned = apply_job.Planned(item.spec, item.change.path, item.tenant_key, item.system_key)
    stackfiles.render(runner.settings, [item.department], [(planned, phase)])
    try:
        tenant = runner.up(item.tenant_key)
    except StackFailed as refused:      # a running system may have to go first (a data disk dropped, art18)
        return system_first(runner.up, item.tenant_key, item.system_key, refused, runner.engine().exists)
    return tenant, runner.up(item.system_key)


def _preflight(item: Item, runner: Runner) -> None:
    """Refuse, before the ledger records anything, what the cloud cannot build (SpecError: refused)."""
    assert item.spec is not None and item.tenant_key and item.system_key
    apply_job.check_cloud_offers([apply_job.Planned(item.spec, item.change.path, item.tenant_key, item.system_key)],
                                 runner.offer(), runner.settings.policies)


def _complete(runner: Runner, key: str, request_id: str, action: Due, detail: dict[str, Any]) -> None:
    clock = runner.ctx.clock
    with runner.ctx.ledger.transaction() as conn:
        view = next(v for v in store.generations(conn, key)
                    if v.request_id == request_id or v.pending_request_id == request_id)
        workflow.complete_action(conn, view, action, calendar=runner.ctx.calendar, actor=runner.ctx.actor,
                                 now=clock(), detail=detail)


def _new(item: Item, runner: Runner) -> Step:
    _preflight(item, runner)
    request_id, kind = _submit_and_accept(item, runner)
    key = item.system_key
    assert key is not None
    if kind not in (RequestKind.NEW, RequestKind.MIGRATION):
        return _major(item, runner) if kind == RequestKind.CHANGE_MAJOR else _minor(item, runner)
    view = _generation(runner, key, request_id)
    if view is None or view.state != State.ACCEPTED:
        state = view.state.value if view else "?"
        return Step(item.change.path, key, "skipped", WORDS("trial-exists", system=key, request=request_id, state=state))
    outcomes = _stack_up(item, runner, "trial")
    _complete(runner, key, request_id, Due.CREATE_TRIAL, {"merge": runner.head})
    return Step(item.change.path, key, "done", WORDS("trial-created", system=key, request=request_id), outcomes)


def _minor(item: Item, runner: Runner) -> Step:
    _preflight(item, runner)
    request_id, kind = _submit_and_accept(item, runner)
    key = item.system_key
    assert key is not None
    if kind == RequestKind.CHANGE_MAJOR:
        return _major(item, runner)
    view = _generation(runner, key, request_id)
    if view is None or view.state != State.CHANGING:
        return Step(item.change.path, key, "skipped", WORDS("change-already-done", system=key, request=request_id))
    outcomes = _stack_up(item, runner, "production")
    # the data volumes the change removed, each backed up first (art18): in the event, as reconcile records them
    backups = [backup for outcome in outcomes for backup in outcome.backups]
    _complete(runner, key, request_id, Due.APPLY_CHANGE,
              {"merge": runner.head, **({"backups": backups} if backups else {})})
    return Step(item.change.path, key, "done", WORDS("minor-applied", system=key, request=request_id), outcomes)


def _major(item: Item, runner: Runner) -> Step:
    request_id, _ = _submit_and_accept(item, runner)
    key = item.system_key
    return Step(item.change.path, key, "recorded", WORDS("major-recorded", system=key, request=request_id))


def _trial_update(item: Item, runner: Runner) -> Step:
    spec, base, key = item.spec, item.base, item.system_key
    assert spec is not None and key is not None
    resources_changed = base is None or base.resources != spec.resources
    if resources_changed:
        _preflight(item, runner)
    done: list[Text] = []
    for party in (Party.DEPARTMENT, Party.PROVIDER):
        record = getattr(spec.acceptance, party.value)
        before = getattr(base.acceptance, party.value) if base is not None else None
        if record is not None and record != before:
            workflow.verdict(runner.ctx, key, party, record.result == "passed", f"{record.by} {record.date}")
            done.append(WORDS("acceptance-recorded", party=party.value, result=record.result))
    known = len(base.trial.extensions) if base is not None else 0
    for extension in spec.trial.extensions[known:]:
        workflow.extend(runner.ctx, key, extension.days, extension.reason)
        done.append(WORDS("trial-extended", days=extension.days))
    outcomes: tuple[Outcome, ...] = ()
    if resources_changed:
        outcomes = _stack_up(item, runner, "trial")
        changed = any(o.changed for o in outcomes)
        done.append(WORDS("trial-updated" if changed else "trial-matches"))
    return Step(item.change.path, key, "done" if done else "skipped",
                WORDS("trial-step", system=key, done=done or WORDS("trial-nothing")), outcomes)


def _terminate(item: Item, runner: Runner) -> Step:
    key, live = item.system_key, item.live_request
    assert key is not None and live is not None
    spec = item.spec
    if spec is not None and spec.termination is not None:
        request_id = spec.metadata.request_id if spec.metadata.request_id != live else f"{live}-T"
        reason = spec.termination.reason
    else:
        request_id, reason = f"{live}-T", f"merge request {runner.head[:12]} deleted {item.change.path}"
    row = _request(runner, request_id)
    if row is None:
        workflow.request_termination(runner.ctx, key, request_id, reason)
        row = _request(runner, request_id)
    if row.decision == "pending":
        workflow.accept(runner.ctx, request_id, runner.note)
    return Step(item.change.path, key, "recorded", WORDS("termination-recorded", system=key, request=request_id))


def _nothing(item: Item, runner: Runner) -> Step:
    del runner
    return Step(item.change.path, item.system_key, "skipped", list(item.findings) or WORDS("nothing-changed"))


_ACTIONS: dict[Action, Callable[[Item, Runner], Step]] = {
    Action.NEW: _new, Action.CHANGE_MINOR: _minor, Action.CHANGE_MAJOR: _major,
    Action.TRIAL_UPDATE: _trial_update, Action.TERMINATE: _terminate, Action.NOTHING: _nothing,
}
