"""Allocation from the ledger: a spec's amounts, and a system's life as segments (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import select, update

from provisioner.ledger import Ledger
from provisioner.ledger.adoption import Adoption, record_adoption
from provisioner.ledger.schema import events, requests
from provisioner.metering import ledger_reader, timeline
from provisioner.metering.resources import amounts
from provisioner.metering.timeline import PRODUCTION, TRIAL
from tests.billing.helpers import SYSTEM, Clock, doubled_hosts, four_hosts, live_system, local, utc
from tests.billing.synthetic import sample_specs
from tests.lifecycle.helpers import context, flavors, make_spec


def test_a_spec_allocates_what_the_price_list_counts() -> None:
    specs = {s["metadata"]["system"]: s for s in sample_specs()}
    portal = amounts(specs["zwfw-portal"], flavors()).values       # 2 x gc.c2m4, 100 GB data disk each
    assert portal == {"compute/cores": 4, "compute/ram": 8, "volumev3/capacity": 2 * (40 + 100)}
    health = amounts(specs["jmjk-da"], flavors()).values           # 2 x gc.c8m16 + HA PostgreSQL 800 GB + bucket
    assert health["database/instances"] == 2
    assert health["volumev3/capacity"] == 2 * (80 + 100) + 2 * 800
    assert health["object-store/capacity"] == 1000


def test_a_flavor_outside_the_catalogue_is_reported_not_counted_as_zero() -> None:
    spec = sample_specs()[0]
    spec["resources"]["hosts"][0]["flavor"] = "gc.c64m512"
    found = amounts(spec, flavors())
    assert found.unknown_flavors == ("gc.c64m512",) and "compute/cores" not in found.values


def test_a_life_is_trial_then_production_then_a_change_then_the_end(any_ledger: Ledger) -> None:
    clock = Clock(local(2026, 3, 2, 9))
    trial, go_live = local(2026, 3, 4, 10), local(2026, 3, 20, 10)
    change, end = local(2026, 5, 10, 10), local(2026, 8, 1, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, go_live=go_live, change=change, end=end)
    with any_ledger.transaction() as conn:
        facts = ledger_reader.read(conn, flavors())
    (line,) = facts.timelines
    assert [(s.phase, s.start, s.end, s.amounts["compute/cores"]) for s in line.segments] == [
        (TRIAL, trial, go_live, 4), (PRODUCTION, go_live, change, 4), (PRODUCTION, change, end, 6)]
    assert line.problems == ()
    seconds = line.resource_seconds(local(2026, 1, 1), local(2027, 1, 1))
    assert seconds[(TRIAL, "compute/cores")] == 4 * 16 * 86400
    assert seconds[(PRODUCTION, "compute/cores")] == 4 * (change - go_live).total_seconds() \
        + 6 * (end - change).total_seconds()
    assert facts.live == []          # terminated: no live row
    assert facts.names[SYSTEM].department == "九江市行政审批局"


def test_a_trial_edited_is_sized_by_its_edit_from_then_on_and_billed_so_in_production(any_ledger: Ledger) -> None:
    """art16: the trial follows its request's file; what production bills is what the trial became,
    not the request as first submitted (which the ledger keeps, unchanged, as the request's record)."""
    clock = Clock(local(2026, 3, 2, 9))
    trial, edited, go_live = local(2026, 3, 4, 10), local(2026, 3, 9, 10), local(2026, 3, 20, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, trial_edit=edited, go_live=go_live)
    with any_ledger.transaction() as conn:
        lines = [ledger_reader.read(conn, flavors()).timelines[0],
                 ledger_reader.LedgerReader(flavors(), detail=False).read(conn).timelines[0]]
        (current,) = ledger_reader.read_current(conn, flavors(), local(2026, 1, 1)).timelines
    for line in (*lines, current):
        assert [(s.phase, s.start, s.end, s.amounts["compute/cores"]) for s in line.segments] == [
            (TRIAL, trial, edited, 4), (TRIAL, edited, go_live, 6), (PRODUCTION, go_live, None, 6)]
        assert {s.request_id for s in line.segments} == {"JJ-2026-0001"} and line.problems == ()


def _every_reader(ledger: Ledger) -> list[timeline.Timeline]:
    """The one generation's timeline as the bill (read), the exporter (LedgerReader, detail=False) and the
    status view (read_current) each read it."""
    with ledger.transaction() as conn:
        (current,) = ledger_reader.read_current(conn, flavors(), local(2026, 1, 1)).timelines
        return [ledger_reader.read(conn, flavors()).timelines[0],
                ledger_reader.LedgerReader(flavors(), detail=False).read(conn).timelines[0], current]


def test_a_trial_edited_then_changed_in_production_is_sized_by_its_edit_until_the_change(any_ledger: Ledger) -> None:
    """A minor change (art18) rewrites the generation's own spec (systems.spec) with the change's: the
    edited trial and production before the change are still what the edit made them, not the change."""
    clock = Clock(local(2026, 3, 2, 9))
    trial, edited, go_live = local(2026, 3, 4, 10), local(2026, 3, 9, 10), local(2026, 3, 20, 10)
    change = local(2026, 5, 10, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, trial_edit=edited, go_live=go_live,
                change=change, change_to=four_hosts)
    for line in _every_reader(any_ledger):
        assert [(s.phase, s.start, s.end, s.amounts["compute/cores"], s.request_id) for s in line.segments] == [
            (TRIAL, trial, edited, 4, "JJ-2026-0001"), (TRIAL, edited, go_live, 6, "JJ-2026-0001"),
            (PRODUCTION, go_live, change, 6, "JJ-2026-0001"), (PRODUCTION, change, None, 8, "JJ-2026-0002")]
        assert line.problems == ()


def test_a_trial_edited_twice_is_sized_by_each_edit_in_turn(any_ledger: Ledger) -> None:
    """Each edit is in force from its own moment until the next: the first is not billed as the last."""
    clock = Clock(local(2026, 3, 2, 9))
    trial, first, second, go_live = local(2026, 3, 4, 10), local(2026, 3, 6, 10), local(2026, 3, 9, 10), \
        local(2026, 3, 20, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, go_live=go_live,
                trial_edits=((first, doubled_hosts), (second, four_hosts)))
    for line in _every_reader(any_ledger):
        assert [(s.phase, s.start, s.end, s.amounts["compute/cores"]) for s in line.segments] == [
            (TRIAL, trial, first, 4), (TRIAL, first, second, 6), (TRIAL, second, go_live, 8),
            (PRODUCTION, go_live, None, 8)]
        assert line.problems == ()


def test_a_trial_edit_recorded_before_its_event_held_the_resources_is_sized_by_the_generations_spec(
        any_ledger: Ledger) -> None:
    """A spec_updated event recorded without the edit's resources: the generation's own spec (the last
    edit, as no change rewrote it since) sizes the trial from the edit on."""
    clock = Clock(local(2026, 3, 2, 9))
    trial, edited, go_live = local(2026, 3, 4, 10), local(2026, 3, 9, 10), local(2026, 3, 20, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, trial_edit=edited, go_live=go_live)
    _forget_edited_resources(any_ledger)
    for line in _every_reader(any_ledger):
        assert [(s.phase, s.start, s.end, s.amounts["compute/cores"]) for s in line.segments] == [
            (TRIAL, trial, edited, 4), (TRIAL, edited, go_live, 6), (PRODUCTION, go_live, None, 6)]
        assert line.problems == ()


def _forget_edited_resources(ledger: Ledger) -> None:
    """The spec_updated events as recorded before they held the edit's resources."""
    with ledger.transaction() as conn:
        for event_id, detail in conn.execute(select(events.c.id, events.c.detail).where(events.c.kind == "spec_updated")):
            conn.execute(update(events).where(events.c.id == event_id)
                         .values(detail={k: v for k, v in detail.items() if k != "resources"}))


def test_a_trial_edit_recorded_before_its_event_held_the_resources_and_changed_since_is_not_sized_by_the_change(
        any_ledger: Ledger) -> None:
    """An old edit (no resources in its event) followed by an applied change (art18), which rewrote
    systems.spec with the change's spec: the edit's size is known nowhere any more. Its trial and the
    production before the change are missing-spec (the settlement stops and says so), not billed at the
    change's 8 vCPU; the change's own segment is sized as ever."""
    clock = Clock(local(2026, 3, 2, 9))
    trial, edited, go_live = local(2026, 3, 4, 10), local(2026, 3, 9, 10), local(2026, 3, 20, 10)
    change = local(2026, 5, 10, 10)
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=trial, trial_edit=edited, go_live=go_live,
                change=change, change_to=four_hosts)
    _forget_edited_resources(any_ledger)
    lost = ("missing-spec:JJ-2026-0001",)
    for line in _every_reader(any_ledger):
        assert [(s.phase, s.start, s.end, s.amounts.get("compute/cores"), s.problems) for s in line.segments] == [
            (TRIAL, trial, edited, 4, ()), (TRIAL, edited, go_live, None, lost),
            (PRODUCTION, go_live, change, None, lost), (PRODUCTION, change, None, 8, ())]
        assert line.problems == lost


