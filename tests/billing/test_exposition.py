"""/metrics: exact bytes against a golden file, promtool, counters that survive restarts and missed scrapes.

Refresh the golden file with GOVCLOUD_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, disable_created_metrics, enable_created_metrics, generate_latest

from provisioner.calendar import WorkCalendar
from provisioner.calendar_metrics import UncertainCounter
from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle.states import Action
from provisioner.metering.collector import render
from provisioner.metering.exporter import Exporter
from provisioner.metering.utilisation import NoUtilisation, StaticUtilisation
from tests.billing.helpers import SYSTEM, Clock, FixedInventory, city_cloud, live_system, local
from tests.lifecycle.helpers import context, flavors, make_spec, rules

GOLDEN = Path(__file__).with_name("golden") / "metrics.prom"


@pytest.fixture(autouse=True)
def no_created_series() -> Iterator[None]:
    """As `govcloud exporter` runs: without prometheus_client's *_created series (wall-clock values)."""
    disable_created_metrics()
    yield
    enable_created_metrics()
TRIAL_SYSTEM = "city.jj-xzspj.zwfw-app"
LATE_SYSTEM = "city.jj-xzspj.zwfw-late"


def city_ledger(ledger: Ledger) -> Clock:
    """Three systems: one live since March (changed in May), one in trial, one submitted on 30 December."""
    clock = Clock(local(2026, 3, 2, 9))
    live_system(ledger, clock, submitted=local(2026, 3, 2, 9), trial=local(2026, 3, 4, 10),
                go_live=local(2026, 3, 20, 10), change=local(2026, 5, 10, 10))
    ctx = context(ledger, clock)
    clock.at(local(2026, 12, 1, 9))
    sub = workflow.submit(ctx, make_spec("JJ-2026-0003", system="zwfw-app"), rules(), flavors())
    workflow.accept(ctx, sub.request_id)
    clock.at(local(2026, 12, 2, 15))
    workflow.done_by_hand(ctx, TRIAL_SYSTEM, Action.CREATE_TRIAL)
    clock.at(local(2026, 12, 30, 16))          # art15's 3 working days run into 2027: no schedule known
    workflow.submit(ctx, make_spec("JJ-2026-0004", system="zwfw-late"), rules(), flavors())
    return clock


def exporter_for(ledger: Ledger, clock: Clock, source=None, registry: CollectorRegistry | None = None,  # noqa: ANN001
                 inventory=None) -> Exporter:  # noqa: ANN001
    registry = registry or CollectorRegistry()
    calendar = WorkCalendar({}, on_uncertain=UncertainCounter(registry))
    ticks = iter(range(1000))
    return Exporter(ledger, flavors(), calendar, source or NoUtilisation(), registry=registry, clock=clock,
                    timer=lambda: next(ticks) * 0.25, interval=60, inventory=inventory)


