"""The Pulumi engine, driven through the Automation API on the repository's own project.

govcloud runs exactly what ops run by hand: the Pulumi.yaml at the repository
root, its program, and the stack files in stacks/. Only this module talks to
pulumi.automation; its failures leave here as EngineError.

Each operation on a stack (up, preview, refresh, destroy) is one `pulumi` process
with an event log, read back when it ends. Those processes die with govcloud
(processes.py); what a killed run leaves is taken over by the next operation on the
stack: its stale lock (provisioner/stacks/locks.py) and its pending creates, settled
against the cloud (provisioner/pending_creates.py). Every line pulumi prints goes to the run's log file
(runlog.py); a failure leaves here as StackFailed, in one line. `auto.Stack.up` would follow every up
with three more processes (`stack output` twice and `stack history`) and every
stack needs `stack select` first: about 1.5 s a stack on two cores, for outputs
and counts the event log already holds.
"""

from __future__ import annotations

import gzip
import json
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pulumi import automation as auto

from provisioner.errors import ConfigError, EngineError
from provisioner.stacks import locks
from provisioner.settings import Settings
from provisioner import naming
from provisioner import pending_creates as pending
from provisioner.stacks import processes, sidecars
from provisioner.stacks.data import SHARE as SHARE_TYPE
from provisioner.stacks.data import VOLUME as VOLUME_TYPE
from provisioner.stacks.data import holds_data
from provisioner.stacks.fields import STACK_TYPE
from provisioner.stacks.messages import WORDS
from provisioner.stacks.removals import RemovedData, protection_refusals, release, removed_data, unprotect_line
from provisioner.stacks.runlog import RunLog, failure_reason
from provisioner.words import Text, say



@dataclass(frozen=True)
class Outcome:
    """What one engine operation did to one stack."""

    stack: str
    operation: str                      # up | preview | destroy | refresh
    changes: dict[str, int] = field(default_factory=dict)   # e.g. {"create": 9, "same": 2}
    outputs: dict[str, object] = field(default_factory=dict)
    # After an up: every resource the stack now holds, as `pulumi stack export` lists them
    # (urn, type, id, outputs, protect), read from the up's own events.
    resources: tuple[dict, ...] = ()
    failure: str = ""                   # why the operation failed, in one line ("" when it did not)
    # The data volumes and containers an approved change removed, each backed up (copied) first
    # (provisioner/app/data_removal.py): provisioner.cloud.backups.BackupRecord and
    # provisioner.cloud.container_copies.ContainerCopy (kind "swift-container-copy") as dicts.
    backups: tuple[dict, ...] = ()

    @property
    def changed(self) -> bool:
        return any(count for op, count in self.changes.items() if op != "same")


class StackFailed(EngineError):
    """One operation on one stack failed: told in one line, Pulumi's full output in the run's log."""

    def __init__(self, stack: str, operation: str, reason: str | Text, log: Path | None = None,
                 refused: frozenset[str] = frozenset()) -> None:
        self.stack, self.operation, self.reason, self.log = stack, operation, reason, log
        # When pulumi failed only because it may not delete or replace these protected resources
        # (URNs): what provisioner/app/data_removal.py backs up and releases.
        self.refused = refused
        # Verified backups of data volumes released (protection lifted) before the run failed, as
        # provisioner.cloud.backups.BackupRecord dicts: the next up deletes those without asking, so the
        # failure is where they are recorded (reconcile's action_failed event).
        self.backups: tuple[dict, ...] = ()
        # The outcome lines (progress.py) are an operations log in English, as their operation names are.
        self.outcome = Outcome(stack, operation, failure=say(reason, "en"))
        where = WORDS("full-output", log=log) if log else ""
        super().__init__(WORDS("stack-failed", operation=operation, stack=stack, reason=reason, where=where))


@dataclass(frozen=True)
class Drifted:
    """A resource whose cloud side no longer matches the stack's state."""

    name: str
    type: str
    op: str                      # what a refresh would do to the state: update | delete
    properties: tuple[str, ...]  # which properties differ


