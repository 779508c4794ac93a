"""The hand-over record in the ledger lists the backups earlier changes made before removing data
volumes (art18, art25), read from the system's events: through reconcile, on SQLite and PostgreSQL."""

from __future__ import annotations

from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger, store, workflow
from provisioner.ledger import handover as records
from provisioner.lifecycle.handover import record_sha256, render
from provisioner.lifecycle.states import Party, State
from provisioner.app.reconcile import ActionOutcome, Options, SystemRef, reconcile
from provisioner.stacks.engine import StackFailed
from tests.lifecycle.helpers import SYSTEM, context, flavors, make_spec, rules
from tests.lifecycle.test_handover import BACKUP, REMOVED_1, REMOVED_2
from tests.lifecycle.test_reconcile import FakeActions, accepted_system

CAL = WorkCalendar({})


class RemovingActions(FakeActions):
    """FakeActions whose steps may back up the data volumes they remove (provisioner/app/data_removal.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.removes: dict[str, list[dict]] = {}

    def apply_change(self, ref: SystemRef) -> ActionOutcome:
        done = self._do("apply_change", ref)
        removed = self.removes.pop("apply_change", [])
        return ActionOutcome(True, {**done.detail, **({"backups": removed} if removed else {})})

    def back_up(self, ref: SystemRef) -> ActionOutcome:
        outcome = super().back_up(ref)
        return ActionOutcome(True, {**outcome.detail, "backups": [BACKUP]})


def in_production(ledger: Ledger, clock) -> RemovingActions:  # noqa: ANN001
    accepted_system(ledger, clock)
    actions = RemovingActions()
    reconcile(ledger, CAL, actions, now=clock.now)
    ctx = context(ledger, clock)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    reconcile(ledger, CAL, actions, now=clock.advance(days=16))
    return actions


def change(ledger: Ledger, clock, request_id: str, count: int) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    edit = lambda d: d["resources"]["hosts"][0].update(count=count)  # noqa: E731
    workflow.submit(ctx, make_spec(request_id=request_id, edit=edit), rules(), flavors())
    workflow.accept(ctx, request_id)


def terminate(ledger: Ledger, clock, actions: RemovingActions, request_id: str = "JJ-2026-0009") -> records.Stored:  # noqa: ANN001
    ctx = context(ledger, clock)
    workflow.request_termination(ctx, SYSTEM, request_id, "service merged into the province's")
    workflow.accept(ctx, request_id)
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1), options=Options(full=True))
    with ledger.transaction() as conn:
        stored = records.newest(conn, SYSTEM)
    assert stored is not None
    return stored


def test_the_record_lists_what_earlier_changes_backed_up_before_removing_it(ledger: Ledger, clock) -> None:  # noqa: ANN001
    actions = in_production(ledger, clock)
    change(ledger, clock, "JJ-2026-0002", 3)
    failed = StackFailed(SYSTEM, "up", "Volume is busy")      # released, then failed: only its event names it
    failed.backups = (REMOVED_1,)
    actions.fail["apply_change"] = failed
    failed_at = clock.advance(hours=1)
    reconcile(ledger, CAL, actions, now=failed_at)
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    change(ledger, clock, "JJ-2026-0004", 4)
    actions.removes["apply_change"] = [REMOVED_2]
    changed_at = clock.advance(hours=1)
    reconcile(ledger, CAL, actions, now=changed_at)

    stored = terminate(ledger, clock, actions)
    record = stored.record
    assert record["backups"] == [BACKUP]
    assert record["removed_by_changes"] == [
        {**REMOVED_1, "made_by": {"request_id": "JJ-2026-0002", "generation": 1, "event": "action_failed",
                                  "at": failed_at.isoformat()}},
        {**REMOVED_2, "made_by": {"request_id": "JJ-2026-0004", "generation": 1, "event": "apply_change_done",
                                  "at": changed_at.isoformat()}}]
    assert stored.sha256 == record_sha256(record)       # what the unit confirms covers them
    text = "\n".join(render(record, stored.sha256, None, "en"))
    assert f"kept until {record['kept_until']} as well" in text and "b-r1" in text and "b-r2" in text
    assert "第十八条" in "\n".join(render(record, stored.sha256, None, "zh"))
    workflow.confirm_handover(context(ledger, clock, actor="dept:wang"), SYSTEM, "王科长")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    with ledger.transaction() as conn:
        assert records.newest(conn, SYSTEM).confirmed["by"] == "王科长"


def test_a_system_whose_changes_removed_nothing_keeps_the_records_shape(ledger: Ledger, clock) -> None:  # noqa: ANN001
    actions = in_production(ledger, clock)
    change(ledger, clock, "JJ-2026-0002", 3)
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    stored = terminate(ledger, clock, actions)
    assert sorted(stored.record) == ["backups", "by_hand", "exports", "generation", "kept_until", "made_at",
                                     "request_id", "retention_days", "retention_policy", "system"]
    assert stored.sha256 == record_sha256(stored.record)


def test_a_new_stack_of_the_system_lists_only_its_own_changes(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """The first stack's change backups went with its own record, confirmed before it was destroyed; a
    later generation of the ended system runs on a new stack and hands over only what happened to it."""
    actions = in_production(ledger, clock)
    change(ledger, clock, "JJ-2026-0002", 3)
    actions.removes["apply_change"] = [REMOVED_1]
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    first = terminate(ledger, clock, actions)
    assert [b["backup_id"] for b in first.record["removed_by_changes"]] == ["b-r1"]
    ctx = context(ledger, clock)
    workflow.confirm_handover(context(ledger, clock, actor="dept:wang"), SYSTEM, "王科长")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))

    clock.advance(days=30)
    workflow.submit(ctx, make_spec(request_id="JJ-2026-0020"), rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0020")
    reconcile(ledger, CAL, actions, now=clock.advance(hours=1))
    with ledger.transaction() as conn:
        assert [g.state for g in store.generations(conn, SYSTEM)] == [State.TERMINATED, State.TRIAL]
    second = terminate(ledger, clock, actions, "JJ-2026-0029")
    assert second.record["generation"] == 2 and "removed_by_changes" not in second.record
    assert second.record["made_at"] > first.record["made_at"]
