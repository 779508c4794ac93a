"""The ledger on SQLite and on a real PostgreSQL: migrations, UTC times, the people's steps as events."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from provisioner.calendar import SHANGHAI
from provisioner.ledger import Ledger, store, workflow
from provisioner.ledger.schema import audit_log, events, metadata, requests, systems
from provisioner.lifecycle.machine import TransitionError
from provisioner.lifecycle.states import Action, Party, RequestKind, State
from tests.lifecycle.helpers import RETENTION, SYSTEM, context, flavors, make_spec, rules


def test_migrations_build_exactly_the_declared_schema(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_opening_again_is_a_no_op(ledger_url: str) -> None:
    Ledger.open(ledger_url).close()
    again = Ledger.open(ledger_url)
    with again.transaction() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == "0004_typed_load_balancers"
    again.close()


def test_the_chain_heads_read_from_the_files_are_alembics(tmp_path) -> None:  # noqa: ANN001
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from provisioner.ledger.db import MIGRATIONS, chain_head
    from provisioner.ledger.metering_schema import MIGRATIONS as METERING

    for location in (MIGRATIONS, METERING):
        config = Config()
        config.set_main_option("script_location", str(location))
        assert chain_head(location) == ScriptDirectory.from_config(config).get_current_head()
    # a chain the files cannot tell plainly (a merge, a file without its revision) is left to Alembic
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "versions" / "b.py").write_text('revision: str = "b"\ndown_revision: str | None = "a"\n')
    assert chain_head(tmp_path) == "b"
    (tmp_path / "versions" / "c.py").write_text('revision = "c"\ndown_revision = ("a", "b")\n')
    assert chain_head(tmp_path) is None


def test_a_ledger_at_head_opens_without_importing_alembic(ledger_url: str) -> None:
    import subprocess
    import sys

    Ledger.open(ledger_url).close()
    probe = ("import sys; from provisioner.ledger import Ledger; from provisioner.ledger.metering_schema import "
             f"migrate_metering; l = Ledger.open({ledger_url!r}); migrate_metering(l.engine); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako', 'pygments'}))")
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "alembic" in first.stdout          # the metering chain was new: migrated
    assert again.stdout.strip() == "[]"


def test_specs_stored_with_a_number_of_load_balancers_read_again_after_the_migration(ledger_url: str, clock) -> None:  # noqa: ANN001
    """0004: a generation recorded before load balancers were typed held `load_balancers: <n>`, which
    today's model refuses: every comparison with the spec file said "edited", and the trial could
    not be made from it. The upgrade makes the number an empty list (nothing was built for it);
    the request's own record stays as it was submitted."""
    from alembic import command

    from provisioner.app.intake import spec_sha
    from provisioner.ledger.db import alembic_config

    ledger = Ledger.open(ledger_url)
    ctx = context(ledger, clock)
    for request_id, system in (("JJ-2026-0001", "zwfw-portal"), ("JJ-2026-0002", "zwfw-app")):
        workflow.submit(ctx, make_spec(request_id=request_id, system=system), rules(), flavors())
    with ledger.transaction() as conn:
        for number, row in zip((0, 2), conn.execute(select(systems.c.id, systems.c.spec).order_by(systems.c.id)).all()):
            old = {**row.spec, "resources": {**row.spec["resources"],
                                             "bandwidth": {**row.spec["resources"]["bandwidth"], "load_balancers": number}}}
            conn.execute(systems.update().where(systems.c.id == row.id).values(spec=old))
            conn.execute(requests.update().where(requests.c.system_key.like(f"%.{old['metadata']['system']}"))
                         .values(spec=old))
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0003_handover'")
        assert spec_sha(conn.execute(select(systems.c.spec).limit(1)).scalar_one()) is None   # unreadable before
    ledger.close()

    ledger = Ledger.open(ledger_url)                        # migrates to the head
    with ledger.transaction() as conn:
        stored = conn.execute(select(systems.c.spec).order_by(systems.c.id)).scalars().all()
        submitted = conn.execute(select(requests.c.spec).order_by(requests.c.request_id)).scalars().all()
    assert [s["resources"]["bandwidth"]["load_balancers"] for s in stored] == [[], []]
    assert spec_sha(stored[0]) == workflow.spec_json(make_spec())[1]            # the spec file is not "edited"
    assert spec_sha(stored[1]) == workflow.spec_json(make_spec("JJ-2026-0002", "zwfw-app"))[1]
    assert [s["resources"]["bandwidth"]["load_balancers"] for s in submitted] == [0, 2]

    typed = [{"name": "web", "members": "web", "listeners": [{"protocol": "tcp", "port": 80}]}]
    with ledger.engine.begin() as conn:                    # and back: govcloud at 0003 read typed ones already
        conn.execute(systems.update().where(systems.c.id == min(
            conn.execute(select(systems.c.id)).scalars())).values(spec={**stored[0], "resources": {
                **stored[0]["resources"], "bandwidth": {**stored[0]["resources"]["bandwidth"],
                                                        "load_balancers": typed}}}))
        command.downgrade(alembic_config(conn), "0003_handover")
    with ledger.transaction() as conn:
        back = conn.execute(select(systems.c.spec).order_by(systems.c.id)).scalars().all()
    assert [s["resources"]["bandwidth"]["load_balancers"] for s in back] == [typed, []]
    assert spec_sha(back[1]) == workflow.spec_json(make_spec("JJ-2026-0002", "zwfw-app"))[1]   # not "edited"
    ledger.close()


