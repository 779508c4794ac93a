"""Names: codes that say whose a resource is (art27), server names that fit in a hostname (art14)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from provisioner.policy.findings import Hit
from provisioner.policy.messages import WORDS
from provisioner.policy.rules.context import Context
from provisioner.spec import formats
from provisioner.spec.findings import Finding

if TYPE_CHECKING:
    from provisioner.spec.model import RequestSpec

_REGION = {"region", "prefix"}
PARAMS = {
    "naming-department-region": _REGION,
    "naming-request-id-region": _REGION | {"example"},
    "naming-bucket-region": _REGION | {"example"},
    "naming-server-name-length": {"server", "length", "max", "budget"},
}


@dataclass(frozen=True)
class _Region:
    """A region in a naming rule's message: its name and code in Chinese; in English its code,
    which the office's English messages are written around ("the code of region xiushui")."""

    code: str

    def render(self, lang: str) -> str:
        if lang == "en":
            return self.code
        return WORDS.say("region-named", lang, name=formats.REGIONS[self.code], code=self.code)


def check_region_codes(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    region = spec.region
    prefix = ctx.policies.naming.region_prefixes[region]
    where = {"region": _Region(region), "prefix": prefix}
    if not spec.department.startswith(prefix + "-"):
        rule = "naming-department-region"
        yield Hit(rule, Finding(rule, ("applicant", "department"), {"input": spec.department, **where}))
    request_id = spec.metadata.request_id
    letters, _, rest = request_id.partition("-")
    if letters != prefix.upper():
        rule = "naming-request-id-region"
        yield Hit(rule, Finding(rule, ("metadata", "request_id"), {
            "input": request_id, "example": f"{prefix.upper()}-{rest}", **where}))
    for index, bucket in enumerate(spec.resources.storage.buckets):
        if not bucket.name.startswith(prefix + "-"):
            rule = "naming-bucket-region"
            yield Hit(rule, Finding(rule, ("resources", "storage", "buckets", index, "name"), {
                "input": bucket.name, "example": f"{prefix}-{bucket.name}"[:63], **where}))


def check_server_names(spec: RequestSpec, ctx: Context) -> Iterator[Hit]:
    limit = ctx.policies.naming.max_server_name
    system = spec.metadata.system
    for index, host in enumerate(spec.resources.hosts):
        longest = f"{system}-{host.name}-{host.count}"   # the program's <system>-<host>-<n>
        if len(longest) > limit:
            rule = "naming-server-name-length"
            yield Hit(rule, Finding(rule, ("resources", "hosts", index, "name"), {
                "input": host.name, "server": longest, "length": len(longest), "max": limit,
                "budget": limit - len(f"--{host.count}")}))


CHECKS = (check_region_codes, check_server_names)
