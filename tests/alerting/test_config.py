"""The Alertmanager configuration `govcloud alerts-config` writes from policies/owners.yaml: valid for
amtool, each unit's alerts routed to its email and the office, the provider's to the provider,
the committed example current, a wrong email refused at its line."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from provisioner.alerting.routes import Mail, alertmanager_config, region_of, render
from provisioner.policy.owners import parse_owners
from provisioner.policy import Policies
from tests.alerting.conftest import govcloud
from tests.billing.conftest import ROOT

EXAMPLE = ROOT / "deploy" / "alertmanager" / "alertmanager.yml"
EXAMPLE_ARGS = ("--smarthost", "smtp.jiujiang.example:587", "--from", "govcloud-alerts@jiujiang.example",
                "--auth-username", "govcloud-alerts", "--auth-password-file", "/etc/alertmanager/smtp-password")
PREFIXES = Policies(ROOT).rule_set.naming.region_prefixes


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "GOVCLOUD_ACTOR": "test"}


def _routes(config: Path, *labels: str) -> list[str]:
    result = subprocess.run(["amtool", "config", "routes", "test", f"--config.file={config}", *labels],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split(",")


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("am") / "alertmanager.yml"
    path.write_text(render(alertmanager_config(Policies(ROOT).owners, PREFIXES, Mail("127.0.0.1:25", "gc@jiujiang.example"))),
                    encoding="utf-8")
    return path


def test_amtool_accepts_the_generated_configuration(config: Path) -> None:
    result = subprocess.run(["amtool", "check-config", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"- {2 + len(Policies(ROOT).owners.departments)} receivers" in result.stdout     # office, provider, units


def test_each_unit_gets_its_own_alerts_and_the_office_all(config: Path) -> None:
    owners = Policies(ROOT).owners
    for code in owners.departments:
        region = region_of(code, PREFIXES)
        assert _routes(config, "alertname=GovcloudDeadlineWithinOneWorkingDay", f"region={region}",
                       f"department={code}", "system=x", "rule=art15") == [f"unit-{code}", "office"]
    receivers = {r["name"]: r["email_configs"][0]["to"] for r in yaml.safe_load(config.read_text())["receivers"]}
    assert receivers["unit-jj-xzspj"] == "jj-xzspj@jiujiang.example" and receivers["office"] == owners.office.email


def test_operations_alerts_reach_the_provider_and_strays_only_the_office(config: Path) -> None:
    assert _routes(config, "alertname=GovcloudExporterDown", "team=provider") == ["provider", "office"]
    assert _routes(config, "region=city", "department=jj-nobody") == ["office"]       # not in owners.yaml
    assert _routes(config, "region=duchang", "department=jj-xzspj") == ["office"]     # labels disagree with the code


def test_the_committed_example_is_current(tmp_path: Path) -> None:
    result = govcloud(ROOT, _env(tmp_path))("alerts-config", *EXAMPLE_ARGS, "-o", str(EXAMPLE), "--check")
    assert result.returncode == 0, result.stderr
    check = subprocess.run(["amtool", "check-config", str(EXAMPLE)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_a_stale_file_and_a_wrong_email_are_refused(repo: Path, tmp_path: Path) -> None:
    run = govcloud(repo, _env(tmp_path))
    out = tmp_path / "am.yml"
    assert run("alerts-config", *EXAMPLE_ARGS, "-o", str(out)).returncode == 0
    owners = repo / "policies" / "owners.yaml"
    text = owners.read_text(encoding="utf-8")
    owners.write_text(text.replace("email: gjtest@jiujiang.example", "email: gjtest@new.example"), encoding="utf-8")
    stale = run("alerts-config", *EXAMPLE_ARGS, "-o", str(out), "--check")
    assert stale.returncode == 1 and "不是最新的" in stale.stderr
    owners.write_text(text.replace("email: gjtest@jiujiang.example", "email: gjtest"), encoding="utf-8")
    wrong = run("alerts-config", *EXAMPLE_ARGS)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "gjtest@jiujiang.example" in row)
    assert wrong.returncode == 1
    assert wrong.stderr.startswith(f"policies/owners.yaml:{line}:") and \
        "policy-config-invalid departments.jj-gjtest.email 取值无效：" in wrong.stderr, \
        wrong.stderr


def test_the_smtp_password_is_never_in_the_configuration() -> None:
    config = alertmanager_config(parse_owners((ROOT / "policies/owners.yaml").read_text(encoding="utf-8")), PREFIXES,
                                 Mail("smtp:587", "a@b.example", auth_username="u", auth_password_file="/run/pw"))
    assert config["global"]["smtp_auth_password_file"] == "/run/pw" and "smtp_auth_password" not in config["global"]


def test_the_mails_are_chinese_and_english_on_request() -> None:
    owners = parse_owners((ROOT / "policies/owners.yaml").read_text(encoding="utf-8"))
    mail = Mail("smtp:587", "a@b.example")
    chinese = alertmanager_config(owners, PREFIXES, mail)["receivers"][0]["email_configs"][0]
    assert chinese["headers"]["Subject"].startswith("[九江市政务云] {{ .CommonAnnotations.title }}")
    assert "（govcloud alerts-config 生成）" in chinese["text"] and "（govcloud alerts-config 生成）" in chinese["html"]
    english = alertmanager_config(owners, PREFIXES, mail, lang="en")["receivers"][0]["email_configs"][0]
    assert english["headers"]["Subject"] == (
        "[Jiujiang government cloud] {{ .CommonAnnotations.title }}{{ if eq (len .Alerts) 1 }}: "
        "{{ (index .Alerts 0).Annotations.summary }}{{ else }} ({{ len .Alerts }} alerts){{ end }}")
    assert "recipients as registered in policies/owners.yaml" in english["text"]
    said = english["headers"]["Subject"] + english["text"] + english["html"]
    assert not re.search(r"[\u3400-\u9fff\uff00-\uffef]", said)
