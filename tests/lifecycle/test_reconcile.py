"""reconcile on SQLite and a real PostgreSQL: due steps, idempotence, kills, two runs at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provisioner.audit import log as audit_log
from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.errors import EngineError
from provisioner.ledger import Ledger, store, workflow
from provisioner.ledger.schema import audit_log as audit_table
from provisioner.ledger.schema import events, leases
from provisioner.lifecycle.states import Party, State
from provisioner.app.reconcile import ActionOutcome, IntentOnlyActions, Options, SystemRef, reconcile
from tests.lifecycle.helpers import RETENTION, ROOT, SYSTEM, context, flavors, make_spec, rules

CAL = WorkCalendar({})


class FakeActions:
    """Hand-written StackActions: records calls; can fail, block or kill on a chosen call."""

    records_intent_only = False

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []
        self.fail: dict[str, Exception] = {}
        self.hook = None

    def _do(self, name: str, ref: SystemRef) -> ActionOutcome:
        self.calls.append((name, ref.system_key, ref.generation))
        if self.hook is not None:
            self.hook(name, ref)
        if name in self.fail:
            raise self.fail.pop(name)
        return ActionOutcome(True, {"stack": ref.system_key})

    def create_trial(self, ref: SystemRef) -> ActionOutcome:
        return self._do("create_trial", ref)

    def promote(self, ref: SystemRef) -> ActionOutcome:
        return self._do("promote", ref)

    def apply_change(self, ref: SystemRef) -> ActionOutcome:
        return self._do("apply_change", ref)

    def back_up(self, ref: SystemRef) -> ActionOutcome:
        done = self._do("back_up", ref)
        return ActionOutcome(True, {**done.detail, **RETENTION, "backups": [], "exports": []})

    def terminate(self, ref: SystemRef) -> ActionOutcome:
        return self._do("terminate", ref)


class Killed(BaseException):
    """Stands for the process dying at a checkpoint: nothing after it runs."""


def accepted_system(ledger: Ledger, clock, request_id: str = "JJ-2026-0001", system: str = "zwfw-portal") -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    workflow.submit(ctx, make_spec(request_id=request_id, system=system), rules(), flavors())
    workflow.accept(ctx, request_id)


def kinds(ledger: Ledger) -> list[str]:
    with ledger.transaction() as conn:
        return list(conn.execute(select(events.c.kind).order_by(events.c.id)).scalars())


def state(ledger: Ledger, key: str = SYSTEM) -> State:
    with ledger.transaction() as conn:
        return store.generations(conn, key)[-1].state


def chain_intact(ledger: Ledger) -> bool:
    with ledger.transaction() as conn:
        return audit_log.verify_ledger(conn).findings == []


def test_a_fifteen_day_trial_on_a_fake_clock(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    report = reconcile(ledger, CAL, actions, now=clock.now)
    assert actions.calls == [("create_trial", SYSTEM, 1)] and state(ledger) == State.TRIAL
    assert [k for _, k, _ in report.events] == ["create_trial_done"]
    ctx = context(ledger, clock, actor="dept:wang")
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(context(ledger, clock, actor="provider:zhao"), SYSTEM, Party.PROVIDER, True)
    trial_end = datetime(2026, 3, 17, 23, 59, 59, tzinfo=SHANGHAI)    # Monday 03-02 + 15 days
    promoted_at = None
    for _ in range(16 * 4):
        clock.advance(hours=6)
        reconcile(ledger, CAL, actions, now=clock.now)
        if state(ledger) == State.PRODUCTION:
            promoted_at = clock.now
            break
    assert promoted_at is not None and trial_end < promoted_at <= trial_end + timedelta(hours=6)
    assert actions.calls == [("create_trial", SYSTEM, 1), ("promote", SYSTEM, 1)]
    assert Counter(kinds(ledger))["promote_done"] == 1 and chain_intact(ledger)


def test_held_trial_is_flagged_once_and_promoted_after_both_accept(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    reconcile(ledger, CAL, actions, now=clock.now)
    workflow.verdict(context(ledger, clock), SYSTEM, Party.DEPARTMENT, True)
    for _ in range(5):
        clock.advance(days=4)
        reconcile(ledger, CAL, actions, now=clock.now)
    assert Counter(kinds(ledger))["trial_held"] == 1 and state(ledger) == State.TRIAL
    with ledger.transaction() as conn:
        row = conn.execute(select(store.systems)).one()
    assert row.held and row.next_check_at is None
    workflow.verdict(context(ledger, clock), SYSTEM, Party.PROVIDER, True)
    reconcile(ledger, CAL, actions, now=clock.now)
    assert state(ledger) == State.PRODUCTION and actions.calls[-1][0] == "promote"


def test_a_missed_deadline_is_recorded_once(ledger: Ledger, clock) -> None:  # noqa: ANN001
    workflow.submit(context(ledger, clock), make_spec(), rules(), flavors())
    actions = FakeActions()
    clock.advance(days=3)         # Thursday: still within art15's 3 working days
    assert reconcile(ledger, CAL, actions, now=clock.now).events == []
    clock.advance(days=1)         # Friday 09:00: Thursday's end has passed
    report = reconcile(ledger, CAL, actions, now=clock.now)
    assert report.events == [(f"{SYSTEM}#1", "deadline_missed", {"rule": "art15"})]
    clock.advance(days=10)
    reconcile(ledger, CAL, actions, now=clock.now)
    assert Counter(kinds(ledger))["deadline_missed"] == 1 and actions.calls == []


def test_rerun_at_the_same_moment_does_nothing(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    reconcile(ledger, CAL, actions, now=clock.now)
    with ledger.transaction() as conn:
        before = conn.execute(select(func.count()).select_from(audit_table)).scalar_one()
    report = reconcile(ledger, CAL, actions, now=clock.now)
    with ledger.transaction() as conn:
        after = conn.execute(select(func.count()).select_from(audit_table)).scalar_one()
    assert (report.checked, report.events, before) == (0, [], after)
    assert len(actions.calls) == 1


def test_without_an_engine_the_intent_is_recorded_once_for_the_provider(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    report = reconcile(ledger, CAL, IntentOnlyActions(), now=clock.now)
    assert report.events == [(f"{SYSTEM}#1", "intent_recorded", {"action": "create_trial"})]
    clock.advance(hours=1)
    assert reconcile(ledger, CAL, IntentOnlyActions(), now=clock.now).events == []
    assert state(ledger) == State.ACCEPTED
    # an engine configured later picks the intent up
    actions = FakeActions()
    reconcile(ledger, CAL, actions, now=clock.now)
    assert actions.calls == [("create_trial", SYSTEM, 1)] and state(ledger) == State.TRIAL


def test_a_failed_action_is_recorded_and_retried(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    actions.fail["create_trial"] = EngineError("pulumi up: quota exceeded")
    report = reconcile(ledger, CAL, actions, now=clock.now)
    assert report.failed == [(f"{SYSTEM}#1", "create_trial", "EngineError: pulumi up: quota exceeded")]
    assert state(ledger) == State.ACCEPTED
    clock.advance(minutes=10)
    reconcile(ledger, CAL, actions, now=clock.now)
    assert state(ledger) == State.TRIAL
    with ledger.transaction() as conn:
        started = [e.detail["attempt"] for e in conn.execute(select(events).where(events.c.kind == "action_started"))]
    assert started == [1, 2]
    assert kinds(ledger)[-3:] == ["action_failed", "action_started", "create_trial_done"]


def test_a_failed_action_records_the_backups_it_made_before_it_failed(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """An up that backed up and released data volumes, then failed (provisioner/app/data_removal.py): the next
    up deletes them without asking, so the failure's event is where the backups are recorded (art18)."""
    from provisioner.stacks.engine import StackFailed

    accepted_system(ledger, clock)
    actions = FakeActions()
    failed = StackFailed(SYSTEM, "up", "Volume is busy")
    failed.backups = ({"volume_name": "zwfw-portal-app-1-data2", "backup_id": "b2"},)
    actions.fail["create_trial"] = failed
    reconcile(ledger, CAL, actions, now=clock.now)
    with ledger.transaction() as conn:
        (detail,) = [e.detail for e in conn.execute(select(events).where(events.c.kind == "action_failed"))]
    assert detail["backups"] == [{"volume_name": "zwfw-portal-app-1-data2", "backup_id": "b2"}]


