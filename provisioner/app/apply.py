"""The main job: bring every request under request_specs/ to the cloud.

For each department a tenant stack (its Keystone project), then for each of its
systems a system stack, all through the same Pulumi project ops use by hand.
Returns outcomes; printing is the CLI's business.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.app.data_removal import up_keeping_data
from provisioner.errors import InfraError, Problem, SpecError
from provisioner.settings import Settings
from provisioner.spec import RequestSpec, load_request
from provisioner import naming
from provisioner.stacks import config
from provisioner.naming import project_name
from provisioner.stacks.engine import Engine, Outcome, StackFailed
from provisioner.stacks.progress import Progress
from provisioner.allocation.quota import department_bandwidth, department_quota

if TYPE_CHECKING:  # openstacksdk is imported only where the cloud is read
    from provisioner.policy.store import Policies
    from openstack.connection import Connection

    from provisioner.cloud.preflight import Offer


@dataclass(frozen=True)
class Planned:
    """A request and the stacks that realise it."""

    spec: RequestSpec
    spec_path: str          # relative to the repository root, as written in stack files
    tenant: str
    system: str


def discover(root: Path, paths: Iterable[Path] = ()) -> list[Planned]:
    """Load the given spec files (default: all under request_specs/); every problem at once."""
    files = sorted(paths) or sorted((root / "request_specs").glob("*/*.yaml"))
    planned, problems = [], []
    for path in files:
        try:
            # Only request_specs/<department>/<system>.yaml, a regular file reached through no link.
            spec, relative = load_request(path, root)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        planned.append(Planned(spec, relative, naming.tenant_stack(spec.region, spec.department),
                               naming.system_stack(spec)))
    if problems:
        raise SpecError(problems)
    _check_unique(planned)
    return planned


def _check_unique(planned: list[Planned]) -> None:
    seen: dict[str, str] = {}
    problems = []
    for item in planned:
        if item.system in seen:
            problems.append(Problem.at(item.spec_path, "spec-duplicate-system",
                                       f"system {item.system} is also requested by {seen[item.system]}"))
        seen.setdefault(item.system, item.spec_path)
    if problems:
        raise SpecError(problems)


def render(settings: Settings, planned: list[Planned], phase: str | None = None,
           release_protection: bool | None = None, phases: Mapping[str, str] | None = None,
           credentials: Mapping[str, list[dict[str, str]]] | None = None) -> list[Path]:
    """Write the stack files; return those whose content changed.

    A tenant's quota is the sum over all of its department's requests, not
    only those being applied now. A system's phase is `phases[system]` (what the
    ledger says), else `phase`, else what its stack file holds. A tenant's credential
    generations are `credentials[tenant]` (a rotation), else what its stack file holds.
    """
    changed = render_tenants(settings, {item.tenant for item in planned}, credentials)
    for item in planned:
        system_file = config.config_path(settings.root, item.system)
        if config.write_if_changed(system_file, config.render_system(
                system_file, cloud=settings.cloud, spec=item.spec, spec_path=item.spec_path,
                anti_affinity=settings.anti_affinity, phase=(phases or {}).get(item.system, phase),
                release_protection=release_protection)):
            changed.append(system_file)
    return changed


def render_tenants(settings: Settings, tenants: Iterable[str],
                   credentials: Mapping[str, list[dict[str, str]]] | None = None) -> list[Path]:
    """Write the tenants' stack files (see render); return those whose content changed."""
    catalogue = settings.policies.catalogue
    everything = discover(settings.root)
    changed = []
    for tenant in sorted(tenants):
        mine = [item for item in everything if item.tenant == tenant]
        tenant_file = config.config_path(settings.root, tenant)
        if config.write_if_changed(tenant_file, config.render_tenant(
                tenant_file, cloud=settings.cloud, specs=[i.spec for i in mine],
                sources=[i.spec_path for i in mine],
                quota=department_quota([i.spec for i in mine], catalogue),
                bandwidth=department_bandwidth([i.spec for i in mine], catalogue),
                credentials=(credentials or {}).get(tenant))):
            changed.append(tenant_file)
    return changed


def _run_all(operation: Callable[[str], Outcome], stacks: list[str], parallel: int,
             progress: Progress | None) -> list[Outcome]:
    """Run one engine operation over independent stacks, `parallel` at a time, in order."""

    def run(stack: str) -> Outcome:
        if progress:
            progress.started(stack)
        try:
            outcome = operation(stack)
        except StackFailed as exc:          # told per stack; the other stacks go on
            outcome = replace(exc.outcome, backups=exc.backups)    # released before it failed: where they went
        except InfraError as exc:           # still locked by a live run; the cloud gone while settling
            # An outcome line is an English log line, as progress.py's are. Backups made before it failed
            # (an unprotect refused, a killed run's backups unread: data_removal.py) are where the data went.
            outcome = Outcome(stack, "up", failure=" ".join(exc.render("en").split()),
                              backups=tuple(getattr(exc, "backups", ()) or ()))
        if progress:
            progress.finished(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(run, stack) for stack in stacks]
        return [future.result() for future in futures]


def check_cloud_offers(planned: list[Planned], offer: Offer, policies: Policies | None = None) -> None:
    """Refuse before creating anything when the cloud lacks a flavor, image, volume type or
    the external network; with `policies`, also what the catalogue does not offer, and each
    problem is at its spec field's line."""
    from provisioner.cloud.preflight import missing
    root, catalogue = (policies.root, policies.catalogue) if policies is not None else (None, None)
    problems = [p for item in planned for p in missing(item.spec, item.spec_path, offer, root, catalogue)]
    if problems:
        raise SpecError(problems)


