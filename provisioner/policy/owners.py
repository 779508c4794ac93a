"""Who approves what and where alerts go: policies/owners.yaml as a typed value (pure; art14).

Each department names its forge group and alert email, a level-2 unit its level-1
parent unit (art14); the office and the provider name theirs. The CODEOWNERS file
and the Alertmanager configuration are made from it (provisioner.gitops.owners,
provisioner.alerting).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from provisioner.policy import files
from provisioner.policy.files import Issue
from provisioner.policy.messages import WORDS
from provisioner.spec import formats

OWNERS = "owners.yaml"
HANDLE = r"^@[A-Za-z0-9_.\-/]+$"
EMAIL = r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(_Strict):
    name: str = Field(min_length=2)
    group: str = Field(pattern=HANDLE, description="the group's handle on the forge, e.g. @jiujiang-gov/xxb")
    email: str = Field(pattern=EMAIL, description="where its alerts are mailed, e.g. the unit's duty mailbox")


class Provider(Party):
    paths: list[str] = Field(min_length=1, description="what the provider's ops own: code, stacks, deploy")


class Department(Party):
    parent: str | None = Field(default=None, pattern=formats.CODE, description="level-1 parent unit (level-2 units)")


class Owners(_Strict):
    version: Literal[1]
    office: Party
    provider: Provider
    departments: dict[str, Department]


def parse_owners(text: str) -> Owners:
    """The owners, or PolicyConfigError with every problem at its policies/owners.yaml:line."""
    return files.parse(Owners, text, OWNERS, "art14", (owners_checks,))


def owners_checks(owners: Owners) -> Iterator[Issue]:
    """Each parent that is not a level-1 unit listed in the file (art14), at its line."""
    for code, dept in owners.departments.items():
        parent, where = dept.parent, ("departments", code, "parent")
        if parent is not None and parent not in owners.departments:
            yield Issue(where, "owners-parent", WORDS("owners-parent-unknown", code=code, parent=parent), on_key=False)
        elif parent is not None and owners.departments[parent].parent is not None:
            yield Issue(where, "owners-parent", WORDS("owners-parent-level-2", code=code, parent=parent), on_key=False)
