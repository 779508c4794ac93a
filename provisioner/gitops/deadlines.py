"""The deadlines a merge request starts, stated for its comment (pure).

Counted from `now` (the plan's run: the request as submitted) with the office's
calendar. Later steps depend on when earlier ones happen; each is stated "at the
latest", assuming every earlier step takes its full time, so a reviewer sees the
whole chain: art15 answer (3 working days) -> art16 trial ready (2 working days
after acceptance) -> the request's trial days (15 unless it asks fewer) -> go-live as
the one rule says (provisioner/lifecycle/golive.py: at the trial's end once both sides
accepted, earlier only with the department's recorded early go-live).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from provisioner.calendar import Deadline, WorkCalendar
from provisioner.gitops.messages import WORDS
from provisioner.regulation import CHANGE, DECIDE, LEGACY_KEPT, PREPARE_TRIAL, TRIAL_DAYS
from provisioner.lifecycle import golive
from provisioner.lifecycle.states import WORKING_DAYS, Rule
from provisioner.words import InBothLanguages, Text


@dataclass(frozen=True)
class InLang:
    """A value of a sentence that reads differently in each language (a day with its weekday, a
    term of the regulation): said in the sentence's language, as a Text is."""

    say: Callable[[str], str]

    def render(self, lang: str) -> str:
        return self.say(lang)


@dataclass(frozen=True)
class Stated(InBothLanguages):
    """One deadline line of the comment."""

    rule: str              # art15, art16-prepare, art16-trial, art17, art18, art19, art23
    said: Text | InLang
    day: date | None       # the last day (Asia/Shanghai), if the rule has one
    uncertain_years: tuple[int, ...] = ()

    def text(self, lang: str) -> str:
        return self.said.render(lang)


def shown(day: date, lang: str) -> str:
    return WORDS.say("day-shown", lang, date=day.isoformat(), weekday=WORDS(f"weekday-{day.weekday()}"))


def _day(day: date) -> InLang:
    return InLang(lambda lang: shown(day, lang))


def _term(term) -> InLang:  # noqa: ANN001 - a regulation.Term: "3 个工作日", "3 working days"
    return InLang(term.text)


def full_flow(now: datetime, calendar: WorkCalendar, migration: bool, trial_days: int = TRIAL_DAYS) -> list[Stated]:
    """A new system, a migration or a major change (art18: the whole flow again)."""
    decide = calendar.working_deadline(now, WORKING_DAYS[Rule.DECIDE], Rule.DECIDE.value)
    ready = calendar.working_deadline(decide.local_date, WORKING_DAYS[Rule.PREPARE_TRIAL], Rule.PREPARE_TRIAL.value)
    trial = calendar.trial_end(ready.local_date, 0, Rule.TRIAL.value, days=trial_days)
    lines = [
        _line(decide, WORDS("deadline-decide", day=_day(decide.local_date), term=_term(DECIDE))),
        _line(ready, WORDS("deadline-prepare", day=_day(ready.local_date), term=_term(PREPARE_TRIAL))),
        # calendar days, but counted from the ready day: as uncertain as that day is
        Stated(Rule.TRIAL.value, WORDS("deadline-trial", days=trial_days, day=_day(trial.local_date)), trial.local_date,
               ready.uncertain_years),
        Stated(Rule.GO_LIVE.value, InLang(lambda lang: golive.rule_text(lang, trial_days)), None),
    ]
    if migration:
        lines.append(Stated(Rule.LEGACY.value, WORDS("deadline-legacy", term=_term(LEGACY_KEPT)), None))
    return lines


def minor_change(now: datetime, calendar: WorkCalendar) -> list[Stated]:
    """A minor change: approved by the merge, done within 3 working days (art18)."""
    done = calendar.working_deadline(now, WORKING_DAYS[Rule.CHANGE], Rule.CHANGE.value)
    return [_line(done, WORDS("deadline-change", term=_term(CHANGE), day=_day(done.local_date)))]


def termination() -> list[Stated]:
    return [Stated(Rule.TERMINATE.value, WORDS("deadline-terminate"), None)]


def _line(deadline: Deadline, said: Text) -> Stated:
    return Stated(deadline.rule, said, deadline.local_date, deadline.uncertain_years)
