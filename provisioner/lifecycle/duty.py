"""Who owes a system's next step, and by when (pure): the running deadline (machine.deadline) and its party.

    submitted    art15          the information office answers
    accepted     art16-prepare  the provider prepares the trial
    trial        art16-trial    the parties whose acceptance is still missing (department, provider);
                 art17          with both acceptances: the provider promotes it when the go-live rule says
                                (golive.py: the trial's end, or at once after a recorded early go-live)
    changing     art18          the provider applies the change
    terminating  art19          the provider backs up and verifies (no deadline in days)
    handover     art25          the department confirms the hand-over record of its data;
                 art19          once confirmed: the provider takes it offline
A system in production, or ended, owes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from provisioner.calendar import WorkCalendar
from provisioner.lifecycle import golive
from provisioner.lifecycle.machine import SystemView, deadline
from provisioner.lifecycle.states import Party, Rule, State

OFFICE = "office"                         # 市政府信息办
PROVIDER = Party.PROVIDER.value           # 云服务商
DEPARTMENT = Party.DEPARTMENT.value       # 使用单位

_OWNER = {Rule.DECIDE.value: OFFICE, Rule.PREPARE_TRIAL.value: PROVIDER, Rule.CHANGE.value: PROVIDER}


@dataclass(frozen=True)
class Duty:
    rule: str
    at: datetime | None             # None: the rule sets no date
    uncertain: bool                 # computed on a guessed holiday calendar
    owed_by: tuple[str, ...]


def next_duty(view: SystemView, calendar: WorkCalendar) -> Duty | None:
    if view.state == State.TERMINATING:
        return Duty(Rule.TERMINATE.value, None, False, (PROVIDER,))
    if view.state == State.HANDOVER:
        if view.handover_confirmed_at is None:
            return Duty(Rule.DATA.value, None, False, (DEPARTMENT,))
        return Duty(Rule.TERMINATE.value, None, False, (PROVIDER,))
    limit = deadline(view, calendar)
    if limit is None:
        return None
    if view.state == State.TRIAL:       # the go-live rule (golive.py): its moment, or who must accept first
        missing = tuple(party.value for party in golive.missing_acceptances(view))
        if not missing:
            return Duty(Rule.GO_LIVE.value, golive.promotion_at(view, calendar), limit.uncertain, (PROVIDER,))
        return Duty(limit.rule, limit.at, limit.uncertain, missing)
    return Duty(limit.rule, limit.at, limit.uncertain, (_OWNER[limit.rule],))
