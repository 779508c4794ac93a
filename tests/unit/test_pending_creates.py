"""What govcloud does with each pending create a killed run left (provisioner/stacks/pending.py)."""

from __future__ import annotations

from provisioner.stacks.pending import Decision, Found, Pending, decide, pending_creates, project_of, refresh_args

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
    quota = Pending("urn:q", "openstack:compute/quotaSetV2:QuotaSetV2", "creating")
    assert decide(quota, [Found("x", "usable")]) == Decision(quota)


def test_the_refresh_imports_then_clears_the_rest() -> None:
    adopted = Decision(Pending(URN, SERVER, "creating"), "s1")
    cleared = Decision(Pending("urn:other", SERVER, "creating"))
    assert refresh_args([adopted, cleared]) == [
        f"--import-pending-creates={URN}", "--import-pending-creates=s1", "--clear-pending-creates"]
    assert "adopted s1" in adopted.text("en") and "已接管" in adopted.text("zh")
    assert "made now" in cleared.text("en")
