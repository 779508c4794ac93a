"""A system's life driven through the real lifecycle workflow on a fake clock, and small builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from provisioner.calendar import SHANGHAI
from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle.states import Action, Party
from tests.lifecycle.helpers import context, flavors, make_spec, rules

SYSTEM = "city.jj-xzspj.zwfw-portal"


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> Clock:
        self.now = moment
        return self


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def doubled_hosts(data: dict[str, Any]) -> None:
    data["resources"]["hosts"][0]["count"] = 3           # +50%: a minor change by the policy's growth rule


def live_system(ledger: Ledger, clock: Clock, *, submitted: datetime, trial: datetime, go_live: datetime,
                change: datetime | None = None, end: datetime | None = None,
                edit: Callable[[dict[str, Any]], None] | None = None, system: str = SYSTEM) -> None:
    """zwfw-portal (or `system`, as `edit` makes it): submitted, accepted, trial, both acceptances, live;
    optionally a minor change and an end."""
    SYSTEM = system  # noqa: N806 - the key every step below names
    ctx = context(ledger, clock)
    sub = workflow.submit(ctx.__class__(ledger, ctx.calendar, ctx.actor, clock.at(submitted)), make_spec(edit=edit),
                          rules(), flavors())
    workflow.accept(ctx, sub.request_id)
    clock.at(trial)
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    clock.at(go_live)
    workflow.done_by_hand(ctx, SYSTEM, Action.PROMOTE)
    if change is not None:
        clock.at(change - timedelta(hours=1))
        changed = workflow.submit(ctx, make_spec("JJ-2026-0002", edit=doubled_hosts), rules(), flavors())
        workflow.accept(ctx, changed.request_id)
        clock.at(change)
        workflow.done_by_hand(ctx, SYSTEM, Action.APPLY_CHANGE)
    if end is not None:
        clock.at(end - timedelta(hours=2))
        workflow.request_termination(ctx, SYSTEM, "JJ-2026-0009", "系统整合，停止使用")
        workflow.accept(ctx, "JJ-2026-0009")
        clock.at(end)
        workflow.done_by_hand(ctx, SYSTEM, Action.TERMINATE)