@dataclass(frozen=True)
class PlannedStep:
    """One resource step a preview plans: create, update, replace, delete..."""

    op: str
    type: str
    name: str
    diffs: tuple[str, ...] = ()
    backed_up: bool = False      # a protected data volume (container) the change removes: backed up (copied) first (art18)


@dataclass(frozen=True)
class _Run:
    """One finished `pulumi` process: its engine events, and its failure if it failed."""

    events: list[auto.EngineEvent]
    error: auto.CommandError | None
    log: Path | None = None

    def check(self, what: str, name: str) -> _Run:
        """The run itself, unless pulumi failed: then StackFailed, in one line."""
        if self.error is not None:
            raise StackFailed(name, what, failure_reason(self.events, str(self.error)),
                              self.log, frozenset(self.refused_only()))
        return self

    def refused_only(self) -> set[str]:
        """The protected resources pulumi refused to delete or replace, when that alone failed the run."""
        refused, others = protection_refusals(self.events)
        return set() if self.error is None or others else refused

    def holders(self) -> list[locks.Holder] | None:
        """Who holds the stack's lock, when that is why pulumi failed."""
        return None if self.error is None else locks.parse_lock_error(str(self.error))

    def changes(self) -> dict[str, int]:
        for event in self.events:
            if event.summary_event is not None:
                return {str(op): count for op, count in (event.summary_event.resource_changes or {}).items()}
        return {}

    def steps(self) -> Iterable[auto.StepEventMetadata]:
        for event in self.events:
            for step in (event.resource_pre_event, event.res_outputs_event):
                if step is not None:
                    yield step.metadata


