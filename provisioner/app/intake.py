"""The ledger is the spine: `govcloud apply` makes stacks only for systems the ledger knows.

`sort_out` reads the ledger for each request spec (apply.Planned) and says what apply does
with it; it changes nothing, so a refusal comes before anything is recorded or built:

    running     known, in trial, production or a change: its stacks are brought to the spec with
                the phase the ledger says (lifecycle/phase.py: production never goes back to trial);
                a trial whose spec was edited has the new spec recorded first (event spec_updated)
    reconcile   accepted and its trial not made yet (or an approved change not applied): done
                through reconcile's own engine path (claim, act, record), as `govcloud reconcile` would
    to record   the ledger lacks the request, or it awaits the office's decision. On the development
                cloud `record` submits it (actor: GOVCLOUD_ACTOR) and accepts it as the dev cloud's
                office (DEV_OFFICE_ACTOR), after which it is a `reconcile` item. On any other cloud
                it is refused: the office decides there, and the refusal names the commands
    refused     nothing runs (exit 1): ended systems, a production spec changed without a change
                request, a system whose stored spec does not read (a ledger migration missing),
                and on a cloud other than the development one anything unrecorded

`record_request` is also `govcloud lifecycle submit [--accept]`: a request already recorded
with the same spec is left alone, so the main job can run it on every sample, every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from provisioner.app.apply import Planned
from provisioner.app.messages import WORDS
from provisioner.ledger import store, workflow
from provisioner.ledger.running import LedgerSystem, ledger_systems
from provisioner.lifecycle.classify import FlavorSize, Rules
from provisioner.lifecycle.machine import EventSpec, Step
from provisioner.lifecycle.phase import Phase
from provisioner.lifecycle.states import Rule, State
from provisioner.spec.model import RequestSpec
from provisioner.words import Text


@dataclass(frozen=True)
class Refusal:
    path: str
    system: str
    reason: Text

    def text(self, lang: str) -> str:
        return WORDS.say("intake-refused", lang, path=self.path, reason=self.reason)


@dataclass
class Intake:
    running: list[tuple[Planned, Phase]] = field(default_factory=list)
    reconcile: list[Planned] = field(default_factory=list)
    to_record: list[Planned] = field(default_factory=list)
    spec_updated: list[Planned] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def spec_sha(data: Mapping[str, Any] | None) -> str | None:
    """The hash the ledger keeps of a request (workflow.spec_json), of a spec as stored."""
    return None if data is None else _read(data)[0]


def _read(data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """A spec as stored: its hash, or why it does not read under today's model (its first error)."""
    try:
        return workflow.spec_json(RequestSpec.model_validate(data))[1], None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))        # none when the stored value is not a mapping at all
        return None, f"{where}: {first['msg']}" if where else first["msg"]


@dataclass(frozen=True)
class LedgerCopy:
    """The generation recorded for a request against its spec file: `edited` when it holds another
    version of it; `unreadable` (why) when the stored one does not read under today's model.
    Ledger migrations keep stored specs readable (0004): one that is not means a migration is
    missing, which must not pass for an edit of the spec file."""
    edited: bool = False
    unreadable: str | None = None


def compare(stored: Mapping[str, Any] | None, spec: RequestSpec) -> LedgerCopy:
    if stored is None:
        return LedgerCopy(edited=True)
    sha, why = _read(stored)
    return LedgerCopy(edited=sha != workflow.spec_json(spec)[1], unreadable=why)


def sort_out(conn: Connection, planned: list[Planned], dev_cloud: bool) -> Intake:
    known = ledger_systems(conn, {item.system for item in planned})
    intake = Intake()
    for item in planned:
        _sort_one(conn, item, known.get(item.system), dev_cloud, intake)
    return intake


def _sort_one(conn: Connection, item: Planned, known: LedgerSystem | None, dev_cloud: bool, intake: Intake) -> None:
    request_id = item.spec.metadata.request_id
    mine = next((g for g in known.generations if request_id in (g.request_id, g.pending_request_id)), None) \
        if known is not None else None
    if mine is None and known is not None and _spec_request(known.spec) == request_id:
        mine = known.view       # a minor change applied to it (art18): the generation keeps its request id
    if mine is None:
        decided = store.request_row(conn, request_id)
        if decided is not None and decided.decision != "pending":
            intake.refused.append(_ended(item, request_id, decided.decision))
        elif dev_cloud:
            intake.to_record.append(item)
        else:
            intake.refused.append(_unrecorded(item, request_id, known))
        return
    assert known is not None
    if mine.state == State.SUBMITTED:
        if dev_cloud:
            intake.to_record.append(item)
        else:
            intake.refused.append(_awaiting(item, request_id))
    elif mine.state == State.ACCEPTED or (mine.state == State.CHANGING and mine.pending_request_id == request_id):
        intake.reconcile.append(item)
    elif mine.state in (State.TRIAL, State.PRODUCTION, State.CHANGING) and known.phase is not None:
        copy = compare(store.row(conn, mine.id).spec, item.spec)
        if copy.unreadable:         # in trial too: not recorded over as an edit (LedgerCopy)
            intake.refused.append(_unreadable_copy(item, request_id, copy.unreadable))
            return
        if copy.edited and mine.state != State.TRIAL:
            intake.refused.append(_needs_change_request(item, request_id))
            return
        if copy.edited:
            intake.spec_updated.append(item)
        intake.running.append((item, known.phase))
    else:
        intake.refused.append(_ended(item, request_id, mine.state.value))


