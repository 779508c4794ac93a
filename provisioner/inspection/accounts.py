"""The departments' accounts from Keystone's projects, users and application credentials (pure).

Shared by the security report's reader (provisioner/cloud/inventory.py, openstacksdk) and the
exporter's credential series, which reads Keystone as plain REST (`from_api`, over
provisioner/metering/cloud_api.py) so that a daemon running for months carries no openstacksdk.
A department's project carries the tags region= and department=; its user and its stacks
account are named by the department's code (provisioner/naming.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from provisioner.clock import utc_moment
from provisioner.inspection.facts import Account, AppCredential
from provisioner.metering.inventory import labels_of_tags
from provisioner.naming import department_user, stacks_user


def accounts(projects: Iterable[Any], users: Iterable[Any],
             credentials_of: Callable[[list[str]], list[list[AppCredential]]]) -> list[Account]:
    """Projects and users as openstacksdk gives them (id, name, tags, domain_id; is_enabled,
    password_expires_at); `credentials_of(user ids)` lists each user's application credentials."""
    by_place = {(u.domain_id, u.name): u for u in users}
    found = []
    for project in projects:
        labels = labels_of_tags(project.tags)
        if labels.get("region") and labels.get("department"):   # else not a department's (admin, service)
            department = labels["department"]
            found.append((labels["region"], department, project,
                          by_place.get((project.domain_id, department_user(department))),
                          by_place.get((project.domain_id, stacks_user(department)))))
    users_found = [user for *_, user, robot in found for user in (user, robot) if user is not None]
    credentials = credentials_of([user.id for user in users_found]) if users_found else []
    by_user = dict(zip([user.id for user in users_found], credentials))
    return [Account(region, department, project.id, project.name, user.name if user else None,
                    bool(user.is_enabled) if user else True, utc_moment(user.password_expires_at) if user else None,
                    tuple(by_user[user.id]) if user else (), robot.name if robot else None,
                    tuple(by_user[robot.id]) if robot else ())
            for region, department, project, user, robot in found]


def from_api(api: Any) -> list[Account]:
    """The same from Keystone's REST answers (a metering.cloud_api.CloudApi)."""
    projects = [SimpleNamespace(id=p["id"], name=p.get("name") or p["id"], tags=p.get("tags"),
                                domain_id=p.get("domain_id")) for p in api.projects()]
    users = [SimpleNamespace(id=u["id"], name=u.get("name"), domain_id=u.get("domain_id"),
                             is_enabled=u.get("enabled", True), password_expires_at=u.get("password_expires_at"))
             for u in api.users()]
    return accounts(projects, users, lambda ids: [
        [AppCredential(c["id"], c.get("name") or c["id"], utc_moment(c.get("expires_at")))
         for c in api.application_credentials(user_id)] for user_id in ids])
