"""`govcloud bill` and `govcloud exporter --once` end to end, through the CLI's one error boundary."""

from __future__ import annotations

import csv
import io

import shutil
import subprocess
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from provisioner import cli
from provisioner.audit import log as audit_log
from provisioner.ledger import Ledger
from tests.billing import synthetic
from tests.billing.conftest import ROOT

AFTER_THE_YEAR = datetime(2027, 1, 5, tzinfo=timezone.utc)


@pytest.fixture()
def filled(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> Ledger:
    synthetic.fill(ledger, 40, 2026, AFTER_THE_YEAR)
    synthetic.fill_utilisation(ledger, 2026, AFTER_THE_YEAR)
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", str(ledger.engine.url))
    monkeypatch.setenv("GOVCLOUD_ACTOR", "office:finance")
    monkeypatch.delenv("GOVCLOUD_PROMETHEUS_URL", raising=False)
    return ledger


def repo_copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "Pulumi.yaml", root)
    (root / "request_specs").mkdir()
    shutil.copytree(ROOT / "policies", root / "policies")
    return root


def test_bill_writes_the_report_and_csv_and_prints_the_totals(filled: Ledger, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    assert cli.main(["bill", "--year", "2026", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("2026 年度尚未结束：用量计至") or printed[0].startswith("未与 Prometheus 核对")
    total = next(line for line in printed if line.startswith("合计："))
    departments = (out / "settlement-2026-departments.csv").read_text(encoding="utf-8")
    paid = sum(Decimal(row[-1].replace(",", "")) for row in csv.reader(io.StringIO(departments[1:]))
               if row[-1] != "结算金额（元）")
    assert total == f"合计：{paid:,} 元"
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "settlement-2026-departments.csv",
                                                     "settlement-2026-lines.csv", "settlement-2026-systems.csv"]
    with filled.transaction() as conn:
        record = audit_log.read(conn)[-1]
    assert (record.action, record.actor, record.detail["status"]) == ("command.bill", "office:finance", 0)


def test_bill_in_english(filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["bill", "--year", "2026", "--lang", "en", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "not checked against Prometheus" in printed and "city: " in printed and "total: " in printed
    assert '<html lang="en">' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_a_missing_price_and_missing_evaluation_stop_the_bill_with_the_list(
        filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo_copy(tmp_path)
    prices = yaml.safe_load((root / "policies/prices/2026.yaml").read_text(encoding="utf-8"))
    prices["items"] = [i for i in prices["items"] if i["id"] != "block-storage"]
    for item in prices["items"]:
        for rate in item["rates"]:
            rate["price"] = str(rate["price"])
    (root / "policies/prices/2026.yaml").write_text(yaml.safe_dump(prices, allow_unicode=True), encoding="utf-8")
    evaluation = root / "policies/evaluation/2026.yaml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8").replace("  lushan:", "  # lushan:"), encoding="utf-8")
    monkeypatch.chdir(root)
    out = tmp_path / "out"
    assert cli.main(["bill", "--year", "2026", "--out", str(out)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert "缺少服务商考核录入：lushan（policies/evaluation/2026.yaml: regions.lushan，第二十九条）" in errors
    assert any(line.startswith("缺少采购单价：volumev3/capacity@xiushui，2026-") for line in errors)
    assert errors[-1].startswith("结算中止：") and "未出具任何金额" in errors[-1]
    assert not out.exists()


def test_a_broken_price_file_is_a_located_user_error(filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = repo_copy(tmp_path)
    path = root / "policies/prices/2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('price: "0.60"', "price: 0.60"), encoding="utf-8")
    monkeypatch.chdir(root)
    assert cli.main(["bill", "--year", "2026"]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(x for x in path.read_text(encoding="utf-8").splitlines() if "price: 0.60" in x)) + 1
    assert error.startswith(f"policies/prices/2026.yaml:{line}:1: policy-field items.2.rates.0.price：")


def test_exporter_once_prints_a_lint_clean_exposition(filled: Ledger, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["exporter", "--once", "--utilisation", "none"]) == 0
    text = capsys.readouterr().out
    assert "govcloud_system_allocated_seconds_total{" in text and 'govcloud_metering_source_up{source="ledger"} 1.0' in text
    lint = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
    assert lint.returncode == 0 and lint.stdout + lint.stderr == b""


def test_exporter_refuses_an_unknown_utilisation_source(filled: Ledger, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["exporter", "--once", "--utilisation", "ceilometer"]) == 1
    assert capsys.readouterr().err.strip() == \
        "govcloud: --utilisation ceilometer: choose openstack, none or static:FILE"
