"""PulumiStackActions run by reconcile -j N, on a stand-in engine: a department's tenant stack is
brought up once per run and never at the same time as itself; each system with the phase the
ledger gives (the real engine: tests/cloud/test_ledger_flow.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from provisioner.app.reconcile import SystemRef
from provisioner.settings import Settings
from provisioner.app.stack_actions import PulumiStackActions
from provisioner.stacks.engine import Outcome
from tests.lifecycle.test_cli import make_root


class SlowEngine:
    def __init__(self) -> None:
        self.ups: list[str] = []
        self.running: set[str] = set()
        self.overlapped: list[str] = []
        self._lock = threading.Lock()

    def up(self, stack: str, refresh: bool = False) -> Outcome:
        with self._lock:
            if stack in self.running:
                self.overlapped.append(stack)
            self.running.add(stack)
            self.ups.append(stack)
        time.sleep(0.05)
        with self._lock:
            self.running.discard(stack)
        return Outcome(stack, "up", {"same": 3})


def second_system(root: Path) -> None:
    """A second system of jj-xzspj, so two systems share one tenant."""
    source = root / "request_specs/jj-xzspj/zwfw-portal.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["metadata"].update(system="zwfw-api", request_id="JJ-2026-0901")
    data["resources"]["network"]["cidr"] = "10.20.9.0/24"
    (root / "request_specs/jj-xzspj/zwfw-api.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                               encoding="utf-8")


def ref(key: str, phase: str) -> SystemRef:
    region, department, system = key.split(".")
    return SystemRef(key, 1, region, department, system, "X", "new", None, phase)


def test_systems_of_one_department_share_one_tenant_up(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "stacks").mkdir()
    second_system(root)
    engine = SlowEngine()
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    systems = ["city.jj-xzspj.zwfw-portal", "city.jj-xzspj.zwfw-api", "city.jj-rsj.shebao-jb"]
    with ThreadPoolExecutor(3) as pool:
        done = list(pool.map(lambda key: actions.create_trial(ref(key, "trial")), systems))
    assert all(o.done for o in done) and engine.overlapped == []
    assert sorted(engine.ups) == sorted(["city.jj-xzspj", "city.jj-rsj", *systems])
    assert engine.ups.index("city.jj-xzspj") < engine.ups.index("city.jj-xzspj.zwfw-api")
    assert done[1].detail["stack_changes"] == {"same": 3}
    # the ledger's phase: a production system's stack stays production whatever the action
    actions.create_trial(ref("city.jj-xzspj.zwfw-api", "production"))
    text = (root / "stacks/Pulumi.city.jj-xzspj.zwfw-api.yaml").read_text(encoding="utf-8")
    assert "govcloud:phase: production" in text
