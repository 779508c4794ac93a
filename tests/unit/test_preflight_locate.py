"""Preflight and drift findings point at the spec field's own line (no cloud needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.preflight import EXTERNAL_NETWORK, Asking, Offer, Room, locate, missing, over_quota
from provisioner.app import drift
from provisioner.errors import Location, SpecError
from provisioner.policy import Policies
from provisioner.spec import load_spec
from provisioner.spec.yamltree import read_yaml
from provisioner.stacks import fields
from provisioner.stacks.engine import Drifted
from provisioner.allocation.quota import Quota

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "request_specs/jj-xzspj/zwfw-portal.yaml"
BDC = "request_specs/xs-bdcdjzx/bdc-dj.yaml"
RSJ = "request_specs/jj-rsj/shebao-jb.yaml"
CATALOGUE = Policies(ROOT).catalogue
FULL = Offer(frozenset({"gc.c2m4", "gc.c8m16", "gc.db.c8m32", "gc.db.c16m64"}),
             frozenset({"kylin-v10-tiny"}), frozenset({"nfs1"}), frozenset({EXTERNAL_NETWORK}))


def _line(path: str, needle: str, start: int = 1) -> int:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if n >= start and needle in line)


def _spec(path: str):
    return load_spec(ROOT / path, ROOT)


def test_locate_finds_a_value_its_key_and_falls_back_to_the_parent() -> None:
    tree = read_yaml((ROOT / PORTAL).read_text(encoding="utf-8"))[0]
    flavor = _line(PORTAL, "flavor: gc.c2m4")
    assert locate(tree, PORTAL, ("resources", "hosts", 0, "flavor")) == Location(PORTAL, flavor, 15)
    network = _line(PORTAL, "  network:")
    assert locate(tree, PORTAL, ("resources", "network"), on_key=True) == Location(PORTAL, network, 3)
    # a field the file does not write (no volume_type): its closest written parent
    disk = _line(PORTAL, "- size_gb: 100")
    assert locate(tree, PORTAL, ("resources", "hosts", 0, "data_disks", 0, "volume_type")).line == disk
    assert locate(None, PORTAL, ("resources",)) == Location(PORTAL, 1, 1)


def test_a_missing_flavor_and_image_point_at_their_lines() -> None:
    offer = Offer(frozenset({"gc.c1m2"}), frozenset(), frozenset({"nfs1"}))
    with pytest.raises(SpecError) as caught:
        apply_job.check_cloud_offers(apply_job.discover(ROOT, [ROOT / PORTAL]), offer, Policies(ROOT))
    problems = caught.value.problems
    assert [(p.code, p.location.line, p.location.column, p.article) for p in problems] == [
        ("cloud-missing", _line(PORTAL, "flavor: gc.c2m4"), 15, "art5"),
        ("cloud-missing", _line(PORTAL, "image: kylin-v10-tiny"), 14, "art5")]
    assert str(problems[0]) == (f"{PORTAL}:{problems[0].location.line}:15: cloud-missing 云上没有名为 "
                                f"'gc.c2m4' 的规格：它在采购目录中，但服务商尚未提供；请联系服务商，"
                                f"或改用云上已有的规格 [art5]")
    assert problems[1].render("en").endswith("the cloud offers no image named 'kylin-v10-tiny' (the "
                                             "catalogue lists it); ask the provider, or choose one it offers [art5]")


def test_each_missing_name_is_reported_once_at_its_first_use() -> None:
    spec = _spec(RSJ)   # gc.c4m8 web hosts, gc.c8m16 app hosts with an nfs1 disk
    offer = Offer(frozenset({"gc.c4m8", "gc.db.c16m64"}), frozenset({"kylin-v10-tiny"}), frozenset())
    problems = missing(spec, RSJ, offer, ROOT, CATALOGUE)
    assert [(p.location.line, p.text("en").split(" (")[0]) for p in problems] == [
        (_line(RSJ, "flavor: gc.c8m16"), "the cloud offers no flavor named 'gc.c8m16'"),
        (_line(RSJ, "volume_type: nfs1"), "the cloud offers no volume type named 'nfs1'")]


def test_a_missing_external_network_points_at_the_network_section() -> None:
    offer = Offer(FULL.flavors, FULL.images, FULL.volume_types, frozenset({"ext-other"}))
    problems = missing(_spec(PORTAL), PORTAL, offer, ROOT, CATALOGUE)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("cloud-missing", _line(PORTAL, "  network:"), 3)]
    assert "外部网络" in problems[0].message and "'public'" in problems[0].message_en


def test_a_region_without_its_keystone_domain_points_at_the_region() -> None:
    offer = Offer(FULL.flavors, FULL.images, FULL.volume_types, FULL.external_networks,
                  frozenset({"Default", "duchang"}))
    problems = missing(_spec(PORTAL), PORTAL, offer, ROOT, CATALOGUE)      # region: city
    assert [(p.code, p.location.line, p.article) for p in problems] == [
        ("cloud-missing", _line(PORTAL, "region: city"), "art5")]
    assert "govcloud regions" in problems[0].message and "'city'" in problems[0].message_en
    with_domain = Offer(FULL.flavors, FULL.images, FULL.volume_types, FULL.external_networks,
                        frozenset({"city"}))
    assert missing(_spec(PORTAL), PORTAL, with_domain, ROOT, CATALOGUE) == []


def test_without_the_file_the_problem_stays_at_line_one() -> None:
    offer = Offer(frozenset(), FULL.images, FULL.volume_types)
    assert [str(p.location) for p in missing(_spec(PORTAL), PORTAL, offer)] == [f"{PORTAL}:1:1"]


def test_an_offer_without_external_networks_read_does_not_check_them() -> None:
    offer = Offer(FULL.flavors, FULL.images, FULL.volume_types)
    assert missing(_spec(PORTAL), PORTAL, offer, ROOT, CATALOGUE) == []


GRANT = Quota(instances=2, cores=4, ram_mb=8192, volumes=2, gigabytes=200)


def test_a_project_with_room_for_the_grant_passes() -> None:
    room = Room({"instances": 2, "cores": 4, "ram_mb": 8192, "volumes": 2, "gigabytes": 200}, {})
    assert over_quota("city-jj-xzspj", GRANT, room, [Asking(_spec(PORTAL), PORTAL)], ROOT) == []
    unlimited = Room(dict.fromkeys(("instances", "cores", "ram_mb", "volumes", "gigabytes"), -1),
                     {"volumes": 50})
    assert over_quota("city-jj-xzspj", GRANT, unlimited, [Asking(_spec(PORTAL), PORTAL)], ROOT) == []


def test_quota_taken_by_hand_points_at_the_field_that_asks_for_it() -> None:
    room = Room({"instances": 2, "cores": 4, "ram_mb": 8192, "volumes": 2, "gigabytes": 200},
                {"instances": 1, "cores": 1, "ram_mb": 0, "volumes": 0, "gigabytes": 0})
    problems = over_quota("city-jj-xzspj", GRANT, room, [Asking(_spec(PORTAL), PORTAL)], ROOT, CATALOGUE)
    assert [(p.code, p.location.line, p.location.column, p.article) for p in problems] == [
        ("cloud-quota", _line(PORTAL, "count: 2"), 14, "art15"),
        ("cloud-quota", _line(PORTAL, "flavor: gc.c2m4"), 15, "art15")]
    assert problems[0].message.startswith("项目 city-jj-xzspj 在云上的云主机数配额为 2，其中 1 被不属于"
                                          "任何申请的资源占用，容不下本单位申请批准的 2")
    assert "instances quota of 2 on the cloud, 1 of it held by resources no request declares" \
        in problems[0].message_en


def test_a_quota_lowered_by_hand_points_at_the_disk() -> None:
    room = Room({"instances": 2, "cores": 4, "ram_mb": 8192, "volumes": 4, "gigabytes": 100}, {})
    problems = over_quota("city-jj-xzspj", GRANT, room, [Asking(_spec(PORTAL), PORTAL)], ROOT, CATALOGUE)
    # The first disk is the host's system disk: the request names no size (the flavor's), so the
    # problem is at the host it belongs to.
    assert [(p.location.line, p.location.column) for p in problems] == [(_line(PORTAL, "- name: web"), 7)]
    assert "云硬盘容量 (GB)配额为 100" in problems[0].message and "其中" not in problems[0].message


def test_a_spec_without_hosts_points_at_its_database_or_volume() -> None:
    spec = _spec(BDC).model_copy(deep=True)
    spec.resources.hosts.clear()
    room = Room({"volumes": 0}, {})
    problems = over_quota("xiushui-xs-bdcdjzx", Quota(volumes=2), room, [Asking(spec, BDC)], ROOT, CATALOGUE)
    assert [p.location.line for p in problems] == [_line(BDC, "storage_gb: 1000")]


def _fields(path: str) -> dict[str, str]:
    """The system stack's `fields` output for a request: what the program records (under Pulumi's mocks)."""
    from tests.unit.test_program_mocks import declare_under_mocks

    return declare_under_mocks(ROOT / path).fields


@pytest.mark.parametrize(("resource", "field"), [
    ("zwfw-portal-sg-in0", ("resources", "security", "ingress", 0)),
    ("zwfw-portal-sg-intra", ("resources", "security")),
    ("zwfw-portal-sg", ("resources", "security", "ingress")),
    ("zwfw-portal-router-if", ("resources", "network")),
    ("zwfw-portal-router", ("resources", "network", "zone")),
    ("zwfw-portal-subnet", ("resources", "network", "cidr")),
    ("zwfw-portal-web-2", ("resources", "hosts", 0)),
    ("zwfw-portal-web-1-port", ("resources", "hosts", 0)),
    ("zwfw-portal-web-1-system", ("resources", "hosts", 0, "system_disk_gb")),
    ("zwfw-portal-web-1-data1", ("resources", "hosts", 0, "data_disks", 0)),
    ("zwfw-portal-web-1-data1-attach", ("resources", "hosts", 0, "data_disks", 0)),
    ("zwfw-portal-something-else", ("resources",)),
])
def test_drifted_resources_map_to_the_spec_fields_the_program_recorded(resource, field) -> None:
    assert fields.field_of(_fields(PORTAL), resource) == field


def test_drift_of_databases_storage_balancers_and_eips_maps_too() -> None:
    held = _fields(BDC)
    assert fields.field_of(held, "bdc-dj-db-djk-2-data") == ("resources", "databases", 0, "storage_gb")
    assert fields.field_of(held, "bdc-dj-scan-archive") == ("resources", "storage", "volumes", 0)
    assert fields.field_of(held, "bdc-dj-gis-1-data1") == ("resources", "hosts", 1, "data_disks", 0)
    assert fields.field_of(held, "bdc-dj-app-group") == ("resources", "hosts", 0, "anti_affinity")
    held = _fields("request_specs/jj-jyksy/zk-bm.yaml")
    assert fields.field_of(held, "zk-bm-eip1") == ("resources", "bandwidth", "public_ips")
    assert fields.field_of(held, "zk-bm-lb-web-tcp80-pool") == (
        "resources", "bandwidth", "load_balancers", 0, "listeners", 1)


def test_a_stack_made_before_the_map_points_at_the_resources_section() -> None:
    assert fields.field_of({}, "zwfw-portal-web-1") == ("resources",)
    assert fields.spec_fields([{"type": "pulumi:pulumi:Stack", "outputs": {"projectId": "p"}}]) == {}
    assert fields.spec_fields([{"type": "pulumi:pulumi:Stack", "outputs": {"fields": {"a": "hosts[0]"}}}]) == {
        "a": "hosts[0]"}


def test_drift_findings_are_located_bilingual_and_cite_art18() -> None:
    item = apply_job.discover(ROOT, [ROOT / PORTAL])[0]
    rule = "openstack:networking/secGroupRule:SecGroupRule"
    stray = [type("Stray", (), {"group": "zwfw-portal-sg", "text": "ingress tcp 22 0.0.0.0/0", "id": "r1"})()]
    problems = drift.findings(item, [Drifted("zwfw-portal-sg-in0", rule, "delete", ()),
                                     Drifted("zwfw-portal-web-1", "openstack:compute/instance:Instance",
                                             "update", ("metadata",))], stray, ROOT, fields=_fields(PORTAL))
    ingress = _line(PORTAL, "- protocol: tcp")
    assert [(p.code, p.location.line, p.article) for p in problems] == [
        ("missing-resource", ingress, "art18"),
        ("drift-changed", _line(PORTAL, "- name: web"), "art18"),
        ("drift-unmanaged", _line(PORTAL, "ingress:"), "art18")]
    assert problems[0].message.startswith("zwfw-portal-sg-in0（" + rule + "）已在云上被删除")
    assert problems[1].message_en.endswith("was changed in the cloud: metadata; `govcloud apply --refresh` puts back "
                                           "what the code says")
    assert "ingress tcp 22 0.0.0.0/0 (r1)" in problems[2].message_en
    assert drift.findings(item, [], [], ROOT) == []


def _event(kind: str, op: str, urn: str, old: dict | None = None, new: dict | None = None):
    from pulumi import automation as auto

    return auto.EngineEvent.from_json({"sequence": 0, "timestamp": 0, kind: {"metadata": {
        "op": op, "urn": urn, "type": urn.split("::")[-2] if "::" in urn else "t", "provider": "",
        **({"old": old} if old else {}), **({"new": new} if new else {})}}})


def test_an_up_replaces_what_a_failed_up_left_half_made_unless_protected() -> None:
    from provisioner.stacks.engine import _half_made, _Run

    def refreshed(name: str, **old: object):
        return _event("resourcePreEvent", "refresh", f"urn:a::{name}", old={"custom": True, **old})

    run = _Run([refreshed("volume-in-error", initErrors=["volume is in error status"]),
                refreshed("protected", protect=True, initErrors=["x"]),
                refreshed("fine"),
                refreshed("component", custom=False, initErrors=["x"]),
                # made by this very up and failing now: replacing it again would not help
                _event("resOutputsEvent", "create", "urn:a::fresh", new={"custom": True, "initErrors": ["x"]})],
               None)
    assert _half_made(run) == ["urn:a::volume-in-error"]


def test_an_up_reads_what_the_stack_holds_from_its_own_events() -> None:
    from provisioner.stacks.engine import _added, _held, _Run, _stack_outputs

    stack = "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"
    run = _Run([_event("resOutputsEvent", "same", "urn:a::net", new={"type": "net", "id": "n1", "custom": True}),
                _event("resOutputsEvent", "delete", "urn:a::gone", old={"type": "x", "id": "g1"}),
                _event("resOutputsEvent", "update", "urn:a::net",
                       new={"type": "net", "id": "n1", "custom": True, "outputs": {"name": "n"}}),
                _event("resOutputsEvent", "same", stack,
                       new={"type": "pulumi:pulumi:Stack", "outputs": {"projectId": "p1"}})], None)
    held = _held(run)
    assert [(r["urn"], r["id"], r["outputs"]) for r in held] == [
        ("urn:a::net", "n1", {"name": "n"}), (stack, "", {"projectId": "p1"})]
    assert _stack_outputs(held) == {"projectId": "p1"}
    # a second up (the replacement) counts again what the first left the same
    assert _added({"create": 3, "same": 5}, {"replace": 1, "same": 7}) == {"create": 3, "replace": 1, "same": 7}


def test_a_service_the_cloud_does_not_run_is_refused_in_each_language() -> None:
    case = "tests/policy/cases/cloud-unsupported.yaml"       # a load balancer, a share, internet bandwidth
    offer = Offer(FULL.flavors, FULL.images, FULL.volume_types, services=frozenset(), extensions=frozenset())
    refused = {p.message: p.message_en for p in missing(_spec(case), case, offer, ROOT)
               if p.code == "cloud-unsupported"}
    assert refused == {
        "负载均衡：本云没有运行负载均衡服务（Octavia），本云无法建设；申请修改前不会创建任何资源":
            "load balancers: this cloud does not run the load-balancer service (Octavia); "
            "this cloud cannot build it: nothing is created until the request changes",
        "文件存储：本云没有运行文件存储服务（Manila），本云无法建设；申请修改前不会创建任何资源":
            "file storage: this cloud does not run the file share service (Manila); "
            "this cloud cannot build it: nothing is created until the request changes",
        "互联网带宽：本云没有运行带宽限速（Neutron QoS 扩展），本云无法建设；申请修改前不会创建任何资源":
            "internet bandwidth: this cloud does not run bandwidth limits (Neutron's QoS extension); "
            "this cloud cannot build it: nothing is created until the request changes"}
