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

    def data_volumes(self, stack: str) -> dict[str, str]:
        return {}


def second_system(root: Path) -> None:
    """A second system of jj-xzspj, so two systems share one tenant."""
    source = root / "request_specs/jj-xzspj/zwfw-portal.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["metadata"].update(system="zwfw-api", request_id="JJ-2026-0901")
    data["resources"]["network"]["cidr"] = "10.20.9.0/24"
    (root / "request_specs/jj-xzspj/zwfw-api.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                               encoding="utf-8")


def ref(key: str, phase: str | None) -> SystemRef:
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


class RecordingEngine:
    """A stack that exists and has a project: records what is asked of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def exists(self, stack: str) -> bool:
        return True

    def outputs(self, stack: str) -> dict[str, object]:
        self.calls.append(("outputs", stack))
        return {"projectId": "p-1"}

    def resources(self, stack: str) -> list[dict]:
        return []

    def unprotect_all(self, stack: str) -> None:
        self.calls.append(("unprotect_all", stack))

    def destroy(self, stack: str) -> Outcome:
        self.calls.append(("destroy", stack))
        return Outcome(stack, "destroy", {"delete": 9})


def test_a_superseded_generation_ends_without_touching_the_stack_the_new_one_runs_on(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """art17-18: a major change's generation 2 runs on the system's one stack once promoted; ending
    generation 1 (superseded) must neither detach its volumes for a backup nor destroy that stack."""
    from provisioner.app import stack_actions

    touched: list[str] = []
    monkeypatch.setattr(stack_actions, "connect_project", lambda settings, project: touched.append(project))
    monkeypatch.setattr(stack_actions, "back_up_system", lambda conn, system: touched.append(system) or [])
    monkeypatch.setattr(stack_actions, "data_to_export", lambda conn, resources: [])
    root = make_root(tmp_path)
    engine = RecordingEngine()
    actions = PulumiStackActions(Settings.from_environ({"GOVCLOUD_CACHE": str(tmp_path)}, root), engine)
    superseded = ref("city.jj-xzspj.zwfw-portal", "production")     # reconcile: the stack stays production
    backed = actions.back_up(superseded)
    ended = actions.terminate(superseded)
    assert touched == [] and engine.calls == []
    assert backed.done and backed.detail["backups"] == [] and ended.done and ended.detail["destroyed"] is False
    # a system's last generation is still backed up and destroyed
    last = ref("city.jj-xzspj.zwfw-portal", None)
    actions.back_up(last)
    actions.terminate(last)
    assert touched == ["p-1", "zwfw-portal"]
    assert [c[0] for c in engine.calls] == ["outputs", "unprotect_all", "destroy"]
