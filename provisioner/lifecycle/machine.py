"""The lifecycle of one generation of an application system, as pure functions of `now`.

    submitted ─accept─> accepted ─trial ready─> trial ─promote─> production ─terminate─> terminating ─back up─> handover
        └─reject─> rejected                       │ (held while an acceptance is missing)   │  ▲             │
                                                  └──────────── terminate ──────────────────┘  │             │
                                                               production ─minor change─> changing ─> production
    handover ─the unit confirms the hand-over record (art25)─> ─destroy─> terminated

A major change (art18) is a new generation of the same system that goes through the
whole flow; when it is promoted the previous generation is terminated.

`due(view, now, calendar)` says what reconcile must do; `next_check` the earliest
moment anything can become due, so reconcile only reads rows whose moment has come.
Human decisions (accept, reject, acceptance verdicts, extensions, changes, termination)
are functions returning the new view and the events to record. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from provisioner.calendar import (
    SHANGHAI, Deadline, WorkCalendar, legacy_retention, local_date, start_of_local_day,
)
from provisioner.errors import UserError
from provisioner.lifecycle import golive
from provisioner.lifecycle.messages import WORDS
from provisioner.regulation import MAX_EXTENSION_DAYS
from provisioner.lifecycle.states import (
    ACTION_STATES, ENGINE_ACTIONS, WORKING_DAYS, Action, Party, RequestKind, Rule, State,
)
from provisioner.lifecycle.view import SystemView  # noqa: F401 - also imported from here
from provisioner.words import Text


class TransitionError(UserError):
    """A lifecycle step that the current state does not allow (exit 1)."""

    def __init__(self, words: Text | str, **values: Any) -> None:
        # A sentence of lifecycle/messages.py, or its id and values (the ledger's workflow names them so).
        text = words if isinstance(words, Text) else WORDS(words, **values)
        self.key = text.key            # the sentence's stable id: what a caller tells refusals apart by
        super().__init__(text)

    def message(self, lang: str) -> str:
        return self.render(lang)


@dataclass(frozen=True)
class EventSpec:
    """One event to record with a transition (the ledger adds the system, actor and time)."""

    kind: str
    rule: str | None = None
    from_state: State | None = None
    to_state: State | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    dedupe: str | None = None       # events with a key are recorded at most once


@dataclass(frozen=True)
class Step:
    view: SystemView
    events: tuple[EventSpec, ...]


@dataclass(frozen=True)
class Due:
    action: Action
    rule: str
    deadline: Deadline | None = None


# -- deadlines -------------------------------------------------------------------------

_STATE_RULE = {State.SUBMITTED: Rule.DECIDE, State.ACCEPTED: Rule.PREPARE_TRIAL, State.CHANGING: Rule.CHANGE}


def deadline(view: SystemView, calendar: WorkCalendar) -> Deadline | None:
    """The deadline that runs in the view's state, if any."""
    if view.state == State.TRIAL:
        return trial_end(view, calendar)
    rule = _STATE_RULE.get(view.state)
    if rule is None:
        return None
    return calendar.working_deadline(view.since, WORKING_DAYS[rule], rule.value)


def trial_end(view: SystemView, calendar: WorkCalendar) -> Deadline:
    return golive.trial_end(view, calendar)


def _lateness(view: SystemView, calendar: WorkCalendar, now: datetime) -> dict[str, Any]:
    """Deadline facts recorded with the step that ends a timed state."""
    limit = deadline(view, calendar)
    if limit is None or view.state == State.TRIAL:
        return {}
    return {"deadline": limit.at.isoformat(), "deadline_rule": limit.rule, "late": limit.passed(now),
            "uncertain": limit.uncertain}


# -- what reconcile must do --------------------------------------------------------------

def due(view: SystemView, now: datetime, calendar: WorkCalendar, retry_intents: bool = False) -> list[Due]:
    """Everything due for this generation at `now`, in the order to do it.

    An engine action whose intent was already recorded (no engine configured) is left
    to the provider unless `retry_intents` (an engine is configured now).
    """
    found: list[Due] = []
    limit = deadline(view, calendar)
    if view.state in _STATE_RULE and limit is not None and limit.passed(now) and limit.rule not in view.breached:
        found.append(Due(Action.BREACH, limit.rule, limit))
    for action in ENGINE_ACTIONS:
        if ACTION_STATES[action][0] != view.state or (view.intent_recorded == action.value and not retry_intents):
            continue
        if _engine_action_due(view, action, now, calendar):
            found.append(Due(action, _ACTION_RULE[action], limit))
    if golive.go_live(view, now, calendar).verdict == golive.Verdict.HELD and not view.held:
        found.append(Due(Action.HOLD, Rule.TRIAL.value, limit))
    return found


