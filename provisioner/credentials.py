"""`govcloud credentials`: the departments' Keystone accounts and application credentials, and the
rotation of each department's stacks credential (art12(3): accounts and passwords are rotated).

What rotates, and why that one: govcloud gives each department two Keystone users
(provisioner/program/tenant.py): the department's own user, whose password govcloud never
holds (the office sets it, or the city's identity provider), and the department's stacks
account, whose application credential is the one credential govcloud issues and the one every
system stack of the department works with. Keystone lets only a user make its own application
credentials, so govcloud can issue one for the stacks account only. `rotate` therefore rotates
that credential, through the tenant stack (the generations listed in its stack file,
provisioner/rotation.py): every credential govcloud issued is a resource of a stack, a hand-run
`pulumi up` declares the same ones, and the newest is what the system stacks read. The new one
is handed to whoever ran `rotate` (for the department, which may work in its project with it:
it is scoped to that project and the member role, as the department's own user is).

One rotation: the tenant stack is brought up with a new generation (expiring after
`credentials.expires_days`, policies/inspection.yaml); each system stack of the department then
takes it into its state (`pulumi up --target` its provider only: `refresh` and `destroy` work
with the credential the state holds, so a state still holding a revoked one could not be
refreshed or destroyed); generations replaced more than `credentials.overlap_days` ago, or
expired, are revoked (the tenant stack brought up without them), unless a system stack's state
still holds one (it is named, and kept for the next run). Each issue and revocation is an audit
record, without the secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from provisioner import rotation
from provisioner.app.apply import Planned, discover, render_tenants
from provisioner.errors import ConfigError
from provisioner.inspection.expiry import credential_overdue
from provisioner.inspection.facts import Account, AppCredential
from provisioner.messages import WORDS
from provisioner.policy.model import Credentials
from provisioner.settings import Settings
from provisioner.stacks import config
from provisioner.stacks.engine import Engine, Outcome
from provisioner.words import Text

CREDENTIAL_TYPE = "openstack:identity/applicationCredential:ApplicationCredential"
PROVIDER_TYPE = "pulumi:providers:openstack"
DEPARTMENT_PROVIDER = "department"      # provisioner/program/credentials.py: the system stacks' provider


@dataclass(frozen=True)
class CredentialRow:
    """One application credential of a department's account, as `govcloud credentials` lists it."""

    region: str
    department: str
    user: str
    id: str
    name: str
    issued: datetime | None         # None: not issued by govcloud's rotation (Keystone shows no creation time)
    age_days: int | None
    expires: datetime | None
    role: str                       # current | previous (stacks credentials) | own (the department's) | unaccounted
    overdue: Text | None            # why it is past the policy's age (inspect-app-credential-rotation)


@dataclass(frozen=True)
class AccountRow:
    region: str
    department: str
    project: str
    user: str | None
    stacks_user: str | None
    credentials: tuple[CredentialRow, ...]


def generations(settings: Settings, tenant: str) -> list[rotation.Generation]:
    """The generations a tenant stack's file lists (the first credential when it lists none)."""
    path = config.config_path(settings.root, tenant)
    try:
        return rotation.from_config(config.current_setting(path, config.CREDENTIALS_KEY))
    except ValueError as exc:
        raise ConfigError(WORDS("credentials-stack-file-bad", path=path.relative_to(settings.root),
                                problem=exc.args[0])) from exc


def listing(settings: Settings, accounts: Iterable[Account], now: datetime, policy: Credentials,
            departments: set[str]) -> list[AccountRow]:
    """Each account of the given departments, its credentials with their age and role."""
    rows = []
    for account in sorted(accounts, key=lambda a: (a.region, a.department)):
        if account.department not in departments:
            continue
        mine = [g.name for g in generations(settings, f"{account.region}.{account.department}")]

        def row(user: str, credential: AppCredential, role: str) -> CredentialRow:
            return CredentialRow(account.region, account.department, user, credential.id, credential.name,
                                 credential.issued_at, rotation.age_days(credential.issued_at, now),
                                 credential.expires_at, role, credential_overdue(credential, now, policy.max_age_days))

        found = [row(account.user or "", c, "own") for c in account.app_credentials]
        found += [row(account.stacks_user or "", c, _stacks_role(c.name, mine)) for c in account.stacks_credentials]
        rows.append(AccountRow(account.region, account.department, account.project_name, account.user,
                               account.stacks_user, tuple(found)))
    return rows


def _stacks_role(name: str, mine: list[str]) -> str:
    if name not in mine:
        return "unaccounted"            # not in the tenant stack: made by hand, or left by a killed run
    return "current" if name == mine[-1] else "previous"


@dataclass
class Rotated:
    """What one rotation (or revocation run) did for a department."""

    department: str
    tenant: str
    issued: rotation.Generation | None = None
    credential_id: str = ""
    secret: str = field(default="", repr=False)     # handed over once, never logged
    revoked: list[rotation.Generation] = field(default_factory=list)
    kept: list[tuple[rotation.Generation, str]] = field(default_factory=list)   # due, still held: by which stack
    moved: list[str] = field(default_factory=list)                               # system stacks now on the new one
    failed: list[tuple[str, str]] = field(default_factory=list)                 # system stack, why


