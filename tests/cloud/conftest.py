"""Fixtures for tests against the real local OpenStack cloud and the real Pulumi engine.

The session starts what it needs (both idempotent, fast when already up):
scripts/devcloud/devcloud start and scripts/build-engine. Each test module
works in a scratch copy of the repository with its own state backend, ledger
and audit log, and no sample request: a test puts in it the requests of its
own departments (tests/cloud/departments.py), so the committed stacks/ files,
the operator's state, ledger and audit log, and the samples' projects on the
cloud are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openstack
import pytest

from provisioner.cloud.regions import ensure_domains
from provisioner.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _cache() -> Path:
    return Path(os.environ.get("GOVCLOUD_CACHE") or Path.home() / ".cache" / "govcloud")


def start_local_cloud() -> Path:
    """Start the local cloud (if it is not up), as ops set it up; return its clouds.yaml."""
    subprocess.run([str(ROOT / "scripts/devcloud/devcloud"), "start"], check=True,
                   stdout=subprocess.DEVNULL)
    clouds = _cache() / "devcloud" / "clouds.yaml"
    assert clouds.exists()
    # What ops do once per cloud (`govcloud regions`): tenant stacks look their domain up.
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds)
    ensure_domains(openstack.connect(cloud="govcloud-dev"))
    return clouds


@pytest.fixture(scope="session")
def local_cloud() -> Path:
    return start_local_cloud()


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    out = subprocess.run([str(ROOT / "scripts/build-engine")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, local_cloud: Path, engine_bin: Path) -> Settings:
    """A scratch repository: Pulumi.yaml, policies/, no request yet (see departments.copy_sample),
    empty stacks/, its own state backend, ledger and audit log."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copy(ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    (root / "request_specs").mkdir()
    shutil.copytree(ROOT / "policies", root / "policies")
    (root / "stacks").mkdir()
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "provisioner").symlink_to(ROOT / "provisioner")
    state = root.parent / f"{root.name}-state"
    state.mkdir()
    passphrase = root.parent / f"{root.name}-passphrase"
    passphrase.write_text("test-passphrase")
    environ = {"GOVCLOUD_CACHE": str(_cache()), "GOVCLOUD_ENGINE_BIN": str(engine_bin),
               "GOVCLOUD_STATE_URL": state.as_uri(), "GOVCLOUD_PASSPHRASE_FILE": str(passphrase),
               "GOVCLOUD_LEDGER_URL": f"sqlite:///{root.parent / f'{root.name}-ledger.sqlite3'}",
               "OS_CLIENT_CONFIG_FILE": str(local_cloud)}
    return Settings.from_environ(environ, root)


@pytest.fixture(scope="session")
def admin(local_cloud: Path) -> openstack.connection.Connection:
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(local_cloud)
    return openstack.connect(cloud="govcloud-dev")


def cli_env(settings: Settings) -> dict[str, str]:
    """The environment in which `govcloud` and a hand-run `pulumi` see this workspace."""
    env = {**os.environ, **settings.pulumi_env(),
           "GOVCLOUD_CACHE": str(settings.cache), "GOVCLOUD_ENGINE_BIN": str(settings.engine_bin),
           "GOVCLOUD_STATE_URL": settings.backend_url, "GOVCLOUD_LEDGER_URL": settings.ledger_url}
    if settings.passphrase_file:
        env["GOVCLOUD_PASSPHRASE_FILE"] = str(settings.passphrase_file)
    return env
