"""The provider plugin's state-change waits follow GOVCLOUD_POLL_INTERVAL (engine/openstack/patches).

A volume's create and its delete are such waits: Cinder answers at once and makes or removes the
volume a moment later, so the plugin's first read finds it still `creating` (`deleting`) and the
second finds it done. With upstream's waits (GOVCLOUD_POLL_INTERVAL=0) the second read comes 3 s
(MinTimeout) after the first, so a wait that needs it cannot take less; reading at least every
0.2 s, the same create and delete take about those 3 s less each. Real engine, the plugin
scripts/build-engine built, a 1 GB volume in a project of the test's own (jj-poll-test).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import openstack
import pytest

from provisioner.cloud.credentials import operator_auth
from provisioner.passphrase import DEV_CLOUD
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.conftest import _cache
from tests.scratch import pulumi_project

STACK = "city.jj-poll-test"
PROJECT = "jj-poll-test"
PROGRAM = '''\
import pulumi
import pulumi_openstack as openstack

config = pulumi.Config("govcloud")
inside = openstack.Provider(
    "inside", auth_url=config.require("authUrl"), user_name=config.require("user"),
    password=config.require_secret("password"), user_domain_name=config.require("userDomain"),
    tenant_id=config.require("project"), region=config.require("region"))
openstack.blockstorage.Volume("vol", name="jj-poll-test-vol", size=1, opts=pulumi.ResourceOptions(provider=inside))
'''


def _remove(admin: openstack.connection.Connection, project) -> None:
    for volume in admin.block_storage.volumes(all_projects=True, project_id=project.id):
        admin.block_storage.delete_volume(volume)
        admin.block_storage.wait_for_delete(volume)
    admin.identity.delete_project(project)


@pytest.fixture()
def project(admin: openstack.connection.Connection):
    for old in admin.identity.projects(name=PROJECT):          # what a failed earlier run left
        _remove(admin, old)
    made = admin.identity.create_project(name=PROJECT, domain_id="default", description=__file__)
    admin.identity.assign_project_role_to_user(made, admin.identity.get_user(admin.current_user_id),
                                               admin.identity.find_role("admin", ignore_missing=False))
    yield made
    _remove(admin, made)


def volume_waits(tmp_path: Path, engine_bin: Path, clouds: Path, project_id: str, interval: str) -> float:
    """Make the volume and destroy it with GOVCLOUD_POLL_INTERVAL=`interval`: the seconds from the
    plugin starting its create to pulumi reporting it created, plus the same for its delete."""
    root = pulumi_project(tmp_path / f"repo-{interval}", PROGRAM, STACK, "poll")
    auth = operator_auth(clouds, DEV_CLOUD)
    values = {"authUrl": auth.auth_url, "user": auth.username, "password": auth.password,
              "userDomain": auth.user_domain_name, "project": project_id, "region": auth.region_name}
    (root / "stacks" / f"Pulumi.{STACK}.yaml").write_text(
        "config:\n" + "".join(f"  govcloud:{key}: {value}\n" for key, value in values.items()))
    (tmp_path / f"state-{interval}").mkdir()
    settings = Settings.from_environ({
        "GOVCLOUD_ENGINE_BIN": str(engine_bin), "GOVCLOUD_STATE_URL": (tmp_path / f"state-{interval}").as_uri(),
        "GOVCLOUD_CACHE": str(_cache()),           # where scripts/build-engine installed the plugin
        "OS_CLIENT_CONFIG_FILE": str(clouds), "GOVCLOUD_POLL_INTERVAL": interval}, root)
    seen: dict[str, float] = {}

    def stamp(line: str) -> None:
        found = re.search(r"Volume vol (creating|created|deleting|deleted)\b", line)
        if found:
            seen.setdefault(found.group(1), time.monotonic())

    Engine(settings, on_output=stamp).up(STACK)
    Engine(settings, on_output=stamp).destroy(STACK)
    assert set(seen) == {"creating", "created", "deleting", "deleted"}, seen
    return seen["created"] - seen["creating"] + seen["deleted"] - seen["deleting"]


def test_the_wait_between_reads_follows_the_setting(tmp_path: Path, engine_bin: Path, local_cloud: Path,
                                                    project) -> None:
    upstream = volume_waits(tmp_path, engine_bin, local_cloud, project.id, "0")
    capped = volume_waits(tmp_path, engine_bin, local_cloud, project.id, "0.2")
    print(f"volume create + delete: {upstream:.2f} s with upstream's waits, {capped:.2f} s reading every 0.2 s")
    assert upstream >= 2.9, f"upstream's second read comes 3 s after the first, both waits took {upstream:.2f} s"
    assert capped < upstream - 1.5, f"the 3 s waits were not shortened: {capped:.2f} s against {upstream:.2f} s"