def check_project_room(settings: Settings, planned: list[Planned], offer: Offer,
                       tenants: list[Outcome]) -> None:
    """After the tenant stacks, before any system stack: refuse when a department's project
    cannot hold what its requests were granted (quota lowered by hand, resources made by hand)."""
    if offer.conn is None:
        return
    from provisioner.cloud.preflight import Asking, over_quota, project_room
    catalogue = settings.policies.catalogue
    everything = discover(settings.root)
    project_ids = {outcome.stack: str(outcome.outputs.get("projectId") or "") for outcome in tenants}
    problems = []
    for tenant in sorted({item.tenant for item in planned}):
        if not project_ids.get(tenant):
            continue
        mine = [item for item in planned if item.tenant == tenant]
        name = project_name(mine[0].spec.region, mine[0].spec.department)
        room = project_room(offer.conn, project_ids[tenant], name)
        granted = department_quota([i.spec for i in everything if i.tenant == tenant], catalogue)
        problems += over_quota(name, granted, room, [Asking(i.spec, i.spec_path) for i in mine], settings.root,
                               catalogue)
    if problems:
        raise SpecError(problems)


def apply(settings: Settings, engine: Engine, planned: list[Planned], parallel: int = 1,
          progress: Progress | None = None, offer: Offer | None = None,
          refresh: bool = False, phases: Mapping[str, str] | None = None) -> list[Outcome]:
    """Tenants first (systems read their project), then the systems, `parallel` at a time (a running
    system whose tenant failed goes first, then its tenant again: _tenants_again);
    with `refresh`, each stack is read back from the cloud first and its drift put back.
    `phases`: each system's phase as the ledger says (provisioner.app.intake)."""
    up = functools.partial(up_keeping_data, settings, engine, refresh=refresh)
    if offer is not None:
        check_cloud_offers(planned, offer, settings.policies)
    render(settings, planned, phases=phases)
    tenants = sorted({item.tenant for item in planned})
    outcomes = _run_all(up, tenants, parallel, progress)
    if offer is not None:
        check_project_room(settings, planned, offer, outcomes)
    failed = {outcome.stack for outcome in outcomes if outcome.failure}
    # A change that lowers a department's quota below what its running systems hold (a data disk
    # dropped, art18) fails its tenant: those systems let go first, under the quota they have.
    first = [item for item in planned if item.tenant in failed and engine.exists(item.system)]
    systems = _run_all(up, [item.system for item in planned if item.tenant not in failed or item in first],
                       parallel, progress)
    waiting = [item for item in planned if item.tenant in failed and item not in first]
    outcomes, failed = _tenants_again(up, outcomes, systems, first, parallel, progress)
    # A new system whose tenant went well the second time goes now, after it; the others are told.
    systems += _run_all(up, [item.system for item in waiting if item.tenant not in failed], parallel, progress)
    systems += [Outcome(item.system, "up", failure=f"not run: its tenant stack {item.tenant} failed")
                for item in waiting if item.tenant in failed]
    if offer is not None and offer.conn is not None:
        # The request lists every opening of its security group: rules added by hand go.
        from provisioner.cloud.secgroups import remove_unmanaged
        systems = [_with_removed(outcome, remove_unmanaged(offer.conn, outcome.resources))
                   for outcome in systems]
    return outcomes + systems


def _tenants_again(up: Callable[[str], Outcome], tenants: list[Outcome], systems: list[Outcome], first: list[Planned],
                   parallel: int, progress: Progress | None) -> tuple[list[Outcome], set[str]]:
    """The failed tenants whose systems all went first (and well) brought up again; (every tenant's
    outcome, those still failed)."""
    went = {outcome.stack for outcome in systems if not outcome.failure}
    again = sorted({item.tenant for item in first} - {item.tenant for item in first if item.system not in went})
    retried = {outcome.stack: outcome for outcome in _run_all(up, again, parallel, progress)}
    tenants = [retried.get(outcome.stack, outcome) for outcome in tenants]
    return tenants, {outcome.stack for outcome in tenants if outcome.failure}


def _with_removed(outcome: Outcome, removed: int) -> Outcome:
    if not removed:
        return outcome
    return Outcome(outcome.stack, outcome.operation, {**outcome.changes, "delete-unmanaged": removed},
                   outcome.outputs)


def preview(settings: Settings, engine: Engine, planned: list[Planned]) -> list[Outcome]:
    render(settings, planned)
    tenants = sorted({item.tenant for item in planned})
    return [engine.preview(t) for t in tenants] + [engine.preview(item.system) for item in planned]


def destroy(settings: Settings, engine: Engine, planned: list[Planned],
            conn: Connection | None = None) -> list[Outcome]:
    """Tear down systems, then their tenancies (used by tests and the dev cloud). A tenancy
    leaves nothing behind: its project's `default` security group, which Neutron made and
    no stack holds, goes after it (through `conn`, default: the operator's connection)."""
    render(settings, planned)
    outcomes = [engine.destroy(item.system) for item in planned]
    for tenant in sorted({item.tenant for item in planned}):
        spec = next(item.spec for item in planned if item.tenant == tenant)
        outcomes.append(_destroy_tenant(settings, engine, tenant, spec, conn))
    return outcomes


def _destroy_tenant(settings: Settings, engine: Engine, tenant: str, spec: RequestSpec,
                    conn: Connection | None) -> Outcome:
    from provisioner.cloud.backups import connect_operator
    from provisioner.cloud.secgroups import project_id, remove_default_groups

    conn = conn or connect_operator(settings)
    gone = project_id(conn, spec.region, project_name(spec.region, spec.department))
    if engine.exists(tenant):
        engine.unprotect_all(tenant)      # its rotated credentials (tenants hold no data)
    outcome = engine.destroy(tenant)
    return _with_removed(outcome, remove_default_groups(conn, gone)) if gone else outcome
