"""policies/ itself: what the office ships loads; every mistake in it is reported at its file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from provisioner.policy import PolicyConfigError
from provisioner.policy.load import MODELS, parse_policies
from provisioner.policy.model import Severity
from provisioner.policy.rules import FILES, PARAMS
from provisioner.policy import Policies
from tests.policy.conftest import ROOT

TEXTS = {name: (ROOT / "policies" / name).read_text(encoding="utf-8") for name in MODELS}


def _problems(name: str, old: str, new: str) -> list[str]:
    assert old in TEXTS[name], old
    texts = {**TEXTS, name: TEXTS[name].replace(old, new, 1)}
    with pytest.raises(PolicyConfigError) as raised:
        parse_policies(texts)
    return [f"{p.location.path}:{p.location.line} {p.code}" for p in raised.value.problems]


def _line(name: str, text: str) -> int:
    return TEXTS[name].split(text, 1)[0].count("\n") + 1


def test_the_shipped_policies_define_every_implemented_rule_in_its_file() -> None:
    policies = Policies(ROOT).rule_set
    assert set(policies.rules) == set(PARAMS)
    assert policies.files == {rule: FILES[rule] for rule in policies.rules}
    assert {r.severity for r in policies.rules.values()} == set(Severity)
    assert all(r.article.startswith("art") for r in policies.rules.values())


def test_a_misspelt_rule_id_is_unknown_and_the_real_one_missing() -> None:
    name = "security-baseline.yaml"
    found = _problems(name, "  sec-admin-port-open:", "  sec-admin-port-opne:")
    assert found == [f"policies/{name}:{_line(name, 'rules:')} policy-rule-missing",
                     f"policies/{name}:{_line(name, '  sec-admin-port-open:')} policy-rule-unknown"]


def test_a_placeholder_the_rule_does_not_provide_is_reported_at_its_line() -> None:
    name = "security-baseline.yaml"
    old = "the ingress rule opens {service} port {port}"
    found = _problems(name, old, "the ingress rule opens {service} port {prot}")
    assert found == [f"policies/{name}:{_line(name, old)} policy-rule-placeholder"]


def test_a_review_threshold_at_or_above_its_cap_is_invalid() -> None:
    name = "on-demand.yaml"
    found = _problems(name, "    vcpus: 96\n", "    vcpus: 256\n")
    # The check spans caps and review, so it points at the scope holding both.
    assert found == [f"policies/{name}:{_line(name, chr(10) + 'system:') + 1} policy-config-invalid"]


def test_an_unknown_severity_is_invalid_at_its_line() -> None:
    name = "naming.yaml"
    old = "    severity: mandatory\n    title:\n      zh: 单位代码"
    found = _problems(name, old, old.replace("mandatory", "blocker"))
    assert found == [f"policies/{name}:{_line(name, old)} policy-config-invalid"]


def test_yaml_traps_are_reported_as_in_request_specs() -> None:
    name = "catalogue.yaml"
    found = _problems(name, "  nfs1: {title: 普通云硬盘}\n", "  nfs1: {title: 普通云硬盘}\n  nfs1: {title: again}\n")
    assert found == [f"policies/{name}:{_line(name, '  nfs1:') + 1} yaml-duplicate-key"]


def test_a_rule_in_another_file_is_misplaced() -> None:
    rule = TEXTS["naming.yaml"].split("  naming-server-name-length:", 1)[1]
    texts = {**TEXTS, "catalogue.yaml": TEXTS["catalogue.yaml"] + "  naming-server-name-length:" + rule}
    with pytest.raises(PolicyConfigError) as raised:
        parse_policies(texts)
    assert [p.code for p in raised.value.problems] == ["policy-rule-misplaced"]
    assert raised.value.problems[0].location.path == "policies/catalogue.yaml"


def test_a_missing_policy_file_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "policies" / "naming.yaml").unlink()
    with pytest.raises(PolicyConfigError) as raised:
        Policies(tmp_path).rule_set
    assert [(p.location.path, p.code) for p in raised.value.problems] == [
        ("policies/naming.yaml", "policy-file-missing")]
    assert str(raised.value).startswith("policies/ is invalid")


def test_a_rotation_expiry_beyond_the_age_limit_is_invalid_at_the_credentials_section() -> None:
    name = "inspection.yaml"
    found = _problems(name, "  expires_days: 90\n", "  expires_days: 120\n")
    # A credential issued by rotation would be a finding from its first day.
    assert found == [f"policies/{name}:{_line(name, chr(10) + 'credentials:') + 1} policy-config-invalid"]


def test_an_overlap_as_long_as_the_expiry_is_invalid() -> None:
    name = "inspection.yaml"
    found = _problems(name, "  overlap_days: 7\n", "  overlap_days: 90\n")
    assert found == [f"policies/{name}:{_line(name, chr(10) + 'credentials:') + 1} policy-config-invalid"]
