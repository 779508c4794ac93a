"""GOVCLOUD_POLL_INTERVAL reaches the provider plugin (engine/openstack/patches), by govcloud and by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioner.errors import ConfigError
from provisioner.settings import Settings


def settings(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path), **environ}, tmp_path)


def test_the_plugin_polls_each_second_by_default(tmp_path: Path) -> None:
    assert settings(tmp_path).pulumi_env()["GOVCLOUD_POLL_INTERVAL"] == "1"


@pytest.mark.parametrize("given", ["0.5", "0", "10"])
def test_the_setting_goes_to_govcloud_runs_and_hand_runs(tmp_path: Path, given: str) -> None:
    chosen = settings(tmp_path, GOVCLOUD_POLL_INTERVAL=given)
    assert chosen.pulumi_env()["GOVCLOUD_POLL_INTERVAL"] == given
    exported, _ = chosen.hand_run_env()
    assert exported["GOVCLOUD_POLL_INTERVAL"] == given


@pytest.mark.parametrize("given", ["-1", "soon"])
def test_a_wrong_interval_is_a_configuration_error(tmp_path: Path, given: str) -> None:
    with pytest.raises(ConfigError, match="GOVCLOUD_POLL_INTERVAL"):
        settings(tmp_path, GOVCLOUD_POLL_INTERVAL=given)
