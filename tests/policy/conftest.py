"""Shared helpers for the policy tests: the repository's policies, samples as data, evaluation."""

from __future__ import annotations

import copy
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import yaml

from provisioner.policy import PolicySet, department_requests
from provisioner.policy.review import review
from provisioner.policy.findings import PolicyFinding
from provisioner.policy.rules import Context, Department, evaluate
from provisioner.spec import batch, check_file, parse_spec
from provisioner.spec.model import RequestSpec
from provisioner.policy import Policies

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
SAMPLES = sorted((ROOT / "request_specs").glob("*/*.yaml"))
TODAY = date(2026, 11, 27)          # every test evaluates as of one day: end-of-life dates are fixed
PORTAL = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"      # city, MLPS level 2
DEEDS = ROOT / "request_specs" / "xs-bdcdjzx" / "bdc-dj.yaml"          # xiushui, MLPS level 3


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return Policies(ROOT).rule_set


def data_of(path: Path) -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(path.read_text(encoding="utf-8")))


def text_of(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def spec_of(data: dict[str, Any]) -> RequestSpec:
    return parse_spec(text_of(data), "case.yaml")


def rules_hit(spec: RequestSpec, policies: PolicySet, department: Department | None = None,
              today: date = TODAY) -> list[str]:
    return [hit.rule for hit in evaluate(spec, Context(policies, today, department))]


def findings_of(path: Path, policies: PolicySet, root: Path = ROOT, today: date = TODAY) -> list[PolicyFinding]:
    """One file's located findings of every severity, with its department's requests under root."""
    report = batch.Report([check_file(path, root)])
    return review(report, policies, partial(department_requests, root), today).files[0].findings
