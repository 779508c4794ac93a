"""Is a change minor (done within 3 working days) or major (the whole flow again)? art18.

The rules are data, policies/change-classification.yaml, owned by the information
office (read by provisioner.policy: Policies.classification); `classify` applies them to the old and the new
RequestSpec. A change is major when any rule matches; every matching rule is a reason,
in Chinese and English. Only a few fields of the spec are read by name (hosts, their
flavor, count and data disks, the network CIDR, the security level and ingress); every
other resource section is compared as a whole, so sections added to the model later
are still classified (new kinds are major; changes nobody can measure follow the policy).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from provisioner.allocation import allocate, sized_by
from provisioner.lifecycle.messages import MEASURES as MEASURE_WORDS, WORDS, both
from provisioner.regulation import CHANGE
from provisioner.spec.model import RequestSpec

MEASURES = ("instances", "vcpus", "ram_gb", "data_disk_gb")
_NAMED_SECTIONS = ("hosts", "network", "security")   # resources.* read field by field below


class FlavorSize(Protocol):
    vcpus: int
    ram_mb: int


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionRule(_Strict):
    id: str
    path: str = Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$", description="dotted path in the spec, e.g. resources.security")
    zh: str
    en: str


class GrowthRule(_Strict):
    percent: float = Field(gt=0, description="growth of any measure beyond this percentage is major")
    measures: list[Literal["instances", "vcpus", "ram_gb", "data_disk_gb"]] = Field(min_length=1)


class Rules(_Strict):
    version: Literal[1]
    new_resource_kinds: bool = True
    changed_sections: list[SectionRule] = Field(default_factory=list)
    host_fields: list[str] = Field(default_factory=list, description="host fields whose change is major, e.g. image")
    growth: GrowthRule
    unmeasured_changes: Literal["major", "minor"] = "major"


@dataclass(frozen=True)
class Reason:
    rule: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Classification:
    major: bool
    reasons: tuple[Reason, ...]

    @property
    def kind(self) -> str:
        return "major" if self.major else "minor"

    def summary(self, lang: str = "zh") -> str:
        reasons = "; ".join(r.text(lang) for r in self.reasons)
        head = (WORDS.say("change-major", lang) if self.major
                else WORDS.say("change-minor", lang, within=CHANGE.text(lang)))
        return WORDS.say("change-summary", lang, head=head, reasons=reasons)


def classify(old: RequestSpec, new: RequestSpec, rules: Rules,
             flavors: Mapping[str, FlavorSize] | None = None) -> Classification:
    old_dump = old.model_dump(mode="json", by_alias=True)
    new_dump = new.model_dump(mode="json", by_alias=True)
    reasons = [*_new_kinds(old_dump, new_dump, rules), *_sections(old_dump, new_dump, rules),
               *_host_fields(old, new, rules), *_growth(old, new, rules, flavors or {}),
               *_unmeasured(old_dump, new_dump, rules)]
    if reasons:
        return Classification(True, tuple(reasons))
    return Classification(False, (Reason("no-major-rule", *both("reason-no-major-rule")),))


def _present(value: Any) -> bool:
    """Whether a dumped section asks for anything: a dict of empty lists or zeros does not."""
    if isinstance(value, dict):
        return any(_present(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return value not in (None, "", 0, False)


def _kinds(resources: dict[str, Any]) -> dict[str, Any]:
    """Resource kinds by dotted path: each section, or each part of a section that is a mapping."""
    kinds: dict[str, Any] = {}
    for key, value in resources.items():
        if isinstance(value, dict):
            kinds.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            kinds[key] = value
    return kinds


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _new_kinds(old: dict, new: dict, rules: Rules) -> list[Reason]:
    if not rules.new_resource_kinds:
        return []
    covered = tuple(r.path.removeprefix("resources.") for r in rules.changed_sections)
    before, after = _kinds(old["resources"]), _kinds(new["resources"])
    added = sorted(k for k, v in after.items()
                   if _present(v) and not _present(before.get(k)) and not k.startswith(covered))
    return [Reason("new-resource-kind", *both("reason-new-kind", kind=kind)) for kind in added]


def _sections(old: dict, new: dict, rules: Rules) -> list[Reason]:
    return [Reason(rule.id, rule.zh, rule.en) for rule in rules.changed_sections
            if _at(old, rule.path) != _at(new, rule.path)]


def _host_fields(old: RequestSpec, new: RequestSpec, rules: Rules) -> list[Reason]:
    before = {h.name: h.model_dump(mode="json") for h in old.resources.hosts}
    found = []
    for host in new.resources.hosts:
        previous = before.get(host.name)
        if previous is None:
            continue
        now = host.model_dump(mode="json")
        for name in rules.host_fields:
            if previous.get(name) != now.get(name):
                found.append(Reason(f"host-{name}", *both("reason-host-field", host=host.name, name=name,
                                                          before=previous.get(name), after=now.get(name))))
    return found


def measure(spec: RequestSpec, flavors: Mapping[str, FlavorSize]) -> tuple[dict[str, float], list[str]]:
    """Totals of the spec's hosts (the allocation model's), and the flavors whose size is unknown."""
    allocation = allocate(spec, sized_by(flavors))
    hosts = allocation.hosts
    names = {host.name for host in hosts}
    data_disks = [d for d in allocation.disks if d.server in names and d.image is None]
    totals = {"instances": float(len(hosts)), "vcpus": float(sum(h.vcpus or 0 for h in hosts)),
              "ram_gb": sum(h.ram_mb or 0 for h in hosts) / 1024, "data_disk_gb": float(sum(d.size_gb for d in data_disks))}
    unknown = [h.flavor for h in hosts if h.vcpus is None]
    return totals, unknown


def _growth(old: RequestSpec, new: RequestSpec, rules: Rules, flavors: Mapping[str, FlavorSize]) -> list[Reason]:
    before, unknown_before = measure(old, flavors)
    after, unknown_after = measure(new, flavors)
    found = []
    needs_flavors = {"vcpus", "ram_gb"} & set(rules.growth.measures)
    unknown = sorted(set(unknown_before) | set(unknown_after))
    if needs_flavors and unknown:
        found.append(Reason("growth-unmeasurable", *both("reason-growth-unmeasurable", flavors=", ".join(unknown))))
    for name in rules.growth.measures:
        if name in needs_flavors and unknown:
            continue
        old_value, new_value = before[name], after[name]
        if new_value <= old_value:
            continue
        percent = float("inf") if old_value == 0 else (new_value - old_value) / old_value * 100
        if percent > rules.growth.percent:
            shown = "∞" if percent == float("inf") else f"{percent:.0f}%"
            values = {"before": f"{old_value:g}", "after": f"{new_value:g}", "grown": shown,
                      "limit": f"{rules.growth.percent:g}"}
            found.append(Reason(f"growth-{name}",
                                WORDS.say("reason-growth", "zh", measure=MEASURE_WORDS[name][0], **values),
                                WORDS.say("reason-growth", "en", measure=MEASURE_WORDS[name][1], **values)))
    return found


def _unmeasured(old: dict, new: dict, rules: Rules) -> list[Reason]:
    if rules.unmeasured_changes != "major":
        return []
    covered = {r.path for r in rules.changed_sections}
    found = []
    for key in sorted(set(old["resources"]) | set(new["resources"])):
        if key in _NAMED_SECTIONS or f"resources.{key}" in covered:
            continue
        before, after = old["resources"].get(key), new["resources"].get(key)
        if _present(before) and before != after:
            found.append(Reason(f"unmeasured-{key}", *both("reason-unmeasured", section=key)))
    return found
