"""When a trial becomes production (art16-17): the one rule, as a pure function of `now`.

    trial end   the end (23:59:59 Shanghai) of calendar day trial start + trial.days (15 unless
                the request asks for fewer) + every recorded extension (art16)
    go-live     at the trial's end, once the department and the provider have both accepted
                (art16 "only when both sides agree", art17); at once after that if the
                acceptances come later
    early       before the trial's end only when the department's early go-live is recorded,
                and still only once both have accepted
    held        the trial ended without both acceptances: flagged once (event trial_held in
                the ledger and the audit log; the exporter's govcloud_system_trial_held, alert
                GovcloudTrialHeld in deploy/prometheus), left running, never destroyed;
                promoted as soon as both accept, or extended by the office

Reconcile (`machine.due`), `govcloud lifecycle done ... promote`, the merge-request
comment (gitops/deadlines.py) and the README all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from provisioner.calendar import Deadline, WorkCalendar
from provisioner.lifecycle.messages import WORDS
from provisioner.lifecycle.states import Party, Rule, State

if TYPE_CHECKING:
    from provisioner.lifecycle.view import SystemView


class Verdict(StrEnum):
    WAIT = "wait"          # the trial runs: promotion comes at its end (or earlier, if early go-live)
    PROMOTE = "promote"    # both accepted, and the trial ended or the department went live early
    HELD = "held"          # the trial ended, an acceptance is missing: flag, do not promote
    NOT_TRIAL = "not-trial"


@dataclass(frozen=True)
class GoLive:
    verdict: Verdict
    trial_end: Deadline | None
    missing: tuple[Party, ...] = ()       # whose acceptance is still missing
    at: datetime | None = None            # when promotion becomes due, if nothing else is needed

    @property
    def due(self) -> bool:
        return self.verdict == Verdict.PROMOTE


def trial_end(view: SystemView, calendar: WorkCalendar) -> Deadline:
    start = view.trial_started_at or view.since
    return calendar.trial_end(start, view.extension_days, Rule.TRIAL.value, days=view.trial_days)


def missing_acceptances(view: SystemView) -> tuple[Party, ...]:
    return tuple(p for p, at in ((Party.DEPARTMENT, view.department_accepted_at),
                                 (Party.PROVIDER, view.provider_accepted_at)) if at is None)


def promotion_at(view: SystemView, calendar: WorkCalendar) -> datetime | None:
    """When a trial goes live if nothing else changes, as people are told it (the trial's end,
    23:59:59, rather than the second after it when reconcile may act); None while an
    acceptance is missing."""
    rule = go_live(view, view.since, calendar)
    if rule.at is None or rule.trial_end is None:
        return None
    return rule.trial_end.at if rule.at == rule.trial_end.at + timedelta(seconds=1) else rule.at


def go_live(view: SystemView, now: datetime, calendar: WorkCalendar) -> GoLive:
    """What the rule says for this generation at `now`."""
    if view.state != State.TRIAL:
        return GoLive(Verdict.NOT_TRIAL, None)
    end = trial_end(view, calendar)
    missing = missing_acceptances(view)
    if missing:
        return GoLive(Verdict.HELD if end.passed(now) else Verdict.WAIT, end, missing)
    accepted = max(t for t in (view.department_accepted_at, view.provider_accepted_at) if t is not None)
    if view.early_go_live_at is not None:
        at = max(accepted, view.early_go_live_at)
    else:
        at = max(accepted, end.at + timedelta(seconds=1))
    return GoLive(Verdict.PROMOTE if now >= at else Verdict.WAIT, end, (), at)


def rule_text(lang: str, days: int) -> str:
    """The rule in words, for the merge-request comment and `govcloud lifecycle` errors."""
    return WORDS.say("golive-rule", lang, days=days)
