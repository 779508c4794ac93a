"""Service agreements (art22): a unit asks for services only under a filed agreement in force.

art22: each using unit signs a service agreement with the provider (content, term,
rights and duties, liability) and files it with the information office. A request
is judged on the day it is checked: the department needs an agreement that is filed,
begun and not ended, and together its agreements in force must cover every kind of
service the request asks for. One ending within `warn_days` is said ahead of time,
so the unit renews it before a change request or a new system is blocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from provisioner.policy.findings import Hit
from provisioner.policy.messages import WORDS
from provisioner.policy.model import Agreement
from provisioner.policy.rules.context import Context, listing
from provisioner.spec.findings import Finding
from provisioner.spec.messages import Names

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

PARAMS = {
    "agreement-missing": {"department"},
    "agreement-lapsed": {"department", "agreements"},
    "agreement-services": {"department", "missing", "agreements"},
    "agreement-expiring": {"agreement", "ends", "days"},
}


def requested_services(spec: RequestSpec) -> dict[str, tuple[str | int, ...]]:
    """Each kind of service the request asks for, with the spec path of the first field asking for it."""
    res = spec.resources
    found: dict[str, tuple[str | int, ...]] = {"hosts": ("resources", "hosts")}
    if res.databases:
        found["databases"] = ("resources", "databases")
    for part in ("volumes", "buckets", "shares"):
        if getattr(res.storage, part):
            found.setdefault("storage", ("resources", "storage", part))
    for part in ("internet_mbps", "public_ips", "load_balancers"):
        if getattr(res.bandwidth, part):
            found.setdefault("network", ("resources", "bandwidth", part))
    if res.security.services:
        found["security"] = ("resources", "security", "services")
    return found


def _terms(agreements: list[Agreement]) -> Names:
    return listing([WORDS("agreement-term", id=a.id, starts=a.starts, ends=a.ends, filed=a.filed_on) for a in agreements])


def check_agreement(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    department = spec.department
    signed = ctx.policies.agreements.of(department)
    where = ("applicant", "department")
    if not signed:
        rule = "agreement-missing"
        yield Hit(rule, Finding(rule, where, {"input": department, "department": department}))
        return
    in_force = [a for a in signed if a.in_force(ctx.today)]
    if not in_force:
        rule = "agreement-lapsed"
        yield Hit(rule, Finding(rule, where, {"input": department, "department": department,
                                               "agreements": _terms(signed)}))
        return
    covered = {kind for a in in_force for kind in a.services}
    asked = requested_services(spec)
    missing = [kind for kind in asked if kind not in covered]
    if missing:
        rule = "agreement-services"
        yield Hit(rule, Finding(rule, asked[missing[0]], {
            "input": department, "department": department, "agreements": _terms(in_force),
            "missing": Names([WORDS(f"agreement-service-{kind}") for kind in missing])}))
        return
    yield from _expiring(signed, asked, ctx.today, ctx.policies.agreements.warn_days, where)


def _expiring(signed: list[Agreement], asked: dict[str, tuple[str | int, ...]], today: date, warn_days: int,
              where: tuple[str, ...]) -> Iterator[Hit]:
    """The request is covered today; say so when what covers it ends within warn_days and no filed
    renewal follows (a renewal filed already, even one that begins later, silences it)."""
    covering = [a for a in signed if a.filed_on <= today and a.ends >= today and set(a.services) & set(asked)]
    last_day = max(a.ends for a in covering)
    days = (last_day - today).days
    if days <= warn_days:
        rule = "agreement-expiring"
        ending = min((a for a in covering if a.ends == last_day), key=lambda a: a.id)
        yield Hit(rule, Finding(rule, where, {"input": ending.id, "agreement": ending.id,
                                               "ends": str(last_day), "days": days}))


CHECKS = (check_agreement,)
