"""The pure lifecycle: deadlines per state, what is due at `now`, human steps; a fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.lifecycle import machine
from provisioner.lifecycle.machine import SystemView, TransitionError, due, next_check
from provisioner.lifecycle.states import Action, Party, RequestKind, State

CAL = WorkCalendar({})
MON_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def view(state: State, since: datetime = MON_0900, **fields: object) -> SystemView:
    return SystemView(system_key="city.jj-xzspj.zwfw-portal", generation=1, request_id="JJ-2026-0001",
                      request_kind=fields.pop("kind", RequestKind.NEW), state=state, since=since, id=1, **fields)


def actions(found: list[machine.Due]) -> list[Action]:
    return [d.action for d in found]


@pytest.mark.parametrize(("state", "rule", "last_day"), [
    (State.SUBMITTED, "art15", date(2026, 3, 5)),
    (State.ACCEPTED, "art16-prepare", date(2026, 3, 4)),
    (State.CHANGING, "art18", date(2026, 3, 5)),
    (State.TRIAL, "art16-trial", date(2026, 3, 17)),
])
def test_each_timed_state_knows_its_deadline(state: State, rule: str, last_day: date) -> None:
    limit = machine.deadline(view(state, trial_started_at=MON_0900), CAL)
    assert (limit.rule, limit.local_date) == (rule, last_day)


@pytest.mark.parametrize("state", [State.PRODUCTION, State.REJECTED, State.TERMINATED, State.TERMINATING])
def test_untimed_states_have_no_deadline(state: State) -> None:
    assert machine.deadline(view(state), CAL) is None


def test_submitted_breach_is_due_once_after_three_working_days() -> None:
    submitted = view(State.SUBMITTED)
    assert due(submitted, datetime(2026, 3, 5, 23, 59, 59, tzinfo=SHANGHAI), CAL) == []
    found = due(submitted, datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI), CAL)
    assert actions(found) == [Action.BREACH] and found[0].rule == "art15"
    step = machine.record_breach(submitted, found[0])
    assert step.view.breached == ("art15",)
    assert step.events[0].kind == "deadline_missed" and step.events[0].dedupe
    assert due(step.view, datetime(2026, 3, 20, tzinfo=SHANGHAI), CAL) == []
    assert next_check(step.view, datetime(2026, 3, 20, tzinfo=SHANGHAI), CAL) is None


def test_accepted_creates_the_trial_at_once_and_is_late_after_two_working_days() -> None:
    accepted = view(State.ACCEPTED)
    assert actions(due(accepted, MON_0900, CAL)) == [Action.CREATE_TRIAL]
    late = due(accepted, datetime(2026, 3, 5, 0, 0, tzinfo=SHANGHAI), CAL)
    assert actions(late) == [Action.BREACH, Action.CREATE_TRIAL]
    assert late[0].rule == "art16-prepare"


def test_intents_are_left_to_the_provider_unless_an_engine_retries_them() -> None:
    accepted = machine.record_intent(view(State.ACCEPTED), Action.CREATE_TRIAL).view
    assert due(accepted, MON_0900, CAL) == []
    assert actions(due(accepted, MON_0900, CAL, retry_intents=True)) == [Action.CREATE_TRIAL]
    # only the art16 deadline still needs a look
    assert next_check(accepted, MON_0900, CAL) == datetime(2026, 3, 5, 0, 0, tzinfo=SHANGHAI)


def test_fake_clock_through_a_fifteen_day_trial_with_both_acceptances() -> None:
    start = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)       # spans National Day: calendar days anyway
    trial = machine.complete(view(State.ACCEPTED, since=start - timedelta(hours=1)), Action.CREATE_TRIAL,
                             start, CAL).view
    assert trial.state == State.TRIAL and trial.trial_started_at == start
    end = datetime(2026, 10, 13, 23, 59, 59, tzinfo=SHANGHAI)    # end of day start + 15
    now, promoted_at = start, None
    while now < start + timedelta(days=20):
        if now >= start + timedelta(days=5) and trial.department_accepted_at is None:
            trial = machine.record_verdict(trial, Party.DEPARTMENT, True, now).view
            trial = machine.record_verdict(trial, Party.PROVIDER, True, now).view
        found = due(trial, now, CAL)
        if found:
            assert actions(found) == [Action.PROMOTE]
            promoted_at = now
            break
        now += timedelta(hours=1)
    assert promoted_at is not None and end < promoted_at <= end + timedelta(hours=1)
    live = machine.complete(trial, Action.PROMOTE, promoted_at, CAL).view
    assert live.state == State.PRODUCTION and live.go_live_at == promoted_at
    assert due(live, promoted_at + timedelta(days=400), CAL) == []


def test_trial_without_both_acceptances_is_held_once_then_promoted_when_they_come() -> None:
    start = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    trial = view(State.TRIAL, since=start, trial_started_at=start)
    trial = machine.record_verdict(trial, Party.DEPARTMENT, True, start + timedelta(days=3)).view
    after_end = datetime(2026, 3, 18, 0, 0, tzinfo=SHANGHAI)
    found = due(trial, after_end, CAL)
    assert actions(found) == [Action.HOLD]
    step = machine.hold(trial, found[0])
    assert step.events[0].detail["missing"] == ["provider"]
    held = step.view
    assert due(held, after_end + timedelta(days=3), CAL) == []
    assert next_check(held, after_end, CAL) is None            # waits for a person
    with pytest.raises(TransitionError):
        machine.complete(held, Action.PROMOTE, after_end, CAL)
    accepted = machine.record_verdict(held, Party.PROVIDER, True, after_end + timedelta(days=4)).view
    assert actions(due(accepted, after_end + timedelta(days=4), CAL)) == [Action.PROMOTE]


def test_a_failed_verdict_withdraws_an_earlier_pass() -> None:
    trial = view(State.TRIAL, trial_started_at=MON_0900)
    trial = machine.record_verdict(trial, Party.PROVIDER, True, MON_0900).view
    trial = machine.record_verdict(trial, Party.PROVIDER, False, MON_0900).view
    assert trial.provider_accepted_at is None


def test_extension_moves_the_trial_end_and_lifts_a_hold() -> None:
    trial = view(State.TRIAL, trial_started_at=MON_0900, held=True)
    after_end = datetime(2026, 3, 18, 9, 0, tzinfo=SHANGHAI)
    extended = machine.extend_trial(trial, 5, after_end, CAL, "performance tests need a second run")
    assert extended.view.extension_days == 5 and not extended.view.held
    assert machine.trial_end(extended.view, CAL).local_date == date(2026, 3, 22)
    assert extended.events[0].detail["trial_end"].startswith("2026-03-22T15:59:59")
    with pytest.raises(TransitionError) as caught:
        machine.extend_trial(trial, 16, after_end, CAL, "too long")
    assert "art16" in caught.value.message("en") and "第十六条" in str(caught.value)


def test_migration_go_live_records_the_legacy_retention_date() -> None:
    trial = view(State.TRIAL, kind=RequestKind.MIGRATION, trial_started_at=MON_0900,
                 department_accepted_at=MON_0900, provider_accepted_at=MON_0900)
    go_live = datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI)
    live = machine.complete(trial, Action.PROMOTE, go_live, CAL)
    assert live.view.legacy_retention_until == date(2027, 2, 28)
    assert live.events[0].detail["legacy_retention_until"] == "2027-02-28"


def test_late_decisions_say_so() -> None:
    step = machine.accept(view(State.SUBMITTED), datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI), CAL)
    assert step.events[0].detail["late"] is True and step.view.state == State.ACCEPTED
    on_time = machine.accept(view(State.SUBMITTED), datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI), CAL)
    assert on_time.events[0].detail["late"] is False


@pytest.mark.parametrize(("step", "state"), [
    (lambda v: machine.accept(v, MON_0900, CAL), State.TRIAL),
    (lambda v: machine.reject(v, MON_0900, CAL, "x"), State.PRODUCTION),
    (lambda v: machine.start_change(v, "JJ-2026-0002", MON_0900), State.TRIAL),
    (lambda v: machine.record_verdict(v, Party.DEPARTMENT, True, MON_0900), State.PRODUCTION),
    (lambda v: machine.start_termination(v, "JJ-2026-0003", MON_0900, "x"), State.TERMINATED),
])
def test_steps_not_allowed_in_a_state_are_refused_in_both_languages(step, state: State) -> None:  # noqa: ANN001
    with pytest.raises(TransitionError) as caught:
        step(view(state))
    assert "不能执行" in str(caught.value)
    assert "cannot" in caught.value.message("en")


def test_termination_before_any_resource_exists_ends_at_once() -> None:
    step = machine.start_termination(view(State.ACCEPTED), "JJ-2026-0009", MON_0900, "withdrawn")
    assert step.view.state == State.TERMINATED
    assert machine.start_termination(view(State.PRODUCTION), "JJ-2026-0009", MON_0900, "x").view.state == \
        State.TERMINATING


def test_uncertain_deadline_is_rechecked_daily() -> None:
    submitted = view(State.SUBMITTED, since=datetime(2026, 12, 29, 10, 0, tzinfo=SHANGHAI))
    now = datetime(2026, 12, 29, 10, 0, tzinfo=SHANGHAI)
    assert machine.deadline(submitted, CAL).uncertain
    assert next_check(submitted, now, CAL) == datetime(2026, 12, 30, 0, 0, tzinfo=SHANGHAI)


_states = st.sampled_from([State.SUBMITTED, State.ACCEPTED, State.TRIAL, State.PRODUCTION, State.CHANGING,
                           State.TERMINATING, State.HANDOVER, State.TERMINATED])
_moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 2, 1),
                        timezones=st.just(timezone.utc))


@settings(max_examples=300, deadline=None)
@given(state=_states, since=_moments, dept=st.booleans(), prov=st.booleans(), held=st.booleans(),
       extension=st.integers(0, 10), intent=st.booleans(), start=st.integers(0, 40 * 24),
       later=st.integers(0, 40 * 24), confirmed=st.booleans())
def test_next_check_is_never_later_than_anything_due(state, since, dept, prov, held, extension, intent,  # noqa: ANN001
                                                     start, later, confirmed) -> None:
    subject = view(state, since=since, trial_started_at=since if state == State.TRIAL else None,
                   department_accepted_at=since if dept else None, provider_accepted_at=since if prov else None,
                   held=held and state == State.TRIAL, extension_days=extension,
                   handover_confirmed_at=since if confirmed and state == State.HANDOVER else None)
    engine = {State.ACCEPTED: Action.CREATE_TRIAL, State.CHANGING: Action.APPLY_CHANGE,
              State.TERMINATING: Action.BACK_UP, State.HANDOVER: Action.TERMINATE}.get(state)
    if intent and engine:
        subject = replace(subject, intent_recorded=engine.value)
    now = since + timedelta(hours=start)
    check = next_check(subject, now, CAL)
    moment = now + timedelta(hours=later)
    if due(subject, moment, CAL):
        assert check is not None and check <= moment