def test_times_come_back_timezone_aware_utc_and_naive_ones_are_refused(ledger: Ledger) -> None:
    local = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=SHANGHAI)
    with ledger.transaction() as conn:
        conn.execute(insert(requests).values(request_id="JJ-2026-0099", system_key="s", kind="new",
                                             decision="pending", submitted_at=local, submitted_by="t"))
        got = conn.execute(select(requests.c.submitted_at)).scalar_one()
    assert got == local and got.tzinfo == timezone.utc and got.hour == 1
    with pytest.raises(Exception, match="naive"), ledger.transaction() as conn:
        conn.execute(insert(requests).values(request_id="JJ-2026-0098", system_key="s", kind="new",
                                             decision="pending", submitted_at=datetime(2026, 3, 2),
                                             submitted_by="t"))


def test_new_request_from_submission_to_acceptance(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    submitted = workflow.submit(ctx, make_spec(), rules(), flavors())
    assert (submitted.kind, submitted.generation, submitted.system_key) == (RequestKind.NEW, 1, SYSTEM)
    assert submitted.deadline.local_date.isoformat() == "2026-03-05"
    clock.advance(days=1)
    accepted = workflow.accept(ctx, "JJ-2026-0001", "complete and reasonable")
    assert accepted.state == State.ACCEPTED and accepted.since == clock.now
    with ledger.transaction() as conn:
        row = store.row(conn, accepted.id)
        kinds = [(e.kind, e.actor, e.at) for e in store.event_rows(conn, [accepted.id])]
        decision = store.request_row(conn, "JJ-2026-0001")
        audited = [r.action for r in conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq))]
    assert kinds == [("submitted", "office:li", clock.now - timedelta(days=1)), ("accepted", "office:li", clock.now)]
    assert (row.deadline_rule, row.deadline_at) == ("art16-prepare", datetime(2026, 3, 5, 15, 59, 59, tzinfo=timezone.utc))
    assert row.next_check_at == clock.now          # the trial is due at once
    assert (decision.decision, decision.decided_by) == ("accepted", "office:li")
    assert audited == ["lifecycle.submitted", "lifecycle.accepted"]


