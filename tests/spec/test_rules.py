"""Completeness per application kind (art14), the approval chain (art14), lifecycle rules."""

from __future__ import annotations

import re

import pytest

from provisioner.spec import check_text, missing_materials, parse_spec
from provisioner.spec.materials import Materials
from provisioner.spec.rules.completeness import REQUIRED


def _drop(text: str, key: str) -> str:
    """The text without the block of `key` (at two spaces of indentation)."""
    return re.sub(rf"  {key}:\n(    .*\n)+", "", text)


def _found(text: str) -> list[tuple[str, str]]:
    return [(p.code, p.article) for p in check_text(text, "x.yaml").problems]


def test_required_materials_follow_art14() -> None:
    assert REQUIRED["new"] == ("project_approval", "technical_plan", "contract",
                               "performance_self_test", "security_self_test")
    assert REQUIRED["migration"] == ("project_approval", "migration_plan",
                                     "performance_self_test", "security_self_test")
    assert missing_materials("migration", Materials()) == list(REQUIRED["migration"])


@pytest.mark.parametrize("material", REQUIRED["new"])
def test_each_material_of_a_new_system_is_required(new_text: str, material: str) -> None:
    problems = check_text(_drop(new_text, material), "x.yaml").problems
    assert [(p.code, p.article) for p in problems] == [("materials-missing", "art14")]
    assert f"materials.{material}" in problems[0].message and f"materials.{material}" in problems[0].message_en


@pytest.mark.parametrize("material", REQUIRED["migration"])
def test_each_material_of_a_migration_is_required(migration_text: str, material: str) -> None:
    assert _found(_drop(migration_text, material)) == [("materials-missing", "art14")]


def test_a_migration_needs_no_contract_but_a_new_system_no_migration_plan(migration_text: str, new_text: str) -> None:
    assert "contract" not in migration_text and _found(migration_text) == []
    plan = re.search(r"  migration_plan:\n(    .*\n)+", migration_text).group(0)
    assert _found(new_text.replace("resources:\n", "", 1).replace(
        "materials:", "materials:\n" + plan.rstrip("\n"), 1) + "resources:\n") != []
    with_plan = new_text.replace("  contract:\n", plan + "  contract:\n")
    assert _found(with_plan) == [("materials-not-for-kind", "art14")]


def test_a_migration_keeps_its_legacy_system(migration_text: str) -> None:
    without = re.sub(r"migration:\n(  .*\n)+", "", migration_text)
    assert _found(without) == [("migration-missing", "art23")]


def test_level_two_needs_its_parents_approval(migration_text: str) -> None:
    without = re.sub(r"approvals:\n(  .*\n)+", "", migration_text)
    [problem] = check_text(without, "x.yaml").problems
    assert (problem.code, problem.location.line) == ("approval-parent-missing", 14)  # budget_level: 2
    assert "xs-zrzyj" in problem.message


def test_level_two_needs_a_parent_unit(migration_text: str) -> None:
    text = migration_text.replace("  parent_unit: xs-zrzyj\n", "")
    assert _found(text) == [("approval-parent-unit-missing", "art14")]


def test_the_approval_must_come_from_the_parent(migration_text: str) -> None:
    assert _found(migration_text.replace("    unit: xs-zrzyj", "    unit: xs-bdcdjzx")) == [
        ("approval-parent-mismatch", "art14")]
    text = migration_text.replace("  parent_unit: xs-zrzyj", "  parent_unit: xs-bdcdjzx").replace(
        "    unit: xs-zrzyj", "    unit: xs-bdcdjzx")
    assert _found(text) == [("approval-parent-self", "art14")]


def test_level_one_has_no_parent_approval(new_text: str, migration_text: str) -> None:
    approval = re.search(r"approvals:\n(  .*\n)+", migration_text).group(0)
    assert _found(new_text.replace("application:\n", approval + "application:\n")) == [
        ("approval-parent-unexpected", "art14")]


def test_a_pass_needs_all_four_tests_and_a_fail_does_not(new_text: str) -> None:
    record = "acceptance:\n  provider:\n    by: 何军\n    date: 2026-05-07\n    result: {result}\n    tests: [function]\n"
    assert _found(new_text + record.format(result="passed")) == [("acceptance-tests-incomplete", "art16")]
    assert _found(new_text + record.format(result="failed")) == []


def test_major_change_of_a_migration_needs_the_new_system_materials(migration_text: str) -> None:
    change = "change:\n  reason: 新增网上申办\n  requested_on: 2026-09-01\n  major: {major}\n"
    assert _found(migration_text + change.format(major="false")) == []
    assert _found(migration_text + change.format(major="true")) == [
        ("change-major-materials", "art18"), ("change-major-materials", "art18")]


def test_trial_is_fifteen_days_by_default(new_text: str) -> None:
    spec = parse_spec(new_text, "x.yaml")
    assert (spec.trial.days, spec.trial.extensions) == (15, [])
    assert _found(new_text + "trial:\n  days: 16\n") == [("spec-range", "art16")]
    extension = "trial:\n  extensions:\n    - days: 5\n      requested_on: 2026-04-01\n      reason: {reason}\n"
    assert _found(new_text + extension.format(reason="联调未完成")) == []
    assert _found(new_text + extension.format(reason="短")) == [("spec-length", "art16")]
