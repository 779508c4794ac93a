"""A failed pulumi run told in one line; its full output kept in the run's log (provisioner/stacks/runlog.py)."""

from __future__ import annotations

from pathlib import Path

from pulumi import automation as auto

from provisioner.stacks import runlog

URN = "urn:pulumi:city.jj-x.sys::govcloud::openstack:compute/instance:Instance::sys-web-1"
NOVA_409 = (
    "sdk-v2/provider2.go:572: sdk.helper_schema: Error creating OpenStack server: Expected HTTP response code "
    "[202] when accessing [POST http://127.0.0.1:8774/v2.1/servers], but got 409 instead: "
    '{"conflictingRequest": {"code": 409, "message": "Port 5c1f is still in use."}}: provider=openstack@5.5.3')


def _events(*raw: dict) -> list[auto.EngineEvent]:
    return [auto.EngineEvent.from_json({"sequence": i, "timestamp": 0, **e}) for i, e in enumerate(raw)]


def test_the_first_failed_resource_is_named_with_what_was_done_and_the_clouds_words() -> None:
    events = _events(
        {"resourcePreEvent": {"metadata": {"op": "create", "urn": URN, "type": "t", "provider": ""}}},
        {"diagnosticEvent": {"urn": URN, "message": "  " + NOVA_409 + "\n", "color": "never", "severity": "error"}},
        {"diagnosticEvent": {"message": "update failed", "color": "never", "severity": "error"}})
    assert runlog.failure_reason(events, "") == (
        "create sys-web-1: 409 Port 5c1f is still in use. (POST http://127.0.0.1:8774/v2.1/servers)")


def test_without_events_the_first_error_line_pulumi_printed() -> None:
    stderr = "warning: something\nerror: the stack is currently locked by 1 lock(s).\nmore"
    assert runlog.failure_reason([], stderr) == "the stack is currently locked by 1 lock(s)."


def test_a_long_reason_is_cut() -> None:
    assert len(runlog.short("x " * 400)) == runlog.REASON_CHARS


def test_every_line_goes_to_one_file_per_run_and_old_runs_are_pruned(tmp_path: Path) -> None:
    for index in range(runlog.KEEP + 5):
        (tmp_path / f"2000{index:04d}-1.log").write_text("old")
    log = runlog.RunLog(tmp_path)
    assert not log.path.exists()                     # nothing written, no file
    log.line("city.x", "up", "Updating (city.x)")
    log.line("city.x.y", "destroy", "done")
    assert log.path.read_text() == "city.x up: Updating (city.x)\ncity.x.y destroy: done\n"
    assert len(list(tmp_path.glob("*.log"))) == runlog.KEEP
