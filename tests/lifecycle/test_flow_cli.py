"""The flow through the `govcloud` command on GOVCLOUD_NOW, with a stand-in engine: the bugs of
issue 12 (each failed before its fix) and the go-live rule as people meet it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from provisioner import cli
from provisioner.app import reconcile
from provisioner.ledger import Ledger
from provisioner.ledger.schema import events, requests
from provisioner.app.reconcile import ActionOutcome, SystemRef
from tests.lifecycle.helpers import SYSTEM
from tests.lifecycle.test_cli import repo  # noqa: F401 - the fixture

SPEC = "request_specs/jj-xzspj/zwfw-portal.yaml"
DAY0 = "2026-03-02T09:00"          # Monday: art15 answer due Thu 03-05; accepted today, trial ready by Wed 03-04


class EngineLike:
    """Stands for the Pulumi engine: done at once, with a detail shaped like the real one's."""

    records_intent_only = False

    def _done(self, ref: SystemRef) -> ActionOutcome:
        return ActionOutcome(True, {"system": {"create": 9}, "tenant": {"same": 3}, "phase": getattr(ref, "phase", None)})

    create_trial = promote = apply_change = terminate = _done


@pytest.fixture()
def flow(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """test_cli's scratch repository and ledger, an office actor, and the stand-in engine."""
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:li")
    monkeypatch.setitem(reconcile.ENGINES, "stand-in", lambda settings: EngineLike())
    monkeypatch.setenv("GOVCLOUD_RECONCILE_ENGINE", "stand-in")
    return repo


def run(monkeypatch: pytest.MonkeyPatch, now: str, *argv: str, actor: str | None = None) -> int:
    monkeypatch.setenv("GOVCLOUD_NOW", now)
    if actor:
        monkeypatch.setenv("GOVCLOUD_ACTOR", actor)
    return cli.main(list(argv))


def in_trial(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    assert run(monkeypatch, DAY0, "reconcile") == 0
    capsys.readouterr()


def test_reconcile_with_an_engine_then_show_do_not_crash(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    # was: TypeError text() got multiple values for keyword argument 'system', exit 3, and show crashed after
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    capsys.readouterr()
    assert run(monkeypatch, DAY0, "reconcile", "--lang", "en") == 0
    assert f"{SYSTEM}#1: trial environment ready; the trial ends 2026-03-17 23:59:59 (art16)" in capsys.readouterr().out
    assert run(monkeypatch, DAY0, "lifecycle", "--lang", "en", "show", SYSTEM) == 0
    shown = capsys.readouterr().out
    assert f"{SYSTEM}: trial environment ready; the trial ends 2026-03-17 23:59:59 (art16)" in shown


def test_the_accept_message_gives_the_art16_date_the_ledger_holds(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert "2026-03-05" in capsys.readouterr().out                           # art15: the office answers
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    said = capsys.readouterr().out
    assert "云服务商须在 2026-03-04 23:59:59 前备好试用环境" in said and "03-05" not in said
    assert run(monkeypatch, DAY0, "lifecycle", "show", SYSTEM) == 0
    shown = capsys.readouterr().out
    assert "accepted art16-prepare 2026-03-04 23:59:59" in shown and "2026-03-04 23:59:59 前备好试用环境" in shown


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_an_extension_without_a_real_reason_is_refused(flow: Path, monkeypatch, capsys, reason: str) -> None:  # noqa: ANN001
    in_trial(monkeypatch, capsys)
    assert run(monkeypatch, DAY0, "lifecycle", "extend", SYSTEM, "--days", "3", "--reason", reason) == 1
    assert "理由至少 4 个字符" in capsys.readouterr().err
    assert run(monkeypatch, DAY0, "lifecycle", "extend", SYSTEM, "--days", "3", "--reason", "等保测评未完成") == 0
    assert "试用期已延长至 2026-03-20 23:59:59" in capsys.readouterr().out


def test_verdicts_name_party_and_result_and_who(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    in_trial(monkeypatch, capsys)
    assert run(monkeypatch, DAY0, "lifecycle", "verdict", SYSTEM, "--party", "department", "--note", "测试报告",
               actor="dept:wang") == 0
    assert "使用单位验收结论：通过" in capsys.readouterr().out
    assert run(monkeypatch, DAY0, "lifecycle", "--lang", "en", "verdict", SYSTEM, "--party", "provider",
               "--failed", actor="provider:zhao") == 0
    assert "the provider's acceptance verdict: failed" in capsys.readouterr().out
    ledger = Ledger.open(f"sqlite:///{flow.parent / 'ledger.sqlite3'}")
    with ledger.transaction() as conn:
        rows = conn.execute(select(events).where(events.c.kind == "acceptance_recorded").order_by(events.c.id)).all()
    ledger.close()
    assert [(r.actor, r.detail["party"], r.detail["result"], r.detail["note"]) for r in rows] == [
        ("dept:wang", "department", "passed", "测试报告"), ("provider:zhao", "provider", "failed", "")]


def test_trial_days_in_the_spec_set_the_trial_end(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    data = yaml.safe_load((flow / SPEC).read_text(encoding="utf-8"))
    data["trial"] = {"days": 1}
    (flow / SPEC).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    in_trial(monkeypatch, capsys)
    assert run(monkeypatch, DAY0, "lifecycle", "show", SYSTEM) == 0
    assert "art16-trial 2026-03-03 23:59:59" in capsys.readouterr().out
    for party in ("department", "provider"):
        assert run(monkeypatch, DAY0, "lifecycle", "verdict", SYSTEM, "--party", party) == 0
    assert run(monkeypatch, "2026-03-03T23:00", "reconcile") == 0
    assert "转为生产环境" not in capsys.readouterr().out
    assert run(monkeypatch, "2026-03-04T00:00:01", "reconcile") == 0
    assert f"{SYSTEM}#1: 试用环境已转为生产环境（第十七条）" in capsys.readouterr().out


def test_promotion_by_hand_waits_for_the_trial_end_unless_early_go_live(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOVCLOUD_RECONCILE_ENGINE", "none")
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    assert run(monkeypatch, DAY0, "lifecycle", "done", SYSTEM, "create_trial") == 0
    for party in ("department", "provider"):
        assert run(monkeypatch, "2026-03-05T10:00", "lifecycle", "verdict", SYSTEM, "--party", party) == 0
    capsys.readouterr()
    assert run(monkeypatch, "2026-03-06T10:00", "lifecycle", "done", SYSTEM, "promote") == 1
    assert "试用期至 2026-03-17 23:59:59 才结束" in capsys.readouterr().err
    assert run(monkeypatch, "2026-03-06T10:00", "lifecycle", "early-go-live", SYSTEM, "--reason", "社保年审急需上线",
               actor="dept:wang") == 0
    assert "使用单位登记提前上线" in capsys.readouterr().out
    assert run(monkeypatch, "2026-03-06T10:05", "lifecycle", "done", SYSTEM, "promote") == 0
    assert run(monkeypatch, "2026-03-06T10:05", "lifecycle", "show", SYSTEM) == 0
    assert f"{SYSTEM}#1 JJ-2026-0001 production" in capsys.readouterr().out


def test_submit_accept_on_the_dev_cloud_is_recorded_as_its_office_and_idempotent(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    specs = sorted(str(p.relative_to(flow)) for p in (flow / "request_specs").glob("*/*.yaml"))
    assert run(monkeypatch, DAY0, "lifecycle", "submit", "--accept", *specs) == 0
    first = capsys.readouterr().out
    assert first.count("申请已通过") == len(specs) == 8
    assert run(monkeypatch, DAY0, "lifecycle", "submit", "--accept", *specs) == 0
    second = capsys.readouterr().out
    assert second.count("已在台账中") == 8 and "申请已通过" in second     # says what stands, records nothing
    ledger = Ledger.open(f"sqlite:///{flow.parent / 'ledger.sqlite3'}")
    with ledger.transaction() as conn:
        decided = conn.execute(select(requests.c.decided_by, requests.c.submitted_by)).all()
        accepted = conn.execute(select(events.c.actor).where(events.c.kind == "accepted")).scalars().all()
    ledger.close()
    assert set(decided) == {("devcloud-office", "office:li")} and accepted == ["devcloud-office"] * 8


def test_submit_accept_is_refused_on_any_other_cloud(flow: Path, monkeypatch, capsys, tmp_path: Path) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOVCLOUD_CLOUD", "jiujiang-prod")
    assert run(monkeypatch, DAY0, "lifecycle", "submit", "--accept", SPEC) == 1
    assert "--accept 只用于开发云" in capsys.readouterr().err


def test_submit_of_an_edited_recorded_request_says_what_updates_it(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    in_trial(monkeypatch, capsys)
    text = (flow / SPEC).read_text(encoding="utf-8")
    (flow / SPEC).write_text(text.replace("size_gb: 100", "size_gb: 120", 1), encoding="utf-8")
    assert run(monkeypatch, DAY0, "lifecycle", "--lang", "en", "submit", SPEC) == 0
    assert f"but {SPEC} was edited since: in trial, govcloud apply {SPEC}" in capsys.readouterr().out


def _spoil_stored_spec(flow: Path) -> None:
    """A stored spec today's model refuses: what a missing ledger migration leaves (0004 was one)."""
    from provisioner.ledger.schema import systems

    ledger = Ledger.open(f"sqlite:///{flow.parent / 'ledger.sqlite3'}")
    with ledger.transaction() as conn:
        for row in conn.execute(select(systems.c.id, systems.c.spec)).all():
            spec = {**row.spec, "resources": {**row.spec["resources"], "bandwidth": {"load_balancers": 3}}}
            conn.execute(systems.update().where(systems.c.id == row.id).values(spec=spec))
    ledger.close()


def test_a_stored_spec_that_no_longer_reads_is_not_taken_for_an_edit(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    in_trial(monkeypatch, capsys)
    _spoil_stored_spec(flow)
    assert run(monkeypatch, DAY0, "lifecycle", "--lang", "en", "submit", SPEC) == 0
    said = capsys.readouterr().out
    assert "the ledger's copy of it does not read under this version of govcloud" in said
    assert "resources.bandwidth.load_balancers: Input should be a valid list" in said and "was edited" not in said
    for party in ("department", "provider"):                 # in production an edit needs a change request:
        assert run(monkeypatch, DAY0, "lifecycle", "verdict", SYSTEM, "--party", party) == 0
    assert run(monkeypatch, "2026-03-18T00:00:01", "reconcile") == 0
    _spoil_stored_spec(flow)
    capsys.readouterr()
    assert run(monkeypatch, "2026-03-18T00:00:01", "apply", "--lang", "en", SPEC) == 1     # not told to file one
    said = capsys.readouterr().err
    assert "the ledger's copy of request JJ-2026-0001" in said and "a ledger migration is missing" in said
    assert "change request" not in said


def test_apply_on_another_cloud_refuses_what_the_ledger_does_not_know(flow: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv("GOVCLOUD_CLOUD", "jiujiang-prod")        # refused before any engine or cloud is reached
    assert run(monkeypatch, DAY0, "apply", SPEC) == 1
    said = capsys.readouterr().err
    assert f"govcloud apply: {SPEC}: 台账中没有申请 JJ-2026-0001" in said
    assert f"govcloud lifecycle submit {SPEC}" in said and "govcloud lifecycle accept JJ-2026-0001" in said
    assert "govcloud adopt" in said
    assert run(monkeypatch, DAY0, "apply", "--lang", "en", SPEC) == 1
    assert "on this cloud govcloud builds stacks only for systems the ledger knows (art14, art15)" in capsys.readouterr().err
    assert run(monkeypatch, DAY0, "lifecycle", "submit", SPEC) == 0
    assert run(monkeypatch, DAY0, "apply", "--lang", "en", SPEC) == 1
    assert "awaits the office's decision (art15): govcloud lifecycle accept JJ-2026-0001" in capsys.readouterr().err
    assert run(monkeypatch, DAY0, "lifecycle", "accept", "JJ-2026-0001") == 0
    capsys.readouterr()
    assert run(monkeypatch, DAY0, "apply", SPEC) == 1                 # accepted: past the ledger, to the engine
    assert "台账" not in capsys.readouterr().err
