"""Shared test data: the sample request, variants of it, and a ledger context on a fake clock."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from provisioner.calendar import WorkCalendar
from provisioner.policy import Policies
from provisioner.ledger import Ledger
from provisioner.ledger.workflow import Context
from provisioner.lifecycle.classify import Rules
from provisioner.spec.model import RequestSpec

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "request_specs" / "jj-xzspj" / "zwfw-portal.yaml"
SYSTEM = "city.jj-xzspj.zwfw-portal"


def raw_sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def make_spec(request_id: str = "JJ-2026-0001", system: str = "zwfw-portal", edit=None, **_: Any) -> RequestSpec:  # noqa: ANN001
    data = copy.deepcopy(raw_sample())
    data["metadata"]["request_id"] = request_id
    data["metadata"]["system"] = system
    if edit is not None:
        edit(data)
    return RequestSpec.model_validate(data)


def rules() -> Rules:
    return Policies(ROOT).classification


def flavors() -> dict[str, Any]:
    return Policies(ROOT).catalogue.flavors


def context(ledger: Ledger, clock: Any, actor: str = "office:li") -> Context:
    return Context(ledger, WorkCalendar({}), actor, clock)


# What `govcloud lifecycle done back_up` gives a hand-made backup step: the retention policy.
RETENTION = {"retention_days": 180, "retention_policy": "policies/handover.yaml:12"}


def terminate_by_hand(ctx: Context, system_key: str, by: str = "王科长") -> None:
    """A confirmed termination, by hand: backed up, the hand-over confirmed by the unit (art25), destroyed."""
    from dataclasses import replace

    from provisioner.ledger import workflow
    from provisioner.lifecycle.states import Action

    workflow.done_by_hand(ctx, system_key, Action.BACK_UP, RETENTION)
    workflow.confirm_handover(replace(ctx, actor="dept:wang"), system_key, by)
    workflow.done_by_hand(ctx, system_key, Action.TERMINATE)
