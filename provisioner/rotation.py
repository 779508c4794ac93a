"""Rotating a department's stacks credential (art12(3)): which generations exist, which to
issue and which to revoke (pure: `now` and the policy come in).

The credential the system stacks work with is a Keystone application credential of the
department's stacks account (provisioner/program/tenant.py). Its generations are listed, oldest
first, in the tenant stack's file (`govcloud:credentials`), so a hand-run `pulumi up` declares
exactly the credentials govcloud issued and the newest is the one the system stacks read.
Keystone shows no creation time for an application credential: a generation's name carries the
moment it was issued (`govcloud-stacks-20261205T213600Z`). A tenant stack whose file lists none
has the one credential it has always had (`govcloud-stacks`, never expiring): it counts as a
generation of unknown age until the first rotation replaces it.

Revocation after an overlap: a generation is revoked once its successor has been issued
`overlap_days` ago (anything still using the old one had that long to take the new one), or once
it has expired. The newest generation is never revoked here; it is replaced by rotating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from provisioner.clock import utc_moment
from provisioner.messages import WORDS

LEGACY_NAME = "govcloud-stacks"
_STAMP = "%Y%m%dT%H%M%SZ"
CONFIG_KEY = "govcloud:credentials"


@dataclass(frozen=True)
class Generation:
    """One stacks credential as the tenant stack declares it."""

    name: str
    expires: datetime | None = None     # None: never (only the credential made before rotation)

    @property
    def issued(self) -> datetime | None:
        return issued_at(self.name)

    @property
    def resource(self) -> str:
        """Its Pulumi resource name: the first credential keeps the name it always had."""
        return "stacks-credential" if self.name == LEGACY_NAME else f"stacks-credential-{self.name[len(LEGACY_NAME) + 1:]}"

    def as_config(self) -> dict[str, str]:
        return {"name": self.name, **({"expires": iso(self.expires)} if self.expires else {})}


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def issued_at(name: str) -> datetime | None:
    """When govcloud issued the credential of that name; None for a name it did not give."""
    stamp = name.removeprefix(LEGACY_NAME + "-")
    if stamp == name:
        return None
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def from_config(value: object) -> list[Generation]:
    """The generations a tenant stack file lists; the credential of old when it lists none."""
    if not value:
        return [Generation(LEGACY_NAME)]
    if not isinstance(value, list) or not all(isinstance(item, dict) and item.get("name") for item in value):
        raise ValueError(WORDS("credentials-list-bad", setting=CONFIG_KEY, value=value))
    return [Generation(str(item["name"]), utc_moment(item.get("expires"))) for item in value]


def issue(now: datetime, expires_days: int) -> Generation:
    """A new generation issued `now` (to the second: its name is its identity)."""
    now = now.astimezone(timezone.utc).replace(microsecond=0)
    return Generation(f"{LEGACY_NAME}-{now.strftime(_STAMP)}", now + timedelta(days=expires_days))


def due_for_revocation(generations: list[Generation], now: datetime, overlap_days: int) -> list[Generation]:
    """The generations, newest excepted, whose overlap has passed or that have expired."""
    overlap = timedelta(days=overlap_days)
    due = []
    for old, successor in zip(generations, generations[1:]):
        replaced = successor.issued
        if (replaced is not None and replaced + overlap <= now) or (old.expires is not None and old.expires <= now):
            due.append(old)
    return due


@dataclass(frozen=True)
class Rotation:
    """What one rotation does to a tenant stack's generations."""

    issued: Generation
    revoked: tuple[Generation, ...]
    kept: tuple[Generation, ...]        # the generations the stack file lists afterwards, oldest first


def rotate(generations: list[Generation], now: datetime, expires_days: int, overlap_days: int) -> Rotation:
    """Issue a new generation; revoke those already past their overlap (the replaced one stays)."""
    new = issue(now, expires_days)
    if any(g.name == new.name for g in generations):
        raise ValueError(WORDS("credentials-same-second", name=new.name))
    revoked = due_for_revocation(generations, now, overlap_days)
    kept = [g for g in generations if g not in revoked] + [new]
    return Rotation(new, tuple(revoked), tuple(kept))


def age_days(issued: datetime | None, now: datetime) -> int | None:
    """Whole days since issue; None when unknown."""
    return None if issued is None else max(0, (now - issued) // timedelta(days=1))
