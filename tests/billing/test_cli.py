"""`govcloud bill` and `govcloud exporter --once` end to end, through the CLI's one error boundary."""

from __future__ import annotations

import csv
import io
import re

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
from tests.billing.helpers import city_cloud

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
    assert cli.main(["bill", "--year", "2026", "--inventory", "none", "--out", str(out)]) == 0
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
    assert cli.main(["bill", "--year", "2026", "--inventory", "none", "--lang", "en", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "not checked against Prometheus" in printed and "city: " in printed and "total: " in printed
    assert '<html lang="en">' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_an_unreachable_prometheus_is_said_in_the_language_asked_for(
        filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    nowhere = "http://127.0.0.1:1"          # nothing listens on port 1
    bill = ["bill", "--year", "2026", "--inventory", "none", "--prometheus", nowhere, "--out", str(tmp_path / "out")]
    assert cli.main(bill) == 2
    assert capsys.readouterr().err.startswith(f"govcloud: 无法连接 Prometheus {nowhere}：")
    assert cli.main([*bill, "--lang", "en"]) == 2
    english = capsys.readouterr().err
    assert english.startswith(f"govcloud: Prometheus {nowhere} unreachable: ")
    assert not re.search(r"[\u3400-\u9fff\uff00-\uffef]", english)


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
    assert cli.main(["bill", "--year", "2026", "--inventory", "none", "--out", str(out)]) == 1
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
    assert cli.main(["bill", "--year", "2026", "--inventory", "none"]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(x for x in path.read_text(encoding="utf-8").splitlines() if "price: 0.60" in x)) + 1
    assert error.startswith(f"policies/prices/2026.yaml:{line}:")
    assert " policy-config-invalid items[2].rates[0].price 取值无效：" in error and error.endswith("[art28]")


def test_exporter_once_prints_a_lint_clean_exposition(filled: Ledger, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["exporter", "--once", "--utilisation", "none", "--inventory", "none"]) == 0
    text = capsys.readouterr().out
    assert "govcloud_system_allocated_seconds_total{" in text and 'govcloud_metering_source_up{source="ledger"} 1.0' in text
    lint = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
    assert lint.returncode == 0 and lint.stdout + lint.stderr == b""


def test_exporter_refuses_an_unknown_utilisation_source(filled: Ledger, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["--lang", "en", "exporter", "--once", "--utilisation", "ceilometer", "--inventory", "none"]) == 1
    assert capsys.readouterr().err.strip() == \
        "govcloud: --utilisation ceilometer: choose openstack, none or static:FILE"


def test_resources_no_ledger_system_accounts_for_keep_the_year_from_being_settled(
        filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from provisioner.commands import bill
    monkeypatch.setattr(bill, "read_inventory", lambda spec, settings, now: city_cloud())
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    assert cli.main(["bill", "--year", "2026", "--out", str(out)]) == 5
    printed = capsys.readouterr()
    assert next(line for line in printed.out.splitlines() if line.startswith("合计："))     # amounts still stated
    errors = printed.err.splitlines()
    where, portal = "未入台账的资源：项目 city-jj-xzspj（city/jj-xzspj）", "标签所指系统 city.jj-xzspj.zwfw-portal 不在台账中"
    assert errors[:-1] == [                      # the synthetic ledger holds none of the city's jj-xzspj systems
        f"{where}floating_ip 172.24.4.10（f1）：{portal}",
        f"{where}network zwfw-portal-net（n1）：{portal}",
        f"{where}server by-hand（s2）：没有 govcloud 标签，系手工创建",
        f"{where}server zwfw-portal-web-1（s1）：{portal}",
        f"{where}volume ghost-data（v3）：标签所指系统 city.jj-xzspj.ghost 不在台账中",
        f"{where}volume zwfw-late-data（v2）：标签所指系统 city.jj-xzspj.zwfw-late 不在台账中",
        f"{where}volume zwfw-portal-web-1-data1（v1）：{portal}",
    ]
    assert errors[-1].startswith("年度未结清：云平台中有 7 项资源不属于台账中的任何系统") and "govcloud adopt" in errors[-1]
    listed = (out / "settlement-2026-unaccounted.csv").read_text(encoding="utf-8").splitlines()
    assert listed[0] == "\ufeff项目,区域,单位,类型,名称,ID,标签所指系统,原因" and len(listed) == len(errors)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.index('<section id="not-settled">') < html.index("<h2>一、总览</h2>")
    assert "by-hand" in html and "年度未结清" in html
    with filled.transaction() as conn:
        assert audit_log.read(conn)[-1].detail["status"] == 5


def test_a_cloud_where_everything_is_in_the_ledger_settles_the_year(
        filled: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from provisioner.commands import bill
    from provisioner.metering.inventory import Inventory
    cloud = city_cloud()
    nothing_by_hand = Inventory(cloud.projects, tuple(r for r in cloud.resources if r.project_id == "p-admin"))
    monkeypatch.setattr(bill, "read_inventory", lambda spec, settings, now: nothing_by_hand)
    monkeypatch.chdir(ROOT)
    assert cli.main(["bill", "--year", "2026", "--lang", "en", "--out", str(tmp_path / "out")]) == 0
    assert "checked against the cloud: all 1 resource(s) belong to systems in the ledger" in capsys.readouterr().out
    assert not (tmp_path / "out" / "settlement-2026-unaccounted.csv").exists()
