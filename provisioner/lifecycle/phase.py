"""The phase a system's stack carries (its `phase` label), from the ledger's generations; pure.

One stack per system (`<region>.<department>.<system>`) whatever its generation, so:
production while any generation runs in production (or a minor change is being applied
to it), a major change's new generation included: a stack in production is never labelled
trial again; trial while the only running generation is in its trial or being prepared;
None when nothing of the system should run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from provisioner.lifecycle.states import State

if TYPE_CHECKING:
    from provisioner.lifecycle.machine import SystemView

Phase = Literal["trial", "production"]

PRODUCTION_STATES = frozenset({State.PRODUCTION, State.CHANGING})
TRIAL_STATES = frozenset({State.ACCEPTED, State.TRIAL})


def stack_phase(generations: Iterable[SystemView]) -> Phase | None:
    states = {view.state for view in generations}
    if states & PRODUCTION_STATES:
        return "production"
    if states & TRIAL_STATES:
        return "trial"
    return None
