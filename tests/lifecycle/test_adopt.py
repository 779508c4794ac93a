"""govcloud adopt without a cloud: reading a stack's state (as `pulumi stack export` lists it)
and recording what runs, once. The real stack made by a hand-run `pulumi up` is in
tests/cloud/test_ledger_flow.py."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from provisioner.app.adopt import Skipped, adopt, labels_of, read_stack
from provisioner.ledger import Ledger, store
from provisioner.ledger.running import ledger_systems
from provisioner.lifecycle.states import State
from tests.lifecycle.helpers import ROOT, context

STACK = "city.jj-xzspj.zwfw-portal"
LABELS = {"region": "city", "department": "jj-xzspj", "system": "zwfw-portal", "request": "JJ-2026-0001"}


def server(phase: str, created: str, modified: str | None = None) -> dict:
    return {"urn": f"urn:pulumi:{STACK}::govcloud::openstack:compute/instance:Instance::web-{created}",
            "type": "openstack:compute/instance:Instance", "custom": True, "id": "x", "created": created,
            "modified": modified or created,
            "outputs": {"metadata": {f"govcloud_{k}": v for k, v in {**LABELS, "phase": phase}.items()}}}


def network(phase: str, created: str, modified: str | None = None) -> dict:
    return {"urn": f"urn:pulumi:{STACK}::govcloud::openstack:networking/network:Network::net",
            "type": "openstack:networking/network:Network", "custom": True, "id": "n", "created": created,
            "modified": modified or created,
            "outputs": {"tags": sorted(f"{k}={v}" for k, v in {**LABELS, "phase": phase}.items())}}


STACK_RESOURCE = {"urn": "urn:pulumi:x::govcloud::pulumi:pulumi:Stack::govcloud-x", "type": "pulumi:pulumi:Stack",
                  "custom": False}
PROVIDER = {"urn": "urn:pulumi:x::govcloud::pulumi:providers:openstack::default", "custom": True,
            "type": "pulumi:providers:openstack", "outputs": {}}
T0, T1, T2 = "2026-12-01T02:00:00.000000Z", "2026-12-01T02:05:00.000000Z", "2026-12-17T03:00:00.000000Z"


def test_labels_come_from_metadata_or_tags() -> None:
    assert labels_of(server("trial", T0)["outputs"]) == {**LABELS, "phase": "trial"}
    assert labels_of(network("trial", T0)["outputs"]) == {**LABELS, "phase": "trial"}
    assert labels_of({"tags": ["owner=x"], "metadata": {"other": "y"}}) == {}


def test_a_trial_starts_when_its_first_resource_was_made() -> None:
    found = read_stack(STACK, [STACK_RESOURCE, PROVIDER, network("trial", T1), server("trial", T0)])
    assert not isinstance(found, Skipped) and found is not None
    assert (found.phase, found.request_id, found.go_live_at) == ("trial", "JJ-2026-0001", None)
    assert found.trial_started_at == datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


def test_a_promoted_stack_went_live_when_its_labels_were_rewritten() -> None:
    found = read_stack(STACK, [network("production", T0, T2), server("production", T1, T2)])
    assert found.phase == "production" and found.go_live_at == datetime(2026, 12, 17, 3, 0, tzinfo=timezone.utc)


def test_a_promotion_cut_short_is_adopted_as_trial() -> None:
    found = read_stack(STACK, [network("production", T0, T2), server("trial", T1)])
    assert found.phase == "trial" and found.mixed_phases


def test_an_empty_stack_holds_nothing_to_adopt() -> None:
    assert read_stack(STACK, [STACK_RESOURCE, PROVIDER]) is None


@pytest.mark.parametrize("resources", [
    [{"type": "openstack:x:Y", "custom": True, "outputs": {"name": "made by hand"}, "created": T0}],
    [server("trial", T0), {**network("trial", T0), "outputs": {"tags": ["region=city", "department=other",
                                                                         "system=zwfw-portal", "request=X"]}}],
])
def test_unlabelled_or_inconsistent_stacks_are_not_guessed(resources: list[dict]) -> None:
    assert isinstance(read_stack(STACK, resources), Skipped)


class Backend:
    def __init__(self, stacks: dict[str, list[dict]]) -> None:
        self.stacks = stacks
        self.exported: list[str] = []

    def stack_names(self) -> set[str]:
        return set(self.stacks)

    def resources(self, name: str) -> list[dict]:
        self.exported.append(name)
        return self.stacks[name]


def test_adopt_records_what_runs_once(tmp_path: Path, clock) -> None:  # noqa: ANN001
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    backend = Backend({STACK: [network("production", T0, T2), server("production", T1, T2)],
                       "city.jj-xzspj": [PROVIDER], "city.jj-rsj.empty": [STACK_RESOURCE]})
    ctx = context(ledger, clock, actor="adopt:ops")
    adopted, skipped = adopt(ctx, ROOT, backend)
    assert [a.system_key for a in adopted] == [STACK] and skipped == []
    with ledger.transaction() as conn:
        (system,) = ledger_systems(conn).values()
        request = store.request_row(conn, "JJ-2026-0001")
        kinds = [r.kind for r in store.event_rows(conn, [system.view.id])]
    assert (system.phase, system.state, system.since) == ("production", State.PRODUCTION,
                                                         datetime(2026, 12, 17, 3, 0, tzinfo=timezone.utc))
    assert system.view.trial_started_at == datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)
    assert system.spec is not None and system.spec["metadata"]["request_id"] == "JJ-2026-0001"   # from stacks/
    assert (request.decision, request.decided_by) == ("accepted", "adopt:ops") and kinds == ["adopted"]
    backend.exported.clear()
    assert adopt(ctx, ROOT, backend) == ([], []) and backend.exported == ["city.jj-rsj.empty"]
    ledger.close()