_ACTION_RULE = {Action.CREATE_TRIAL: Rule.PREPARE_TRIAL.value, Action.PROMOTE: Rule.GO_LIVE.value,
                Action.APPLY_CHANGE: Rule.CHANGE.value, Action.BACK_UP: Rule.TERMINATE.value,
                Action.TERMINATE: Rule.TERMINATE.value}


def _engine_action_due(view: SystemView, action: Action, now: datetime, calendar: WorkCalendar) -> bool:
    if action == Action.PROMOTE:
        return golive.go_live(view, now, calendar).due
    if action == Action.TERMINATE:      # art25: nothing is destroyed before the unit has its data
        return view.handover_confirmed_at is not None
    return now >= view.since


def next_check(view: SystemView, now: datetime, calendar: WorkCalendar) -> datetime | None:
    """The earliest moment at or after which `due` may return something (None: only a human can).

    Engine actions whose intent was recorded (no engine) are left to the humans; a
    deadline computed on a guessed calendar year is looked at again every day, so a
    schedule recorded later under policies/calendar/ corrects it.
    """
    moments: list[datetime] = []
    limit = deadline(view, calendar)
    if view.state in _STATE_RULE and limit is not None and limit.rule not in view.breached:
        moments.append(limit.at + timedelta(seconds=1))
    for action in ENGINE_ACTIONS:
        if ACTION_STATES[action][0] == view.state and view.intent_recorded != action.value:
            if action == Action.PROMOTE:
                rule = golive.go_live(view, now, calendar)
                if rule.at is not None:
                    moments.append(rule.at)
            elif action == Action.TERMINATE:
                if view.handover_confirmed_at is not None:      # before: only the unit can move it
                    moments.append(view.handover_confirmed_at)
            else:
                moments.append(view.since)
    if view.state == State.TRIAL and limit is not None and not view.held and not view.accepted_by_both:
        moments.append(limit.at + timedelta(seconds=1))
    if limit is not None and limit.uncertain and moments:
        moments.append(start_of_local_day(local_date(now) + timedelta(days=1)))
    return min(moments) if moments else None


# -- steps recorded by reconcile ----------------------------------------------------------

def stamp(moment: datetime | None) -> str:
    """A moment as it appears in dedupe keys: UTC, to the microsecond, whatever zone it came in."""
    return "-" if moment is None else moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _enter(view: SystemView, state: State, now: datetime, **changes: Any) -> SystemView:
    return replace(view, state=state, since=now, breached=(), intent_recorded=None, held=False, **changes)


def record_breach(view: SystemView, found: Due) -> Step:
    assert found.deadline is not None
    event = EventSpec("deadline_missed", found.rule, view.state, view.state,
                      {"deadline": found.deadline.at.isoformat(), "uncertain": found.deadline.uncertain},
                      dedupe=f"breach:{view.system_key}:{view.generation}:{view.state.value}:{stamp(view.since)}:{found.rule}")
    return Step(replace(view, breached=(*view.breached, found.rule)), (event,))


def hold(view: SystemView, found: Due) -> Step:
    missing = [p.value for p in golive.missing_acceptances(view)]
    event = EventSpec("trial_held", Rule.TRIAL.value, view.state, view.state,
                      {"trial_end": found.deadline.at.isoformat() if found.deadline else None, "missing": missing},
                      dedupe=f"hold:{view.system_key}:{view.generation}:{stamp(view.trial_started_at)}:{view.extension_days}")
    return Step(replace(view, held=True), (event,))


def record_intent(view: SystemView, action: Action) -> Step:
    event = EventSpec("intent_recorded", _ACTION_RULE[action], view.state, view.state, {"action": action.value},
                      dedupe=f"intent:{view.system_key}:{view.generation}:{view.state.value}:{stamp(view.since)}:{action.value}")
    return Step(replace(view, intent_recorded=action.value), (event,))


