"""`govcloud repair STACK`: rebuild what was deleted by hand, never a data volume silently.

Why a command of its own and not an apply flag: rebuilding after out-of-band damage is a
decision about data (art19, art25), taken for one stack by the person who looked at it,
while `apply` runs on every merge for every stack; a flag would make the destructive path
one word away from the routine one. `repair` says what it rebuilt, at the spec's lines.

For a system stack, its department's tenant stack is repaired first (a project deleted by
hand is made again: `pulumi up --refresh`; tenants hold no data). Then the system stack:

* its project is gone (Keystone does not delete what a project held: the servers, volumes
  and networks stay, unreachable, under the old project id): nothing the stack holds can
  be read any more. Its data-bearing resources (volumes, database volumes, Swift
  containers) would be made again empty in the new project: repair stops and names, per
  resource, its latest backup and the old volume (still there, under the old project id),
  unless `allow_empty`. Otherwise the old project's other leftovers are deleted (they are
  of no use and count as orphans), the stack forgets everything it held there, and an up
  makes the system again in the new project; the old data volumes are kept, named;
* its project is there and resources were deleted by hand: `pulumi refresh --preview-only`
  says which; data-bearing ones stop the run the same way; otherwise `pulumi up --refresh`
  makes them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from provisioner.app.apply import Planned, discover, render
from provisioner.app.drift import missing_project
from provisioner.app.messages import WORDS
from provisioner.naming import resource_name
from provisioner.cloud.preflight import locate, said_problem, spec_tree
from provisioner.errors import ConfigError, Problem
from provisioner.settings import Settings
from provisioner.stacks.data import CONTAINER, SHARE, VOLUME, holds_data
from provisioner.stacks.engine import Engine, Outcome
from provisioner.stacks.fields import field_of, spec_fields
from provisioner.naming import stacks_user
from provisioner.pending_creates import project_made, project_of

ARTICLE = "art19"
_USER = "openstack:identity/user:User"
_CREDENTIAL = "openstack:identity/applicationCredential:ApplicationCredential"
# What outlives a department's project: its providers, and its users (in the region's domain).
_TENANT_KEPT = frozenset({_USER})


@dataclass(frozen=True)
class Backup:
    id: str
    name: str
    created: str


@dataclass
class Repair:
    """What a repair did, and where it stopped."""

    stack: str
    outcomes: list[Outcome] = field(default_factory=list)
    found: list[Problem] = field(default_factory=list)      # what was missing, at the spec's lines
    stopped: list[Problem] = field(default_factory=list)    # data that would come back empty
    kept: list[str] = field(default_factory=list)           # old data volumes left for a restore

    @property
    def exit_code(self) -> int:
        return 1 if self.stopped else 0


def find_planned(settings: Settings, stack: str) -> tuple[Planned, bool]:
    """The request behind a stack name, and whether the stack is its tenant stack."""
    for item in discover(settings.root):
        if stack in (item.tenant, item.system):
            return item, stack == item.tenant
    raise ConfigError(WORDS("repair-no-request", stack=stack))


def repair(settings: Settings, engine: Engine, cloud: Callable[[], Any], stack: str,
           allow_empty: bool = False) -> Repair:
    item, is_tenant = find_planned(settings, stack)
    render(settings, [item])
    report = Repair(stack)
    tree = spec_tree(settings.root, item.spec_path)
    conn = cloud()
    tenant_held = engine.resources(item.tenant)
    old_project = project_made(tenant_held)
    if old_project and not _project_exists(conn, old_project):
        report.found.append(missing_project(item, item.tenant, old_project, tree, ARTICLE))
        # Nothing of it can be read back (Nova: "400 Project ID ... is not a valid project"):
        # the stack forgets the project and what was in it; the department's users (in the
        # region's domain) stay and are pointed at the new project. Keystone keeps their
        # application credential of the old project, whose name the new one needs.
        _drop_credentials(conn, tenant_held)
        engine.forget(item.tenant, {r["urn"] for r in tenant_held if r.get("custom") and not _is_provider(r)
                                    and r.get("type") not in _TENANT_KEPT})
        report.outcomes.append(engine.up(item.tenant))
    else:
        report.outcomes.append(engine.up(item.tenant, refresh=True))
    if is_tenant:
        return report
    held = engine.resources(item.system)
    system_project = project_of({"resources": held})
    if system_project and not _project_exists(conn, system_project):
        if not report.found:
            report.found.append(missing_project(item, item.system, system_project, tree, ARTICLE))
        _rebuild_in_new_project(engine, conn, item, tree, held, allow_empty, report)
        return report
    _, drifted = engine.drift(item.system)
    gone = {d.name for d in drifted if d.op == "delete"}
    for resource in held:
        name = _name(resource)
        if name in gone:
            report.found.append(_missing_resource(item, tree, held, name, resource.get("type", "")))
    at_risk = [r for r in held if _name(r) in gone and holds_data(r)]
    if at_risk and not allow_empty:
        report.stopped += [_data_at_risk(conn, item, tree, held, r, None) for r in at_risk]
        return report
    if gone:
        report.outcomes.append(engine.up(item.system, refresh=True, allow_empty_data=allow_empty))
    return report


def _rebuild_in_new_project(engine: Engine, conn: Any, item: Planned, tree: Any, held: list[dict],
                            allow_empty: bool, report: Repair) -> None:
    data = [r for r in held if holds_data(r) and r.get("custom")]
    if data and not allow_empty:
        report.stopped += [_data_at_risk(conn, item, tree, held, r, project_of({"resources": held})) for r in data]
        return
    from provisioner.cloud.pending import delete_held
    delete_held(conn, [r for r in held if not holds_data(r)])
    report.kept += [f"{_name(r)}: {r.get('id')}" for r in data if r.get("type") == VOLUME]
    engine.forget(item.system, {r["urn"] for r in held if r.get("custom") and not _is_provider(r)})
    report.outcomes.append(engine.up(item.system))


def _drop_credentials(conn: Any, held: list[dict]) -> None:
    users = [str(r["id"]) for r in held if r.get("type") == _USER and r.get("id")
             and str((r.get("inputs") or {}).get("name", "")).endswith(stacks_user(""))]
    for credential in (r for r in held if r.get("type") == _CREDENTIAL and r.get("id")):
        for user in users:
            conn.identity.delete_application_credential(user, str(credential["id"]), ignore_missing=True)


def _is_provider(resource: dict) -> bool:
    return str(resource.get("type", "")).startswith("pulumi:providers:")


def _name(resource: dict) -> str:
    return resource_name(str(resource.get("urn", "")))


def _project_exists(conn: Any, project_id: str) -> bool:
    from provisioner.cloud.lookups import by_id

    return by_id(conn.identity.get_project, project_id) is not None


def latest_backup(conn: Any, volume_id: str) -> Backup | None:
    """The newest usable Cinder backup of a volume (in any project: the volume's may be gone)."""
    backups = [b for b in conn.block_storage.backups(details=True, all_projects=True)
               if b.volume_id == volume_id and b.status == "available"]
    if not backups:
        return None
    newest = max(backups, key=lambda b: str(b.created_at or ""))
    return Backup(newest.id, newest.name or "", str(newest.created_at or ""))


def _missing_resource(item: Planned, tree: Any, held: list[dict], name: str, kind: str) -> Problem:
    path = field_of(spec_fields(held), name)
    return said_problem(locate(tree, item.spec_path, path), "missing-resource", ARTICLE,
                        WORDS("repair-missing-resource", name=name, kind=kind))


def _data_at_risk(conn: Any, item: Planned, tree: Any, held: list[dict], resource: dict,
                  dead_project: str | None) -> Problem:
    name, kind, old = _name(resource), resource.get("type"), str(resource.get("id") or "")
    at = locate(tree, item.spec_path, field_of(spec_fields(held), name))
    if kind == CONTAINER:
        risk = WORDS("empty-container", name=name)
    elif kind == SHARE:
        risk = WORDS("empty-share", name=name)
    else:
        backup = latest_backup(conn, old)
        where = (WORDS("old-volume-kept", old=old, project=dead_project) if dead_project
                 else WORDS("old-volume-gone", old=old))
        if backup:
            risk = WORDS("empty-volume-backup", name=name, where=where, backup=backup.id, backup_name=backup.name,
                         created=backup.created)
        else:
            risk = WORDS("empty-volume-no-backup", name=name, where=where)
    return said_problem(at, "data-at-risk", "art25", WORDS("data-at-risk", risk=risk))
