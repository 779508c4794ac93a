"""What govcloud does with each pending create a killed run left (provisioner/pending_creates.py)."""

from __future__ import annotations

from provisioner.pending_creates import Decision, Found, Pending, adopted, decide, pending_creates, project_of

SERVER = "openstack:compute/instance:Instance"
URN = f"urn:pulumi:city.jj-x.sys::govcloud::{SERVER}::sys-web-1"


def test_pending_creates_are_read_from_a_state() -> None:
    deployment = {
        "resources": [{"type": "pulumi:providers:openstack", "urn": "p", "inputs": {"tenantId": "proj-1"}}],
        "pending_operations": [
            {"type": "creating", "resource": {"urn": URN, "type": SERVER, "inputs": {"name": "sys-web-1"}}},
            {"type": "deleting", "resource": {"urn": "u2", "type": SERVER}},
        ]}
    (only,) = pending_creates(deployment)
    assert (only.urn, only.type, only.name, only.inputs) == (URN, SERVER, "sys-web-1", {"name": "sys-web-1"})
    assert project_of(deployment) == "proj-1"
    network = {"type": "openstack:networking/network:Network", "urn": "n", "inputs": {"tenantId": "proj-2"}}
    assert project_of({"resources": [network, *deployment["resources"]]}) == "proj-2"
    assert pending_creates({}) == [] and project_of({}) is None


def test_one_usable_object_is_adopted() -> None:
    pending = Pending(URN, SERVER, "creating")
    assert decide(pending, [Found("s1", "usable")]) == Decision(pending, "s1", ())


def test_an_object_in_error_is_deleted_and_the_create_cleared() -> None:
    pending = Pending(URN, SERVER, "creating")
    broken = Found("s1", "error")
    assert decide(pending, [broken]) == Decision(pending, None, (broken,))


def test_of_several_the_newest_usable_is_adopted_and_the_rest_deleted() -> None:
    pending = Pending(URN, SERVER, "creating")
    old, new, bad = Found("s1", "usable", "2026-01-01T00:00:00"), Found("s2", "usable", "2026-01-02T00:00:00"), \
        Found("s3", "error")
    decision = decide(pending, [old, new, bad])
    assert decision.adopt == "s2" and set(decision.delete) == {old, bad}


def test_nothing_found_is_cleared_and_made_again() -> None:
    pending = Pending(URN, SERVER, "creating")
    assert decide(pending, []) == Decision(pending)


def test_creates_that_only_set_something_are_made_again_without_looking() -> None:
    quota = Pending("urn:pulumi:s::govcloud::openstack:compute/quotaSetV2:QuotaSetV2::q",
                    "openstack:compute/quotaSetV2:QuotaSetV2", "creating")
    assert quota.made_again and not Pending(URN, SERVER, "creating").made_again
    assert decide(quota, [Found("x", "usable")]) == Decision(quota)
    assert decide(quota, []).text("en") == "q: made again"


def test_adopted_creates_become_resources_and_no_create_stays_pending() -> None:
    port = {"urn": "urn:port", "type": "openstack:networking/port:Port", "id": "p1"}
    server = {"urn": URN, "type": SERVER, "custom": True, "inputs": {"name": "sys-web-1"}, "dependencies": ["urn:port"]}
    rule = {"urn": "urn:rule", "type": "openstack:networking/secGroupRule:SecGroupRule", "inputs": {}}
    deployment = {"resources": [port], "pending_operations": [
        {"type": "creating", "resource": server}, {"type": "creating", "resource": rule},
        {"type": "updating", "resource": port}]}
    adopt = Decision(Pending(URN, SERVER, "creating"), "s1")
    clear = Decision(Pending("urn:rule", rule["type"], "creating"))
    state = adopted(deployment, [adopt, clear])
    assert state["resources"] == [port, {**server, "id": "s1", "outputs": {"name": "sys-web-1", "id": "s1"}}]
    assert state["pending_operations"] == [{"type": "updating", "resource": port}]
    assert deployment["resources"] == [port]                # the given state is left as it was
    assert "adopted s1" in adopt.text("en") and "已接管" in adopt.text("zh")
    assert "made now" in clear.text("en")
