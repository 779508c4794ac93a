"""The exporter's REST reads of OpenStack (provisioner/metering/cloud_api.py): the clouds.yaml entry read
without openstacksdk, and an exporter that loads neither openstacksdk nor Alembic (the reads themselves are
tested against the real cloud in tests/billing/test_openstack_use.py and test_unaccounted_cloud.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from provisioner.errors import ConfigError
from provisioner.metering.cloud_api import read_entry

CLOUDS = """clouds:
  gc:
    auth: {auth_url: "http://127.0.0.1:5000/v3", username: admin, password: secret, project_name: admin,
           user_domain_name: Default, project_domain_name: Default}
    region_name: RegionOne
  broken:
    auth: {auth_url: "http://127.0.0.1:5000/v3", username: admin}
"""


def test_the_entry_is_read_from_the_file_alone(tmp_path: Path) -> None:
    (tmp_path / "clouds.yaml").write_text(CLOUDS)
    entry = read_entry(tmp_path / "clouds.yaml", "gc")
    assert entry["region_name"] == "RegionOne" and entry["auth"]["username"] == "admin"
    with pytest.raises(ConfigError, match="没有可用的条目 other") as other:
        read_entry(tmp_path / "clouds.yaml", "other")
    assert "has no usable entry other: KeyError" in other.value.render("en")
    with pytest.raises(ConfigError, match="auth_url、username 和 password") as broken:
        read_entry(tmp_path / "clouds.yaml", "broken")
    assert broken.value.render("en").endswith("entry broken: auth needs auth_url, username and password")
    with pytest.raises(ConfigError, match="没有可用的条目 gc") as missing:
        read_entry(tmp_path / "missing.yaml", "gc")
    assert "has no usable entry gc: FileNotFoundError" in missing.value.render("en")


def test_the_exporters_cloud_reads_and_credential_series_import_neither_openstacksdk_nor_alembic(tmp_path: Path) -> None:
    (tmp_path / "clouds.yaml").write_text(CLOUDS)
    probe = ("import sys; from pathlib import Path; from provisioner.settings import Settings, find_root; "
             "from provisioner.commands.cloud_reads import cloud_reads, inventory_source; "
             "from provisioner.commands.exporter import utilisation_source; import provisioner.metering.exporter; "
             "s = Settings.from_environ({'OS_CLIENT_CONFIG_FILE': sys.argv[1], 'GOVCLOUD_CLOUD': 'gc'}, find_root(Path.cwd())); "
             "r = cloud_reads(s); utilisation_source('openstack', s, r); inventory_source('openstack', r); "
             "r._connect(); from provisioner.commands.exporter import _account_reader; _account_reader(r); "
             "import provisioner.inspection.accounts, provisioner.metering.credential_series; "
             "print(sorted({'openstack', 'alembic', 'mako'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "clouds.yaml")], check=True,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