Record = Callable[[str, str, dict], None]       # (action, subject, detail) into the audit log


def department_items(settings: Settings, department: str, everything: list[Planned] | None = None) -> list[Planned]:
    """The department's requests (from `everything` when the caller discovered them already)."""
    found = discover(settings.root) if everything is None else everything
    items = [item for item in found if item.spec.department == department]
    if not items:
        raise ConfigError(WORDS("credentials-no-requests", department=department))
    return items


def rotate(settings: Settings, engine: Engine, department: str, now: datetime, policy: Credentials,
           record: Record) -> Rotated:
    """Issue a new stacks credential for the department, move its system stacks onto it, revoke what is due."""
    items = department_items(settings, department)
    tenant = items[0].tenant
    if not engine.exists(tenant):
        raise ConfigError(WORDS("credentials-no-tenant-stack", department=department, tenant=tenant))
    before = generations(settings, tenant)
    try:
        turn = rotation.rotate(before, now, policy.expires_days, policy.overlap_days)
    except ValueError as exc:
        raise ConfigError(exc.args[0]) from exc
    done = Rotated(department, tenant, turn.issued)
    _bring_up(settings, engine, items, [*before, turn.issued])
    outputs = engine.outputs(tenant)
    if outputs.get("credentialName") != turn.issued.name:
        raise ConfigError(WORDS("credentials-not-issued", tenant=tenant, name=turn.issued.name))
    done.credential_id, done.secret = str(outputs["credentialId"]), str(outputs["credentialSecret"])
    record("credential.issued", department, {"tenant_stack": tenant, "credential_id": done.credential_id,
                                             "name": turn.issued.name,
                                             "expires": rotation.iso(turn.issued.expires)})  # type: ignore[arg-type]
    _move_systems(engine, items, done)
    _revoke(settings, engine, items, [*before, turn.issued], list(turn.revoked), done, record)
    return done


def revoke_due(settings: Settings, engine: Engine, items: list[Planned], now: datetime, policy: Credentials,
               record: Record) -> Rotated:
    """Revoke the department's stacks credentials whose overlap has passed or that expired (`items`:
    its requests, department_items)."""
    tenant, department = items[0].tenant, items[0].spec.department
    current = generations(settings, tenant)
    done = Rotated(department, tenant)
    due = rotation.due_for_revocation(current, now, policy.overlap_days)
    if due:
        _revoke(settings, engine, items, current, due, done, record)
    return done


def _bring_up(settings: Settings, engine: Engine, items: list[Planned],
              listed: list[rotation.Generation]) -> Outcome:
    tenant = items[0].tenant
    render_tenants(settings, [tenant], credentials={tenant: [g.as_config() for g in listed]})
    return engine.up(tenant)


def _move_systems(engine: Engine, items: list[Planned], done: Rotated) -> None:
    """Each existing system stack of the department takes the new credential into its state."""
    for item in items:
        if not engine.exists(item.system):
            continue
        provider = [r["urn"] for r in engine.resources(item.system)
                    if r.get("type") == PROVIDER_TYPE and r["urn"].endswith(f"::{DEPARTMENT_PROVIDER}")]
        try:
            engine.up_targets(item.system, provider)
            done.moved.append(item.system)
        except Exception as exc:  # noqa: BLE001 - named in the outcome; its old credential is kept
            done.failed.append((item.system, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))


def _revoke(settings: Settings, engine: Engine, items: list[Planned], listed: list[rotation.Generation],
            due: list[rotation.Generation], done: Rotated, record: Record) -> None:
    if not due:
        return
    tenant = items[0].tenant
    held_credentials = [r for r in engine.resources(tenant) if r.get("type") == CREDENTIAL_TYPE]
    ids = {r.get("outputs", {}).get("name"): r.get("outputs", {}).get("id") for r in held_credentials}
    urns = {r.get("outputs", {}).get("name"): r["urn"] for r in held_credentials}
    held = _held_by_systems(engine, items)
    for generation in due:
        holder = held.get(ids.get(generation.name, ""))
        if holder:
            done.kept.append((generation, holder))
        else:
            done.revoked.append(generation)
    if not done.revoked:
        return
    engine.unprotect(tenant, [urns[g.name] for g in done.revoked if g.name in urns])
    _bring_up(settings, engine, items, [g for g in listed if g not in done.revoked])
    for generation in done.revoked:
        record("credential.revoked", done.department, {"tenant_stack": tenant, "name": generation.name,
                                                       "credential_id": ids.get(generation.name)})


def _held_by_systems(engine: Engine, items: list[Planned]) -> dict[str, str]:
    """Credential id -> a system stack whose provider state still works with it."""
    held = {}
    for item in items:
        if not engine.exists(item.system):
            continue
        for resource in engine.resources(item.system):
            if resource.get("type") == PROVIDER_TYPE:
                credential = (resource.get("inputs") or {}).get("applicationCredentialId")
                if credential:
                    held[str(credential)] = item.system
    return held
