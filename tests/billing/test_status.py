"""`govcloud status`: who owes each system's next step (pure), this month's cost as the bill computes it,
and the table and JSON people and machines read (golden files; GOVCLOUD_UPDATE_GOLDEN=1 refreshes them)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from provisioner import cli
from provisioner.billing.money import fee
from provisioner.billing.settlement import Inputs, settle
from provisioner.policy import Policies
from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle.duty import Duty, next_duty
from provisioner.lifecycle.machine import SystemView
from provisioner.lifecycle.states import Action, Party, RequestKind, State
from provisioner.metering import ledger_reader
from provisioner.app.status import status
from tests.billing import synthetic
from tests.billing.conftest import ROOT
from tests.billing.helpers import local
from tests.billing.test_exposition import TRIAL_SYSTEM, city_ledger
from tests.lifecycle.helpers import context, flavors, terminate_by_hand

GOLDEN = Path(__file__).with_name("golden")
CALENDAR = WorkCalendar({})
DAY0 = local(2026, 11, 2, 9)          # a Monday


def _view(state: State, **changes: object) -> SystemView:
    base = SystemView("city.d.s", 1, "R-1", RequestKind.NEW, state, DAY0, trial_started_at=DAY0)
    return replace(base, **changes)


@pytest.mark.parametrize(("view", "rule", "owed_by"), [
    (_view(State.SUBMITTED), "art15", ("office",)),
    (_view(State.ACCEPTED), "art16-prepare", ("provider",)),
    (_view(State.TRIAL), "art16-trial", ("department", "provider")),
    (_view(State.TRIAL, department_accepted_at=DAY0), "art16-trial", ("provider",)),
    (_view(State.TRIAL, department_accepted_at=DAY0, provider_accepted_at=DAY0), "art17", ("provider",)),
    (_view(State.CHANGING), "art18", ("provider",)),
])
def test_who_owes_the_next_step(view: SystemView, rule: str, owed_by: tuple[str, ...]) -> None:
    duty = next_duty(view, CALENDAR)
    assert duty is not None and (duty.rule, duty.owed_by) == (rule, owed_by)


def test_the_trial_and_its_go_live_end_with_the_trial() -> None:
    both = _view(State.TRIAL, department_accepted_at=DAY0, provider_accepted_at=DAY0, extension_days=3)
    assert next_duty(both, CALENDAR) == Duty("art17", local(2026, 11, 20, 23, 59, 59), False, ("provider",))


def test_termination_has_no_date_and_production_owes_nothing() -> None:
    assert next_duty(_view(State.TERMINATING), CALENDAR) == Duty("art19", None, False, ("provider",))
    assert next_duty(_view(State.PRODUCTION), CALENDAR) is None


AFTER_THE_YEAR = datetime(2027, 1, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("month", range(1, 13))
def test_this_months_cost_is_the_bills_cost_of_the_month(ledger: Ledger, month: int) -> None:
    synthetic.fill(ledger, 60, 2026, AFTER_THE_YEAR)     # changes, go-lives and ends fall in various months
    now = local(2026, month, 17, 15, 30)
    book = Policies(ROOT).prices(2026)
    with ledger.transaction() as conn:
        current = ledger_reader.read_current(conn, flavors(), local(2026, month, 1))
        everything = ledger_reader.read(conn, flavors())
    shown = {s.key: s.month_cost for s in status(current, CALENDAR, book, now, include_ended=True).systems}
    billed = settle(Inputs(2026, everything.timelines, everything.names, book, Policies(ROOT).settlement, None, [], {}, now))
    expected = {b.key: fee(b.cost_by_month.get(date(2026, month, 1), 0)) for b in billed.systems()}
    assert {k: v for k, v in shown.items() if v} == {k: v for k, v in expected.items() if v}
    assert any(shown.values())


def _status(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["status", *args]) == 0
    return capsys.readouterr().out


@pytest.fixture()
def city(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    """test_exposition's city: zwfw-portal live since March (changed in May), zwfw-app's trial held since
    17 December, zwfw-late submitted on 30 December; and zwfw-old, ended in June."""
    clock = city_ledger(ledger)
    ctx = context(ledger, clock)
    clock.at(local(2026, 4, 1, 9))
    sub = workflow.submit(ctx, _spec("JJ-2026-0005", "zwfw-old"), _rules(), flavors())
    workflow.accept(ctx, sub.request_id)
    workflow.done_by_hand(ctx, "city.jj-xzspj.zwfw-old", Action.CREATE_TRIAL)
    workflow.verdict(ctx, "city.jj-xzspj.zwfw-old", Party.DEPARTMENT, True)
    workflow.verdict(ctx, "city.jj-xzspj.zwfw-old", Party.PROVIDER, True)
    clock.at(local(2026, 4, 20, 9))
    workflow.done_by_hand(ctx, "city.jj-xzspj.zwfw-old", Action.PROMOTE)
    workflow.request_termination(ctx, "city.jj-xzspj.zwfw-old", "JJ-2026-0006", "并入统一平台")
    workflow.accept(ctx, "JJ-2026-0006")
    clock.at(local(2026, 6, 1, 9))
    terminate_by_hand(ctx, "city.jj-xzspj.zwfw-old")
    workflow.verdict(ctx, TRIAL_SYSTEM, Party.PROVIDER, True)
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", str(ledger.engine.url))
    monkeypatch.setenv("GOVCLOUD_NOW", "2026-12-31T10:01:00+08:00")
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:li")
    monkeypatch.chdir(ROOT)
    return ledger


def _spec(request_id: str, system: str):  # noqa: ANN202
    from tests.lifecycle.helpers import make_spec
    return make_spec(request_id, system=system)


def _rules():  # noqa: ANN202
    from tests.lifecycle.helpers import rules
    return rules()


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_the_table_people_read(city: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    _golden("status.zh.txt", _status([], capsys))


def test_the_table_in_english_with_ended_systems(city: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    _golden("status.all.en.txt", _status(["--lang", "en", "--all"], capsys))


def test_the_json_machines_read(city: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    text = _status(["--format", "json"], capsys)
    _golden("status.json", text)
    document = json.loads(text)
    rows = {s["system"]: s for s in document["systems"]}
    assert sorted(rows) == ["zwfw-app", "zwfw-late", "zwfw-portal"]
    assert (rows["zwfw-app"]["owed_by"], rows["zwfw-app"]["trial_end"]) == (["department"], "2026-12-17T23:59:59+08:00")
    assert (rows["zwfw-late"]["deadline_rule"], rows["zwfw-late"]["deadline_uncertain"]) == ("art15", True)
    # 6 vCPU x 0.10 + 12 GiB x 0.045 per hour, 3 x (40 + 100) GB x 0.60 per 744-hour month, for the 730 h 1 min
    # of December up to now (policies/prices/2026.yaml): 1,079.4827 yuan
    assert rows["zwfw-portal"]["month_cost"] == document["month_total"] == "1079.48"
    assert rows["zwfw-app"]["month_cost"] == "0.00"           # trial is free (art16)


def test_a_month_without_a_price_list_states_no_cost(city: Ledger, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVCLOUD_NOW", "2027-01-04T10:00:00+08:00")      # no policies/prices/2027.yaml
    text = _status(["--lang", "en"], capsys)
    assert "no price list for 2027 (policies/prices/2027.yaml): no cost stated (art28)" in text
    assert [line.split()[-2:] for line in text.splitlines() if "zwfw-portal" in line] == [["no", "price"]]


def test_status_imports_neither_pulumi_nor_openstacksdk(city: Ledger) -> None:
    import subprocess
    code = ("import sys, io; from provisioner import cli; sys.stdout = io.StringIO(); cli.main(['status']); "
            "sys.stdout = sys.__stdout__; print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pulumi', 'pulumi_openstack', 'openstack', 'boto3', 'jinja2'}))")
    result = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], capture_output=True, text=True,
                            env={**os.environ}, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_a_system_in_a_major_change_shows_its_new_generation_and_both_costs() -> None:
    from provisioner.metering.ledger_reader import CurrentFacts
    from provisioner.metering.resources import Amounts
    from provisioner.metering.snapshot import LiveRow
    from provisioner.metering.timeline import Generation, Segment, Timeline
    from fractions import Fraction
    key = "city.d.s"
    old, new = Generation(key, 1, "city", "d", "s", "R-1", "production"), Generation(key, 2, "city", "d", "s", "R-2",
                                                                                    "trial")
    view = _view(State.TRIAL, generation=2, request_id="R-2", since=local(2026, 12, 1), trial_started_at=local(2026, 12, 1))
    line = Timeline(old, (Segment(local(2026, 1, 1), None, "production", Amounts({"compute/cores": Fraction(2)}), "R-1"),))
    facts = CurrentFacts([LiveRow(_view(State.PRODUCTION), "city", "d", "s"), LiveRow(view, "city", "d", "s")],
                         [old, new], [line])
    (row,) = status(facts, CALENDAR, Policies(ROOT).prices(2026), local(2026, 12, 11)).systems
    assert (row.phase, row.generation, row.duty.rule if row.duty else None) == ("trial", 2, "art16-trial")
    assert row.month_cost is not None and row.month_cost > 0
    assert row.trial_end == local(2026, 12, 16, 23, 59, 59)
    assert timedelta(0) < row.trial_end - local(2026, 12, 11)


def test_a_reader_that_goes_away_is_not_a_crash(city: Ledger) -> None:
    import subprocess
    proc = subprocess.Popen([str(ROOT / ".venv/bin/govcloud"), "status"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ}, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()                     # `govcloud status | head -0`: gone before the table is written
    assert proc.wait(timeout=120) == 1      # quietly: see cli._reader_gone
    assert proc.stderr.read() == b""