def complete(view: SystemView, action: Action, now: datetime, calendar: WorkCalendar) -> Step:
    """The engine (or the provider by hand) has done `action`: move to the next state."""
    source, target = ACTION_STATES[action]
    if view.state != source:
        raise TransitionError(WORDS("not-in-state", system=view.system_key, action=action.value,
                                    state=view.state.value, expected=source.value))
    if action == Action.TERMINATE and view.handover_confirmed_at is None:
        raise TransitionError(WORDS("handover-unconfirmed", system=view.system_key))
    detail = _lateness(view, calendar, now)
    changes: dict[str, Any] = {}
    if action == Action.CREATE_TRIAL:
        changes["trial_started_at"] = now
        detail["trial_end"] = calendar.trial_end(now, view.extension_days, days=view.trial_days).at.isoformat()
    elif action == Action.PROMOTE:
        _require_go_live(view, now, calendar)
        changes["go_live_at"] = now
        detail["go_live_by"] = "early_go_live" if view.early_go_live_at is not None else "trial_end"
        if view.request_kind == RequestKind.MIGRATION:
            changes["legacy_retention_until"] = legacy_retention(now).local_date
            detail["legacy_retention_until"] = changes["legacy_retention_until"].isoformat()
    elif action in (Action.APPLY_CHANGE, Action.TERMINATE):
        changes["pending_request_id"] = None
        detail["request_id"] = view.pending_request_id
    elif action == Action.BACK_UP:      # the termination goes on: its request stays pending
        detail["request_id"] = view.pending_request_id
    event = EventSpec(f"{action.value}_done", _ACTION_RULE[action], source, target, detail)
    return Step(_enter(view, target, now, **changes), (event,))


def _require_go_live(view: SystemView, now: datetime, calendar: WorkCalendar) -> None:
    """Promotion only as the go-live rule allows it (golive.py), by reconcile or by hand."""
    rule = golive.go_live(view, now, calendar)
    if rule.due:
        return
    if rule.missing:
        raise TransitionError(WORDS("promote-needs-both", system=view.system_key,
                                    missing=", ".join(p.value for p in rule.missing)))
    end = rule.trial_end.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if rule.trial_end else "?"
    raise TransitionError(WORDS("promote-before-trial-end", system=view.system_key, trial_end=end))


# -- human decisions -------------------------------------------------------------------------

def _require(view: SystemView, step: str, *states: State) -> None:
    if view.state not in states:
        raise TransitionError(WORDS("not-allowed", system=view.system_key, step=step, state=view.state.value,
                                    allowed=", ".join(s.value for s in states)))


def accept(view: SystemView, now: datetime, calendar: WorkCalendar, note: str = "") -> Step:
    _require(view, "accept", State.SUBMITTED)
    accepted = _enter(view, State.ACCEPTED, now)
    ready = deadline(accepted, calendar)      # art16: the provider's 2 working days start now
    detail = {**_lateness(view, calendar, now), "note": note,
              "trial_ready_by": ready.at.isoformat() if ready else None,
              "trial_ready_uncertain": bool(ready and ready.uncertain)}
    return Step(accepted, (EventSpec("accepted", Rule.DECIDE.value, view.state, State.ACCEPTED, detail),))


def reject(view: SystemView, now: datetime, calendar: WorkCalendar, reason: str) -> Step:
    _require(view, "reject", State.SUBMITTED)
    detail = {**_lateness(view, calendar, now), "reason": reason}
    return Step(_enter(view, State.REJECTED, now), (EventSpec("rejected", Rule.DECIDE.value, view.state,
                                                              State.REJECTED, detail),))


def record_verdict(view: SystemView, party: Party, passed: bool, now: datetime, note: str = "") -> Step:
    """A party's acceptance-test verdict (art16). A failed verdict withdraws an earlier pass."""
    _require(view, "acceptance", State.TRIAL)
    field_name = f"{party.value}_accepted_at"
    # Promotion itself is decided by the go-live rule (golive.py), through `due`.
    new = replace(view, **{field_name: now if passed else None})
    event = EventSpec("acceptance_recorded", Rule.TRIAL.value, view.state, view.state,
                      {"party": party.value, "result": "passed" if passed else "failed", "passed": passed,
                       "note": note})
    return Step(new, (event,))


def record_early_go_live(view: SystemView, now: datetime, calendar: WorkCalendar, reason: str) -> Step:
    """The department asks to go live before the trial's end (golive.py: still after both accept)."""
    _require(view, "early-go-live", State.TRIAL)
    require_reason(reason, "early-go-live")
    new = replace(view, early_go_live_at=now)
    rule = golive.go_live(new, now, calendar)
    event = EventSpec("early_go_live_recorded", Rule.GO_LIVE.value, view.state, view.state,
                      {"party": Party.DEPARTMENT.value, "reason": reason.strip(),
                       "trial_end": rule.trial_end.at.isoformat() if rule.trial_end else None,
                       "missing": [p.value for p in rule.missing]})
    return Step(new, (event,))


