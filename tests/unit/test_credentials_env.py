"""Credentials come from the clouds.yaml entry govcloud is told to use, never from the shell's OS_*."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioner.cloud.credentials import endpoint, entry, operator_auth
from provisioner.errors import ConfigError
from provisioner.settings import Settings

CLOUDS = """\
clouds:
  gc-ops:
    auth: {auth_url: "https://keystone.jj.gov.cn:5000/v3", username: ops, password: ops-password,
           project_name: ops-project, user_domain_name: Default, project_domain_name: Default}
    region_name: JJ
    cacert: /etc/ssl/jj-ca.pem
  other:
    auth: {auth_url: "http://elsewhere:5000/v3", username: admin, password: other-password,
           project_name: admin, user_domain_name: Default, project_domain_name: Default}
"""

SHELL = {"OS_CLOUD": "other", "OS_PROJECT_NAME": "admin", "OS_PROJECT_ID": "admin-id", "OS_USERNAME": "admin",
         "OS_PASSWORD": "shell-password", "OS_REGION_NAME": "Elsewhere", "OS_AUTH_URL": "http://elsewhere:5000/v3"}


@pytest.fixture()
def clouds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clouds.yaml"
    path.write_text(CLOUDS, encoding="utf-8")
    decoy = tmp_path / "decoy.yaml"
    decoy.write_text(CLOUDS.replace("ops-project", "decoy-project"), encoding="utf-8")
    for key, value in {**SHELL, "OS_CLIENT_CONFIG_FILE": str(decoy)}.items():
        monkeypatch.setenv(key, value)
    return path


def test_the_entry_is_read_from_the_file_alone(clouds: Path) -> None:
    found = entry(clouds, "gc-ops")
    assert found.config["auth"]["project_name"] == "ops-project"
    assert found.config["auth"]["username"] == "ops" and found.region_name == "JJ"
    assert operator_auth(clouds, "gc-ops").password == "ops-password"
    assert endpoint(clouds, "gc-ops") == endpoint(clouds, "gc-ops").__class__(
        "https://keystone.jj.gov.cn:5000/v3", "JJ", "/etc/ssl/jj-ca.pem", False)


def test_a_missing_entry_is_a_configuration_error(clouds: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        entry(clouds, "gc-missing")
    assert "has no usable entry gc-missing" in refused.value.render("en") and "没有可用的条目 gc-missing" in str(refused.value)


def test_pulumi_runs_see_no_os_variable_of_the_shell(clouds: Path, tmp_path: Path) -> None:
    settings = Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path), "OS_CLIENT_CONFIG_FILE": str(clouds),
                                      "GOVCLOUD_CLOUD": "govcloud-dev"}, tmp_path)
    env = settings.pulumi_env()
    # Added to govcloud's own environment by the Automation API: emptied, they count as unset.
    assert {key: env[key] for key in SHELL} == dict.fromkeys(SHELL, "")
    assert env["OS_CLIENT_CONFIG_FILE"] == str(clouds)
