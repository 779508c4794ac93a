"""The provider plugin's state-change waits follow GOVCLOUD_POLL_INTERVAL (engine/openstack/patches).

A network's delete is one such wait: the plugin deletes the network at its first read and sees
it gone at the second. With upstream's waits (GOVCLOUD_POLL_INTERVAL=0) the second read comes
3 s (MinTimeout) after the first, so the delete cannot take less; with a ceiling of 0.2 s it
comes at once, and the same delete is shorter by about those 3 s. Real engine, the plugin
scripts/build-engine built, one network in a project of the test's own (jj-poll-test).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import openstack
import pytest

from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.conftest import _cache
from tests.scratch import pulumi_project

STACK = "city.jj-poll-test"
PROJECT = "jj-poll-test"
PROGRAM = '''\
import pulumi
import pulumi_openstack as openstack

provider = openstack.Provider("operator", cloud="govcloud-dev")
openstack.networking.Network("net", name="jj-poll-test-net", tenant_id=pulumi.Config("govcloud").require("project"),
                             opts=pulumi.ResourceOptions(provider=provider))
'''


@pytest.fixture()
def project(admin: openstack.connection.Connection):
    for old in admin.identity.projects(name=PROJECT):          # what a failed earlier run left
        for network in admin.network.networks(project_id=old.id):
            admin.network.delete_network(network)
        admin.identity.delete_project(old)
    made = admin.identity.create_project(name=PROJECT, domain_id="default", description=__file__)
    yield made
    for network in admin.network.networks(project_id=made.id):
        admin.network.delete_network(network)
    admin.identity.delete_project(made)


def network_delete_seconds(tmp_path: Path, engine_bin: Path, clouds: Path, project_id: str, interval: str) -> float:
    """Make the network, destroy it with GOVCLOUD_POLL_INTERVAL=`interval`: seconds from the plugin
    starting its delete to pulumi reporting it deleted."""
    root = pulumi_project(tmp_path / f"repo-{interval}", PROGRAM, STACK, "poll")
    (root / "stacks" / f"Pulumi.{STACK}.yaml").write_text(f"config:\n  govcloud:project: {project_id}\n")
    (tmp_path / f"state-{interval}").mkdir()
    settings = Settings.from_environ({
        "GOVCLOUD_ENGINE_BIN": str(engine_bin), "GOVCLOUD_STATE_URL": (tmp_path / f"state-{interval}").as_uri(),
        "GOVCLOUD_CACHE": str(_cache()),           # where scripts/build-engine installed the plugin
        "OS_CLIENT_CONFIG_FILE": str(clouds), "GOVCLOUD_POLL_INTERVAL": interval}, root)
    seen: dict[str, float] = {}

    def stamp(line: str) -> None:
        found = re.search(r"Network net (deleting|deleted)\b", line)
        if found:
            seen.setdefault(found.group(1), time.monotonic())

    Engine(settings).up(STACK)
    Engine(settings, on_output=stamp).destroy(STACK)
    assert set(seen) == {"deleting", "deleted"}, seen
    return seen["deleted"] - seen["deleting"]


def test_the_wait_between_reads_follows_the_setting(tmp_path: Path, engine_bin: Path, local_cloud: Path,
                                                    project) -> None:
    upstream = network_delete_seconds(tmp_path, engine_bin, local_cloud, project.id, "0")
    capped = network_delete_seconds(tmp_path, engine_bin, local_cloud, project.id, "0.2")
    print(f"network delete: {upstream:.2f} s with upstream's waits, {capped:.2f} s reading every 0.2 s")
    assert upstream >= 2.9, f"upstream's second read comes 3 s after the first, the delete took {upstream:.2f} s"
    assert capped < upstream - 1.5, f"the 3 s wait was not shortened: {capped:.2f} s against {upstream:.2f} s"
