"""The port reconcile acts through: the stack operations a lifecycle step asks for.

Apart from reconcile.py so that an implementation (stack_actions.py, on the Pulumi engine)
imports these types without importing reconcile, which chooses the implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class SystemRef:
    """What an engine needs to act on one generation of a system."""

    system_key: str
    generation: int
    region: str
    department: str
    system: str
    request_id: str
    request_kind: str
    spec: dict[str, Any] | None
    # The phase the stack carries once the action is done (lifecycle/phase.py): a major
    # change's new generation keeps a production stack production.
    phase: str | None = None


@dataclass(frozen=True)
class ActionOutcome:
    done: bool                                   # False: only the intent was recorded
    detail: dict[str, Any] = field(default_factory=dict)


class StackActions(Protocol):
    """The stack operations reconcile asks for; each must be idempotent (safe to repeat).

    back_up backs the data up and verifies it (art19), destroying nothing, and raises if that
    failed; its detail is what the hand-over record lists (art25). terminate destroys; it is
    asked for only once the unit confirmed that record. Raise a GovcloudError for a failure.
    """

    records_intent_only: bool

    def create_trial(self, ref: SystemRef) -> ActionOutcome: ...
    def promote(self, ref: SystemRef) -> ActionOutcome: ...
    def apply_change(self, ref: SystemRef) -> ActionOutcome: ...
    def back_up(self, ref: SystemRef) -> ActionOutcome: ...
    def terminate(self, ref: SystemRef) -> ActionOutcome: ...


class IntentOnlyActions:
    """No engine configured: nothing is done; reconcile records the intent once for the provider."""

    records_intent_only = True

    def _intent(self, ref: SystemRef) -> ActionOutcome:
        return ActionOutcome(False, {"reason": "no engine configured"})

    create_trial = promote = apply_change = back_up = terminate = _intent