class Engine:
    def __init__(self, settings: Settings, on_output: Callable[[str], None] | None = None,
                 on_notice: Callable[[str, str], None] | None = None, lock_wait: float | None = None):
        """`on_output` gets each line pulumi prints; `on_notice` (Chinese, English) what the
        engine did on its own (a stale lock taken over, a pending create settled, a lock
        waited for); a stack locked by a live run is waited for up to `lock_wait` seconds
        (default GOVCLOUD_LOCK_WAIT)."""
        settings.check_engine()
        if settings.backend_url.startswith("file://"):
            # A local backend is a directory Pulumi will not create itself.
            Path(settings.backend_url.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
        self._settings = settings
        self._on_output = on_output
        self._on_notice = on_notice
        self._lock_wait = settings.lock_wait if lock_wait is None else lock_wait
        self.log = RunLog(settings.cache / "logs")
        self._store = _backend_store(settings.backend_url)
        self._project = naming.pulumi_project(settings.root)
        self._conn: object = None         # openstacksdk, only when a pending create needs the cloud
        # `pulumi version` (the Automation API's check) runs on a thread while the caller
        # renders stack files or reads the cloud.
        self._started: Future[auto.PulumiCommand] = Future()
        threading.Thread(target=self._start, name="engine-start", daemon=True).start()

    def _start(self) -> None:
        try:
            command = processes.MortalPulumi(root=str(self._settings.engine_bin.parent))
        except Exception as exc:  # the CLI failed to start: wrong build, missing binary
            self._started.set_exception(
                EngineError(WORDS("cli-does-not-run", path=self._settings.engine_bin, reason=exc)))
            return
        self._started.set_result(command)

    @property
    def _command(self) -> auto.PulumiCommand:
        return self._started.result()

    def _workspace(self) -> auto.LocalWorkspace:
        self._remove_empty_sidecars()     # before anything pulumi reads (see _run)
        return auto.LocalWorkspace(
            work_dir=str(self._settings.root), pulumi_home=str(self._settings.pulumi_home),
            env_vars=self._settings.pulumi_env(), pulumi_command=self._command)

    def _stack(self, name: str) -> auto.Stack:
        try:
            return auto.Stack.create_or_select(name, self._workspace())
        except auto.CommandError as exc:
            raise EngineError(WORDS("stack-open-failed", stack=name, reason=exc)) from exc

    def _create(self, name: str) -> None:
        try:
            self._workspace().create_stack(name)
        except auto.StackAlreadyExistsError:
            pass                          # made meanwhile by another govcloud or by hand
        except auto.CommandError as exc:
            raise EngineError(WORDS("stack-create-failed", stack=name, reason=exc)) from exc

    def _run(self, args: list[str], name: str, create: bool = True) -> _Run:
        """One `pulumi` operation on the stack, as one process, with its event log. A stack
        the backend lacks is created first (with `create`), as `stack select --create` does,
        but only once pulumi said so: asking first would cost a `pulumi stack ls` each time.
        The empty attribute files a killed run left beside the project's states go first
        (sidecars.py): with one, no run could read that stack again."""
        self._remove_empty_sidecars()
        run = self._run_once(args, name)
        if create and isinstance(run.error, auto.StackNotFoundError):
            self._create(name)
            run = self._run_once(args, name)
        return run

    def _remove_empty_sidecars(self) -> None:
        if not isinstance(self._store, locks.FileLocks):
            return                        # object stores keep attributes with the object, written at once
        for removed in sidecars.remove_empty_sidecars(self._store.root / ".pulumi" / "stacks" / self._project):
            self._notice(*both(WORDS("sidecar-removed", object=removed)))

    def _run_once(self, args: list[str], name: str) -> _Run:
        what = " ".join(a for a in args if not a.startswith("--") or a == "--preview-only")

        def output(line: str) -> None:
            self.log.line(name, what, line)
            if self._on_output:
                self._on_output(line)

        with tempfile.TemporaryDirectory(prefix="govcloud-events-") as folder:
            log = Path(folder) / "events.jsonl"
            error = None
            try:
                self._command.run(
                    [*args, "--color=never", "--exec-kind=auto.local", f"--event-log={log}",
                     "--stack", name],
                    str(self._settings.root),
                    # --event-log is among the commands Pulumi hides behind this switch.
                    {"PULUMI_DEBUG_COMMANDS": "true", **self._settings.pulumi_env()},
                    output, lambda line: self.log.line(name, what, line))
            except auto.CommandError as exc:
                error = exc
            # No log when pulumi stopped before the engine ran (a locked stack, a bad flag).
            lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
            events = [auto.EngineEvent.from_json(json.loads(line)) for line in lines if line.strip()]
        return _Run(events, error, self.log.path)

    # -- operations that take the stack's lock -------------------------------------------------

    def _locked(self, args: list[str], name: str, create: bool = True, settle: bool = True) -> _Run:
        """An operation that takes the stack's lock (up, destroy, refresh). What a killed run
        left is taken over first: its pending creates (settled against the cloud) and its
        lock; a live run's lock is waited for, up to lock_wait, then StackLocked."""
        if settle:
            self._settle(name)

        def attempt() -> _Run:
            while True:
                run = self._run(args, name, create)
                holders = run.holders()
                if holders is None:
                    return run
                if not self._take_over(name):
                    raise locks.StackLocked(name, holders, 0)

        return locks.run_waiting(attempt, name, self._lock_wait, on_wait=lambda holders: self._waiting(name, holders))

    def _take_over(self, name: str) -> bool:
        """Remove the stack's stale locks (see locks.py); whether any went."""
        if self._store is None:
            return False
        verdicts = locks.unlock(self._store, name, socket.gethostname(), locks.pulumi_alive,
                                project=self._project, now=datetime.now(UTC))
        for verdict in verdicts:
            if verdict.remove:
                self._notice(*both(verdict.said(name, took_over=True)))
        return any(verdict.remove for verdict in verdicts)

    def _waiting(self, name: str, holders: list[locks.Holder]) -> None:
        self._notice(*both(WORDS("lock-waiting", stack=name, who=[h.said() for h in holders],
                                 wait=f"{self._lock_wait:.0f}")))

    def _notice(self, zh: str, en: str) -> None:
        if self._on_notice:
            self._on_notice(zh, en)

    def _settle(self, name: str) -> None:
        """Settle the pending creates a killed run left in the stack's state (see pending_creates.py):
        adopt what the cloud made, delete what it made broken or twice, clear the rest."""
        deployment = self._checkpoint(name)
        if not deployment or not pending.pending_creates(deployment):
            return
        # Nobody may be making them right now: a live run's lock is waited for first.
        locks.run_waiting(lambda: self._no_live_lock(name), name, self._lock_wait,
                          on_wait=lambda holders: self._waiting(name, holders))
        deployment = self._export(name)
        creates = pending.pending_creates(deployment)
        if not creates:
            return
        from provisioner.cloud import pending as cloud_pending
        conn = self._cloud()
        project = pending.project_of(deployment)
        held = list(deployment.get("resources") or ())
        decisions = []
        for create in creates:       # in the order they were made: what one links to is known first
            decision = pending.decide(create, [] if create.made_again else
                                      cloud_pending.settled(conn, create, project, held))
            decisions.append(decision)
            if decision.adopt:
                held.append({"urn": create.urn, "type": create.type, "id": decision.adopt, "inputs": create.inputs})
        for decision in decisions:
            for broken in decision.delete:
                cloud_pending.delete(conn, decision.pending, broken)
        self._import(name, pending.adopted(deployment, decisions))
        targets = [f"--target={decision.pending.urn}" for decision in decisions if decision.adopt]
        if targets:   # what was adopted, read back from the cloud
            self._locked(["refresh", "--yes", "--skip-preview", *targets], name, create=False,
                         settle=False).check("refresh", name)
        for decision in decisions:
            self._notice(*both(WORDS("pending-settled", stack=name, decision=decision.said())))

    def _no_live_lock(self, name: str) -> None:
        self._take_over(name)
        held = locks.stack_locks(self._store, name, self._project) if self._store else []
        if held:
            raise locks.StackLocked(name, [holder for _, holder in held], 0)

    def _checkpoint(self, name: str) -> dict | None:
        """The stack's latest state, read straight from the backend (no pulumi process: this runs
        before every up and destroy); `pulumi stack export` when it cannot be read so."""
        if self._store is not None:
            base = f".pulumi/stacks/{self._project}/{name}.json"
            for key, decode in ((base, bytes), (base + ".gz", gzip.decompress)):
                try:
                    data = decode(self._store.read(key))
                except FileNotFoundError:
                    continue
                try:
                    return (json.loads(data).get("checkpoint") or {}).get("latest") or {}
                except (ValueError, AttributeError):
                    break
            else:
                if not any(k.startswith(base) for k in self._store.keys(f".pulumi/stacks/{self._project}/")):
                    return None         # a stack never made: nothing pending
        return self._export(name)

    def data_volumes(self, name: str) -> dict[str, str]:
        """The stack's data volumes as its latest state holds them, {Cinder id: resource name}: read
        from the backend, no pulumi process (a stack never made holds none)."""
        held = (self._checkpoint(name) or {}).get("resources") or ()
        return {str(r["id"]): naming.resource_name(r["urn"]) for r in held
                if r.get("type") == VOLUME_TYPE and holds_data(r) and r.get("id")}

    def _holds_protected(self, name: str, kind: str) -> bool:
        """Whether the stack's state holds a protected resource of this type (read from the backend)."""
        return any(r.get("type") == kind and r.get("protect")
                   for r in (self._checkpoint(name) or {}).get("resources") or ())

    def _volumes_gone(self, name: str) -> list[str]:
        """The stack's data volumes that are no longer in the cloud (by id, in any project)."""
        held = self.data_volumes(name)
        if not held:
            return []
        from provisioner.cloud.lookups import by_id

        conn = self._cloud()
        return [volume for volume_id, volume in held.items() if by_id(conn.block_storage.get_volume, volume_id) is None]

    def _import(self, name: str, deployment: dict) -> None:
        try:
            self._stack(name).import_stack(auto.Deployment(version=3, deployment=deployment))
        except auto.CommandError as exc:
            raise EngineError(WORDS("state-rewrite-failed", stack=name, reason=exc)) from exc

    def _export(self, name: str) -> dict:
        try:
            return self._stack(name).export_stack().deployment or {}
        except auto.CommandError as exc:
            raise EngineError(WORDS("state-read-failed", stack=name, reason=exc)) from exc

    def _cloud(self):  # noqa: ANN202 - openstacksdk's Connection, imported only here
        if self._conn is None:
            from provisioner.cloud.backups import connect_operator
            self._conn = connect_operator(self._settings)
        return self._conn

    def up(self, name: str, refresh: bool = False, allow_empty_data: bool = False) -> Outcome:
        """Bring the cloud to the code as the stack's state knows it, as `pulumi up` does, and
        replace what a failed earlier up left half-made (see _half_made). With `refresh`, every
        resource is read back from the cloud first, so what changed outside the code is put
        back and what was deleted is made again (`pulumi up --refresh`); but a data volume
        deleted by hand would come back empty, so that stops the stack (StackFailed) unless
        `allow_empty_data`: `govcloud repair` names its backup. A stack holding a protected share is
        previewed first: a change that drops the share is refused (data-share-removed) before anything changes."""
        if refresh and not allow_empty_data:
            gone = self._volumes_gone(name)
            if gone:
                raise StackFailed(name, "up --refresh", WORDS("data-at-risk", volumes=", ".join(gone), stack=name))
        if self._holds_protected(name, SHARE_TYPE):
            # Pulumi deletes a share's access rule (the hosts' mount, the unit's way to export its data) before
            # it refuses to delete the protected share: a change that drops one is refused from a preview first.
            self._preview_removals(name)
        run = self._locked(["up", "--yes", "--skip-preview", *(["--refresh"] if refresh else [])], name)
        changes = run.changes()
        stale = _half_made(run)
        if stale:
            run = self._locked(["up", "--yes", "--skip-preview", *(f"--replace={urn}" for urn in stale)], name)
            changes = _added(changes, run.changes())
        held = _held(run.check("up", name))
        return Outcome(name, "up", changes, _stack_outputs(held), tuple(held))

    def up_targets(self, name: str, urns: list[str]) -> Outcome:
        """`pulumi up --target` these resources only (a provider taking a new credential into the
        state, provisioner/credentials.py), leaving every other change for a full up."""
        if not urns:
            return Outcome(name, "up")
        run = self._locked(["up", "--yes", "--skip-preview", *(f"--target={urn}" for urn in urns)], name)
        return Outcome(name, "up", run.check("up", name).changes())

    def resources(self, name: str) -> list[dict]:
        """The stack's resources as its state holds them (`pulumi stack export`)."""
        return list(self._export(name).get("resources") or [])

    def preview(self, name: str) -> Outcome:
        run = self._run(["preview"], name).check("preview", name)
        return Outcome(name, "preview", run.changes())

    def drift(self, name: str) -> tuple[Outcome, list[Drifted]]:
        """Compare the cloud with the stack's state, changing neither (refresh --preview-only)."""
        run = self._run(["refresh", "--preview-only"], name).check("refresh --preview-only", name)
        drifted: list[Drifted] = []
        seen: set[str] = set()
        # A refresh announces every resource (op `refresh`); what it found comes with the
        # resource's outputs event: `delete` (gone from the cloud), `update` (with diffs).
        for meta in run.steps():
            if meta.urn in seen or meta.op in (auto.OpType.SAME, auto.OpType.REFRESH, auto.OpType.READ):
                continue
            if meta.op == auto.OpType.DELETE:
                drifted.append(Drifted(naming.resource_name(meta.urn), meta.type, "delete", ()))
            elif meta.diffs:
                drifted.append(Drifted(naming.resource_name(meta.urn), meta.type, str(meta.op.value),
                                       tuple(sorted(meta.diffs))))
            else:
                continue
            seen.add(meta.urn)
        return Outcome(name, "drift", run.changes()), drifted

    def destroy(self, name: str) -> Outcome:
        run = self._locked(["destroy", "--yes", "--skip-preview"], name, create=False)
        if isinstance(run.error, auto.StackNotFoundError):
            return Outcome(name, "destroy")           # never made: nothing to destroy
        return Outcome(name, "destroy", run.check("destroy", name).changes())

    def forget(self, name: str, urns: set[str]) -> None:
        """Drop resources from the stack's state without touching the cloud (`pulumi stack
        export`, edited, `pulumi stack import`): for what lives in a project deleted by hand,
        which no provider can reach any more (govcloud repair)."""
        self._settle(name)
        self._take_over(name)
        deployment = self._export(name)
        kept = [r for r in deployment.get("resources") or () if r.get("urn") not in urns]
        for resource in kept:            # nothing may depend on what went
            for key in ("dependencies", "propertyDependencies"):
                if key == "dependencies" and resource.get(key):
                    resource[key] = [u for u in resource[key] if u not in urns]
                elif resource.get(key):
                    resource[key] = {k: [u for u in v if u not in urns] for k, v in resource[key].items()}
            if resource.get("parent") in urns:
                resource.pop("parent")
        deployment["resources"] = kept
        self._import(name, deployment)

    def unprotect_all(self, name: str) -> None:
        """Lift `protect` from every resource of the stack: the termination flow's release,
        after its backups were verified."""
        try:
            self._command.run(["state", "unprotect", "--all", "--yes", "--stack", name],
                              str(self._settings.root), self._settings.pulumi_env())
        except auto.CommandError as exc:
            raise EngineError(WORDS("unprotect-failed", stack=name, reason=exc)) from exc

    def unprotect(self, name: str, urns: list[str]) -> None:
        """Lift `protect` from these resources of the stack (a revoked credential, provisioner/credentials.py)."""
        for urn in urns:
            try:
                self._command.run(["state", "unprotect", urn, "--yes", "--stack", name],
                                  str(self._settings.root), self._settings.pulumi_env())
            except auto.CommandError as exc:
                raise EngineError(WORDS("unprotect-one-failed", urn=urn, stack=name, reason=exc)) from exc

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
            raise EngineError(WORDS("stack-lookup-failed", stack=name, reason=exc)) from exc
        return True

    def stack_names(self) -> set[str]:
        """Every stack of the project in the state backend (one CLI call)."""
        try:
            return {summary.name for summary in self._workspace().list_stacks()}
        except auto.CommandError as exc:
            raise EngineError(WORDS("stacks-list-failed", reason=exc)) from exc

    def preview_steps(self, name: str) -> tuple[Outcome, list[PlannedStep]]:
        """A preview, with each resource step it plans (for the merge-request comment); the protected
        data volumes and containers the change removes (backed up or copied first when it is carried out)
        are marked."""
        run, removed = self._preview_removals(name)
        kept = {data.urn for data in removed}
        planned = (event.resource_pre_event.metadata for event in run.events if event.resource_pre_event)
        steps = [PlannedStep(str(meta.op.value), meta.type, naming.resource_name(meta.urn),
                             tuple(sorted(meta.diffs or ())), backed_up=meta.urn in kept)
                 for meta in planned if meta.op not in (auto.OpType.SAME, auto.OpType.READ)]
        return Outcome(name, "preview", run.changes()), steps

    def data_removals(self, name: str) -> list[RemovedData]:
        """The protected data volumes and containers the stack's code no longer holds (deleted), read from
        a preview; [] when it removes none. A change that removes a protected share, or makes a data
        resource anew, is refused in words (StackFailed); a preview failing for any other reason, or a
        protected resource that is not data, fails as ever (StackFailed, pulumi's own words)."""
        return self._preview_removals(name)[1]

    def _preview_removals(self, name: str) -> tuple[_Run, list[RemovedData]]:
        """A preview that pulumi's refusal to remove protected data does not fail (it goes on past it and
        plans every step), with the data govcloud backs up or copies and then releases (removals.release)."""
        run = self._run(["preview"], name)
        refused = run.refused_only()
        if not refused:
            return run.check("preview", name), []
        verdict = release(removed_data(run.events, self.resources(name)), refused)
        if verdict.others:
            run.check("preview", name)
        if verdict.shares:          # this cloud cannot back a share up: the unit exports it first (art25)
            raise StackFailed(name, "preview", WORDS(
                "data-share-removed", shares=", ".join(share.name for share in verdict.shares), stack=name,
                commands="; ".join(f"`{unprotect_line(share.urn, name)}`" for share in verdict.shares)), run.log)
        # Only data the change drops is backed up and released: what it would make anew would come back
        # empty under the running system, its data only in a backup.
        if verdict.anew:
            raise StackFailed(name, "preview", WORDS("data-made-anew", volumes=", ".join(d.name for d in verdict.anew)),
                              run.log)
        return run, list(verdict.released)

    def remove(self, name: str) -> None:
        """Remove a stack that holds no resources, keeping its stack file (refuses otherwise)."""
        try:
            self._workspace().remove_stack(name, preserve_config=True)
        except auto.CommandError as exc:
            raise EngineError(WORDS("stack-remove-failed", stack=name, reason=exc)) from exc


def _backend_store(url: str) -> locks.LockStore | None:
    """The backend's objects (locks, leases, checkpoints); None for a backend govcloud cannot read."""
    try:
        store = locks.lock_store(url)
    except ConfigError:
        return None
    _heartbeat(url, store)
    return store


_heartbeats: dict[str, locks.Heartbeat] = {}


def _heartbeat(url: str, store: locks.LockStore) -> None:
    """One lease per govcloud process and backend, renewed while any of its pulumi runs."""
    if url not in _heartbeats:
        beat = locks.Heartbeat(store, socket.gethostname(), processes.running)
        _heartbeats[url] = beat
        processes.listeners.append(beat.changed)


def _half_made(run: _Run) -> list[str]:
    """URNs of resources an earlier, failed up created but could not finish (their state had
    initErrors when this up began): a server that ended in ERROR, a Cinder volume that ended
    in `error`.

    Pulumi keeps such a resource and, on the next up, only *updates* it, which cannot mend
    a volume that never got a backend: it stays in `error` and its attachment fails on every
    run. Terraform taints these; the same here: they are replaced, by a second up, only when
    there are any. The up's events show each such resource with the state it had before
    (`old`), initErrors included: in its refresh step (with --refresh) or in the update step
    Pulumi gives every resource with initErrors. Protected resources are left alone
    (replacing one needs the termination flow's release)."""
    found: dict[str, None] = {}
    for meta in run.steps():
        old = meta.old
        if (meta.op in (auto.OpType.REFRESH, auto.OpType.UPDATE) and old is not None and old.init_errors
                and not old.protect and old.custom):
            found[meta.urn] = None
    return list(found)


def _held(run: _Run) -> list[dict]:
    """Each resource the stack holds after the up, from its last outputs event."""
    held: dict[str, dict] = {}
    for event in run.events:
        step = event.res_outputs_event
        if step is None:
            continue
        meta = step.metadata
        if meta.op in (auto.OpType.DELETE, auto.OpType.DISCARD_REPLACED) or meta.new is None:
            held.pop(meta.urn, None)
            continue
        new = meta.new
        held[meta.urn] = {"urn": meta.urn, "type": new.type, "id": new.id, "custom": new.custom,
                          "protect": new.protect, "outputs": dict(new.outputs or {})}
    return list(held.values())


def _stack_outputs(held: list[dict]) -> dict[str, object]:
    for resource in held:
        if resource["type"] == STACK_TYPE:
            return resource["outputs"]
    return {}


def _added(first: dict[str, int], second: dict[str, int]) -> dict[str, int]:
    """Changes of two ups of one stack: the second's `same` counts what the first did too."""
    total = {op: count for op, count in first.items() if op != "same"}
    for op, count in second.items():
        total[op] = count if op == "same" else total.get(op, 0) + count
    return total


def both(text: Text) -> tuple[str, str]:
    """A sentence in Chinese and in English, as on_notice takes it."""
    return text.render("zh"), text.render("en")