def test_deadlines_met_and_breached_come_from_the_events(any_ledger: Ledger) -> None:
    clock = Clock(local(2026, 3, 2, 9))
    # accepted on Monday 2 March; the trial is ready only on Friday 6 March: art16-prepare (2 working days) missed
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 6, 10),
                go_live=local(2026, 3, 22, 10))
    with any_ledger.transaction() as conn:
        outcomes = {(o.rule, o.outcome) for o in ledger_reader.read(conn, flavors()).outcomes}
    assert outcomes == {("art15", "met"), ("art16-prepare", "breached")}


def test_the_exporters_reader_keeps_only_what_metrics_shows(ledger: Ledger) -> None:
    clock = Clock(local(2026, 3, 2, 9))
    live_system(ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 6, 10),
                go_live=local(2026, 3, 22, 10))
    with ledger.transaction() as conn:
        full = ledger_reader.read(conn, flavors())
        lean = ledger_reader.LedgerReader(flavors(), detail=False).read(conn)
        conn.execute(update(requests).values(spec=None))     # a request without a spec: the row's own is read
        orphan = ledger_reader.LedgerReader(flavors(), detail=False).read(conn)
    assert [(o.region, o.department, o.rule, o.outcome) for o in full.outcomes] == \
        [(o.region, o.department, o.rule, o.outcome) for o in lean.outcomes]
    assert lean.timelines == full.timelines == orphan.timelines and set(lean.names) == set(full.names)
    assert all(isinstance(o, ledger_reader.OutcomeKey) for o in lean.outcomes)


