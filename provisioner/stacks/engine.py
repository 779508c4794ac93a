"""The Pulumi engine, driven through the Automation API on the repository's own project.

govcloud runs exactly what ops run by hand: the Pulumi.yaml at the repository
root, its program, and the stack files in stacks/. Only this module talks to
pulumi.automation; its failures leave here as EngineError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pulumi import automation as auto

from provisioner.errors import EngineError
from provisioner.settings import Settings


@dataclass(frozen=True)
class Outcome:
    """What one engine operation did to one stack."""

    stack: str
    operation: str                      # up | preview | destroy | refresh
    changes: dict[str, int] = field(default_factory=dict)   # e.g. {"create": 9, "same": 2}
    outputs: dict[str, object] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(count for op, count in self.changes.items() if op != "same")


@dataclass(frozen=True)
class Drifted:
    """A resource whose cloud side no longer matches the stack's state."""

    name: str
    type: str
    op: str                      # what a refresh would do to the state: update | delete
    properties: tuple[str, ...]  # which properties differ


class Engine:
    def __init__(self, settings: Settings, on_output: Callable[[str], None] | None = None):
        settings.check_engine()
        if settings.backend_url.startswith("file://"):
            # A local backend is a directory Pulumi will not create itself.
            Path(settings.backend_url.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
        self._settings = settings
        self._on_output = on_output
        try:
            self._command = auto.PulumiCommand(root=str(settings.engine_bin.parent))
        except Exception as exc:  # the CLI failed to start: wrong build, missing binary
            raise EngineError(f"the Pulumi CLI at {settings.engine_bin} does not run: {exc}") from exc

    def _workspace(self) -> auto.LocalWorkspace:
        return auto.LocalWorkspace(
            work_dir=str(self._settings.root), pulumi_home=str(self._settings.pulumi_home),
            env_vars=self._settings.pulumi_env(), pulumi_command=self._command)

    def _stack(self, name: str) -> auto.Stack:
        try:
            return auto.Stack.create_or_select(name, self._workspace())
        except auto.CommandError as exc:
            raise EngineError(f"cannot open stack {name}: {exc}") from exc

    def up(self, name: str) -> Outcome:
        """Bring the cloud to the code: refresh first (what changed outside the code is put
        back, what was deleted is made again), and replace what a failed earlier up left
        half-made (see failed_creations)."""
        stack = self._stack(name)
        replace = self.failed_creations(name, stack)
        try:
            result = stack.up(on_output=self._on_output, color="never", refresh=True,
                              replace=replace or None)
        except auto.CommandError as exc:
            raise EngineError(f"pulumi up failed for stack {name}:\n{exc}") from exc
        return Outcome(name, "up", dict(result.summary.resource_changes or {}),
                       {k: v.value for k, v in result.outputs.items()})

    def resources(self, name: str, stack: auto.Stack | None = None) -> list[dict]:
        """The stack's resources as its state holds them (`pulumi stack export`)."""
        stack = stack or self._stack(name)
        try:
            deployment = stack.export_stack().deployment or {}
        except auto.CommandError as exc:
            raise EngineError(f"cannot read the state of stack {name}:\n{exc}") from exc
        return list(deployment.get("resources") or [])

    def failed_creations(self, name: str, stack: auto.Stack | None = None) -> list[str]:
        """URNs of resources a failed up created but could not finish (their state has
        initErrors): a server that ended in ERROR, a Cinder volume that ended in `error`.

        Pulumi keeps such a resource and, on the next up, only *updates* it, which cannot
        mend a volume that never got a backend: it stays in `error` (the refresh before up
        reads it back as it is) and its attachment fails on every run. Terraform taints
        these; the same here: they are replaced. Protected resources are left alone
        (replacing one needs the termination flow's release)."""
        return [r["urn"] for r in self.resources(name, stack)
                if r.get("initErrors") and not r.get("protect") and r.get("custom", True)]

    def preview(self, name: str) -> Outcome:
        stack = self._stack(name)
        try:
            result = stack.preview(on_output=self._on_output, color="never")
        except auto.CommandError as exc:
            raise EngineError(f"pulumi preview failed for stack {name}:\n{exc}") from exc
        return Outcome(name, "preview", {str(k): v for k, v in result.change_summary.items()})

    def drift(self, name: str) -> tuple[Outcome, list[Drifted]]:
        """Compare the cloud with the stack's state, changing neither (refresh --preview-only)."""
        stack = self._stack(name)
        drifted: list[Drifted] = []

        seen: set[str] = set()

        def collect(event: auto.EngineEvent) -> None:
            # A refresh announces every resource (op `refresh`); what it found comes with the
            # resource's outputs event: `delete` (gone from the cloud), `update` (with diffs).
            for step in (event.resource_pre_event, event.res_outputs_event):
                if step is None:
                    continue
                meta = step.metadata
                if meta.urn in seen or meta.op in (auto.OpType.SAME, auto.OpType.REFRESH, auto.OpType.READ):
                    continue
                if meta.op == auto.OpType.DELETE:
                    drifted.append(Drifted(meta.urn.rsplit("::", 1)[-1], meta.type, "delete", ()))
                elif meta.diffs:
                    drifted.append(Drifted(meta.urn.rsplit("::", 1)[-1], meta.type, str(meta.op.value),
                                           tuple(sorted(meta.diffs))))
                else:
                    continue
                seen.add(meta.urn)

        try:
            result = stack.preview_refresh(on_output=self._on_output, on_event=collect, color="never")
        except auto.CommandError as exc:
            raise EngineError(f"pulumi refresh --preview-only failed for stack {name}:\n{exc}") from exc
        return Outcome(name, "drift", {str(k): v for k, v in result.change_summary.items()}), drifted

    def destroy(self, name: str) -> Outcome:
        stack = self._stack(name)
        try:
            result = stack.destroy(on_output=self._on_output, color="never")
        except auto.CommandError as exc:
            raise EngineError(f"pulumi destroy failed for stack {name}:\n{exc}") from exc
        return Outcome(name, "destroy", dict(result.summary.resource_changes or {}))

    def unprotect_all(self, name: str) -> None:
        """Lift `protect` from every resource of the stack: the termination flow's release,
        after its backups were verified."""
        try:
            self._command.run(["state", "unprotect", "--all", "--yes", "--stack", name],
                              str(self._settings.root), self._settings.pulumi_env())
        except auto.CommandError as exc:
            raise EngineError(f"cannot lift protection in stack {name}:\n{exc}") from exc

    def outputs(self, name: str) -> dict[str, object]:
        return {k: v.value for k, v in self._stack(name).outputs().items()}

    # -- added for provisioner.gitops (plan on merge requests, unlock) ---------------------

    def exists(self, name: str) -> bool:
        """Whether the stack exists in the state backend (selecting it creates nothing)."""
        try:
            auto.Stack.select(name, self._workspace())
        except auto.StackNotFoundError:
            return False
        except auto.CommandError as exc:
            raise EngineError(f"cannot look up stack {name}: {exc}") from exc
        return True

    def stack_names(self) -> set[str]:
        """Every stack of the project in the state backend (one CLI call)."""
        try:
            return {summary.name for summary in self._workspace().list_stacks()}
        except auto.CommandError as exc:
            raise EngineError(f"cannot list the stacks: {exc}") from exc

    def preview_steps(self, name: str) -> tuple[Outcome, list[PlannedStep]]:
        """A preview, with each resource step it plans (for the merge-request comment)."""
        stack = self._stack(name)
        steps: list[PlannedStep] = []

        def collect(event: auto.EngineEvent) -> None:
            pre = event.resource_pre_event
            if pre is None or pre.metadata.op in (auto.OpType.SAME, auto.OpType.READ):
                return
            meta = pre.metadata
            steps.append(PlannedStep(str(meta.op.value), meta.type, meta.urn.rsplit("::", 1)[-1],
                                 tuple(sorted(meta.diffs or ()))))

        try:
            result = stack.preview(on_output=self._on_output, on_event=collect, color="never")
        except auto.CommandError as exc:
            raise EngineError(f"pulumi preview failed for stack {name}:\n{exc}") from exc
        return Outcome(name, "preview", {str(k): v for k, v in result.change_summary.items()}), steps

    def remove(self, name: str) -> None:
        """Remove a stack that holds no resources, keeping its stack file (refuses otherwise)."""
        try:
            self._workspace().remove_stack(name, preserve_config=True)
        except auto.CommandError as exc:
            raise EngineError(f"cannot remove stack {name}: {exc}") from exc


@dataclass(frozen=True)
class PlannedStep:
    """One resource step a preview plans: create, update, replace, delete..."""

    op: str
    type: str
    name: str
    diffs: tuple[str, ...] = ()
