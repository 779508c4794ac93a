"""What runs in the cloud against the ledger (provisioner.metering.inventory): which resources are
unaccounted and why, what a project holds, and an inventory source that fails."""

from __future__ import annotations

from datetime import datetime

from provisioner.errors import CloudError
from provisioner.ledger import Ledger
from provisioner.lifecycle.states import State
from provisioner.metering import inventory
from provisioner.metering.inventory import Unaccounted
from tests.billing.helpers import SYSTEM, FixedInventory, city_cloud, local
from tests.billing.test_exposition import _sample, city_ledger, exporter_for

LEDGER = {SYSTEM: State.PRODUCTION, "city.jj-xzspj.zwfw-late": State.SUBMITTED}


def _found(states: dict[str, State]) -> list[Unaccounted]:
    return inventory.unaccounted(city_cloud(), inventory.holding_keys(states.items()), frozenset(states))


def test_each_unaccounted_resource_says_why() -> None:
    found = _found(LEDGER)
    assert [(u.kind, u.name, u.system, u.reason) for u in found] == [
        ("server", "by-hand", "", "unlabelled"),
        ("volume", "ghost-data", "city.jj-xzspj.ghost", "not-in-ledger"),
        ("volume", "zwfw-late-data", "city.jj-xzspj.zwfw-late", "not-live"),
    ]
    assert {(u.project, u.region, u.department) for u in found} == {("city-jj-xzspj", "city", "jj-xzspj")}


def test_a_terminated_system_accounts_for_nothing_and_a_trial_being_made_does() -> None:
    ended = {u.name for u in _found({**LEDGER, SYSTEM: State.TERMINATED})}
    assert {"zwfw-portal-web-1", "zwfw-portal-web-1-data1", "172.24.4.10", "zwfw-portal-net"} <= ended
    being_made = {u.name for u in _found({**LEDGER, "city.jj-xzspj.zwfw-late": State.ACCEPTED})}
    assert "zwfw-late-data" not in being_made


def test_labels_are_read_from_metadata_and_tags_whatever_swift_did_to_the_keys() -> None:
    assert inventory.labels_of({"govcloud_region": "city", "Govcloud-System": "probe", "Quota-Bytes": "1",
                                "govcloud_other": "x"}) == {"region": "city", "system": "probe"}
    assert inventory.labels_of_tags(["region=city", "system=probe", "plain-tag", "other=x"]) == \
        {"region": "city", "system": "probe"}


def test_held_counts_department_projects_only() -> None:
    held = inventory.held(city_cloud())
    assert held == {("city-jj-xzspj", "city", "jj-xzspj", "compute/cores"): 8.0,
                    ("city-jj-xzspj", "city", "jj-xzspj", "compute/ram"): 16.0,
                    ("city-jj-xzspj", "city", "jj-xzspj", "volumev3/capacity"): 250.0,
                    ("city-jj-xzspj", "city", "jj-xzspj", "network/floating_ips"): 1.0}


class _Flaky(FixedInventory):
    def __init__(self) -> None:
        super().__init__(city_cloud())
        self.down = False

    def read(self, moment: datetime) -> inventory.Inventory:
        if self.down:
            raise CloudError("OpenStack read failed: ConnectTimeout")
        return self.inventory


def test_a_failed_inventory_read_is_reported_and_the_last_findings_kept(ledger: Ledger) -> None:
    clock = city_ledger(ledger)
    source = _Flaky()
    exporter = exporter_for(ledger, clock.at(local(2026, 12, 31, 10)), inventory=source)
    exporter.collect_once()
    source.down = True
    clock.at(local(2026, 12, 31, 10, 1))
    exporter.collect_once()
    assert _sample(exporter.body, "govcloud_metering_source_up", source="inventory") == 0
    assert _sample(exporter.body, "govcloud_unaccounted_resources", kind="volume") == 2
