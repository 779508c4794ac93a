"""Shared test data for tests/gitops: a small request of the test department, variants, a fixed clock."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from provisioner.calendar import WorkCalendar
from provisioner.policy import Policies
from provisioner.lifecycle.classify import Rules
from provisioner.lifecycle.machine import SystemView
from provisioner.ledger import Ledger, store
from provisioner.lifecycle.states import RequestKind, State
from provisioner.spec.model import RequestSpec

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data")
DEPT = "jj-gitops-test"
DEMO = f"request_specs/{DEPT}/demo.yaml"
KEY = f"city.{DEPT}.demo"
TENANT = f"city.{DEPT}"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)      # Friday 10:00 in Beijing
OWNERS_ENTRY = f'  {DEPT}: {{name: 九江市流水线测试局, group: "@jiujiang-gov/{DEPT}", email: {DEPT}@jiujiang.example}}\n'


def demo_text() -> str:
    return (DATA / "demo.yaml").read_text(encoding="utf-8")


def demo_data() -> dict[str, Any]:
    return yaml.safe_load(demo_text())


def spec(edit=None, **changes: Any) -> RequestSpec:  # noqa: ANN001
    data = copy.deepcopy(demo_data())
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    if edit is not None:
        edit(data)
    return RequestSpec.model_validate(data)


def dump(data: RequestSpec) -> str:
    return yaml.safe_dump(data.model_dump(mode="json", by_alias=True, exclude_none=True), allow_unicode=True,
                          sort_keys=False)


def view(state: State, request_id: str = "JJ-2026-0901", pending: str | None = None) -> SystemView:
    return SystemView(KEY, 1, request_id, RequestKind.NEW, state, NOW, id=1, pending_request_id=pending)


def rules() -> Rules:
    return Policies(ROOT).classification


def flavors() -> dict[str, Any]:
    return Policies(ROOT).catalogue.flavors


def calendar() -> WorkCalendar:
    return WorkCalendar({})


def generations(ledger: Ledger) -> list[tuple[int, str, str, str | None]]:
    """(generation, request id, state, pending request id) of the demo system, then closes the ledger."""
    try:
        with ledger.transaction() as conn:
            return [(v.generation, v.request_id, v.state.value, v.pending_request_id)
                    for v in store.generations(conn, KEY)]
    finally:
        ledger.close()
