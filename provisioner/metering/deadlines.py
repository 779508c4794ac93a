"""Deadlines met and breached, from the lifecycle events in the ledger (pure).

A deadline is one (generation, rule, moment): the step that ends a timed state records it
with `late` (provisioner.lifecycle.machine._lateness), and reconcile records a
`deadline_missed` event as soon as one passes. A deadline is breached if either says so,
met if it was completed in time; one still running and not yet passed is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from sys import intern
from typing import Any

MET = "met"
BREACHED = "breached"
# The provider's own deadlines (art29 "service response"); art15 is the office's.
PROVIDER_RULES = ("art16-prepare", "art18")


@dataclass(frozen=True, slots=True)
class DeadlineEvent:
    system_key: str
    generation: int
    region: str
    department: str
    kind: str
    rule: str | None
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    system_key: str
    region: str
    department: str
    rule: str
    deadline: datetime
    outcome: str         # MET or BREACHED


def outcomes(events: Iterable[DeadlineEvent]) -> list[Outcome]:
    found: dict[tuple[str, int, str, str], Outcome] = {}
    for ev in events:
        if ev.kind == "deadline_missed":
            rule, late = ev.rule, True
        elif "late" in ev.detail and ev.detail.get("deadline_rule"):
            rule, late = ev.detail["deadline_rule"], bool(ev.detail["late"])
        else:
            continue
        moment = ev.detail.get("deadline")
        if rule is None or not moment:
            continue
        key = (ev.system_key, ev.generation, rule, str(moment))
        previous = found.get(key)
        verdict = BREACHED if late or (previous is not None and previous.outcome == BREACHED) else MET
        found[key] = Outcome(ev.system_key, ev.region, ev.department, intern(rule), datetime.fromisoformat(moment),
                             verdict)
    return sorted(found.values(), key=lambda o: (o.deadline, o.system_key, o.rule))