def test_the_reader_rereads_only_changed_generations(ledger: Ledger) -> None:
    clock = Clock(local(2026, 3, 2, 9))
    live_system(ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 3, 10),
                go_live=local(2026, 3, 19, 10))
    reader = ledger_reader.LedgerReader(flavors())
    with ledger.transaction() as conn:
        first = reader.read(conn).timelines[0]
        conn.execute(update(requests).values(spec=None))     # unchanged rows are not read again
        again = reader.read(conn).timelines[0]
    assert again is first
    with ledger.transaction() as conn:                        # a fresh reader sees what the ledger now says
        fresh = ledger_reader.read(conn, flavors()).timelines[0]
    assert fresh.segments[0].amounts["compute/cores"] == Fraction(4)   # falls back to the row's own spec


def test_a_trial_still_running_is_an_open_segment(ledger: Ledger) -> None:
    clock = Clock(local(2026, 11, 2, 9))
    from provisioner.ledger import workflow
    from provisioner.lifecycle.states import Action
    from tests.lifecycle.helpers import context, make_spec, rules
    ctx = context(ledger, clock)
    workflow.accept(ctx, workflow.submit(ctx, make_spec(), rules(), flavors()).request_id)
    clock.at(local(2026, 11, 3, 9) + timedelta(minutes=5))
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    with ledger.transaction() as conn:
        facts = ledger_reader.read(conn, flavors())
    (segment,) = facts.timelines[0].segments
    assert segment.phase == TRIAL and segment.end is None
    assert [row.view.state.value for row in facts.live] == ["trial"]


def test_synthetic_rows_read_back_as_the_lives_they_describe(ledger: Ledger) -> None:
    from datetime import datetime, timezone

    from tests.billing import synthetic
    after = datetime(2027, 1, 5, tzinfo=timezone.utc)
    synthetic.fill(ledger, 13, 2026, after)
    with ledger.transaction() as conn:
        lines = {t.generation.system: t for t in ledger_reader.read(conn, flavors()).timelines}
    for n in (1, 2, 4, 6):
        p = synthetic.plan(n, 2026)
        segments = lines[p.system].segments
        assert segments[0].phase == TRIAL and segments[0].start == p.trial_at
        assert segments[1].phase == PRODUCTION and segments[1].start == p.promote_at
        if p.change_at is not None:      # n % 10 == 2: hosts doubled from the change on
            assert segments[2].start == p.change_at
            assert segments[2].amounts["compute/cores"] == 2 * segments[1].amounts["compute/cores"]
        assert segments[-1].end == p.end_at      # n % 10 == 1 ended; the others still run
    assert lines["sys-00010"].segments[-1].phase == TRIAL     # n % 10 == 0: still in trial


