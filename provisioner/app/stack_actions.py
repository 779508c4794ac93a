"""The lifecycle's stack operations on the Pulumi engine (reconcile's StackActions).

Each is idempotent, as reconcile requires: `up` converges; termination's backup step
backs up again if repeated (a run killed before it was recorded), and its destroy step
finds a destroyed stack empty. Promotion changes the stack's
phase in place (labels, protection); it never rebuilds (art17). The phase each
renders is the one the ledger gives (SystemRef.phase), so a production stack is
never labelled trial again.

Reconcile may run actions of several systems at once (`-j`): systems of one
department share its tenant stack, which is rendered and brought up once per run,
one system at a time (a lock per tenant), before the first of its systems.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import asdict

from provisioner.app import apply as apply_job
from provisioner.app.data_removal import system_first, up_keeping_data
from provisioner.app.messages import WORDS
from provisioner.cloud.backups import back_up_system, connect_project
from provisioner.cloud.handover_data import data_to_export
from provisioner.errors import ConfigError
from provisioner.app.actions import ActionOutcome, SystemRef
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine, Outcome, StackFailed
from provisioner.stacks.progress import Progress


class PulumiStackActions:
    records_intent_only = False

    def __init__(self, settings: Settings, engine: Engine | None = None, progress: Progress | None = None):
        self._settings = settings
        self._engine = engine or Engine(settings)
        self.progress = progress          # a line per stack brought up (govcloud reconcile, apply)
        self._guard = threading.Lock()
        self._tenant_locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._tenants_up: set[str] = set()
        self._discovered: list[apply_job.Planned] | None = None

    def _planned(self, ref: SystemRef) -> apply_job.Planned:
        with self._guard:
            if self._discovered is None:
                self._discovered = apply_job.discover(self._settings.root)
        for item in self._discovered:
            if item.system == ref.system_key:
                return item
        raise ConfigError(WORDS("no-request-for-system", system=ref.system_key))

    def _up(self, item: apply_job.Planned, phase: str | None) -> ActionOutcome:
        with self._guard:
            tenant_lock = self._tenant_locks[item.tenant]
        with tenant_lock:    # the tenant's file and stack are shared by its department's systems
            apply_job.render(self._settings, [item], phase=phase)
            tenant, system = None, None
            if item.tenant not in self._tenants_up:
                try:
                    tenant = self._stack_up(item.tenant)
                except StackFailed as refused:  # a running system may have to go first (a data disk dropped, art18)
                    tenant, system = system_first(self._stack_up, item.tenant, item.system, refused,
                                                  self._engine.exists)
                self._tenants_up.add(item.tenant)
        if system is None:
            system = self._stack_up(item.system)
        # Keys of their own: they join the event's detail, beside `system` and the deadlines.
        return ActionOutcome(True, {"tenant_changes": tenant.changes if tenant else {},
                                    "stack_changes": system.changes,
                                    "outputs": {k: str(v) for k, v in system.outputs.items()},
                                    # the data volumes the change removed, each backed up first (art18)
                                    **({"backups": list(system.backups)} if system.backups else {})})

    def _stack_up(self, stack: str) -> Outcome:
        if self.progress:
            self.progress.started(stack)
        outcome = up_keeping_data(self._settings, self._engine, stack)
        if self.progress:
            self.progress.finished(outcome)
        return outcome

    def create_trial(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref), ref.phase or "trial")

    def promote(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref), "production")

    def apply_change(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref), ref.phase or "production")

    def back_up(self, ref: SystemRef) -> ActionOutcome:
        """Termination, part 1 (art19, art25): back up every volume and verify it, and list what
        the backups do not hold (containers, shares); the ledger makes the hand-over record of
        it. Nothing is destroyed.

        One stack carries every generation of a system (lifecycle/phase.py): when a major
        change's newer generation runs on it (`ref.phase` is not None), the generation it
        superseded ends without touching the stack, whose volumes are the running system's."""
        retention = self._settings.policies.handover
        policy = {"retention_days": retention.days, "retention_policy": retention.where}
        if ref.phase is not None:   # superseded by a major change: the stack and its data are the new one's
            return ActionOutcome(True, {"backups": [], "exports": [], **policy, "stack_kept_for": ref.phase})
        stack = ref.system_key
        project_id = str(self._engine.outputs(stack).get("projectId", "")) if self._engine.exists(stack) else ""
        if not project_id:  # never created or already destroyed: nothing to back up
            return ActionOutcome(True, {"backups": [], "exports": [], **policy})
        conn = connect_project(self._settings, project_id)
        backups = back_up_system(conn, ref.system)
        exports = data_to_export(conn, self._engine.resources(stack))
        return ActionOutcome(True, {"backups": [asdict(b) for b in backups], "exports": exports, **policy})

    def terminate(self, ref: SystemRef) -> ActionOutcome:
        """Termination, part 2: lift protection and destroy. Reconcile asks for it only once the
        unit confirmed the hand-over record of the backups part 1 made (art25)."""
        stack = ref.system_key
        if ref.phase is not None:   # superseded by a major change (art18): a newer generation runs on it
            return ActionOutcome(True, {"destroyed": False, "stack_kept_for": ref.phase})
        if not self._engine.exists(stack):      # never made, or destroyed by an earlier attempt
            return ActionOutcome(True, {"destroyed": False})
        self._engine.unprotect_all(stack)
        destroyed = self._engine.destroy(stack)
        return ActionOutcome(True, {"destroyed": destroyed.changes})
