"""The inspection's findings from gathered facts: one change to a clean world per row, and exactly
the cloud findings it must raise (pure: no cloud)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from provisioner.inspection.facts import AppCredential, FloatingIp, Image, SecurityGroup
from provisioner.policy import PolicySet, Severity
from tests.inspection.world import IMAGE, LABELS, NOW, PROJECT, World, rule


def _add_rule(*args, **kwargs) -> Callable[[World], None]:
    return lambda w: w.rules.append(rule(*args, **kwargs))


def _hand_made_group(port: int) -> Callable[[World], None]:
    def change(w: World) -> None:
        w.groups.append(SecurityGroup("sg-hand", "maintenance", PROJECT, {}, (rule("ssh", "tcp", 22, "0.0.0.0/0"),)))
        w.replace_port(port, security_group_ids=(*w.ports[port].security_group_ids, "sg-hand"))
    return change


def _set(attribute: str, value: object) -> Callable[[World], None]:
    return lambda w: setattr(w, attribute, value)


def _account(**changes: object) -> Callable[[World], None]:
    return lambda w: setattr(w, "account", replace(w.account, **changes))


def _backup(**changes: object) -> Callable[[World], None]:
    return lambda w: w.backups.__setitem__(0, replace(w.backups[0], **changes))


def _spec_backup(backup: dict | None) -> Callable[[World], None]:
    def change(w: World) -> None:
        if backup is None:
            del w.spec["resources"]["security"]["backup"]
        else:
            w.spec["resources"]["security"]["backup"] = backup
    return change


def _remove_https(w: World) -> None:
    w.rules = [r for r in w.rules if r.id != "https"]


# (the rule a row is about, what changes, exactly the cloud findings' rules that follow)
CASES: list[tuple[str, str, Callable[[World], None], set[str]]] = [
    ("inspect-admin-port-exposed", "ssh-from-anywhere", _add_rule("ssh", "tcp", 22, "0.0.0.0/0"),
     {"inspect-admin-port-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-admin-port-exposed", "every-port-from-a-public-range", _add_rule("all", "tcp", 1, "1.2.3.0/24", high=65535),
     {"inspect-admin-port-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-admin-port-exposed", "rdp-from-any-ipv6", _add_rule("rdp", "tcp", 3389, None, ethertype="IPv6"),
     {"inspect-admin-port-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-admin-port-exposed", "port-security-off", lambda w: w.replace_port(0, port_security=False),
     {"inspect-admin-port-exposed"}),
    ("inspect-admin-port-exposed", "hand-made-group-on-the-public-port", _hand_made_group(0),
     {"inspect-admin-port-exposed"}),
    ("inspect-admin-port-exposed", "hand-made-group-on-a-private-port", _hand_made_group(1), set()),
    ("inspect-admin-port-exposed", "ssh-from-the-extranet", _add_rule("ssh", "tcp", 22, "10.0.0.0/8"),
     {"inspect-secgroup-unapproved"}),
    ("inspect-internet-port-exposed", "8080-from-anywhere", _add_rule("alt", "tcp", 8080, "0.0.0.0/0"),
     {"inspect-internet-port-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-internet-port-exposed", "icmp-from-anywhere", _add_rule("ping", "icmp", None, "0.0.0.0/0"),
     {"inspect-internet-port-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-http-exposed", "http-from-anywhere", _add_rule("http", "tcp", 80, "0.0.0.0/0"),
     {"inspect-http-exposed", "inspect-secgroup-unapproved"}),
    ("inspect-secgroup-unapproved", "group-the-request-does-not-know",
     lambda w: w.groups.append(SecurityGroup("sg-x", "zwfw-portal-extra", PROJECT, LABELS,
                                             (rule("x", "tcp", 443, "10.0.0.0/8"),))),
     {"inspect-secgroup-unapproved"}),
    ("inspect-secgroup-unapproved", "a-hand-made-elastic-ip-on-https", lambda w: w.ips.append(
        FloatingIp("fip2", "203.0.113.8", "port2", {})), set()),
    ("inspect-secgroup-missing", "https-rule-deleted", _remove_https, {"inspect-secgroup-missing"}),
    ("inspect-secgroup-missing", "group-deleted", _set("own_group", False), {"inspect-secgroup-missing"}),
    ("inspect-backup-none", "one-volume-never-backed-up", lambda w: w.backups.pop(0), {"inspect-backup-none"}),
    ("inspect-backup-none", "backup-failed", _backup(status="error"), {"inspect-backup-none"}),
    ("inspect-backup-none", "backup-smaller-than-the-volume", _backup(size_gb=50), {"inspect-backup-none"}),
    ("inspect-backup-stale", "three-days-old-daily", _backup(created_at=NOW - timedelta(days=3)),
     {"inspect-backup-stale"}),
    ("inspect-backup-stale", "five-days-old-weekly", lambda w: (
        _spec_backup({"schedule": "weekly", "retention_days": 30})(w), _backup(created_at=NOW - timedelta(days=5))(w)),
     set()),
    ("inspect-backup-none", "no-backup-asked-for", lambda w: (_spec_backup(None)(w), w.backups.clear()), set()),
    ("inspect-image-uncatalogued", "image-outside-the-catalogue",
     lambda w: w.images.__setitem__(IMAGE, Image(IMAGE, "ubuntu-22.04", NOW - timedelta(days=3))),
     {"inspect-image-uncatalogued"}),
    ("inspect-image-uncatalogued", "image-deleted-from-glance", lambda w: w.images.clear(),
     {"inspect-image-uncatalogued"}),
    ("inspect-image-old", "image-400-days-old",
     lambda w: w.images.__setitem__(IMAGE, Image(IMAGE, "kylin-v10-tiny", NOW - timedelta(days=400))),
     {"inspect-image-old"}),
    ("inspect-password-rotation", "password-never-expires", _account(password_expires_at=None),
     {"inspect-password-rotation"}),
    ("inspect-password-rotation", "password-expires-in-200-days",
     _account(password_expires_at=NOW + timedelta(days=200)), {"inspect-password-rotation"}),
    ("inspect-password-rotation", "password-expired", _account(password_expires_at=NOW - timedelta(days=1)), set()),
    ("inspect-app-credential-rotation", "credential-never-expires",
     _account(app_credentials=(AppCredential("ac1", "ci", None),)), {"inspect-app-credential-rotation"}),
    ("inspect-app-credential-rotation", "credential-expires-in-30-days",
     _account(app_credentials=(AppCredential("ac1", "ci", NOW + timedelta(days=30)),)), set()),
    # The stacks account's credentials (govcloud issues them; the name says when, provisioner/rotation.py).
    ("inspect-app-credential-rotation", "stacks-credential-never-expires",
     _account(stacks_user="jj-xzspj.stacks", stacks_credentials=(AppCredential("ac2", "govcloud-stacks", None),)),
     {"inspect-app-credential-rotation"}),
    ("inspect-app-credential-rotation", "stacks-credential-issued-91-days-ago",
     _account(stacks_user="jj-xzspj.stacks", stacks_credentials=(AppCredential(
         "ac2", "govcloud-stacks-" + (NOW - timedelta(days=91)).strftime("%Y%m%dT%H%M%SZ"),
         NOW + timedelta(days=5)),)), {"inspect-app-credential-rotation"}),
    ("inspect-app-credential-rotation", "stacks-credential-issued-89-days-ago",
     _account(stacks_user="jj-xzspj.stacks", stacks_credentials=(AppCredential(
         "ac2", "govcloud-stacks-" + (NOW - timedelta(days=89)).strftime("%Y%m%dT%H%M%SZ"),
         NOW + timedelta(days=1)),)), set()),
    ("inspect-system-unrequested", "no-request", _set("spec", None), {"inspect-system-unrequested"}),
]


def _cloud_rules(world: World, policies: PolicySet) -> set[str]:
    return {f.rule for f in world.report(policies).findings() if f.origin == "cloud"}


def test_the_clean_world_has_no_cloud_finding(policies: PolicySet) -> None:
    report = World().report(policies)
    assert [f.rule for f in report.findings() if f.origin == "cloud"] == []
    assert [s.key.system for s in report.systems] == ["zwfw-portal"]
    assert [(e.address, e.ports, e.verdict) for e in report.systems[0].exposures] == [("203.0.113.7", "443", "allowed")]


@pytest.mark.parametrize(("rule", "change", "fired"), [c[:1] + c[2:] for c in CASES], ids=[c[1] for c in CASES])
def test_one_change_raises_exactly_its_findings(policies: PolicySet, rule: str, change, fired: set[str]) -> None:
    world = World()
    change(world)
    assert _cloud_rules(world, policies) == fired


def test_every_inspection_rule_has_a_case_that_fires_it(policies: PolicySet) -> None:
    from provisioner.policy.rules.inspection import PARAMS
    assert {r for *_, fired in CASES for r in fired} == set(PARAMS)
    assert {c[0] for c in CASES} == set(PARAMS)


def test_an_exposed_ssh_port_reads_in_the_office_words_at_the_request_line(policies: PolicySet) -> None:
    world = World()
    world.rules.append(rule("ssh", "tcp", 22, "0.0.0.0/0"))
    report = world.report(policies)
    exposed = next(f for f in report.findings() if f.rule == "inspect-admin-port-exposed")
    assert (exposed.severity, exposed.article, exposed.origin) == (Severity.MANDATORY, "art20", "cloud")
    assert exposed.message_zh == ("弹性公网 IP 203.0.113.7（zwfw-portal-web-1）经安全组 zwfw-portal-sg 对互联网来源 "
                                  "0.0.0.0/0 开放了 SSH 端口 22")
    assert exposed.message_en == ("the elastic IP 203.0.113.7 (zwfw-portal-web-1) opens SSH port 22 to the internet "
                                  "source 0.0.0.0/0 through security group zwfw-portal-sg")
    assert (exposed.resource_kind, exposed.resource) == ("floating_ip", "203.0.113.7 → zwfw-portal-web-1")
    text = world.requests()[0].text.splitlines()
    path, line, _ = exposed.where.rsplit(":", 2)
    assert path == "request_specs/jj-xzspj/zwfw-portal.yaml" and text[int(line) - 1].strip() == "ingress:"
    unapproved = next(f for f in report.findings() if f.rule == "inspect-secgroup-unapproved")
    assert unapproved.message_en == ("the rule ingress IPv4 tcp 22 0.0.0.0/0 of security group zwfw-portal-sg is not "
                                     "one the request asks for; it was added outside an approved change")
    assert (unapproved.resource_kind, unapproved.resource) == ("security_group", "zwfw-portal-sg / ssh")


def test_a_stale_backup_says_when_and_how_late(policies: PolicySet) -> None:
    world = World()
    world.backups[0] = replace(world.backups[0], created_at=NOW - timedelta(days=3, hours=2))
    stale = next(f for f in world.report(policies).findings() if f.rule == "inspect-backup-stale")
    assert stale.message_en == ("the newest verified backup of the volume zwfw-portal-web-1-data1 was made "
                                "2026-12-02 10:00, 3 days ago, more than the 2 days allowed")
    assert (stale.resource_kind, stale.resource) == ("volume", "zwfw-portal-web-1-data1 (vol1)")


def test_the_newest_verified_backup_is_shown_per_volume(policies: PolicySet) -> None:
    world = World()
    older = replace(world.backups[0], id="bk-old", created_at=NOW - timedelta(days=9))
    failed = replace(world.backups[0], id="bk-new", status="error", created_at=NOW - timedelta(hours=1))
    world.backups += [older, failed]
    rows = {v.name: v for v in world.report(policies).systems[0].volumes}
    first = rows["zwfw-portal-web-1-data1"]
    assert (first.backups, first.last_verified_id, first.last_verified) == (3, "bk1", NOW - timedelta(hours=20))


def test_the_request_findings_come_with_the_cloud_ones(policies: PolicySet) -> None:
    world = World()
    world.spec["resources"]["security"]["mlps_level"] = 3
    found = {f.rule: f for f in world.report(policies).findings() if f.origin == "request"}
    assert "sec-mlps3-audit-services" in found and found["sec-mlps3-audit-services"].article == "art26"
    assert found["sec-mlps3-audit-services"].where.startswith("request_specs/jj-xzspj/zwfw-portal.yaml:")


def test_one_department_leaves_the_others_out(policies: PolicySet) -> None:
    world = World()
    other = {**LABELS, "department": "jj-rsj", "system": "shebao-jb"}
    world.volumes.append(replace(world.volumes[0], id="vol-o", name="shebao-jb-x", labels=other))
    assert {str(s.key) for s in world.report(policies).systems} == {"city.jj-xzspj.zwfw-portal", "city.jj-rsj.shebao-jb"}
    only = world.report(policies, department="jj-xzspj")
    assert [str(s.key) for s in only.systems] == ["city.jj-xzspj.zwfw-portal"]
    assert [d.department for d in only.departments] == ["jj-xzspj"]


def test_failing_counts_findings_at_or_above_the_threshold(policies: PolicySet) -> None:
    world = World()     # HTTP asked for and open: advisory in the cloud and in the request, no drift
    world.rules.append(rule("http", "tcp", 80, "0.0.0.0/0"))
    world.spec["resources"]["security"]["ingress"].append({"protocol": "tcp", "port": 80, "source": "0.0.0.0/0"})
    report = world.report(policies)
    assert {f.rule for f in report.findings()} == {"inspect-http-exposed", "sec-internet-http-redirect"}
    assert report.failing(Severity.MANDATORY) == 0 and report.failing(Severity.ADVISORY) == 2