def require_reason(reason: str, step: str) -> None:
    """The same rule as a reason written in a spec (spec/lifecycle.py): at least REASON_MIN_CHARS, not blank."""
    from provisioner.spec.lifecycle import REASON_MIN_CHARS   # here: the exporter reads deadlines, never a reason

    if len(reason.strip()) < REASON_MIN_CHARS:
        raise TransitionError(WORDS("reason-too-short", step=step, minimum=REASON_MIN_CHARS))


def extend_trial(view: SystemView, days: int, now: datetime, calendar: WorkCalendar, reason: str) -> Step:
    """The office approves extra trial days (art16 "may be extended where truly needed")."""
    _require(view, "extend", State.TRIAL)
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise TransitionError(WORDS("extension-days", days=days, most=MAX_EXTENSION_DAYS))
    require_reason(reason, "extend")
    new = replace(view, extension_days=view.extension_days + days)
    end = trial_end(new, calendar)
    new = replace(new, held=view.held and end.passed(now))
    event = EventSpec("trial_extended", Rule.TRIAL.value, view.state, view.state,
                      {"days": days, "total_extension_days": new.extension_days, "trial_end": end.at.isoformat(),
                       "reason": reason.strip()})
    return Step(new, (event,))


def start_change(view: SystemView, request_id: str, now: datetime) -> Step:
    """An approved minor change (art18): the provider has 3 working days from now."""
    _require(view, "change", State.PRODUCTION)
    event = EventSpec("change_started", Rule.CHANGE.value, view.state, State.CHANGING, {"request_id": request_id})
    return Step(_enter(view, State.CHANGING, now, pending_request_id=request_id), (event,))


def end_superseded(view: SystemView, by: SystemView, now: datetime) -> Step:
    """A major change's new generation went live (art18): the generation it replaces ends with it.

    One stack carries every generation of a system (lifecycle/phase.py) and the new generation
    runs on it with its data, so nothing of the old one is taken offline, backed up, handed over
    (art25: the unit keeps its data in the running system) or destroyed; and from this moment it
    is billed no more (metering/timeline.py ends it at this event)."""
    _require(view, "supersede", State.PRODUCTION, State.CHANGING)
    event = EventSpec("superseded", Rule.CHANGE.value, view.state, State.TERMINATED,
                      {"by_generation": by.generation, "request_id": by.request_id})
    return Step(_enter(view, State.TERMINATED, now, pending_request_id=None), (event,))


def start_termination(view: SystemView, request_id: str, now: datetime, reason: str,
                      engine_started: bool = False) -> Step:
    """A confirmed termination (art19).

    `engine_started`: the engine was ever asked to create the trial (an `action_started` event),
    so a failed or unfinished `up` may have left resources: they are backed up and destroyed too."""
    if (view.state == State.ACCEPTED and view.trial_started_at is None and view.intent_recorded is None
            and not engine_started):
        event = EventSpec("terminated", Rule.TERMINATE.value, view.state, State.TERMINATED,
                          {"request_id": request_id, "reason": reason, "nothing_to_destroy": True})
        return Step(_enter(view, State.TERMINATED, now), (event,))
    _require(view, "terminate", State.ACCEPTED, State.TRIAL, State.PRODUCTION, State.CHANGING)
    event = EventSpec("termination_started", Rule.TERMINATE.value, view.state, State.TERMINATING,
                      {"request_id": request_id, "reason": reason})
    return Step(_enter(view, State.TERMINATING, now, pending_request_id=request_id), (event,))


def confirm_handover(view: SystemView, now: datetime, by: str, record_sha256: str) -> Step:
    """The unit confirms it holds the hand-over record of its data (art25): the stack may go now.

    `by` is the unit's person who confirms; `record_sha256` names the very record confirmed."""
    _require(view, "handover-confirm", State.HANDOVER)
    if view.handover_confirmed_at is not None:
        raise TransitionError(WORDS("handover-confirmed-before", system=view.system_key))
    if not by.strip():
        raise TransitionError(WORDS("handover-by-missing", system=view.system_key))
    event = EventSpec("handover_confirmed", Rule.DATA.value, view.state, view.state,
                      {"party": Party.DEPARTMENT.value, "by": by.strip(), "record_sha256": record_sha256})
    return Step(replace(view, handover_confirmed_at=now), (event,))
