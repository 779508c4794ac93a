"""The deadlines a merge request starts, stated for its comment (pure; the PRC calendar)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from provisioner.gitops import deadlines
from provisioner.lifecycle import golive
from tests.gitops.helpers import NOW, calendar


def test_a_new_request_states_the_whole_chain() -> None:
    lines = deadlines.full_flow(NOW, calendar(), migration=False)
    assert [(d.rule, d.day) for d in lines] == [
        ("art15", date(2026, 12, 2)),           # Fri 27 Nov: Mon 30, Tue 1, Wed 2
        ("art16-prepare", date(2026, 12, 4)),   # two working days after the 2nd
        ("art16-trial", date(2026, 12, 19)),    # 15 calendar days
        ("art17", None)]
    assert lines[0].zh == "信息办须在 2026-12-02（周三）前答复是否受理（第十五条：3 个工作日，可组织专家评审）"
    assert lines[0].en == ("the information office answers by 2026-12-02 (Wed) (art15: 3 working days; it may call "
                           "an expert review)")


def test_national_day_holidays_are_skipped() -> None:
    # Submitted Tuesday 29 September 2026: 1-7 October are the National Day holiday.
    decide = deadlines.full_flow(datetime(2026, 9, 29, 2, 0, tzinfo=timezone.utc), calendar(), False)[0]
    assert decide.day == date(2026, 10, 9) and not decide.uncertain_years


def test_a_migration_adds_the_legacy_retention() -> None:
    assert deadlines.full_flow(NOW, calendar(), migration=True)[-1].rule == "art23"


def test_a_minor_change_and_a_termination() -> None:
    (change,) = deadlines.minor_change(NOW, calendar())
    assert (change.rule, change.day) == ("art18", date(2026, 12, 2))
    (end,) = deadlines.termination()
    assert end.rule == "art19" and end.day is None and "合并本身不删除任何资源" in end.zh


def test_across_the_year_end_an_unknown_schedule_is_flagged_uncertain() -> None:
    lines = deadlines.full_flow(datetime(2026, 12, 29, 2, 0, tzinfo=timezone.utc), calendar(), False)
    # 1 January is a holiday in every year, but 2027 is unknown here: the weekday guess says Friday works.
    assert lines[0].day == date(2027, 1, 1) and lines[0].uncertain_years == (2027,)


def test_the_trial_follows_the_requests_trial_days_and_go_live_states_the_one_rule() -> None:
    lines = deadlines.full_flow(NOW, calendar(), migration=False, trial_days=7)
    assert lines[2].day == date(2026, 12, 11) and "免费试用 7 天" in lines[2].zh   # 4 Dec + 7 calendar days
    go_live = lines[3]
    assert go_live.rule == "art17" and go_live.zh == golive.rule_text("zh", 7) and "7-day trial" in go_live.en
    assert "early go-live" in go_live.en and "never destroyed" in go_live.en


def test_a_trial_counted_from_an_uncertain_day_is_uncertain_too() -> None:
    # Submitted Monday 28 December 2026: the answer is due Thursday 31 December (certain), the trial
    # ready 2 working days later, in 2027, whose schedule is unknown here (is 1 January worked?); the
    # trial's 15 calendar days start from that guessed day, so its end is no more certain (rules.md).
    lines = deadlines.full_flow(datetime(2026, 12, 28, 2, 0, tzinfo=timezone.utc), calendar(), False)
    assert (lines[0].day, lines[0].uncertain_years) == (date(2026, 12, 31), ())
    assert (lines[1].day, lines[1].uncertain_years) == (date(2027, 1, 4), (2027,))
    assert (lines[2].day, lines[2].uncertain_years) == (date(2027, 1, 19), (2027,))
