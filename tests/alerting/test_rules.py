"""The shipped alerting rules: valid for promtool, their unit tests pass, and every series they read is
one the exporter writes (a renamed metric would silence an alert without any error)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import yaml

from provisioner.policy import Policies
from provisioner.ledger import Ledger
from tests.alerting import scenario
from tests.alerting.conftest import RULES, govcloud
from tests.billing.conftest import ROOT

DEPLOY = ROOT / "deploy" / "prometheus"
# Written by other parts of the exporter, or by Prometheus itself; checked by their own tests.
NOT_FROM_THIS_EXPORTER_RUN = {"up"}


def test_promtool_checks_the_rules() -> None:
    result = subprocess.run(["promtool", "check", "rules", str(RULES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 12 rules found" in result.stdout


def test_the_rules_pass_their_unit_tests() -> None:
    result = subprocess.run(["promtool", "test", "rules", "govcloud-rules.test.yml"], cwd=DEPLOY,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_each_alert_the_issue_names_is_there() -> None:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    alerts = {r["alert"] for group in rules["groups"] for r in group["rules"]}
    assert alerts == {"GovcloudDeadlineWithinOneWorkingDay", "GovcloudDeadlineBreached",
                      "GovcloudTrialEndingWithoutAcceptance", "GovcloudTrialHeld", "GovcloudExporterDown",
                      "GovcloudExporterMissing", "GovcloudMeteringSourceDown", "GovcloudUnaccountedResources",
                      "GovcloudAuditExportOverdue", "GovcloudAgreementExpiring", "GovcloudAgreementLapsed",
                      "GovcloudCredentialOverdue"}
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert {"title", "summary", "summary_en", "description"} <= set(rule["annotations"]), rule["alert"]


def test_the_example_prometheus_config_loads_the_rules(tmp_path: Path) -> None:
    config = (DEPLOY / "prometheus.yml").read_text(encoding="utf-8")
    assert "/etc/prometheus/govcloud-rules.yml" in config and "job_name: govcloud" in config
    (tmp_path / "prometheus.yml").write_text(config.replace("/etc/prometheus/govcloud-rules.yml", str(RULES)),
                                             encoding="utf-8")
    result = subprocess.run(["promtool", "check", "config", str(tmp_path / "prometheus.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_series_the_rules_read_is_exported(repo: Path, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    ledger = Ledger.open(url)
    scenario.build(ledger, Policies(repo).calendar(), now)
    ledger.close()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "GOVCLOUD_ACTOR": "test",
           "GOVCLOUD_LEDGER_URL": url, "GOVCLOUD_NOW": now.isoformat()}
    result = govcloud(repo, env)("exporter", "--once", "--utilisation", "none", "--inventory", "none")
    assert result.returncode == 0, result.stderr
    exported = set(re.findall(r"^# TYPE (\S+) ", result.stdout, re.M))
    read = set(re.findall(r"\b(up|govcloud_[a-z_]+)\b", RULES.read_text(encoding="utf-8")))
    assert read - NOT_FROM_THIS_EXPORTER_RUN <= exported, sorted(read - NOT_FROM_THIS_EXPORTER_RUN - exported)
    lint = subprocess.run(["promtool", "check", "metrics"], input=result.stdout, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
