"""A system's life driven through the real lifecycle workflow on a fake clock, and small builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from provisioner.calendar import SHANGHAI, WorkCalendar
from provisioner.ledger import Ledger, workflow
from provisioner.lifecycle.states import Action, Party
from tests.lifecycle.helpers import context, flavors, make_spec, rules, terminate_by_hand

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


def four_hosts(data: dict[str, Any]) -> None:
    data["resources"]["hosts"][0]["count"] = 4


def live_system(ledger: Ledger, clock: Clock, *, submitted: datetime, trial: datetime, go_live: datetime,
                change: datetime | None = None, end: datetime | None = None,
                edit: Callable[[dict[str, Any]], None] | None = None, system: str = SYSTEM,
                trial_edit: datetime | None = None,
                trial_edits: tuple[tuple[datetime, Callable[[dict[str, Any]], None]], ...] = (),
                change_to: Callable[[dict[str, Any]], None] = doubled_hosts) -> None:
    """zwfw-portal (or `system`, as `edit` makes it): submitted, accepted, trial, both acceptances, live;
    optionally its trial edited to twice the hosts (`govcloud apply` of the edited file) or edited as
    `trial_edits` say (when, how), a minor change (to twice the hosts, or as `change_to` makes it) and an end."""
    SYSTEM = system  # noqa: N806 - the key every step below names
    ctx = context(ledger, clock)
    sub = workflow.submit(ctx.__class__(ledger, ctx.calendar, ctx.actor, clock.at(submitted)), make_spec(edit=edit),
                          rules(), flavors())
    workflow.accept(ctx, sub.request_id)
    clock.at(trial)
    workflow.done_by_hand(ctx, SYSTEM, Action.CREATE_TRIAL)
    if trial_edit is not None:
        trial_edits = ((trial_edit, doubled_hosts), *trial_edits)
    for at, how in trial_edits:
        from provisioner.app.intake import update_trial_spec

        clock.at(at)
        update_trial_spec(ctx, SYSTEM, make_spec(edit=how))
    workflow.verdict(ctx, SYSTEM, Party.DEPARTMENT, True)
    workflow.verdict(ctx, SYSTEM, Party.PROVIDER, True)
    clock.at(go_live)
    if go_live <= WorkCalendar({}).trial_end(trial).at:   # before the trial's end: the department's early go-live
        workflow.early_go_live(ctx, SYSTEM, "test: live before the trial's end")
    workflow.done_by_hand(ctx, SYSTEM, Action.PROMOTE)
    if change is not None:
        clock.at(change - timedelta(hours=1))
        changed = workflow.submit(ctx, make_spec("JJ-2026-0002", edit=change_to), rules(), flavors())
        workflow.accept(ctx, changed.request_id)
        clock.at(change)
        workflow.done_by_hand(ctx, SYSTEM, Action.APPLY_CHANGE)
    if end is not None:
        clock.at(end - timedelta(hours=2))
        workflow.request_termination(ctx, SYSTEM, "JJ-2026-0009", "系统整合，停止使用")
        workflow.accept(ctx, "JJ-2026-0009")
        clock.at(end)
        terminate_by_hand(ctx, SYSTEM)


# -- what runs in the cloud, as an inventory source would read it --------------------------------

def _labels(key: str, phase: str = "production", request: str = "JJ-2026-0001") -> dict[str, str]:
    region, department, system = key.split(".")
    return {"region": region, "department": department, "system": system, "phase": phase, "request": request}


def city_cloud() -> Any:
    """The city's department project as the operator lists it: zwfw-portal's own resources; a server made by
    hand (no labels); a volume of zwfw-late, which is only submitted; a volume of a system the ledger never
    heard of; Neutron's default security group; and an unlabelled server of the operator's own project."""
    from provisioner.metering.inventory import Inventory, Project, Resource
    dept, admin = "p-xzspj", "p-admin"
    ours, late, ghost = _labels(SYSTEM), _labels("city.jj-xzspj.zwfw-late", "trial", "JJ-2026-0004"), \
        _labels("city.jj-xzspj.ghost", "trial", "JJ-2026-0099")
    server = (("compute/cores", 4.0), ("compute/ram", 8.0), ("volumev3/capacity", 40.0))
    resources = (
        Resource("server", "s1", "zwfw-portal-web-1", dept, ours, server),
        Resource("volume", "v1", "zwfw-portal-web-1-data1", dept, ours, (("volumev3/capacity", 100.0),)),
        Resource("floating_ip", "f1", "172.24.4.10", dept, ours, (("network/floating_ips", 1.0),)),
        Resource("network", "n1", "zwfw-portal-net", dept, ours),
        Resource("server", "s2", "by-hand", dept, {}, server),
        Resource("volume", "v2", "zwfw-late-data", dept, late, (("volumev3/capacity", 50.0),)),
        Resource("volume", "v3", "ghost-data", dept, ghost, (("volumev3/capacity", 20.0),)),
        Resource("security_group", "g1", "default", dept, {}),
        Resource("server", "s3", "ops-bastion", admin, {}, server),
    )
    projects = {dept: Project(dept, "city-jj-xzspj", "city", "jj-xzspj"), admin: Project(admin, "admin")}
    return Inventory(projects, resources, frozenset({"server", "volume", "floating_ip", "network",
                                                     "security_group"}))


class FixedInventory:
    """An inventory source that always lists the same cloud."""

    name = "inventory"

    def __init__(self, inventory: Any) -> None:
        self.inventory = inventory

    def read(self, moment: datetime) -> Any:
        return self.inventory
