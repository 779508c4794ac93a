"""art22: a request is accepted only under a filed service agreement in force that covers what it asks for."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from provisioner.policy import PolicyConfigError, PolicySet
from provisioner.policy.load import MODELS, parse_policies
from provisioner.policy.model import Agreement, Agreements, expiring_agreements
from tests.policy.conftest import DEEDS, PORTAL, ROOT, data_of, findings_of, rules_hit, spec_of
from tests.policy.test_load import TEXTS, _line, _problems

RULES = {"agreement-missing", "agreement-lapsed", "agreement-services", "agreement-expiring"}


def _with(policies: PolicySet, department: str, *agreements: Agreement) -> PolicySet:
    units = {**policies.agreements.units, department: list(agreements)}
    return replace(policies, agreements=policies.agreements.model_copy(update={"units": units}))


def _agreement(starts: str = "2026-01-01", ends: str = "2028-12-31", filed: str = "2026-01-05",
               services: tuple[str, ...] = ("hosts", "databases", "storage", "network", "security"),
               number: str = "JJXZSPJ-FW-2026-02") -> Agreement:
    return Agreement(id=number, content="政务云服务", starts=date.fromisoformat(starts), ends=date.fromisoformat(ends),
                     rights_and_duties="双方权利义务", liability="违约责任", filed_on=date.fromisoformat(filed),
                     services=list(services), document="dms://jj-xzspj/agreements/x.pdf")


def _hits(policies: PolicySet, today: date, path=PORTAL) -> set[str]:
    return set(rules_hit(spec_of(data_of(path)), policies, today=today)) & RULES


# (what is filed for jj-xzspj, the day, the agreement rules that fire on the portal request)
CASES = [
    ((), date(2026, 11, 27), {"agreement-missing"}),
    ((_agreement(),), date(2026, 11, 27), set()),
    ((_agreement(),), date(2028, 12, 31), {"agreement-expiring"}),             # its last day still counts
    ((_agreement(),), date(2029, 1, 1), {"agreement-lapsed"}),                 # the day after it ended
    ((_agreement(),), date(2025, 12, 31), {"agreement-lapsed"}),               # not begun
    ((_agreement(filed="2026-12-01"),), date(2026, 11, 27), {"agreement-lapsed"}),   # signed, not yet filed
    ((_agreement(ends="2026-12-27"),), date(2026, 11, 27), {"agreement-expiring"}),  # 30 days left: told
    ((_agreement(ends="2026-12-28"),), date(2026, 11, 27), set()),                   # 31 days left: not yet
    # the old agreement ended, its renewal is in force: nothing to say
    ((_agreement(ends="2026-06-30", number="JJXZSPJ-FW-2025-01"), _agreement(starts="2026-07-01")),
     date(2026, 11, 27), set()),
    # renewed before the old one ends: the later end counts, nothing is expiring
    ((_agreement(ends="2026-12-10", number="JJXZSPJ-FW-2025-01"), _agreement(starts="2026-12-11")),
     date(2026, 11, 27), set()),
    ((_agreement(services=("databases",)),), date(2026, 11, 27), {"agreement-services"}),
]


@pytest.mark.parametrize(("filed", "today", "expected"), CASES)
def test_what_is_filed_decides_which_rule_fires(policies: PolicySet, filed, today: date, expected: set[str]) -> None:
    assert _hits(_with(policies, "jj-xzspj", *filed), today) == expected


def test_the_shipped_agreements_cover_every_sample_today(policies: PolicySet) -> None:
    for path in sorted((ROOT / "request_specs").glob("*/*.yaml")):
        assert not _hits(policies, date(2026, 12, 5), path), path


def test_uncovered_services_are_named_at_the_first_field_asking_for_them(policies: PolicySet) -> None:
    """The land registry asks for databases, storage and security; an agreement for hosts only covers none."""
    limited = _with(policies, "xs-bdcdjzx", _agreement(services=("hosts",), number="XSBDCDJZX-FW-2026-09"))
    found = [f for f in findings_of(DEEDS, limited, today=date(2026, 11, 27)) if f.rule == "agreement-services"]
    assert len(found) == 1 and found[0].blocking and found[0].article == "art22"
    text = DEEDS.read_text(encoding="utf-8")
    assert found[0].location.line == text.split("  databases:", 1)[0].count("\n") + 1
    assert "云数据库、云存储、云安全服务" in found[0].message_zh
    assert "cloud databases, cloud storage, cloud security services" in found[0].message_en
    assert "XSBDCDJZX-FW-2026-09" in found[0].message_en


def test_a_lapsed_agreement_blocks_and_says_its_term(policies: PolicySet) -> None:
    found = [f for f in findings_of(PORTAL, policies, today=date(2029, 1, 1)) if f.rule.startswith("agreement-")]
    assert [f.rule for f in found] == ["agreement-lapsed"] and found[0].blocking
    assert "JJXZSPJ-FW-2026-01 (2026-01-01 to 2028-12-31, filed 2026-01-12)" in found[0].message_en


def test_expiring_agreements_lists_those_ending_within_the_warning_soonest_first() -> None:
    soon, later, ended = (_agreement(ends="2026-12-10", number="A-1"), _agreement(ends="2026-12-20", number="B-1"),
                          _agreement(ends="2026-11-01", number="C-1"))
    found = expiring_agreements({"jj-b": [later], "jj-a": [soon, ended]}, date(2026, 12, 1), 30)
    assert [(code, a.id, days) for code, a, days in found] == [("jj-a", "A-1", 9), ("jj-b", "B-1", 19)]


NAME = "agreements.yaml"


def test_every_mistake_in_the_agreements_file_is_reported_at_its_line() -> None:
    assert NAME in MODELS
    # an end before the start: the agreement that has it (the first of jj-jyksy's) is named
    first = _line(NAME, "  jj-jyksy:") + 1
    assert _problems(NAME, "    ends: 2028-12-31\n", "    ends: 2025-12-31\n") == [
        f"policies/{NAME}:{first} policy-config-invalid"]
    line = _line(NAME, "  jj-jyksy:")
    assert _problems(NAME, "  jj-jyksy:", "  JJ-JYKSY:") == [f"policies/{NAME}:{line} policy-config-invalid"]


def test_a_wrong_service_kind_is_reported_on_its_own_line() -> None:
    bad = TEXTS[NAME].replace("services: [hosts, databases, storage, network, security]", "services: [hosts, gpu]", 1)
    line = bad.split("services: [hosts, gpu]", 1)[0].count("\n") + 1
    with pytest.raises(PolicyConfigError) as raised:
        parse_policies({**TEXTS, NAME: bad})
    assert [(p.location.line, p.code) for p in raised.value.problems] == [(line, "policy-config-invalid")]


def test_the_agreements_model_refuses_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="before starts"):
        _agreement(starts="2027-01-01", ends="2026-01-01")
    assert Agreements.model_fields["warn_days"].is_required()
