"""The program's gate (provisioner.policy.enforce), without the engine: what it lets through, what it stops."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from provisioner.errors import UserError
from provisioner.policy import Policies, PolicyConfigError, PolicyViolation, Severity, enforce
from provisioner.spec import load_spec
from tests.policy.conftest import CASES, ROOT, SAMPLES, TODAY


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_every_sample_passes_the_gate(sample: Path) -> None:
    result = enforce(load_spec(sample, ROOT), sample, Policies(ROOT), TODAY)
    assert result.ok and not result.counts.get(Severity.MANDATORY)


def test_a_mandatory_finding_raises_with_every_one_located_in_both_languages() -> None:
    case = CASES / "internet-exposure.yaml"
    with pytest.raises(PolicyViolation) as raised:
        enforce(load_spec(case, ROOT), case, Policies(ROOT), TODAY)
    assert isinstance(raised.value, UserError)
    assert [(f.rule, f.location.line) for f in raised.value.findings] == [
        ("sec-admin-port-open", 61), ("sec-admin-port-open", 65), ("sec-internet-https-only", 69)]
    text = str(raised.value).splitlines()
    assert text[0].startswith("the request breaks mandatory rules of policies/")
    assert len(text) == 1 + 2 * 3 and text[1].endswith("[art20]") and "【强制】" in text[1] and "[mandatory]" in text[2]


def test_expert_review_and_advisories_do_not_stop_an_approved_request() -> None:
    case = CASES / "expert-review.yaml"
    result = enforce(load_spec(case, ROOT), case, Policies(ROOT), TODAY)
    assert result.needs_expert_review and result.ok


def test_broken_policies_stop_the_gate_too(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    shutil.copytree(ROOT / "request_specs" / "jj-xzspj", tmp_path / "request_specs" / "jj-xzspj")
    (tmp_path / "policies" / "catalogue.yaml").write_text("flavors: [\n", encoding="utf-8")
    spec_path = tmp_path / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"
    with pytest.raises(PolicyConfigError) as raised:
        enforce(load_spec(spec_path, tmp_path), spec_path, Policies(tmp_path), TODAY)
    assert raised.value.problems[0].location.path == "policies/catalogue.yaml"


def test_a_violation_is_said_in_the_language_asked_for_and_in_both_without_one() -> None:
    case = CASES / "internet-exposure.yaml"
    with pytest.raises(PolicyViolation) as raised:
        enforce(load_spec(case, ROOT), case, Policies(ROOT), TODAY)
    english, chinese = raised.value.render("en"), raised.value.render("zh")
    assert english.startswith("the request breaks mandatory rules of policies/:") and "[mandatory]" in english
    assert not re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", english)
    assert chinese.startswith("申请违反政务云强制性政策") and "the request" not in chinese
    assert "【强制】" in str(raised.value) and "[mandatory]" in str(raised.value)     # a hand-run pulumi up: both
