"""The hand-over of a terminated system's data to its unit (art25), pure parts: the steps of
the state machine, who owes the next one, the record and its checksum, the retention policy."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.errors import SpecError
from provisioner.policy.handover import parse_retention
from provisioner.policy.store import Policies
from provisioner.lifecycle import machine
from provisioner.lifecycle.duty import Duty, next_duty
from provisioner.lifecycle.handover import Logged, kept_until, make_record, record_sha256, removed_by_changes, render
from provisioner.lifecycle.machine import TransitionError, due, next_check
from provisioner.lifecycle.states import Action, State
from tests.lifecycle.helpers import ROOT
from tests.lifecycle.test_machine import MON_0900, actions, view

CAL = WorkCalendar({})
LATER = MON_0900 + timedelta(days=3)


def test_termination_backs_up_first_and_destroys_nothing_before_the_unit_confirms() -> None:
    terminating = view(State.TERMINATING, pending_request_id="JJ-2026-0009")
    assert actions(due(terminating, MON_0900, CAL)) == [Action.BACK_UP]
    backed_up = machine.complete(terminating, Action.BACK_UP, MON_0900, CAL)
    waiting = backed_up.view
    assert (waiting.state, waiting.pending_request_id) == (State.HANDOVER, "JJ-2026-0009")
    assert backed_up.events[0].kind == "back_up_done" and backed_up.events[0].detail["request_id"] == "JJ-2026-0009"
    # a year later still nothing is due, and reconcile need not look at it: only the unit moves it
    assert due(waiting, MON_0900 + timedelta(days=365), CAL) == []
    assert next_check(waiting, MON_0900, CAL) is None
    with pytest.raises(TransitionError) as refused:
        machine.complete(waiting, Action.TERMINATE, LATER, CAL)
    assert refused.value.key == "handover-unconfirmed"
    assert "第二十五条" in str(refused.value) and "art25" in refused.value.message("en")
    assert "govcloud lifecycle handover confirm city.jj-xzspj.zwfw-portal --by" in refused.value.message("en")


def test_the_units_confirmation_makes_the_destroy_due() -> None:
    waiting = view(State.HANDOVER, pending_request_id="JJ-2026-0009")
    step = machine.confirm_handover(waiting, LATER, " 王科长 ", "ab" * 32)
    assert step.view.handover_confirmed_at == LATER and step.view.state == State.HANDOVER
    event = step.events[0]
    assert (event.kind, event.rule) == ("handover_confirmed", "art25")
    assert event.detail == {"party": "department", "by": "王科长", "record_sha256": "ab" * 32}
    assert actions(due(step.view, LATER, CAL)) == [Action.TERMINATE]
    assert next_check(step.view, LATER, CAL) == LATER
    ended = machine.complete(step.view, Action.TERMINATE, LATER, CAL)
    assert ended.view.state == State.TERMINATED and ended.view.pending_request_id is None
    assert ended.events[0].detail["request_id"] == "JJ-2026-0009"


@pytest.mark.parametrize(("subject", "by", "key"), [
    (view(State.HANDOVER, handover_confirmed_at=MON_0900), "王科长", "handover-confirmed-before"),
    (view(State.HANDOVER), "  ", "handover-by-missing"),
    (view(State.TERMINATING), "王科长", "not-allowed"),
    (view(State.PRODUCTION), "王科长", "not-allowed"),
])
def test_confirmation_is_refused_when_it_means_nothing(subject, by: str, key: str) -> None:  # noqa: ANN001
    with pytest.raises(TransitionError) as refused:
        machine.confirm_handover(subject, LATER, by, "ab" * 32)
    assert refused.value.key == key


def test_who_owes_the_hand_over() -> None:
    assert next_duty(view(State.TERMINATING), CAL) == Duty("art19", None, False, ("provider",))
    assert next_duty(view(State.HANDOVER), CAL) == Duty("art25", None, False, ("department",))
    assert next_duty(view(State.HANDOVER, handover_confirmed_at=LATER), CAL) == \
        Duty("art19", None, False, ("provider",))


BACKUP = {"backup_id": "b-1", "backup_name": "app-final-app-1-data1", "volume_id": "v-1",
          "volume_name": "app-1-data1", "size_gb": 10, "checksum_sha256": "c" * 64,
          "checksum_covers": "cinder-export-record", "location": "cinder.backup.drivers.posix.PosixBackupDriver, "
          "container 2026/12/05, availability zone nova", "created_at": "2026-12-05T13:00:00",
          "export_record": {"backup_service": "posix", "backup_url": "e30="}}
SHARE = {"kind": "manila-share", "name": "docs", "id": "s-1", "size": "1 GB", "where": "NFS 127.0.0.1:/x"}


def record(**changes: object) -> dict:
    values = dict(system_key="city.jj-xzspj.zwfw-portal", generation=1, request_id="JJ-2026-0009",
                  made_at=datetime(2026, 12, 31, 20, 0, tzinfo=SHANGHAI), backups=[BACKUP], exports=[SHARE],
                  retention_days=180, policy="policies/handover.yaml:12")
    return make_record(**{**values, **changes})


def test_the_record_says_until_when_the_backups_are_kept_in_shanghai_days() -> None:
    made = record()
    assert made["kept_until"] == "2027-06-29" and made["retention_policy"] == "policies/handover.yaml:12"
    # 2026-12-31 17:00 UTC is already 1 January in Shanghai: the days count from there
    assert kept_until(datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc), 1) == date(2027, 1, 2)
    assert made["backups"] == [BACKUP] and made["exports"] == [SHARE]


def test_the_records_checksum_names_it_exactly() -> None:
    assert record_sha256(record()) == record_sha256(record())
    assert record_sha256(record()) != record_sha256(record(retention_days=181))
    changed = {**BACKUP, "size_gb": 11}
    assert record_sha256(record()) != record_sha256(record(backups=[changed]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_record_as_the_unit_reads_it(lang: str) -> None:
    lines = render(record(), "d" * 64, None, lang)
    text = "\n".join(lines)
    assert "b-1" in text and "10 GB" in text and f"sha256:{'c' * 64}" in text and "2027-06-29" in text
    assert "policies/handover.yaml:12" in text and "s-1" in text and "d" * 64 in text
    assert ("art25" if lang == "en" else "第二十五条") in lines[0]
    assert ("export record" if lang == "en" else "导出记录") in text        # says what the checksum covers
    assert "handover confirm city.jj-xzspj.zwfw-portal" in lines[-1]
    confirmed = render(record(), "d" * 64, {"by": "王科长", "at": "2027-01-02T01:00:00+00:00", "actor": "dept:wang"},
                       lang)
    assert "王科长" in confirmed[-1] and "dept:wang" in confirmed[-1]


def test_a_hand_made_backup_step_says_its_record_lists_none() -> None:
    text = "\n".join(render(record(backups=[], by_hand=True), "d" * 64, None, "en"))
    assert "by hand" in text and "lists no backups" in text


def test_the_retention_is_the_offices_number_with_its_line() -> None:
    retention = Policies(ROOT).handover
    text = (ROOT / "policies" / "handover.yaml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "retention_days:" in row)
    assert retention.where == f"policies/handover.yaml:{line}" and retention.days >= 1


@pytest.mark.parametrize(("text", "expected"), [
    ("version: 1\nbackups:\n  retention_days: 0\n", "policies/handover.yaml:3:19: policy-config-invalid backups.retention_days"),
    ("version: 1\nbackups:\n  retention_days: 30\n  keep: forever\n", "policies/handover.yaml:4:3: policy-config-invalid"),
    ("version: 2\nbackups:\n  retention_days: 30\n", "policies/handover.yaml:1:10: policy-config-invalid version"),
])
def test_a_wrong_retention_is_refused_at_its_line(text: str, expected: str) -> None:
    with pytest.raises(SpecError) as wrong:
        parse_retention(text)
    assert expected in str(wrong.value) and "art25" in str(wrong.value)


# The backups earlier changes made before removing data volumes (art18), as their events name them.
GOLDEN = Path(__file__).with_name("golden")      # refresh: GOVCLOUD_UPDATE_GOLDEN=1, then review the diff
# record() as made and hashed before records listed the backups of changes: a stored one must still verify.
SHA_BEFORE = "53c5ac47f59b67ea6864c15d13959a1635234df3f349d84eb45ececf1e594700"
REMOVED_1 = {**BACKUP, "backup_id": "b-r1", "backup_name": "zwfw-portal-removed-app-1-data2", "volume_id": "v-2",
             "volume_name": "app-1-data2", "size_gb": 20, "created_at": "2026-06-01T10:00:00"}
REMOVED_2 = {**REMOVED_1, "backup_id": "b-r2", "backup_name": "zwfw-portal-removed-db-1-data1", "volume_id": "v-3",
             "volume_name": "db-1-data1", "size_gb": 50}
T0 = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)


def logged(kind: str, generation: int = 1, hours: int = 0, request: str = "JJ-2026-0001", **detail: object) -> Logged:
    """An event of the system; `request`: the event row's (its generation's request)."""
    return Logged(generation, T0 + timedelta(hours=hours), kind, request, detail)


# A production system: a minor change whose up failed after it released a data volume (its backup is in
# the failure's event only), done on the next attempt; a major change's generation 2 that removed another
# on the same stack (and named the first again); then the termination's own backup step.
HISTORY = [
    logged("create_trial_done"), logged("promote_done", hours=1),
    logged("change_started", hours=2, request_id="JJ-2026-0002"),
    logged("action_failed", hours=3, action="apply_change", error="StackFailed: Volume is busy", backups=[REMOVED_1]),
    logged("apply_change_done", hours=4, request_id="JJ-2026-0002"),
    logged("create_trial_done", generation=2, hours=5, request="JJ-2026-0003", backups=[REMOVED_2, REMOVED_1]),
    logged("back_up_done", generation=2, hours=6, request="JJ-2026-0003", backups=[BACKUP]),
]


def test_the_backups_of_earlier_changes_are_found_in_the_systems_events() -> None:
    found = removed_by_changes(HISTORY)
    assert found == [
        {**REMOVED_1, "made_by": {"request_id": "JJ-2026-0002", "generation": 1, "event": "action_failed",
                                  "at": "2026-06-01T05:00:00+00:00"}},
        {**REMOVED_2, "made_by": {"request_id": "JJ-2026-0003", "generation": 2, "event": "create_trial_done",
                                  "at": "2026-06-01T07:00:00+00:00"}}]     # b-r1 named twice: listed once


def test_backups_of_a_destroyed_stack_went_with_its_own_record() -> None:
    destroyed = logged("terminate_done", generation=2, hours=7, request_id="JJ-2026-0009", destroyed={"delete": 9})
    assert removed_by_changes([*HISTORY, destroyed]) == []
    # a generation ended while another ran on the stack (lifecycle/phase.py) left it standing
    kept = logged("terminate_done", hours=7, request_id="JJ-2026-0009", destroyed=False, stack_kept_for="production")
    assert removed_by_changes([*HISTORY, kept]) == removed_by_changes(HISTORY)
    later = logged("apply_change_done", generation=3, hours=9, request_id="JJ-2026-0011", backups=[REMOVED_2])
    assert [b["backup_id"] for b in removed_by_changes([*HISTORY, destroyed, later])] == ["b-r2"]


def test_a_record_without_backups_of_changes_is_the_record_made_before_them() -> None:
    made = record()
    assert "removed_by_changes" not in made and record(removed_by_changes=[]) == made
    assert record_sha256(made) == SHA_BEFORE
    for lang in ("zh", "en"):
        golden = (GOLDEN / f"handover-record.{lang}.txt").read_text(encoding="utf-8")
        assert "\n".join(render(made, "d" * 64, None, lang)) + "\n" == golden


def test_the_record_lists_the_backups_of_changes_and_its_checksum_covers_them() -> None:
    made = record(removed_by_changes=removed_by_changes(HISTORY))
    assert [b["backup_id"] for b in made["removed_by_changes"]] == ["b-r1", "b-r2"]
    assert record_sha256(made) != SHA_BEFORE
    changed = [{**made["removed_by_changes"][0], "size_gb": 21}, made["removed_by_changes"][1]]
    assert record_sha256(made) != record_sha256(record(removed_by_changes=changed))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_unit_reads_the_backups_of_changes_until_the_same_day(lang: str) -> None:
    made = record(removed_by_changes=removed_by_changes(HISTORY))
    text = "\n".join(render(made, "e" * 64, None, lang)) + "\n"
    golden = GOLDEN / f"handover-record-changes.{lang}.txt"
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_a_hand_made_record_still_lists_the_backups_of_changes() -> None:
    made = record(backups=[], by_hand=True, removed_by_changes=removed_by_changes(HISTORY))
    text = "\n".join(render(made, "d" * 64, None, "en"))
    assert "lists no backups" in text and "b-r1" in text and "b-r2" in text and "export record" in text


def test_a_removed_containers_copy_is_handed_over_as_a_copy(lang: str = "en") -> None:
    """A dropped bucket's verified copy (provisioner/cloud/container_copies.py) is among a change's backups: the
    record lists it once however often events name it, and the unit reads it as a copy, not a volume backup."""
    copy = {"container": "files", "copy": "zwfw-portal-removed-files", "objects": 3, "bytes": 1024,
            "location": "swift, project p1, container zwfw-portal-removed-files", "kind": "swift-container-copy"}
    events = [logged("action_failed", hours=3, action="apply_change", error="StackFailed: x", backups=[copy]),
              logged("apply_change_done", hours=4, request_id="JJ-2026-0002", backups=[copy, REMOVED_1])]
    found = removed_by_changes(events)
    assert [b.get("copy") or b.get("backup_id") for b in found] == ["zwfw-portal-removed-files", "b-r1"]
    lines = render(record(removed_by_changes=found), "e" * 64, None, lang)
    said = next(line for line in lines if "zwfw-portal-removed-files" in line)
    assert said.startswith("  copy zwfw-portal-removed-files of container files: 3 objects, 1024 bytes"), said
    assert "?" not in said
    assert "容器 files 的副本" in "\n".join(render(record(removed_by_changes=found), "e" * 64, None, "zh"))
