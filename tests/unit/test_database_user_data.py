"""The cloud-init of database hosts (provisioner/program/database.py), no cloud needed."""

from __future__ import annotations

from pathlib import Path

import yaml

import dataclasses

import pytest

from provisioner.allocation import allocate
from provisioner.policy import Policies
from provisioner.program.database import DATA_DEVICE, UnknownVersion, backup_time, database_user_data
from provisioner.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]


def _servers(path: str):
    """The database hosts the request's allocation lists: primary, then standby."""
    return allocate(load_spec(ROOT / path, ROOT), Policies(ROOT).catalogue).database_servers


def test_the_dump_starts_at_the_requested_backup_window() -> None:
    primary, _ = _servers("request_specs/jj-rsj/shebao-jb.yaml")       # window 01:00-03:00
    config = yaml.safe_load(database_user_data(primary))
    (cron,) = config["write_files"]
    assert "\n0 1 * * * root " in "\n" + cron["content"].split("\n", 1)[1]


def test_without_a_window_the_dump_runs_at_half_past_two() -> None:
    assert backup_time(None) == (2, 30)
    assert backup_time("23:15-23:59") == (23, 15)


def test_boot_waits_for_the_data_volume_before_formatting_it() -> None:
    _, standby = _servers("request_specs/wn-yjglj/yjzh.yaml")
    config = yaml.safe_load(database_user_data(standby))
    (wait,) = config["bootcmd"]
    assert f"[ -b {DATA_DEVICE} ]" in wait[-1]
    assert config["fs_setup"][0]["device"] == DATA_DEVICE
    assert "standby" in config["runcmd"][0][-1]


def test_user_data_is_deterministic() -> None:
    primary, _ = _servers("request_specs/jj-jyksy/zk-bm.yaml")
    assert database_user_data(primary) == database_user_data(primary)


@pytest.mark.parametrize(("sample", "package"), [
    ("request_specs/jj-jyksy/zk-bm.yaml", "mysql-community-server-8.0*"),      # mysql "8.0"
    ("request_specs/jj-rsj/shebao-jb.yaml", "dm8-server-8.1*"),                # dm "8.1"
    ("request_specs/lx-wjw/jmjk-da.yaml", "postgresql15-server"),              # postgresql "15"
    ("request_specs/xs-bdcdjzx/bdc-dj.yaml", "kingbase-es-v8r6"),              # kingbase "V8R6"
])
def test_the_requested_version_selects_the_package_cloud_init_installs(sample: str, package: str) -> None:
    for server in _servers(sample):
        assert yaml.safe_load(database_user_data(server))["packages"] == [package]


def test_a_version_the_catalogue_has_no_package_for_is_never_installed() -> None:
    primary, _ = _servers("request_specs/jj-jyksy/zk-bm.yaml")
    with pytest.raises(UnknownVersion, match="mysql 8.0"):
        database_user_data(dataclasses.replace(primary, package=None))
