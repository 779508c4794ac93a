"""No process of a run outlives govcloud: killed (SIGKILL, which runs no handler) or told to stop
(SIGTERM), the pulumi it started, govcloud's language host, the program and the OpenStack
provider plugin are all gone within a few seconds.

The run is a real `pulumi up` through govcloud's Engine, of a program that configures the
OpenStack provider (the plugin starts; delayed authentication makes no request) and then
sleeps; the driver installs govcloud's own signal handling (provisioner/cli.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import alive, descendants, left_after
from tests.scratch import engine_env, pulumi_project

ROOT = Path(__file__).resolve().parents[2]
STACK = "city.jj-orphan-test"
PROGRAM = '''\
import asyncio

import pulumi
import pulumi_openstack as openstack


async def later() -> int:
    await asyncio.sleep(300)        # on the program's event loop: the provider registers meanwhile
    return 1


openstack.Provider("p", auth_url="http://127.0.0.1:9/v3", user_name="x", password="x", tenant_name="x")
pulumi.export("slept", pulumi.Output.from_input(later()))
'''
DRIVER = f'''\
import os, signal, sys
from pathlib import Path
from provisioner import cli
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, cli._on_signal)
try:
    Engine(Settings.from_environ(os.environ, Path(sys.argv[1]))).up("{STACK}")
except cli.Terminated:
    sys.exit(143)
'''
PLUGINS = ("pulumi", "pulumi-language-python", "pulumi-resource-openstack", "python")


@pytest.fixture()
def repo(tmp_path: Path, engine_bin: Path, pulumi_home: Path) -> tuple[Path, dict[str, str]]:
    root = pulumi_project(tmp_path / "repo", PROGRAM, STACK, "orphan")
    return root, {**engine_env(tmp_path, engine_bin, pulumi_home), "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_plugin_process_outlives_govcloud(repo: tuple[Path, dict[str, str]], signum: int) -> None:
    root, env = repo
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(root)], env=env, cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    run: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 120
        while not {"pulumi", "pulumi-language-python", "pulumi-resource-openstack"} <= set(run.values()):
            assert driver.poll() is None, driver.stdout.read() if driver.stdout else driver.returncode
            assert time.monotonic() < deadline, f"the run never got going: {run}"
            time.sleep(0.2)
            run = descendants(driver.pid)
        time.sleep(1)
        run = descendants(driver.pid)
        os.kill(driver.pid, signum)
        left, took = left_after(run, 10)
        driver.wait(timeout=30)
        assert not left, f"still running {took:.1f} s after {signal.Signals(signum).name}: {left}"
    finally:                       # a failing test leaves nothing running either
        for pid in [driver.pid, *run]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        driver.wait(timeout=30)
    if signum == signal.SIGTERM:
        assert driver.returncode == 143
    print(f"{signal.Signals(signum).name}: {len(run)} processes of the run, all gone in {took:.1f} s")
