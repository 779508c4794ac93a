"""The hand-over through the `govcloud` command (art25), with a stand-in engine: reconcile backs
up and stops; the unit reads and confirms the record; nothing destroys the system before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provisioner.app import reconcile
from provisioner.app.actions import ActionOutcome, SystemRef
from tests.lifecycle.helpers import SYSTEM
from tests.lifecycle.test_cli import repo  # noqa: F401 - the fixture
from tests.lifecycle.test_flow_cli import DAY0, SPEC, in_trial, run
from tests.lifecycle.test_handover import BACKUP

DAY1, DAY2 = "2026-03-03T09:00", "2026-03-04T09:00"


class EngineLike:
    """Stands for the Pulumi engine; records what it was asked to do."""

    records_intent_only = False

    def __init__(self) -> None:
        self.calls: list[str] = []

    def _done(self, ref: SystemRef) -> ActionOutcome:
        return ActionOutcome(True, {})

    create_trial = promote = apply_change = _done

    def back_up(self, ref: SystemRef) -> ActionOutcome:
        self.calls.append("back_up")
        return ActionOutcome(True, {"backups": [BACKUP], "exports": [], "retention_days": 180,
                                    "retention_policy": "policies/handover.yaml:12"})

    def terminate(self, ref: SystemRef) -> ActionOutcome:
        self.calls.append("terminate")
        return ActionOutcome(True, {"destroyed": {"delete": 9}})


@pytest.fixture()
def engine(repo: Path, monkeypatch: pytest.MonkeyPatch) -> EngineLike:  # noqa: F811
    made = EngineLike()
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:li")
    monkeypatch.setitem(reconcile.ENGINES, "stand-in", lambda settings: made)
    monkeypatch.setenv("GOVCLOUD_RECONCILE_ENGINE", "stand-in")
    return made


def test_the_unit_confirms_before_anything_is_destroyed(engine: EngineLike, monkeypatch, capsys) -> None:  # noqa: ANN001
    in_trial(monkeypatch, capsys)
    assert run(monkeypatch, DAY0, "lifecycle", "terminate", SYSTEM, "--request-id", "JJ-2026-0009",
               "--reason", "业务并入省级平台") == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0009") == 0
    assert run(monkeypatch, DAY1, "lifecycle", "handover", "show", SYSTEM) == 1          # nothing backed up yet
    assert "没有数据移交记录" in capsys.readouterr().err
    assert run(monkeypatch, DAY1, "reconcile", "--lang", "en") == 0
    assert "the hand-over record awaits the unit's confirmation" in capsys.readouterr().out
    assert run(monkeypatch, DAY2, "reconcile", "--full") == 0 and engine.calls == ["back_up"]
    capsys.readouterr()

    assert run(monkeypatch, DAY2, "lifecycle", "handover", "show", SYSTEM, "--format", "json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["confirmed"] is None and shown["record"]["backups"] == [BACKUP]
    assert shown["record"]["kept_until"] == "2026-08-30" and shown["record"]["request_id"] == "JJ-2026-0009"
    assert run(monkeypatch, DAY2, "lifecycle", "--lang", "en", "done", SYSTEM, "terminate") == 1
    assert "art25" in capsys.readouterr().err
    assert run(monkeypatch, DAY2, "destroy", SPEC) == 1
    assert "第二十五条" in capsys.readouterr().err
    assert run(monkeypatch, DAY2, "--lang", "en", "destroy", SPEC) == 1
    assert "art25" in capsys.readouterr().err
    assert run(monkeypatch, DAY2, "status", "--format", "json") == 0
    row = json.loads(capsys.readouterr().out)["systems"][0]
    assert (row["phase"], row["deadline_rule"], row["owed_by"]) == ("handover", "art25", ["department"])

    assert run(monkeypatch, DAY2, "lifecycle", "handover", "confirm", SYSTEM, "--by", "王科长", actor="dept:wang") == 0
    assert "使用单位（王科长）已确认数据移交记录" in capsys.readouterr().out
    assert run(monkeypatch, DAY2, "lifecycle", "--lang", "en", "handover", "show", SYSTEM) == 0
    assert "confirmed by the unit's 王科长" in capsys.readouterr().out
    assert run(monkeypatch, DAY2, "reconcile", "--lang", "en") == 0
    assert "resources destroyed, service ended (art19, art25)" in capsys.readouterr().out
    assert engine.calls == ["back_up", "terminate"]


def test_a_hand_made_backup_step_records_a_record_without_backups(repo: Path, monkeypatch, capsys) -> None:  # noqa: ANN001,F811
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:li")
    monkeypatch.setenv("GOVCLOUD_RECONCILE_ENGINE", "none")
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    assert run(monkeypatch, DAY0, "lifecycle", "done", SYSTEM, "create_trial") == 0
    assert run(monkeypatch, DAY0, "lifecycle", "terminate", SYSTEM, "--request-id", "JJ-2026-0009",
               "--reason", "业务并入省级平台") == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0009") == 0
    assert run(monkeypatch, DAY1, "lifecycle", "done", SYSTEM, "back_up") == 0
    capsys.readouterr()
    assert run(monkeypatch, DAY1, "lifecycle", "--lang", "en", "handover", "show", SYSTEM) == 0
    text = capsys.readouterr().out
    assert "lists no backups" in text and "policies/handover.yaml:12" in text