def _spec_request(stored: Mapping[str, Any] | None) -> Any:
    """The request id a stored spec names: an applied minor change's, once it replaced the spec."""
    return (stored.get("metadata") or {}).get("request_id") if isinstance(stored, Mapping) else None


def record(ctx: workflow.Context, office: workflow.Context, intake: Intake, rules: Rules,
           flavors: Mapping[str, FlavorSize]) -> list[workflow.Submitted | None]:
    """The development cloud's recording (to_record) and the trials' edited specs (spec_updated)."""
    done = [record_request(ctx, item.spec, rules, flavors, accept_as=office) for item in intake.to_record]
    for item in intake.spec_updated:
        update_trial_spec(ctx, item.system, item.spec)
    return done


def record_request(ctx: workflow.Context, spec: RequestSpec, rules: Rules, flavors: Mapping[str, FlavorSize],
                   accept_as: workflow.Context | None = None) -> workflow.Submitted | None:
    """Submit the request unless it is recorded already (None then); with `accept_as`, accept it
    too, as that actor (the development cloud's office), if it still awaits a decision."""
    request_id = spec.metadata.request_id
    with ctx.ledger.transaction() as conn:
        row = store.request_row(conn, request_id)
    submitted = None
    if row is None:
        submitted = workflow.submit(ctx, spec, rules, flavors)
    if accept_as is not None and (row is None or row.decision == "pending"):
        workflow.accept(accept_as, request_id, "development cloud: accepted by govcloud on the office's behalf")
    return submitted


def ledger_copy(ctx: workflow.Context, spec: RequestSpec) -> LedgerCopy:
    """compare() for the generation recorded for this request, or to which it was applied as a minor
    change (none: not edited)."""
    with ctx.ledger.transaction() as conn:
        for view in store.generations(conn, f"{spec.region}.{spec.department}.{spec.metadata.system}"):
            if view.id is None:
                continue
            stored = store.row(conn, view.id).spec
            if spec.metadata.request_id in (view.request_id, _spec_request(stored)):
                return compare(stored, spec)
    return LedgerCopy()


def update_trial_spec(ctx: workflow.Context, system_key: str, spec: RequestSpec) -> None:
    """A trial's request edited (art16: the trial follows the request): the ledger keeps the new one."""
    data, sha = workflow.spec_json(spec)
    now = ctx.clock()
    with ctx.ledger.transaction() as conn:
        view = next(v for v in store.generations(conn, system_key) if v.state == State.TRIAL)
        # The edit's resources go with its event: the row's spec is rewritten by a later edit or an
        # applied change (art18), and metering sizes the trial by this edit until then (timeline.py).
        event = EventSpec("spec_updated", Rule.TRIAL.value, view.state, view.state,
                          {"spec_sha256": sha, "trial_days": spec.trial.days, "resources": data["resources"]})
        store.save(conn, view, Step(replace(view, trial_days=spec.trial.days), (event,)), actor=ctx.actor,
                   now=now, calendar=ctx.calendar, extra={"spec": data})


# -- refusals (exit 1), each naming what records the request ---------------------------------------

def _unrecorded(item: Planned, request_id: str, known: LedgerSystem | None) -> Refusal:
    if known is None:
        return Refusal(item.spec_path, item.system, WORDS("intake-unrecorded", request=request_id, system=item.system,
                                                          path=item.spec_path))
    return Refusal(item.spec_path, item.system, WORDS("intake-unrecorded-change", system=item.system,
                                                      running=known.view.request_id, request=request_id,
                                                      path=item.spec_path))


def _unreadable_copy(item: Planned, request_id: str, why: str) -> Refusal:
    return Refusal(item.spec_path, item.system, WORDS("intake-ledger-spec-unreadable", system=item.system,
                                                      request=request_id, error=why))


def _awaiting(item: Planned, request_id: str) -> Refusal:
    return Refusal(item.spec_path, item.system, WORDS("intake-awaiting", request=request_id))


def _needs_change_request(item: Planned, request_id: str) -> Refusal:
    return Refusal(item.spec_path, item.system,
                   WORDS("intake-needs-change-request", system=item.system, request=request_id))


def _ended(item: Planned, request_id: str, how: str) -> Refusal:
    return Refusal(item.spec_path, item.system, WORDS("intake-ended", request=request_id, how=how))
