"""The lifecycle's stack operations on the Pulumi engine (reconcile's StackActions).

Each is idempotent, as reconcile requires: `up` converges, and termination
checks what is already backed up and destroyed. Promotion changes the stack's
phase in place (labels, protection); it never rebuilds (art17).
"""

from __future__ import annotations

from dataclasses import asdict

from provisioner import apply as apply_job
from provisioner.cloud.backups import back_up_system, connect_project
from provisioner.errors import ConfigError
from provisioner.reconcile import ActionOutcome, SystemRef
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine


class PulumiStackActions:
    records_intent_only = False

    def __init__(self, settings: Settings, engine: Engine | None = None):
        self._settings = settings
        self._engine = engine or Engine(settings)

    def _planned(self, ref: SystemRef) -> apply_job.Planned:
        for item in apply_job.discover(self._settings.root):
            if item.system == ref.system_key:
                return item
        raise ConfigError(f"no request spec under request_specs/ is for system {ref.system_key}")

    def _up(self, item: apply_job.Planned, **render: object) -> ActionOutcome:
        apply_job.render(self._settings, [item], **render)
        tenant = self._engine.up(item.tenant)
        system = self._engine.up(item.system)
        return ActionOutcome(True, {"tenant": tenant.changes, "system": system.changes,
                                    "outputs": {k: str(v) for k, v in system.outputs.items()}})

    def create_trial(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref), phase="trial")

    def promote(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref), phase="production")

    def apply_change(self, ref: SystemRef) -> ActionOutcome:
        return self._up(self._planned(ref))

    def terminate(self, ref: SystemRef) -> ActionOutcome:
        """Back up every volume and verify it, then lift protection and destroy (art19)."""
        stack = ref.system_key
        project_id = str(self._engine.outputs(stack).get("projectId", ""))
        if not project_id:  # never created or already destroyed: nothing to back up
            return ActionOutcome(True, {"backups": [], "destroyed": False})
        backups = back_up_system(connect_project(self._settings, project_id), ref.system)
        self._engine.unprotect_all(stack)
        destroyed = self._engine.destroy(stack)
        return ActionOutcome(True, {"backups": [asdict(b) for b in backups],
                                    "destroyed": destroyed.changes})