def test_terminating_after_a_failed_trial_creation_still_destroys_what_it_left(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """art19: the provider ends the service. A `pulumi up` that failed half-way leaves resources in the
    stack although no trial started: a termination then backs up and destroys, never ends the
    generation as if nothing had been made."""
    accepted_system(ledger, clock)
    actions = FakeActions()
    actions.fail["create_trial"] = EngineError("pulumi up: quota exceeded after 3 of 5 resources")
    reconcile(ledger, CAL, actions, now=clock.now)
    assert state(ledger) == State.ACCEPTED
    ctx = context(ledger, clock)
    workflow.request_termination(ctx, SYSTEM, "JJ-2026-0009", "project cancelled by the department")
    assert workflow.accept(ctx, "JJ-2026-0009").state == State.TERMINATING
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    workflow.confirm_handover(ctx, SYSTEM, "王科长")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    assert [c[0] for c in actions.calls] == ["create_trial", "back_up", "terminate"]
    assert state(ledger) == State.TERMINATED


def test_one_failing_system_does_not_stop_the_others(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock, "JJ-2026-0001", "zwfw-portal")
    accepted_system(ledger, clock, "JJ-2026-0002", "gov-mail")
    actions = FakeActions()
    actions.hook = lambda name, ref: (_ for _ in ()).throw(RuntimeError("bug")) if ref.system == "zwfw-portal" else None
    report = reconcile(ledger, CAL, actions, now=clock.now)
    assert len(report.failed) == 1 and state(ledger, "city.jj-xzspj.gov-mail") == State.TRIAL


@pytest.mark.parametrize("point", ["leased", "claimed:create_trial", "in-action", "acted:create_trial",
                                   "completed:create_trial"])
def test_killed_anywhere_a_rerun_converges_and_loses_no_event(ledger: Ledger, clock, point: str) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()

    def die(name: str) -> None:
        if name == point:
            raise Killed(point)

    if point == "in-action":
        actions.hook = lambda name, ref: die("in-action")
    with pytest.raises(Killed):
        reconcile(ledger, CAL, actions, now=clock.now, options=Options(checkpoint=die))
    actions.hook = None
    committed = kinds(ledger)
    clock.advance(minutes=5)
    # the killed run's process is gone (here: the same process, so say so)
    reconcile(ledger, CAL, actions, now=clock.now, options=Options(is_alive=lambda pid: False))
    assert state(ledger) == State.TRIAL
    after = kinds(ledger)
    assert after[:len(committed)] == committed            # nothing recorded before the kill was lost
    assert Counter(after)["create_trial_done"] == 1
    assert chain_intact(ledger)


def test_a_real_sigkill_mid_action_then_rerun(ledger: Ledger, ledger_url: str, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import datetime
        from provisioner.calendar import WorkCalendar
        from provisioner.ledger import Ledger
        from provisioner.app.reconcile import reconcile
        class Dying:
            records_intent_only = False
            def create_trial(self, ref):
                os.kill(os.getpid(), signal.SIGKILL)
        reconcile(Ledger.open({ledger_url!r}), WorkCalendar({{}}), Dying(),
                  now=datetime.fromisoformat({clock.now.isoformat()!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    with ledger.transaction() as conn:
        lease = conn.execute(select(leases)).one()
    assert lease.holder is not None and lease.pid != os.getpid()          # the dead run still "holds" it
    assert kinds(ledger)[-1] == "action_started"
    actions = FakeActions()
    clock.advance(minutes=1)
    report = reconcile(ledger, CAL, actions, now=clock.now)              # its pid is gone: taken over at once
    assert not report.skipped and state(ledger) == State.TRIAL and actions.calls == [("create_trial", SYSTEM, 1)]
    assert chain_intact(ledger)


def test_two_runs_at_once_the_second_does_nothing(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    inside, release = threading.Event(), threading.Event()

    def block(name: str, ref: SystemRef) -> None:
        inside.set()
        assert release.wait(30)

    actions.hook = block
    first = threading.Thread(target=reconcile, args=(ledger, CAL, actions), kwargs={"now": clock.now})
    first.start()
    assert inside.wait(30)
    second = reconcile(ledger, CAL, FakeActions(), now=clock.now)
    release.set()
    first.join(30)
    assert second.skipped and second.busy_holder and second.checked == 0
    assert actions.calls == [("create_trial", SYSTEM, 1)] and Counter(kinds(ledger))["create_trial_done"] == 1


def test_overlapping_runs_past_the_lease_do_not_double_a_transition(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    slow, fast = FakeActions(), FakeActions()
    inside, release = threading.Event(), threading.Event()
    slow.hook = lambda name, ref: (inside.set(), release.wait(30))
    short = Options(lease_ttl=timedelta(seconds=1))
    first = threading.Thread(target=reconcile, args=(ledger, CAL, slow), kwargs={"now": clock.now, "options": short})
    first.start()
    assert inside.wait(30)
    later = clock.now + timedelta(minutes=5)       # the first run's lease has expired by then
    report = reconcile(ledger, CAL, fast, now=later)
    release.set()
    first.join(30)
    assert not report.skipped and fast.calls and slow.calls
    assert Counter(kinds(ledger))["create_trial_done"] == 1 and state(ledger) == State.TRIAL
    assert chain_intact(ledger)


def test_uncertain_deadlines_are_counted(ledger: Ledger, clock) -> None:  # noqa: ANN001
    clock.now = datetime(2026, 12, 29, 2, 0, tzinfo=timezone.utc)
    workflow.submit(context(ledger, clock), make_spec(), rules(), flavors())
    report = reconcile(ledger, CAL, FakeActions(), now=clock.now, options=Options(full=True))
    assert report.uncertain == 1


def test_minor_change_and_termination_through_reconcile(ledger: Ledger, clock) -> None:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = FakeActions()
    reconcile(ledger, CAL, actions, now=clock.now)
    ctx = context(ledger, clock)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    reconcile(ledger, CAL, actions, now=clock.advance(days=16))
    workflow.submit(ctx, make_spec(request_id="JJ-2026-0002", edit=lambda d: d["resources"]["hosts"][0].update(count=3)),
                    rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0002")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    workflow.request_termination(ctx, SYSTEM, "JJ-2026-0003", "service merged")
    workflow.accept(ctx, "JJ-2026-0003")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    reconcile(ledger, CAL, actions, now=clock.advance(days=30), options=Options(full=True))
    assert state(ledger) == State.HANDOVER          # art25: nothing destroyed before the unit confirms
    workflow.confirm_handover(ctx, SYSTEM, "王科长")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    assert [c[0] for c in actions.calls] == ["create_trial", "promote", "apply_change", "back_up", "terminate"]
    assert state(ledger) == State.TERMINATED and chain_intact(ledger)


def test_a_major_change_ends_the_superseded_generation_at_its_go_live_without_touching_the_stack(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """art18: generation 2 (major change) runs on the system's one stack once promoted, with its data;
    generation 1 ends with that promotion: no back-up, no hand-over for the unit to confirm (art25: the
    data stay in the running system), no destroy. Reconcile never asks the engine to act for it again."""
    accepted_system(ledger, clock)
    actions, refs = FakeActions(), []
    actions.hook = lambda name, ref: refs.append((name, ref.generation, ref.phase))
    ctx = context(ledger, clock)
    reconcile(ledger, CAL, actions, now=clock.now)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    reconcile(ledger, CAL, actions, now=clock.advance(days=16))
    bigger = make_spec(request_id="JJ-2026-0003", edit=lambda d: d["resources"]["security"].update(mlps_level=3))
    workflow.submit(ctx, bigger, rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0003")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    reconcile(ledger, CAL, actions, now=clock.advance(days=16))
    with ledger.transaction() as conn:
        assert [(g.generation, g.state) for g in store.generations(conn, SYSTEM)] == [
            (1, State.TERMINATED), (2, State.PRODUCTION)]
        ended = [e for e in store.event_rows(conn, [g.id for g in store.generations(conn, SYSTEM)
                                                    if g.generation == 1]) if e.kind == "superseded"]
    assert len(ended) == 1 and ended[0].detail["by_generation"] == 2
    reconcile(ledger, CAL, actions, now=clock.advance(days=30), options=Options(full=True))
    assert refs == [("create_trial", 1, "trial"), ("promote", 1, "production"), ("create_trial", 2, "production"),
                    ("promote", 2, "production")]


def test_ten_systems_in_one_run(ledger: Ledger, clock) -> None:  # noqa: ANN001
    for n in range(10):
        accepted_system(ledger, clock, f"JJ-2026-{n + 1:04d}", f"sys-{n:02d}")
    actions = FakeActions()
    report = reconcile(ledger, CAL, actions, now=clock.now)
    assert report.checked == 10 and len(actions.calls) == 10
    assert sorted(c[1] for c in actions.calls) == [f"city.jj-xzspj.sys-{n:02d}" for n in range(10)]


def test_the_lease_is_free_after_a_run(ledger: Ledger, clock) -> None:  # noqa: ANN001
    reconcile(ledger, CAL, FakeActions(), now=clock.now)
    with ledger.transaction() as conn:
        assert conn.execute(select(leases.c.holder)).scalar_one() is None


def test_cli_reconcile_and_lifecycle_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    from provisioner import cli
    from tests.lifecycle.test_cli import make_root

    root = make_root(tmp_path)
    monkeypatch.chdir(root)
    monkeypatch.setenv("GOVCLOUD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:li")
    monkeypatch.setenv("GOVCLOUD_RECONCILE_ENGINE", "none")     # the opt-in: record intents only
    spec = root / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"
    assert cli.main(["lifecycle", "submit", str(spec)]) == 0
    out = capsys.readouterr().out
    assert "信息办须在" in out and "第十五条" in out and out.strip().endswith("JJ-2026-0001")
    assert cli.main(["lifecycle", "accept", "JJ-2026-0001"]) == 0
    assert cli.main(["reconcile", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "not done: GOVCLOUD_RECONCILE_ENGINE=none records the intent to create_trial only" in out
    # the summary never counts as done what was only recorded
    assert "reconcile: 1 system(s) checked, 0 step(s) done, 1 recorded only, 0 failed" in out
    assert cli.main(["lifecycle", "done", SYSTEM, "create_trial"]) == 0
    assert cli.main(["lifecycle", "accept", "JJ-2026-0001"]) == 1
    assert "已处理" in capsys.readouterr().err
    assert cli.main(["lifecycle", "show", SYSTEM]) == 0
    shown = capsys.readouterr().out
    assert f"{SYSTEM}#1 JJ-2026-0001 trial art16-trial" in shown and "office:li" in shown
    assert cli.main(["audit", "verify"]) == 0
    assert "审计日志完整" in capsys.readouterr().out