def test_the_exposition_is_the_golden_file(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    clock.at(local(2026, 12, 31, 10))
    ratios = {SYSTEM: {"compute/cores": 0.5, "compute/ram": 0.25}, TRIAL_SYSTEM: {"compute/cores": 1.0}}
    exporter = exporter_for(ledger, clock, StaticUtilisation(ratios), inventory=FixedInventory(city_cloud()))
    exporter.collect_once()
    clock.at(local(2026, 12, 31, 10, 1))
    exporter.collect_once()
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(exporter.body)
    assert exporter.body.decode() == GOLDEN.read_text(encoding="utf-8")


def test_the_fast_renderer_writes_what_prometheus_client_writes(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    clock.at(local(2026, 12, 31, 10))
    registry = CollectorRegistry()
    exporter = exporter_for(ledger, clock, StaticUtilisation({SYSTEM: {"volumev3/capacity": 0.75}}), registry)
    snap = exporter.collect_once()
    assert b"".join(render(snap)) == generate_latest(exporter.metering_registry)
    assert exporter.body == generate_latest(registry) + generate_latest(exporter.metering_registry)


def test_promtool_finds_nothing_to_lint() -> None:
    result = subprocess.run(["promtool", "check", "metrics"], input=GOLDEN.read_bytes(), capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == b"" and result.stderr == b""


def _sample(body: bytes, name: str, **labels: str) -> float:
    for line in body.decode().splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.split("} ")[1].split()[0])
    raise AssertionError(f"no {name} {labels} in the exposition")


def test_golden_values_mean_what_the_ledger_says() -> None:
    body = GOLDEN.read_bytes()
    go_live, change, now = local(2026, 3, 20, 10), local(2026, 5, 10, 10), local(2026, 12, 31, 10, 1)
    cores = _sample(body, "govcloud_system_allocated_seconds_total", system="zwfw-portal", phase="production",
                    resource="cores")
    assert cores == 4 * (change - go_live).total_seconds() + 6 * (now - change).total_seconds()
    assert _sample(body, "govcloud_system_allocated", system="zwfw-portal", resource="ram") == 12 * 2 ** 30
    assert _sample(body, "govcloud_system_trial_remaining_seconds", system="zwfw-app") == pytest.approx(
        (local(2026, 12, 17, 23, 59, 59) - now).total_seconds())      # held: 13.4 days past its end
    # 2027's schedule is unknown: the deadline is flagged and the calendar's counter counts the guess
    assert _sample(body, "govcloud_system_deadline_timestamp_seconds", system="zwfw-late", uncertain="true") == \
        local(2027, 1, 4, 23, 59, 59).timestamp()
    assert _sample(body, "govcloud_calendar_uncertain_total", year="2027") >= 1
    # two one-minute windows observed; the static source said half the cores were in use
    assert _sample(body, "govcloud_system_used_seconds_total", system="zwfw-portal", resource="cores") == \
        pytest.approx(0.5 * _sample(body, "govcloud_system_observed_seconds_total", system="zwfw-portal",
                                    resource="cores"))
    assert _sample(body, "govcloud_deadlines_total", rule="art16-prepare", outcome="met") == 2
    # the cloud (helpers.city_cloud): the server made by hand, zwfw-late's volume (only submitted) and a volume
    # of a system the ledger never heard of are unaccounted; the operator's own server is not a department's
    assert _sample(body, "govcloud_unaccounted_resources", project="city-jj-xzspj", kind="server") == 1
    assert _sample(body, "govcloud_unaccounted_resources", project="city-jj-xzspj", kind="volume") == 2
    assert "kind=\"security_group\"" not in body.decode() and "project=\"admin\"" not in body.decode()
    # held: both servers of the department's project, whoever made them; granted: its systems' live grants
    assert _sample(body, "govcloud_project_held", project="city-jj-xzspj", resource="cores") == 8
    assert _sample(body, "govcloud_project_held", project="city-jj-xzspj", resource="capacity") == \
        (40 + 40 + 100 + 50 + 20) * 2 ** 30
    assert _sample(body, "govcloud_project_granted", project="city-jj-xzspj", resource="cores") == \
        _sample(body, "govcloud_system_allocated", system="zwfw-portal", resource="cores") + \
        _sample(body, "govcloud_system_allocated", system="zwfw-app", resource="cores")


def test_a_restarted_exporter_continues_every_counter_exactly(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    clock.at(local(2026, 12, 31, 10))
    first = exporter_for(ledger, clock, StaticUtilisation({SYSTEM: {"compute/cores": 0.5}}))
    first.collect_once()
    before = first.body
    clock.at(local(2026, 12, 31, 10, 10))    # the exporter is down ten minutes: no scrape, no collection
    second = exporter_for(ledger, clock, StaticUtilisation({SYSTEM: {"compute/cores": 0.5}}))
    second.collect_once()
    after = second.body
    labels = {"system": "zwfw-portal", "phase": "production", "resource": "cores"}
    assert _sample(after, "govcloud_system_allocated_seconds_total", **labels) - \
        _sample(before, "govcloud_system_allocated_seconds_total", **labels) == 6 * 600
    # utilisation resumes from the last window recorded in the ledger: the ten minutes are observed too
    used = {"system": "zwfw-portal", "resource": "cores"}
    assert _sample(after, "govcloud_system_observed_seconds_total", **used) - \
        _sample(before, "govcloud_system_observed_seconds_total", **used) == pytest.approx(6 * 600)


def test_a_failing_source_is_reported_and_the_last_values_kept(ledger: Ledger) -> None:
    from provisioner.errors import CloudError

    class Down:
        name, measured = "openstack", frozenset({"compute/cores"})

        def observe(self, window, granted):  # noqa: ANN001, ANN201
            raise CloudError("connection refused")

    clock = city_ledger(ledger)
    clock.at(local(2026, 12, 31, 10))
    exporter = exporter_for(ledger, clock, Down())
    exporter.collect_once()
    assert _sample(exporter.body, "govcloud_metering_source_up", source="openstack") == 0
    assert _sample(exporter.body, "govcloud_metering_source_up", source="ledger") == 1
    # the ledger itself fails: the last values stay, marked as stale by source_up
    previous = exporter.body
    exporter.ledger = _BrokenLedger()      # type: ignore[assignment]
    clock.at(local(2026, 12, 31, 10, 5))
    exporter.collect_once()
    assert _sample(exporter.body, "govcloud_metering_source_up", source="ledger") == 0
    assert _sample(exporter.body, "govcloud_system_allocated_seconds_total", system="zwfw-portal", phase="production",
                   resource="cores") == _sample(previous, "govcloud_system_allocated_seconds_total",
                                                system="zwfw-portal", phase="production", resource="cores")


class _BrokenLedger:
    def transaction(self):  # noqa: ANN201
        from provisioner.ledger import LedgerError
        raise LedgerError("ledger database unreachable: connection refused")


def test_counters_are_monotonic_across_collections(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    exporter = exporter_for(ledger, clock)
    seen = []
    for minute in range(0, 50, 7):
        clock.at(local(2026, 12, 31, 10, minute))
        exporter.collect_once()
        seen.append(_sample(exporter.body, "govcloud_system_allocated_seconds_total", system="zwfw-app",
                            phase="trial", resource="ram"))
    assert seen == sorted(seen) and seen[-1] > seen[0]


def test_timestamps_are_the_snapshot_moment(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    clock.at(datetime(2026, 12, 31, 2, 0, 0, 123000, tzinfo=timezone.utc))
    exporter = exporter_for(ledger, clock)
    exporter.collect_once()
    line = next(line for line in exporter.body.decode().splitlines()
                if line.startswith("govcloud_system_allocated_seconds_total{"))
    assert line.endswith(" " + str(int(clock.now.timestamp() * 1000)))
