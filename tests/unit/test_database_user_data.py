"""The cloud-init of database hosts (provisioner/program/database.py), no cloud needed."""

from __future__ import annotations

from pathlib import Path

import yaml

from provisioner.program.database import DATA_DEVICE, backup_time, database_user_data
from provisioner.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]


def _databases(path: str):
    return load_spec(ROOT / path, ROOT).resources.databases


def test_the_dump_starts_at_the_requested_backup_window() -> None:
    (database,) = _databases("request_specs/jj-rsj/shebao-jb.yaml")       # window 01:00-03:00
    config = yaml.safe_load(database_user_data(database, primary=True))
    (cron,) = config["write_files"]
    assert "\n0 1 * * * root " in "\n" + cron["content"].split("\n", 1)[1]


def test_without_a_window_the_dump_runs_at_half_past_two() -> None:
    assert backup_time(None) == (2, 30)
    assert backup_time("23:15-23:59") == (23, 15)


def test_boot_waits_for_the_data_volume_before_formatting_it() -> None:
    (database,) = _databases("request_specs/wn-yjglj/yjzh.yaml")
    config = yaml.safe_load(database_user_data(database, primary=False))
    (wait,) = config["bootcmd"]
    assert f"[ -b {DATA_DEVICE} ]" in wait[-1]
    assert config["fs_setup"][0]["device"] == DATA_DEVICE
    assert "standby" in config["runcmd"][0][-1]


def test_user_data_is_deterministic() -> None:
    (database,) = _databases("request_specs/jj-jyksy/zk-bm.yaml")
    assert database_user_data(database, primary=True) == database_user_data(database, primary=True)
