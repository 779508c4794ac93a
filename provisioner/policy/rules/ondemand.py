"""art15 "allocate on demand": caps that reject, thresholds that call an expert review.

Per system, and per department with every request under request_specs/<department>/
counted, pending ones included: what a department is about to hold, not just
what already runs. A department total only concerns a request that adds to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from provisioner.policy.findings import Hit
from provisioner.policy.measures import MEASURE_WORDS, Usage, add, number
from provisioner.policy.messages import WORDS
from provisioner.policy.model import MEASURES, Scope
from provisioner.policy.rules.context import Context, Department, listing
from provisioner.policy.rules.security import source_from_internet
from provisioner.spec.findings import Finding

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

_LIMIT = {"measure", "value", "limit"}
PARAMS = {
    "ondemand-system-cap": _LIMIT,
    "ondemand-system-review": _LIMIT,
    "ondemand-department-cap": _LIMIT | {"department", "systems"},
    "ondemand-department-review": _LIMIT | {"department", "systems"},
    "ondemand-idle-internet": {"what"},
}


def check_on_demand(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    own = ctx.usage(spec)
    on_demand = ctx.policies.on_demand
    yield from _limits("ondemand-system", on_demand.system, own, own.totals, {})
    department = ctx.department or Department(spec.department)
    extra = {"department": department.code, "systems": listing(department.systems)}
    yield from _limits("ondemand-department", on_demand.for_department(department.code), own,
                       add(department.totals, own.totals), extra)


def _limits(prefix: str, scope: Scope, own: Usage, totals: dict[str, float], extra: dict) -> Iterator[Hit]:
    for measure in MEASURES:
        if not own.totals.get(measure):
            continue  # this request adds nothing to it
        value = totals.get(measure, 0.0)
        cap = scope.caps.of(measure)
        if cap is not None and value > cap:
            kind, limit = "cap", cap      # over the cap: the review threshold says nothing more
        else:
            limit = scope.review.of(measure)
            if limit is None or value <= limit:
                continue
            kind = "review"
        rule = f"{prefix}-{kind}"
        yield Hit(rule, Finding(rule, own.largest[measure], {
            "measure": MEASURE_WORDS[measure], "value": number(value), "limit": limit, **extra}))


def check_idle_internet(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    bandwidth = spec.resources.bandwidth
    if not (bandwidth.public_ips or bandwidth.internet_mbps):
        return
    trusted = tuple(ctx.policies.security.trusted_sources)
    if any(source_from_internet(rule.source, trusted) for rule in spec.resources.security.ingress):
        return
    ips = WORDS("idle-public-ips", count=bandwidth.public_ips) if bandwidth.public_ips else None
    mbps = WORDS("idle-internet-mbps", mbps=bandwidth.internet_mbps) if bandwidth.internet_mbps else None
    what = WORDS("idle-both", first=ips, second=mbps) if ips and mbps else (ips or mbps)
    key = "public_ips" if bandwidth.public_ips else "internet_mbps"
    rule = "ondemand-idle-internet"
    yield Hit(rule, Finding(rule, ("resources", "bandwidth", key), {"what": what}))


CHECKS = (check_on_demand, check_idle_internet)
