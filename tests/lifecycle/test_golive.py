"""The go-live rule (art16-17), table-driven, and where it is used: reconcile's `due`,
`lifecycle done ... promote`, the recorded early go-live, the spec's trial.days."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.lifecycle import golive, machine
from provisioner.lifecycle.golive import Verdict
from provisioner.lifecycle.machine import SystemView, TransitionError
from provisioner.lifecycle.states import Action, Party, RequestKind, State

CAL = WorkCalendar({})
START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)                 # Monday 09:00 Shanghai
END_15 = datetime(2026, 3, 17, 23, 59, 59, tzinfo=SHANGHAI)             # start + 15 calendar days


def trial(**changes: object) -> SystemView:
    view = SystemView("city.t-dept.sys", 1, "JJ-2026-0001", RequestKind.NEW, State.TRIAL, START,
                      id=1, trial_started_at=START)
    return replace(view, **changes)


def day(n: float) -> datetime:
    return START + timedelta(days=n)


BOTH = {"department_accepted_at": day(3), "provider_accepted_at": day(4)}

# (case, view changes, now, verdict, missing, due at)
TABLE = [
    ("running, nothing accepted", {}, day(5), Verdict.WAIT, (Party.DEPARTMENT, Party.PROVIDER), None),
    ("both accepted: waits for the trial's end", BOTH, day(5), Verdict.WAIT, (), END_15 + timedelta(seconds=1)),
    ("both accepted, trial over: promote", BOTH, day(16), Verdict.PROMOTE, (), END_15 + timedelta(seconds=1)),
    ("last second of the trial: still waits", BOTH, END_15, Verdict.WAIT, (), END_15 + timedelta(seconds=1)),
    ("trial over, provider missing: held", {"department_accepted_at": day(3)}, day(16), Verdict.HELD,
     (Party.PROVIDER,), None),
    ("trial over, nothing accepted: held", {}, day(16), Verdict.HELD, (Party.DEPARTMENT, Party.PROVIDER), None),
    ("acceptance after the end: promote from then", {"department_accepted_at": day(3),
                                                       "provider_accepted_at": day(20)}, day(20), Verdict.PROMOTE,
     (), day(20)),
    ("early go-live recorded, both accepted: at once", {**BOTH, "early_go_live_at": day(6)}, day(6),
     Verdict.PROMOTE, (), day(6)),
    ("early go-live before the acceptances: when both are in", {"department_accepted_at": day(3),
                                                                  "provider_accepted_at": day(8),
                                                                  "early_go_live_at": day(2)}, day(8),
     Verdict.PROMOTE, (), day(8)),
    ("early go-live, provider missing: waits", {"department_accepted_at": day(3), "early_go_live_at": day(4)},
     day(6), Verdict.WAIT, (Party.PROVIDER,), None),
    ("trial.days 1: over after one day", {**BOTH, "trial_days": 1, "provider_accepted_at": day(0.5),
                                          "department_accepted_at": day(0.5)}, day(2), Verdict.PROMOTE, (),
     datetime(2026, 3, 3, 23, 59, 59, tzinfo=SHANGHAI) + timedelta(seconds=1)),
    ("an extension moves the end", {**BOTH, "extension_days": 5}, day(16), Verdict.WAIT, (),
     END_15 + timedelta(days=5, seconds=1)),
    ("trial.days 7 + 3 extension days", {"trial_days": 7, "extension_days": 3}, day(11), Verdict.HELD,
     (Party.DEPARTMENT, Party.PROVIDER), None),
]


@pytest.mark.parametrize(("case", "changes", "now", "verdict", "missing", "at"), TABLE, ids=[t[0] for t in TABLE])
def test_the_go_live_rule(case, changes, now, verdict, missing, at) -> None:  # noqa: ANN001
    rule = golive.go_live(trial(**changes), now, CAL)
    assert (rule.verdict, rule.missing, rule.at) == (verdict, missing, at), case


@pytest.mark.parametrize("state", [State.SUBMITTED, State.ACCEPTED, State.PRODUCTION, State.CHANGING])
def test_only_a_trial_goes_live(state: State) -> None:
    assert golive.go_live(trial(state=state, **BOTH), day(30), CAL).verdict == Verdict.NOT_TRIAL


@pytest.mark.parametrize(("case", "changes", "now", "verdict", "missing", "at"), TABLE, ids=[t[0] for t in TABLE])
def test_reconcile_promotes_and_holds_exactly_as_the_rule_says(case, changes, now, verdict, missing, at) -> None:  # noqa: ANN001
    view = trial(**changes)
    due = {d.action for d in machine.due(view, now, CAL, retry_intents=True)}
    assert (Action.PROMOTE in due) == (verdict == Verdict.PROMOTE), case
    assert (Action.HOLD in due) == (verdict == Verdict.HELD), case
    check = machine.next_check(view, day(0), CAL)
    assert check is not None and (at is None or check <= at)


def test_done_promote_by_hand_follows_the_rule() -> None:
    with pytest.raises(TransitionError) as before_end:
        machine.complete(trial(**BOTH), Action.PROMOTE, day(5), CAL)
    assert "2026-03-17 23:59:59" in before_end.value.message("zh") and "early-go-live" in before_end.value.message("en")
    with pytest.raises(TransitionError) as missing:
        machine.complete(trial(department_accepted_at=day(3)), Action.PROMOTE, day(16), CAL)
    assert "missing: provider" in missing.value.message("en")
    assert machine.complete(trial(**BOTH), Action.PROMOTE, day(16), CAL).view.state == State.PRODUCTION
    early = machine.record_early_go_live(trial(**BOTH), day(5), CAL, "业务急需上线").view
    step = machine.complete(early, Action.PROMOTE, day(5), CAL)
    assert step.view.go_live_at == day(5) and step.events[0].detail["go_live_by"] == "early_go_live"


def test_early_go_live_is_recorded_with_party_and_reason() -> None:
    step = machine.record_early_go_live(trial(), day(5), CAL, "  业务急需上线 ")
    (event,) = step.events
    assert event.kind == "early_go_live_recorded" and event.rule == "art17"
    assert event.detail["party"] == "department" and event.detail["reason"] == "业务急需上线"
    assert event.detail["missing"] == ["department", "provider"]
    with pytest.raises(TransitionError):
        machine.record_early_go_live(trial(), day(5), CAL, "   ")


@pytest.mark.parametrize("reason", ["", "   ", "ab", " abc\t"])
def test_an_extension_needs_a_reason_of_four_characters_like_a_spec(reason: str) -> None:
    with pytest.raises(TransitionError) as refused:
        machine.extend_trial(trial(), 3, day(5), CAL, reason)
    assert "4" in refused.value.message("zh") and "at least 4 characters" in refused.value.message("en")


def test_an_extension_with_a_reason_is_recorded() -> None:
    step = machine.extend_trial(trial(), 3, day(5), CAL, "等待等保测评")
    assert step.view.extension_days == 3 and step.events[0].detail["reason"] == "等待等保测评"


@pytest.mark.parametrize(("party", "passed", "result"), [(Party.DEPARTMENT, True, "passed"),
                                                         (Party.PROVIDER, False, "failed")])
def test_a_verdict_event_names_party_and_result(party: Party, passed: bool, result: str) -> None:
    (event,) = machine.record_verdict(trial(), party, passed, day(3), "report 2026-07").events
    assert (event.detail["party"], event.detail["result"], event.detail["note"]) == (party.value, result, "report 2026-07")


def test_the_trial_end_recorded_at_creation_follows_trial_days() -> None:
    accepted = trial(state=State.ACCEPTED, trial_started_at=None, trial_days=1)
    step = machine.complete(accepted, Action.CREATE_TRIAL, START, CAL)
    recorded = datetime.fromisoformat(step.events[0].detail["trial_end"])
    assert recorded == datetime(2026, 3, 3, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_accept_event_holds_the_art16_date_the_ledger_holds() -> None:
    submitted = trial(state=State.SUBMITTED, trial_started_at=None)        # art15 deadline: Thu 03-05
    step = machine.accept(submitted, START, CAL)                            # accepted Mon 03-02
    ready = machine.deadline(step.view, CAL)
    assert ready is not None and ready.rule == "art16-prepare" and ready.local_date.isoformat() == "2026-03-04"
    assert step.events[0].detail["trial_ready_by"] == ready.at.isoformat()
    assert step.events[0].detail["deadline"] != ready.at.isoformat()       # the art15 one, kept as lateness


def test_the_status_view_states_the_same_go_live() -> None:
    from provisioner.lifecycle.duty import next_duty

    assert next_duty(trial(**BOTH), CAL).at == END_15
    early = next_duty(trial(**BOTH, early_go_live_at=day(6)), CAL)
    assert (early.rule, early.at, early.owed_by) == ("art17", day(6), ("provider",))
    assert next_duty(trial(department_accepted_at=day(3)), CAL).owed_by == ("provider",)