def test_a_request_is_recorded_once_and_a_busy_system_refuses_another(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    workflow.submit(ctx, make_spec(), rules(), flavors())
    with pytest.raises(TransitionError) as caught:
        workflow.submit(ctx, make_spec(request_id="JJ-2026-0002"), rules(), flavors())
    assert "JJ-2026-0001" in caught.value.message("en")
    with pytest.raises(TransitionError):
        workflow.accept(ctx, "JJ-2026-0404")


def _to_production(ctx: workflow.Context, clock) -> None:  # noqa: ANN001
    workflow.submit(ctx, make_spec(), rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0001")
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    clock.advance(days=16)
    workflow.done_by_hand(ctx, SYSTEM, Action.PROMOTE)


def test_minor_change_is_applied_on_the_running_generation(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    _to_production(ctx, clock)
    grown = make_spec(request_id="JJ-2026-0002", edit=lambda d: d["resources"]["hosts"][0].update(count=3))
    result = workflow.submit(ctx, grown, rules(), flavors())
    assert (result.kind, result.generation, result.classification.major) == (RequestKind.CHANGE_MINOR, None, False)
    changing = workflow.accept(ctx, "JJ-2026-0002")
    assert (changing.state, changing.generation, changing.pending_request_id) == (State.CHANGING, 1, "JJ-2026-0002")
    done = workflow.done_by_hand(ctx, SYSTEM, Action.APPLY_CHANGE)
    with ledger.transaction() as conn:
        spec = store.row(conn, done.id).spec
    assert done.state == State.PRODUCTION and spec["resources"]["hosts"][0]["count"] == 3


def test_major_change_is_a_new_generation_through_the_whole_flow(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    _to_production(ctx, clock)
    bigger = make_spec(request_id="JJ-2026-0003", edit=lambda d: d["resources"]["security"].update(mlps_level=3))
    result = workflow.submit(ctx, bigger, rules(), flavors())
    assert (result.kind, result.generation) == (RequestKind.CHANGE_MAJOR, 2)
    assert [r.rule for r in result.classification.reasons] == ["security-change"]
    assert result.deadline.rule == "art15"
    workflow.accept(ctx, "JJ-2026-0003")
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    clock.advance(days=16)
    workflow.done_by_hand(ctx, SYSTEM, Action.PROMOTE)
    with ledger.transaction() as conn:
        states = [(g.generation, g.state) for g in store.generations(conn, SYSTEM)]
    # art18: generation 1 ends with generation 2's go-live: the system's one stack and its data run on
    # as generation 2, so there is nothing to back up, hand over (art25) or destroy for it.
    assert states == [(1, State.TERMINATED), (2, State.PRODUCTION)]
    with ledger.transaction() as conn:
        first = next(g for g in store.generations(conn, SYSTEM) if g.generation == 1)
        kinds = [e.kind for e in store.event_rows(conn, [first.id])]
    assert kinds[-1] == "superseded" and "termination_started" not in kinds


def test_a_superseded_generation_is_billed_until_the_new_one_goes_live_not_until_it_is_destroyed(
        ledger: Ledger, clock) -> None:  # noqa: ANN001
    """art28: the fee is for what was used. One stack carries the system; from generation 2's go-live it
    is generation 2's, so generation 1 (superseded, art18) stops counting as production then."""
    from provisioner.metering import ledger_reader
    from provisioner.metering.utilisation import month_of, month_start

    ctx = context(ledger, clock)
    _to_production(ctx, clock)
    bigger = make_spec(request_id="JJ-2026-0003", edit=lambda d: d["resources"]["security"].update(mlps_level=3))
    workflow.submit(ctx, bigger, rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0003")
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    clock.advance(days=16)
    live = workflow.done_by_hand(ctx, SYSTEM, Action.PROMOTE).go_live_at
    clock.advance(days=10)
    with ledger.transaction() as conn:
        facts = ledger_reader.read_current(conn, flavors(), month_start(month_of(clock.now).replace(month=1)))
    production = {t.generation.generation: [(s.start, s.end) for s in t.segments if s.phase == "production"]
                  for t in facts.timelines}
    assert production[1][-1][1] == live and production[2] == [(live, None)]


def test_termination_needs_confirmation(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    _to_production(ctx, clock)
    workflow.request_termination(ctx, SYSTEM, "JJ-2026-0010", "replaced by the provincial platform")
    with ledger.transaction() as conn:
        assert store.generations(conn, SYSTEM)[0].state == State.PRODUCTION
    terminating = workflow.accept(ctx, "JJ-2026-0010")
    assert terminating.state == State.TERMINATING and terminating.pending_request_id == "JJ-2026-0010"
    waiting = workflow.done_by_hand(ctx, SYSTEM, Action.BACK_UP, RETENTION)
    assert waiting.state == State.HANDOVER and waiting.pending_request_id == "JJ-2026-0010"
    with pytest.raises(TransitionError) as refused:          # art25: the unit confirms first
        workflow.done_by_hand(ctx, SYSTEM, Action.TERMINATE)
    assert "art25" in refused.value.message("en") and "第二十五条" in str(refused.value)
    workflow.confirm_handover(ctx, SYSTEM, "王科长")
    ended = workflow.done_by_hand(ctx, SYSTEM, Action.TERMINATE)
    assert ended.state == State.TERMINATED
    with ledger.transaction() as conn:
        last = conn.execute(select(events).order_by(events.c.id.desc())).first()
        request = store.request_row(conn, "JJ-2026-0010")
    assert (last.kind, last.detail["request_id"], last.detail["by_hand"]) == ("terminate_done", "JJ-2026-0010", True)
    assert (request.kind, request.decision) == ("termination", "accepted")
    # an ended system can be applied for again: a new generation
    again = workflow.submit(ctx, make_spec(request_id="JJ-2026-0011"), rules(), flavors())
    assert again.generation == 2 and again.kind == RequestKind.NEW


def test_rejection_ends_the_generation(ledger: Ledger, clock) -> None:  # noqa: ANN001
    ctx = context(ledger, clock)
    workflow.submit(ctx, make_spec(), rules(), flavors())
    workflow.reject(ctx, "JJ-2026-0001", "materials incomplete: contract missing (art14)")
    with ledger.transaction() as conn:
        (gen,) = store.generations(conn, SYSTEM)
        row = conn.execute(select(systems.c.next_check_at)).scalar_one()
    assert gen.state == State.REJECTED and row is None
    with pytest.raises(TransitionError) as caught:
        workflow.accept(ctx, "JJ-2026-0001")
    assert "rejected" in caught.value.message("en")


def test_a_trials_stored_spec_that_no_longer_reads_is_not_taken_for_an_edit_by_apply(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """A stored spec today's model refuses (a ledger migration missing) says so in trial as in production:
    `govcloud apply` does not record the spec file over it as a trial edit (spec_updated, art16)."""
    from provisioner.app import intake
    from provisioner.app.apply import Planned

    ctx = context(ledger, clock)
    workflow.submit(ctx, make_spec(), rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0001")
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    with ledger.transaction() as conn:
        row = conn.execute(select(systems.c.id, systems.c.spec)).one()
        spoiled = {**row.spec, "resources": {**row.spec["resources"], "bandwidth": {"load_balancers": 3}}}
        conn.execute(systems.update().where(systems.c.id == row.id).values(spec=spoiled))
        found = intake.sort_out(conn, [Planned(make_spec(), "request_specs/jj-xzspj/zwfw-portal.yaml",
                                               "city.jj-xzspj", SYSTEM)], dev_cloud=True)
    assert found.spec_updated == [] and found.running == []
    (refusal,) = found.refused
    said = refusal.text("en")
    assert "the ledger's copy of request JJ-2026-0001" in said and "a ledger migration is missing" in said
    assert "resources.bandwidth.load_balancers: Input should be a valid list" in said


def test_a_stored_spec_that_is_not_a_mapping_says_why_without_a_field_path() -> None:
    from provisioner.app.intake import compare

    copy = compare(["not", "a", "spec"], make_spec())     # type: ignore[arg-type] - what a broken row may hold
    assert copy.unreadable is not None and copy.unreadable.startswith("Input should be a valid dictionary")


def test_apply_of_a_spec_file_carrying_an_applied_minor_change_runs_it(ledger: Ledger, clock) -> None:  # noqa: ANN001
    """After a minor change (art18) the spec file names the change's request id: `govcloud apply` runs the
    system as the ledger has it (the change's spec), it does not call the accepted change "ended"."""
    from provisioner.app import intake
    from provisioner.app.apply import Planned

    ctx = context(ledger, clock)
    _to_production(ctx, clock)
    grown = make_spec(request_id="JJ-2026-0002", edit=lambda d: d["resources"]["hosts"][0].update(count=3))
    workflow.submit(ctx, grown, rules(), flavors())
    workflow.accept(ctx, "JJ-2026-0002")
    workflow.done_by_hand(ctx, SYSTEM, Action.APPLY_CHANGE)
    with ledger.transaction() as conn:
        found = intake.sort_out(conn, [Planned(grown, "request_specs/jj-xzspj/zwfw-portal.yaml", "city.jj-xzspj",
                                               SYSTEM)], dev_cloud=False)
    assert [r.text("en") for r in found.refused] == []
    assert [(item.spec.metadata.request_id, phase) for item, phase in found.running] == [("JJ-2026-0002", "production")]
    assert found.spec_updated == [] and found.to_record == [] and found.reconcile == []
    assert not intake.ledger_copy(ctx, grown).edited             # lifecycle submit: recorded, and as the file is
    assert intake.ledger_copy(ctx, make_spec(request_id="JJ-2026-0002")).edited      # the file edited since
