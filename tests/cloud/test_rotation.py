"""Rotating a department's stacks credential on the real cloud (art12(3), `govcloud credentials`).

A department of the tests' own with one small system, and a second department (tenant stack
only) whose project must stay closed. The clock is walked with GOVCLOUD_NOW: the rotation at
the real now, a revocation run within the overlap (nothing revoked) and one after it.
Checked: the new credential works and is the system stack's, the old one keeps working
through the overlap and stops after the revocation, neither opens the other department's
project, a hand-run `pulumi up` works after the rotation, and neither the audit log, the
command's output nor the engine's run logs hold the secret.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from datetime import datetime, timedelta, timezone

import openstack
import pytest
import yaml

from provisioner.app import apply as apply_job
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_project
from tests.cloud.specs import one_host

pytestmark = pytest.mark.cloud

ROTATING, CLOSED = "jj-lunhuan-test", "jj-fenge-test"
SOURCE = "tests/cloud/test_rotation.py"
SPECS = {
    f"request_specs/{ROTATING}/lunhuan.yaml": one_host(ROTATING, "九江市凭据轮换测试局", "lunhuan", "凭据轮换测试系统",
                                                      "JJ-2026-0966", "10.99.66.0/24", SOURCE),
    f"request_specs/{CLOSED}/fenge.yaml": one_host(CLOSED, "九江市凭据隔离测试局", "fenge", "凭据隔离测试系统",
                                                  "JJ-2026-0967", "10.99.67.0/24", SOURCE),
}
TENANT, SYSTEM, OTHER_TENANT = f"city.{ROTATING}", f"city.{ROTATING}.lunhuan", f"city.{CLOSED}"
PROJECT, OTHER_PROJECT = f"city-{ROTATING}", f"city-{CLOSED}"
AUTH_URL = "http://127.0.0.1:5000/v3"


def govcloud(workspace: Settings, *args: str, now: datetime) -> subprocess.CompletedProcess[str]:
    env = {**cli_env(workspace), "GOVCLOUD_NOW": now.isoformat(), "GOVCLOUD_ACTOR": "provider:test"}
    return subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root, env=env,
                          capture_output=True, text=True, timeout=1800)


def as_credential(credential_id: str, secret: str) -> openstack.connection.Connection:
    return openstack.connect(auth_url=AUTH_URL, auth_type="v3applicationcredential",
                             application_credential_id=credential_id, application_credential_secret=secret,
                             load_yaml_config=False, load_envvars=False)


def _purge(admin: openstack.connection.Connection) -> None:
    for project in (PROJECT, OTHER_PROJECT):
        purge_project(admin, project)
    domain = admin.identity.find_domain("city")
    for code in (ROTATING, CLOSED):
        for name in (code, f"{code}.stacks"):
            user = admin.identity.find_user(name, domain_id=domain.id)
            if user is not None:
                admin.identity.delete_user(user)


@pytest.fixture(scope="module")
def departments(workspace: Settings, admin: openstack.connection.Connection):
    """Both tenants and the rotating department's system, made; the first credential's id and secret."""
    _purge(admin)
    for path, text in SPECS.items():
        (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / path).write_text(text, encoding="utf-8")
    for code in (ROTATING, CLOSED):
        file_agreement(workspace.root, code)
    engine = Engine(workspace)
    planned = apply_job.discover(workspace.root, [workspace.root / p for p in SPECS])
    apply_job.render(workspace, planned)
    try:
        engine.up(TENANT)
        engine.up(OTHER_TENANT)
        engine.up(SYSTEM)
        first = engine.outputs(TENANT)
        yield {"engine": engine, "first": (str(first["credentialId"]), str(first["credentialSecret"])),
               "started": time.time()}
    finally:
        for stack in (SYSTEM, TENANT, OTHER_TENANT):
            try:
                if stack == TENANT:
                    engine.unprotect_all(stack)         # the rotated credentials are protected
                engine.destroy(stack)
            except Exception:  # noqa: BLE001 - the purge below removes what is left
                pass
        _purge(admin)


def _closed(conn: openstack.connection.Connection, other_project_id: str) -> None:
    """Nothing of the other department's project is open to this credential."""
    with pytest.raises(openstack.exceptions.HttpException):         # member: no other project's servers
        list(conn.compute.servers(all_projects=True))
    with pytest.raises(openstack.exceptions.HttpException):         # nor a network made in its project
        conn.network.create_network(name="rotation-probe", project_id=other_project_id)


