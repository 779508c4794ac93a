"""Keystone judges each request by its own token, also while other users' requests run.

A tenant stack's apply was refused once: its application credential asked for member and
load-balancer_member, and Keystone answered 400 "Cannot create an application credential with
unassigned role" although the stacks account held both roles; two other departments' stacks
accounts (member only) made their credentials at the same moment. Keystone 22 (Zed) keeps the
token it validates on its single AuthContextMiddleware instance (`self.token`), shared by the
threads of a worker process, and checks the requested roles against whatever token is there
when the request reads it. With uwsgi threads the check can see the other user's token; the
dev cloud therefore runs Keystone as processes of one thread (scripts/devcloud/lib/keystone.sh).

The test makes that moment happen often: one account (member) keeps making requests while the
other (member and load-balancer_member) makes credentials. With 4 threads in one process, 39 of
40 were refused; with one thread per process none.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

import openstack
import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from provisioner.program.credentials import STACKS_ROLE
from provisioner.program.tenant import LOAD_BALANCER_ROLE

pytestmark = pytest.mark.cloud

CREDENTIALS = 20          # at 4 threads, nearly every one was refused; one is enough to fail
BUSY_CLIENTS = 2          # the other account's concurrent requests (as other tenant stacks make)


@pytest.fixture()
def accounts(admin: openstack.connection.Connection) -> Iterator[dict[str, tuple[str, ks_session.Session]]]:
    """Two accounts in a scratch project: `plain` with member, `lb` with member and load-balancer_member."""
    auth_url = admin.session.get_endpoint(service_type="identity", interface="public").rstrip("/")
    auth_url = auth_url if auth_url.endswith("/v3") else f"{auth_url}/v3"
    domain = admin.identity.find_domain("Default")
    project = admin.identity.create_project(name=f"kswork-{secrets.token_hex(4)}", domain_id=domain.id)
    roles = {name: admin.identity.find_role(name) for name in (STACKS_ROLE, LOAD_BALANCER_ROLE)}
    users, accounts = [], {}
    try:
        for who, granted in (("plain", [STACKS_ROLE]), ("lb", [STACKS_ROLE, LOAD_BALANCER_ROLE])):
            password = secrets.token_urlsafe(24)
            user = admin.identity.create_user(name=f"{project.name}-{who}", domain_id=domain.id, password=password)
            users.append(user)
            for role in granted:
                admin.identity.assign_project_role_to_user(project, user, roles[role])
            session = ks_session.Session(auth=v3.Password(auth_url=auth_url, user_id=user.id, password=password,
                                                          project_id=project.id))
            session.get_token()     # logged in before the race starts: only the requests overlap
            accounts[who] = (user.id, session, auth_url)
        yield accounts
    finally:
        for user in users:
            admin.identity.delete_user(user)
        admin.identity.delete_project(project)

def test_a_credential_with_every_role_held_is_made_while_another_account_works(accounts) -> None:  # noqa: ANN001
    plain_id, plain, url = accounts["plain"]
    lb_id, lb, _ = accounts["lb"]
    stop = threading.Event()

    def keep_busy() -> None:
        while not stop.is_set():
            plain.get(f"{url}/users/{plain_id}/application_credentials", raise_exc=False)

    busy = [threading.Thread(target=keep_busy) for _ in range(BUSY_CLIENTS)]
    for thread in busy:
        thread.start()
    refused = []
    try:
        for n in range(CREDENTIALS):
            answer = lb.post(f"{url}/users/{lb_id}/application_credentials", raise_exc=False, json={
                "application_credential": {"name": f"c{n}", "roles": [{"name": STACKS_ROLE},
                                                                     {"name": LOAD_BALANCER_ROLE}]}})
            if answer.status_code == 201:
                lb.delete(f"{url}/users/{lb_id}/application_credentials/{answer.json()['application_credential']['id']}")
            else:
                refused.append(f"{answer.status_code} {answer.text[:160]}")
    finally:
        stop.set()
        for thread in busy:
            thread.join()
    assert not refused, (f"{len(refused)} of {CREDENTIALS} refused, first: {refused[0]}; does Keystone run "
                         "several threads per worker process (scripts/devcloud/lib/keystone.sh)?")
