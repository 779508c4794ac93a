"""The exporter's credential series read Keystone as plain REST (inspection/accounts.from_api): the same
accounts as the security report's openstacksdk reader makes of the same answers."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from provisioner.inspection.accounts import accounts, from_api
from provisioner.inspection.facts import AppCredential
from provisioner.naming import department_user, stacks_user

PROJECTS = [{"id": "p1", "name": "city-jj-a", "domain_id": "d", "tags": ["region=city", "department=jj-a"]},
            {"id": "p0", "name": "admin", "domain_id": "default", "tags": []}]
USERS = [{"id": "u1", "name": department_user("jj-a"), "domain_id": "d", "enabled": False,
          "password_expires_at": "2026-12-31T00:00:00.000000"},
         {"id": "u2", "name": stacks_user("jj-a"), "domain_id": "d", "enabled": True, "password_expires_at": None},
         {"id": "u9", "name": "admin", "domain_id": "default", "enabled": True}]
CREDENTIALS = {"u1": [], "u2": [{"id": "c1", "name": "gc-stacks-20261201T000000Z", "expires_at": "2027-01-01T00:00:00Z"}]}


class FakeKeystone:
    def projects(self):  # noqa: ANN201
        return iter(PROJECTS)

    def users(self):  # noqa: ANN201
        return iter(USERS)

    def application_credentials(self, user_id: str):  # noqa: ANN201
        return iter(CREDENTIALS[user_id])


def test_rest_answers_make_the_accounts_the_sdk_reader_makes() -> None:
    sdk_projects = [SimpleNamespace(**p) for p in PROJECTS]
    sdk_users = [SimpleNamespace(id=u["id"], name=u["name"], domain_id=u["domain_id"], is_enabled=u["enabled"],
                                 password_expires_at=u.get("password_expires_at")) for u in USERS]
    expected = accounts(sdk_projects, sdk_users, lambda ids: [
        [AppCredential(c["id"], c["name"], datetime.fromisoformat(c["expires_at"].replace("Z", "+00:00")))
         for c in CREDENTIALS[i]] for i in ids])
    found = from_api(FakeKeystone())
    assert found == expected
    [account] = found
    assert (account.department, account.user_enabled, account.stacks_user) == ("jj-a", False, stacks_user("jj-a"))
    assert account.password_expires_at == datetime(2026, 12, 31, tzinfo=timezone.utc)
    assert [c.id for c in account.stacks_credentials] == ["c1"]