@pytest.fixture(scope="module")
def rotated(departments: dict, workspace: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("handover") / "lunhuan.clouds.yaml"
    now = datetime.now(timezone.utc)
    started = time.monotonic()
    run = govcloud(workspace, "credentials", "--lang", "en", "rotate", ROTATING, "-o", str(out), now=now)
    assert run.returncode == 0, run.stderr
    print(f"rotate (tenant up, one system stack moved): {time.monotonic() - started:.1f} s")
    entry = next(iter(yaml.safe_load(out.read_text(encoding="utf-8"))["clouds"].values()))
    return {"now": now, "file": out, "run": run, "id": entry["auth"]["application_credential_id"],
            "secret": entry["auth"]["application_credential_secret"], "entry": entry}


def test_before_rotation_the_first_credential_never_expires_and_is_a_finding(departments: dict,
                                                                               workspace: Settings) -> None:
    run = govcloud(workspace, "credentials", "--lang", "en", "list", "--department", ROTATING, "--format", "json",
                   now=datetime.now(timezone.utc))
    assert run.returncode == 1, run.stderr          # a finding: it never expires (art12)
    [account] = json.loads(run.stdout)["departments"]
    assert (account["user"], account["stacks_user"]) == (ROTATING, f"{ROTATING}.stacks")
    [credential] = account["application_credentials"]
    assert (credential["id"], credential["name"], credential["role"]) == (departments["first"][0], "govcloud-stacks",
                                                                          "current")
    assert credential["expires"] is None and credential["rule"] == "inspect-app-credential-rotation"


def test_the_new_credential_is_handed_over_in_a_private_file_and_works(rotated: dict, admin) -> None:
    assert stat.S_IMODE(os.stat(rotated["file"]).st_mode) == 0o600
    assert rotated["entry"]["auth_type"] == "v3applicationcredential"
    assert rotated["secret"] not in rotated["run"].stdout + rotated["run"].stderr
    inside = as_credential(rotated["id"], rotated["secret"])
    assert inside.current_project_id == admin.identity.find_project(PROJECT).id
    assert [s.name for s in inside.compute.servers()] == ["lunhuan-app-1"]
    credential = admin.identity.get_application_credential(inside.current_user_id, rotated["id"])
    expires = datetime.fromisoformat(credential.expires_at.replace("Z", "+00:00"))
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=timezone.utc)
    assert abs(expires - (rotated["now"] + timedelta(days=90))) < timedelta(seconds=2)


def test_the_system_stack_works_with_the_new_one_and_a_hand_run_up_still_works(
        rotated: dict, departments: dict, workspace: Settings) -> None:
    engine: Engine = departments["engine"]
    [provider] = [r for r in engine.resources(SYSTEM) if r["type"] == "pulumi:providers:openstack"]
    assert provider["inputs"]["applicationCredentialId"] == rotated["id"]
    assert engine.outputs(TENANT)["credentialId"] == rotated["id"]
    for stack in (TENANT, SYSTEM):       # ops' own `pulumi up`, from the stack files as rotation left them
        run = subprocess.run([str(workspace.engine_bin / "pulumi"), "up", "--yes", "--skip-preview",
                              "--expect-no-changes", "--stack", stack], cwd=workspace.root,
                             env=cli_env(workspace), capture_output=True, text=True, timeout=900)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_both_credentials_work_through_the_overlap_and_neither_opens_the_other_project(
        rotated: dict, departments: dict, workspace: Settings, admin) -> None:
    other = admin.identity.find_project(OTHER_PROJECT).id
    run = govcloud(workspace, "credentials", "revoke-expired", now=rotated["now"] + timedelta(days=3))
    assert run.returncode == 0, run.stderr
    for credential_id, secret in (departments["first"], (rotated["id"], rotated["secret"])):
        conn = as_credential(credential_id, secret)
        assert [s.name for s in conn.compute.servers()] == ["lunhuan-app-1"]
        _closed(conn, other)


def test_after_the_overlap_the_old_one_is_revoked_and_stops_working(rotated: dict, departments: dict,
                                                                   workspace: Settings) -> None:
    later = rotated["now"] + timedelta(days=8)
    started = time.monotonic()
    run = govcloud(workspace, "credentials", "--lang", "en", "revoke-expired", now=later)
    assert run.returncode == 0, run.stderr
    print(f"revoke-expired (one revoked): {time.monotonic() - started:.1f} s")
    assert "revoked govcloud-stacks" in run.stderr
    with pytest.raises(openstack.exceptions.SDKException):          # Keystone: 401
        as_credential(*departments["first"]).authorize()
    assert [s.name for s in as_credential(rotated["id"], rotated["secret"]).compute.servers()] == ["lunhuan-app-1"]
    listed = govcloud(workspace, "credentials", "list", "--department", ROTATING, "--format", "json", now=later)
    assert listed.returncode == 0, listed.stdout + listed.stderr    # no finding left
    [credential] = json.loads(listed.stdout)["departments"][0]["application_credentials"]
    assert (credential["id"], credential["role"], credential["age_days"]) == (rotated["id"], "current", 8)


def test_issue_and_revocation_are_audited_and_no_record_or_log_holds_the_secret(
        rotated: dict, departments: dict, workspace: Settings) -> None:
    from provisioner.audit import log
    from provisioner.ledger import Ledger

    ledger = Ledger.open(workspace.ledger_url)
    try:
        with ledger.transaction() as conn:
            records = log.read(conn)
    finally:
        ledger.close()
    issued = [r for r in records if r.action == "credential.issued"]
    revoked = [r for r in records if r.action == "credential.revoked"]
    assert [(r.subject, r.detail["credential_id"], r.actor) for r in issued] == [(ROTATING, rotated["id"],
                                                                                   "provider:test")]
    assert [(r.detail["name"], r.detail["credential_id"]) for r in revoked] == [("govcloud-stacks",
                                                                                 departments["first"][0])]
    assert all(r.detail.get("article") == "art12" for r in issued + revoked)
    text = json.dumps([[r.action, r.subject, r.detail] for r in records], ensure_ascii=False)
    for secret in (rotated["secret"], departments["first"][1]):
        assert secret not in text
        logs = [p for p in (workspace.cache / "logs").glob("*.log") if p.stat().st_mtime >= departments["started"]]
        assert logs and not [p for p in logs if secret in p.read_text(encoding="utf-8", errors="replace")]
