"""Every rule fires on a case that breaks it and stays quiet on the closest case that does not (table-driven)."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from provisioner.policy.locate import locate
from provisioner.policy.rules import COMMON_PARAMS, PARAMS, Context, Department, evaluate
from tests.policy.conftest import DEEDS, PORTAL, data_of, rules_hit, spec_of

Data = dict[str, Any]


def host(d: Data, i: int = 0) -> Data:
    return d["resources"]["hosts"][i]


def security(d: Data) -> Data:
    return d["resources"]["security"]


def database(d: Data) -> Data:
    return d["resources"]["databases"][0]


def ingress(port: int | None, source: str, protocol: str = "tcp") -> Callable[[Data], None]:
    def change(d: Data) -> None:
        rule: Data = {"protocol": protocol, "source": source}
        if port is not None:
            rule["port"] = port
        security(d)["ingress"] = [rule]
    return change


def bucket(name: str, public: bool = False) -> Callable[[Data], None]:
    def change(d: Data) -> None:
        d["resources"]["storage"] = {"buckets": [{"name": name, "quota_gb": 10, "public_read": public}]}
    return change


def hosts(count: int, flavor: str = "gc.c8m16") -> Callable[[Data], None]:
    return lambda d: host(d).update(count=count, flavor=flavor)


def share(protocol: str) -> Callable[[Data], None]:
    return lambda d: d["resources"].setdefault("storage", {}).update(
        shares=[{"name": "docs", "size_gb": 10, "protocol": protocol}])


def balancer(protocol: str, algorithm: str) -> Callable[[Data], None]:
    return lambda d: d["resources"].setdefault("bandwidth", {}).update(load_balancers=[{
        "name": "web", "members": host(d)["name"], "algorithm": algorithm,
        "listeners": [{"protocol": protocol, "port": 8080}]}])


def others(**totals: float) -> Department:
    return Department("jj-xzspj", ("jj-other",), dict(totals))


Change = Callable[[Data], None]
# rule, base, change that breaks it, closest change that does not, department context of each (None: alone)
CASES: list[tuple[str, Path, Change, Change, Department | None, Department | None]] = [
    ("catalogue-flavor", PORTAL, lambda d: host(d).update(flavor="gc.c64m512"),
     lambda d: host(d).update(flavor="gc.c8m16"), None, None),
    ("catalogue-flavor", PORTAL, lambda d: host(d).update(flavor="gc.db.c4m16"),     # a database flavor on a host
     lambda d: host(d).update(flavor="gc.c4m8"), None, None),
    ("catalogue-database-flavor", DEEDS, lambda d: database(d).update(flavor="gc.c8m16"),
     lambda d: database(d).update(flavor="gc.db.c16m64"), None, None),
    ("catalogue-image", PORTAL, lambda d: host(d).update(image="ubuntu-22.04"),
     lambda d: host(d).update(image="cirros-tiny"), None, None),
    ("catalogue-volume-type", PORTAL, lambda d: host(d)["data_disks"][0].update(volume_type="ssd9"),
     lambda d: host(d)["data_disks"][0].update(volume_type="nfs1"), None, None),
    ("catalogue-volume-type", DEEDS, lambda d: d["resources"]["storage"]["volumes"][0].update(volume_type="x"),
     lambda d: d["resources"]["storage"]["volumes"][0].update(volume_type="nfs1"), None, None),
    ("catalogue-database-engine", DEEDS, lambda d: database(d).update(version="V9"),
     lambda d: database(d).update(version="V8R6"), None, None),
    ("catalogue-database-end-of-life", DEEDS, lambda d: database(d).update(engine="mysql", version="8.0"),
     lambda d: database(d).update(engine="mysql", version="8.4"), None, None),
    ("cloud-unsupported", PORTAL, share("cifs"), share("nfs"), None, None),
    ("cloud-unsupported", PORTAL, balancer("http", "source_ip_port"), balancer("tcp", "source_ip_port"), None, None),
    ("cloud-unsupported", PORTAL, balancer("udp", "round_robin"), balancer("udp", "source_ip_port"), None, None),
    ("ondemand-system-cap", PORTAL, hosts(33), hosts(32), None, None),                        # 264 > 256 vCPUs
    ("ondemand-system-review", PORTAL, hosts(13), hosts(12), None, None),                     # 13 > 12 hosts, 104 > 96 vCPUs
    ("ondemand-department-cap", PORTAL, lambda d: None, lambda d: None,
     others(vcpus=381), others(vcpus=380)),                                             # 385 > 384, 384
    ("ondemand-department-cap", PORTAL, bucket("jj-more"), lambda d: None,
     others(object_storage_gb=204800), others(object_storage_gb=204800)),
    # ^ the department is at its object-storage cap: a request adding some is refused, one adding none is not
    ("ondemand-department-review", PORTAL, lambda d: None, lambda d: None,
     others(vcpus=157), others(vcpus=156)),                                             # 161 > 160, 160
    ("ondemand-idle-internet", PORTAL,
     lambda d: (ingress(443, "10.0.0.0/8")(d), d["resources"].update(bandwidth={"public_ips": 1, "internet_mbps": 5})),
     lambda d: d["resources"].update(bandwidth={"public_ips": 1, "internet_mbps": 5}), None, None),
    ("sec-admin-port-open", PORTAL, ingress(22, "0.0.0.0/0"), ingress(22, "10.0.0.0/8"), None, None),
    ("sec-admin-port-open", PORTAL, ingress(5236, "::/0"), ingress(5236, "fd00::/8"), None, None),
    ("sec-admin-port-open", PORTAL, ingress(None, "203.0.113.7/32"), ingress(None, "192.168.0.0/16"), None, None),
    ("sec-admin-port-open", PORTAL, ingress(3389, "0.0.0.0/0", "udp"), ingress(3389, "172.16.0.0/12", "udp"), None, None),
    ("sec-internet-https-only", PORTAL, ingress(8443, "0.0.0.0/0"), ingress(443, "0.0.0.0/0"), None, None),
    ("sec-internet-https-only", PORTAL, ingress(None, "0.0.0.0/0", "icmp"), ingress(None, "10.0.0.0/8", "icmp"), None, None),
    ("sec-internet-https-only", PORTAL, ingress(443, "0.0.0.0/0", "udp"), ingress(443, "10.0.0.0/8", "udp"), None, None),
    ("sec-internet-http-redirect", PORTAL, ingress(80, "0.0.0.0/0"), ingress(80, "10.0.0.0/8"), None, None),
    ("sec-mlps3-anti-affinity", DEEDS, lambda d: host(d).update(anti_affinity=False), lambda d: None, None, None),
    ("sec-mlps3-anti-affinity", DEEDS, lambda d: host(d).update(count=1), lambda d: host(d).update(count=2), None, None),
    ("sec-mlps3-anti-affinity", PORTAL, lambda d: security(d).update(mlps_level=3),
     lambda d: (security(d).update(mlps_level=3), host(d).update(anti_affinity=True)), None, None),
    ("sec-mlps3-audit-services", DEEDS, lambda d: security(d).update(services=["bastion"]),
     lambda d: security(d).update(services=["log_audit", "bastion"]), None, None),
    ("sec-national-crypto", DEEDS, lambda d: security(d).update(encryption={"at_rest": True, "algorithm": "aes-256"}),
     lambda d: security(d).update(encryption={"at_rest": True, "algorithm": "sm4"}), None, None),
    ("sec-backup-missing", PORTAL, lambda d: None, lambda d: security(d).update(backup={}), None, None),
    ("sec-backup-daily", PORTAL, lambda d: security(d).update(backup={"schedule": "weekly"}),
     lambda d: security(d).update(backup={"schedule": "daily"}), None, None),
    ("sec-backup-retention", PORTAL, lambda d: security(d).update(backup={"retention_days": 6}),
     lambda d: security(d).update(backup={"retention_days": 7}), None, None),
    ("sec-backup-retention", DEEDS, lambda d: database(d)["backup"].update(retention_days=6),
     lambda d: database(d)["backup"].update(retention_days=7), None, None),
    ("sec-encryption-at-rest", DEEDS, lambda d: None, lambda d: security(d).update(encryption={"at_rest": True}), None, None),
    ("sec-encryption-at-rest", DEEDS, lambda d: security(d).update(encryption={"in_transit": True}),
     lambda d: security(d).update(mlps_level=2), None, None),                                # level 2: not required
    ("sec-encryption-in-transit", PORTAL, lambda d: security(d).update(encryption={"in_transit": False}),
     lambda d: security(d).update(encryption={"in_transit": True}), None, None),
    ("sec-public-bucket", PORTAL, bucket("jj-portal-static", public=True), bucket("jj-portal-static"), None, None),
    ("agreement-missing", PORTAL, lambda d: d["applicant"].update(department="jj-wsj"),
     lambda d: d["applicant"].update(department="jj-jyksy"), None, None),
    ("naming-department-region", PORTAL, lambda d: d["applicant"].update(department="xs-xzspj"),
     lambda d: d["applicant"].update(department="jj-xzsp"), None, None),
    ("naming-request-id-region", PORTAL, lambda d: d["metadata"].update(request_id="XS-2026-0001"),
     lambda d: d["metadata"].update(request_id="JJ-2026-0002"), None, None),
    ("naming-bucket-region", PORTAL, bucket("portal-static"), bucket("jj-portal-static"), None, None),
    ("naming-bucket-region", PORTAL, bucket("jjportal"), bucket("jj-p1"), None, None),
    # <system>-<host>-<n>: 32 + 1 + 29 + 2 = 64 characters, one over; a host name one shorter fits.
    ("naming-server-name-length", PORTAL, lambda d: (d["metadata"].update(system="s" * 32), host(d).update(name="h" * 29)),
     lambda d: (d["metadata"].update(system="s" * 32), host(d).update(name="h" * 28)), None, None),
]
IDS = [f"{rule}-{n}" for n, (rule, *_) in enumerate(CASES)]


def _apply(base: Path, change: Callable[[Data], None]) -> Data:
    data = data_of(base)
    change(data)
    return data


@pytest.mark.parametrize(("rule", "base", "breaks", "keeps", "near", "within"), CASES, ids=IDS)
def test_the_rule_fires_on_its_case_and_not_on_the_closest_passing_one(
        policies, rule, base, breaks, keeps, near, within) -> None:
    assert rule in rules_hit(spec_of(_apply(base, breaks)), policies, near)
    assert rule not in rules_hit(spec_of(_apply(base, keeps)), policies, within)


def test_every_rule_has_a_case() -> None:
    # art22's rules depend on the agreements filed and the day, not on the spec: their table is its own;
    # so is the security inspection's, whose rules judge the cloud.
    from tests.inspection.test_checks import CASES as INSPECTION_CASES
    from tests.policy.test_agreements import CASES as AGREEMENT_CASES
    assert {rule for rule, *_ in CASES} | {r for *_, fired in AGREEMENT_CASES for r in fired} \
        | {rule for rule, *_ in INSPECTION_CASES} == set(PARAMS)


@pytest.mark.parametrize(("rule", "base", "breaks", "keeps", "near", "within"), CASES, ids=IDS)
def test_each_hit_carries_every_parameter_its_words_use(policies, rule, base, breaks, keeps, near, within) -> None:
    hits = evaluate(spec_of(_apply(base, breaks)), Context(policies, date(2026, 11, 27), near))
    for hit in hits:
        words = policies.rules[hit.rule]
        used = {name for text in (words.message.zh, words.message.en, words.fix.zh, words.fix.en)
                for _, name, _, _ in string.Formatter().parse(text) if name}
        provided = set(hit.finding.params) | COMMON_PARAMS
        assert used <= provided, (hit.rule, used - provided)
        assert set(hit.finding.params) - {"input"} <= PARAMS[hit.rule], hit.rule
    located = locate(hits, policies, None, "case.yaml")
    assert all("{" not in f.message_zh + f.message_en + f.fix_zh + f.fix_en for f in located)


def test_the_samples_break_no_mandatory_rule_and_need_no_expert_review(policies) -> None:
    from tests.policy.conftest import SAMPLES, findings_of

    severities = {f.severity.value for sample in SAMPLES for f in findings_of(sample, policies)}
    assert severities == {"advisory"}


def test_end_of_life_counts_from_the_day_itself(policies) -> None:
    data = data_of(DEEDS)
    database(data).update(engine="mysql", version="8.0")       # end of support 2026-04-30
    spec = spec_of(data)
    assert "catalogue-database-end-of-life" not in rules_hit(spec, policies, today=date(2026, 4, 29))
    assert "catalogue-database-end-of-life" in rules_hit(spec, policies, today=date(2026, 4, 30))


def test_over_the_cap_is_not_also_sent_to_review(policies) -> None:
    # 40 gc.c8m16: 320 vCPUs (cap 256); 40 hosts, 640 GB of memory and 7200 GB of disks (80 GB system
    # disks and 100 GB data disks) are above review, within the caps
    hits = evaluate(spec_of(_apply(PORTAL, hosts(40))), Context(policies, date(2026, 11, 27)))
    system = {(h.rule, h.finding.params["measure"].render("en")) for h in hits if h.rule.startswith("ondemand-system")}
    assert system == {("ondemand-system-cap", "vCPUs"), ("ondemand-system-review", "hosts"),
                      ("ondemand-system-review", "GB of memory"),
                      ("ondemand-system-review", "GB of block and file storage")}


def test_an_administration_port_inside_a_range_is_found_and_not_reported_twice(policies) -> None:
    spec = spec_of(_apply(PORTAL, lambda d: security(d).update(ingress=[
        {"protocol": "tcp", "port": 3000, "port_max": 4000, "source": "0.0.0.0/0"}])))
    assert rules_hit(spec, policies).count("sec-admin-port-open") == 1
    assert "sec-internet-https-only" not in rules_hit(spec, policies)


def test_a_database_standby_counts_twice(policies) -> None:
    from provisioner.policy.measures import usage

    data = data_of(DEEDS)
    single = usage(spec_of(_apply(DEEDS, lambda d: database(d).update(high_availability=False))), policies.catalogue)
    double = usage(spec_of(data), policies.catalogue)
    assert double.totals["database_storage_gb"] == 2 * single.totals["database_storage_gb"] == 2000
    assert double.totals["vcpus"] - single.totals["vcpus"] == 8          # one more gc.db.c8m32
