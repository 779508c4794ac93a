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

from dataclasses import dataclass
from datetime import date, datetime

from provisioner.calendar import Deadline, WorkCalendar
from provisioner.regulation import CHANGE, DECIDE, LEGACY_KEPT, PREPARE_TRIAL, TRIAL_DAYS
from provisioner.lifecycle import golive
from provisioner.lifecycle.states import WORKING_DAYS, Rule

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Stated:
    """One deadline line of the comment."""

    rule: str              # art15, art16-prepare, art16-trial, art17, art18, art19, art23
    zh: str
    en: str
    day: date | None       # the last day (Asia/Shanghai), if the rule has one
    uncertain_years: tuple[int, ...] = ()

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def shown(day: date, lang: str) -> str:
    if lang == "en":
        return f"{day.isoformat()} ({WEEKDAYS_EN[day.weekday()]})"
    return f"{day.isoformat()}（周{WEEKDAYS_ZH[day.weekday()]}）"


def _both(day: date) -> tuple[str, str]:
    return shown(day, "zh"), shown(day, "en")


def full_flow(now: datetime, calendar: WorkCalendar, migration: bool, trial_days: int = TRIAL_DAYS) -> list[Stated]:
    """A new system, a migration or a major change (art18: the whole flow again)."""
    decide = calendar.working_deadline(now, WORKING_DAYS[Rule.DECIDE], Rule.DECIDE.value)
    ready = calendar.working_deadline(decide.local_date, WORKING_DAYS[Rule.PREPARE_TRIAL], Rule.PREPARE_TRIAL.value)
    trial = calendar.trial_end(ready.local_date, 0, Rule.TRIAL.value, days=trial_days)
    d, r, t = _both(decide.local_date), _both(ready.local_date), _both(trial.local_date)
    lines = [
        _line(decide, f"信息办须在 {d[0]}前答复是否受理（第十五条：{DECIDE.text()}，可组织专家评审）",
              f"the information office answers by {d[1]} (art15: {DECIDE.text('en')}; it may call an expert review)"),
        _line(ready, f"受理后 {PREPARE_TRIAL.text()}内，云服务商备好试用环境（第十六条）；若最后一天受理，最迟 {r[0]}",
              f"within {PREPARE_TRIAL.text('en')} of acceptance the provider prepares the trial (art16); "
              f"if accepted on the last day, by {r[1]} at the latest"),
        Stated(Rule.TRIAL.value, f"免费试用 {trial_days} 天（第十六条，确有需要可延期）；按上述最迟日期，试用至 {t[0]}",
               f"free trial of {trial_days} calendar days (art16, extendable where truly needed); "
               f"with the latest dates above it ends {t[1]}", trial.local_date),
        Stated(Rule.GO_LIVE.value, golive.rule_text("zh", trial_days), golive.rule_text("en", trial_days), None),
    ]
    if migration:
        lines.append(Stated(Rule.LEGACY.value, f"迁移前备份数据；上线后原系统至少保留{LEGACY_KEPT.text()}（第二十三条）",
                            "back up the data before migrating; keep the original system at least "
                            f"{LEGACY_KEPT.text('en')} after go-live (art23)", None))
    return lines


def minor_change(now: datetime, calendar: WorkCalendar) -> list[Stated]:
    """A minor change: approved by the merge, done within 3 working days (art18)."""
    done = calendar.working_deadline(now, WORKING_DAYS[Rule.CHANGE], Rule.CHANGE.value)
    d = _both(done.local_date)
    return [_line(done, f"批准后 {CHANGE.text()}内完成变更（第十八条）；若今日合并批准，最迟 {d[0]}",
                  f"the provider completes the change within {CHANGE.text('en')} of approval (art18); "
                  f"if merged today, by {d[1]}")]


def termination() -> list[Stated]:
    return [Stated(Rule.TERMINATE.value, "终止确认后，云服务商先备份并迁移数据，再协助下线、终止服务（第十九条）；合并本身不删除任何资源",
                   "once the termination is confirmed the provider backs up and migrates the data, then takes "
                   "the system offline (art19); the merge itself deletes nothing", None)]


def _line(deadline: Deadline, zh: str, en: str) -> Stated:
    return Stated(deadline.rule, zh, en, deadline.local_date, deadline.uncertain_years)