def test_the_metering_table_migrates_as_declared_and_keeps_windows(any_ledger: Ledger) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from provisioner.ledger.metering_schema import metering_metadata
    from provisioner.metering import recorder
    from provisioner.metering.utilisation import Observation, Window

    with any_ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metering_metadata)
    assert [d for d in diff if "metering_utilisation" in str(d)] == []    # the ledger's own tables are not ours
    clock = Clock(local(2026, 3, 2, 9))
    live_system(any_ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 3, 10),
                go_live=local(2026, 3, 19, 10))
    with any_ledger.transaction() as conn:
        lines = ledger_reader.read(conn, flavors()).timelines
        # one window across the end of March (Shanghai): split between the two months
        window = Window(local(2026, 3, 31, 23), local(2026, 4, 1, 1))
        seen = Observation(window, {SYSTEM: {"compute/cores": 2 * 7200.0}}, frozenset({"compute/cores"}))
        recorder.record(conn, seen, lines)
        recorder.record(conn, Observation(Window(window.end, local(2026, 4, 1, 2)), {}, seen.measured), lines)
        months = recorder.read_months(conn)
        assert recorder.resume_from(conn) == local(2026, 4, 1, 2)
    from datetime import date
    assert months[date(2026, 3, 1)][SYSTEM]["compute/cores"] == [4 * 3600.0, 2 * 3600.0]
    assert months[date(2026, 4, 1)][SYSTEM]["compute/cores"] == [4 * 7200.0, 2 * 3600.0]


# -- a system govcloud adopted (made by a plain `pulumi up`): metered from what its stack shows --------------

def _adopt(ledger: Ledger, clock: Clock, phase: str, started: datetime, go_live: datetime | None) -> None:
    adoption = Adoption(SYSTEM, "city", "jj-xzspj", "zwfw-portal", "JJ-2026-0001", phase, started, go_live, 5)
    record_adoption(context(ledger, clock, actor="adopt:ops"), adoption, make_spec(), "request_specs/x.yaml")


def test_an_adopted_production_system_is_metered_from_its_stacks_times(any_ledger: Ledger) -> None:
    started, go_live, adopted = utc(2026, 3, 4, 2), utc(2026, 3, 20, 2), local(2026, 6, 1, 9)
    _adopt(any_ledger, Clock(adopted), "production", started, go_live)
    with any_ledger.transaction() as conn:
        facts = ledger_reader.read(conn, flavors())
        current = ledger_reader.read_current(conn, flavors(), local(2026, 1, 1))
    (line,) = facts.timelines
    assert [(s.phase, s.start, s.end, s.amounts["compute/cores"]) for s in line.segments] == [
        (TRIAL, started, go_live, 4), (PRODUCTION, go_live, None, 4)]
    assert line.problems == ()
    # What `govcloud status` and the bill read: the production segment, from its go-live.
    (billed,) = current.timelines
    assert [(s.phase, s.start) for s in billed.segments] == [(TRIAL, started), (PRODUCTION, go_live)]


def test_an_adopted_trial_is_metered_from_its_first_resource(any_ledger: Ledger) -> None:
    started = utc(2026, 12, 1, 2)
    _adopt(any_ledger, Clock(local(2026, 12, 3, 9)), "trial", started, None)
    with any_ledger.transaction() as conn:
        (line,) = ledger_reader.read(conn, flavors()).timelines
    assert [(s.phase, s.start, s.end) for s in line.segments] == [(TRIAL, started, None)]


def test_an_adoption_without_readable_times_starts_when_it_was_recorded() -> None:
    gen = timeline.Generation(SYSTEM, 1, "city", "jj-xzspj", "zwfw-portal", "JJ-2026-0001", "production")
    at = utc(2026, 6, 1, 1)
    spec = make_spec().model_dump(mode="json")
    for detail in ({}, {"phase": "production", "started_at": "yesterday", "go_live_at": None}):
        line = timeline.build(gen, [timeline.Event("adopted", at, detail)], {"JJ-2026-0001": spec}, flavors())
        assert [(s.phase, s.start) for s in line.segments] == [(TRIAL, at)], detail


def test_a_window_is_written_a_chunk_of_systems_at_a_time_and_adds_up(any_ledger: Ledger) -> None:
    from datetime import date

    from provisioner.metering import recorder

    march, start, end = date(2026, 3, 1), local(2026, 3, 2, 9), local(2026, 3, 2, 10)
    first = {f"city/d/s{n}": {"compute/cores": [60.0, 30.0]} for n in range(5)}
    second = {f"city/d/s{n}": {"compute/cores": [60.0, 10.0], "storage/gb": [5.0, 1.0]} for n in range(3, 8)}
    with any_ledger.transaction() as conn:
        recorder._write(conn, march, first, start, end, chunk=2)
        recorder._write(conn, march, second, end, local(2026, 3, 2, 11), chunk=2)   # 2 updated, 3 new, mixed in chunks
        month = recorder.read_months(conn)[march]
    assert sorted(month) == [f"city/d/s{n}" for n in range(8)]
    assert month["city/d/s0"] == {"compute/cores": [60.0, 30.0]}
    assert month["city/d/s3"] == {"compute/cores": [120.0, 40.0], "storage/gb": [5.0, 1.0]}
    assert month["city/d/s7"] == {"compute/cores": [60.0, 10.0], "storage/gb": [5.0, 1.0]}
