"""The ledger is the spine, on the real cloud and engine, in a department of its own
(jj-ledger-test) with its own state backend and ledger (which holds the audit log):

1. from an empty ledger, on GOVCLOUD_NOW day 0: submit + accept, then `govcloud reconcile`
   (the Pulumi engine by default) makes the trial stack: its server ACTIVE, labelled trial;
2. both verdicts, then day 16: reconcile promotes it in place: the same server and volume
   ids, labelled production (day 10 is too early: the trial runs 15 days);
3. `govcloud apply` of that production system keeps it production;
4. a system stack made by a plain `pulumi up` is adopted with its phase and metered in it; a
   second adopt records nothing;
5. `govcloud apply` of a spec the ledger does not know, on the dev cloud: recorded
   (submitted, accepted by devcloud-office) and its trial made;
6. the same apply against another cloud's ledger is refused before anything;
7. after a minor change (art18) reconcile applied, `govcloud apply` of the changed file (which
   names the change's request) runs the system in place;
8. a major change (art18) goes through the whole flow on the same stack, which stays production;
   at its go-live the generation it replaces ends, and nothing of the stack is touched.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import openstack
import pytest
from sqlalchemy import select

from provisioner.app import apply as apply_job
from provisioner.ledger import Ledger, store
from provisioner.ledger.running import ledger_systems
from provisioner.ledger.schema import events, requests
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.agreements import file_agreement
from tests.cloud.conftest import cli_env
from tests.cloud.leftovers import purge_project
from tests.cloud.test_stack_safety import spec_text as safety_spec

pytestmark = pytest.mark.cloud

DEPARTMENT = "jj-ledger-test"
PROJECT = f"city-{DEPARTMENT}"
TENANT = f"city.{DEPARTMENT}"
FLOW, HAND, DEV = (f"city.{DEPARTMENT}.{name}" for name in ("flow", "handmade", "devapply"))
DAY0, DAY3, DAY10, DAY16 = "2026-12-07T09:00", "2026-12-10T09:00", "2026-12-17T09:00", "2026-12-23T09:00"


def spec_text(system: str, request_id: str, net: int) -> str:
    """test_stack_safety's small request (one cirros server, a 10 GB disk), moved to this department."""
    text = safety_spec().replace("jj-safety-test", DEPARTMENT).replace("栈安全测试", "台账测试")
    return (text.replace("system: safety", f"system: {system}").replace("JJ-2026-0951", request_id)
            .replace("10.99.51.0/24", f"10.99.{net}.0/24"))


SYSTEMS = {FLOW: ("flow", "JJ-2026-0971", 71), HAND: ("handmade", "JJ-2026-0972", 72),
           DEV: ("devapply", "JJ-2026-0973", 73)}


def spec_path(key: str) -> str:
    return f"request_specs/{DEPARTMENT}/{SYSTEMS[key][0]}.yaml"


def govcloud(workspace: Settings, *args: str, now: str = DAY0, actor: str = "ops:test") -> subprocess.CompletedProcess[str]:
    env = {**cli_env(workspace), "GOVCLOUD_NOW": now, "GOVCLOUD_ACTOR": actor}
    return subprocess.run([str(workspace.root / ".venv/bin/govcloud"), *args], cwd=workspace.root, env=env,
                          capture_output=True, text=True)


def ok(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def ledger_test(workspace: Settings, admin: openstack.connection.Connection):
    """The department's three requests; everything they made removed afterwards."""
    assert workspace.ledger_url.startswith("sqlite:///") and str(workspace.cache) not in workspace.ledger_url
    purge_project(admin, PROJECT)
    file_agreement(workspace.root, DEPARTMENT)
    for key, (system, request_id, net) in SYSTEMS.items():
        path = workspace.root / spec_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec_text(system, request_id, net), encoding="utf-8")
    yield workspace
    engine = Engine(workspace)
    for key in SYSTEMS:
        if engine.exists(key):
            engine.unprotect_all(key)      # production volumes are protected: the test lifts it, as termination does
            engine.destroy(key)
    engine.destroy(TENANT)
    purge_project(admin, PROJECT)


def project_id(admin: openstack.connection.Connection) -> str:
    return admin.identity.find_project(PROJECT, ignore_missing=False).id


def held(admin: openstack.connection.Connection, system: str) -> dict[str, tuple[str, str]]:
    """The system's servers and volumes: name -> (id, phase label)."""
    pid = project_id(admin)
    found = {}
    for server in admin.compute.servers(all_projects=True, project_id=pid):
        server = admin.compute.get_server(server.id)
        if server.metadata.get("govcloud_system") == system:
            assert server.status == "ACTIVE", server.status
            found[server.name] = (server.id, server.metadata["govcloud_phase"])
    for volume in admin.block_storage.volumes(all_projects=True, project_id=pid):
        if volume.metadata.get("govcloud_system") == system:
            found[volume.name] = (volume.id, volume.metadata["govcloud_phase"])
    return found


def in_ledger(workspace: Settings) -> dict:
    ledger = Ledger.open(workspace.ledger_url)
    try:
        with ledger.transaction() as conn:
            return ledger_systems(conn)
    finally:
        ledger.close()


def test_1_from_an_empty_ledger_reconcile_makes_the_trial(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    assert in_ledger(ledger_test) == {}
    ok(govcloud(ledger_test, "lifecycle", "submit", spec_path(FLOW), actor="dept:wang"))
    ok(govcloud(ledger_test, "lifecycle", "accept", "JJ-2026-0971", actor="office:li"))
    out = ok(govcloud(ledger_test, "reconcile", "--lang", "en"))
    assert f"{FLOW}#1: trial environment ready; the trial ends 2026-12-22 23:59:59 (art16)" in out
    assert "1 step(s) done, 0 recorded only, 0 failed" in out
    made = held(admin, "flow")
    assert sorted(made) == ["flow-app-1", "flow-app-1-data1", "flow-app-1-system"] and {p for _, p in made.values()} == {"trial"}
    assert in_ledger(ledger_test)[FLOW].phase == "trial"
    shown = ok(govcloud(ledger_test, "lifecycle", "show", FLOW))
    assert f"{FLOW}#1 JJ-2026-0971 trial art16-trial 2026-12-22 23:59:59" in shown and "office:li" in shown


def test_2_day_16_with_both_verdicts_reconcile_promotes_in_place(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    before = held(admin, "flow")
    ok(govcloud(ledger_test, "lifecycle", "verdict", FLOW, "--party", "department", now=DAY3, actor="dept:wang"))
    ok(govcloud(ledger_test, "lifecycle", "verdict", FLOW, "--party", "provider", now=DAY3, actor="provider:zhao"))
    assert "生产" not in ok(govcloud(ledger_test, "reconcile", now=DAY10))            # the trial runs 15 days
    out = ok(govcloud(ledger_test, "reconcile", now=DAY16))
    assert f"{FLOW}#1: 试用环境已转为生产环境（第十七条）" in out
    after = held(admin, "flow")
    assert {n: i for n, (i, _) in after.items()} == {n: i for n, (i, _) in before.items()}   # converted, not rebuilt
    assert {p for _, p in after.values()} == {"production"}
    system = in_ledger(ledger_test)[FLOW]
    assert system.phase == "production" and system.view.go_live_at is not None
    assert system.view.go_live_at.isoformat().startswith("2026-12-23T01:00")      # GOVCLOUD_NOW, in UTC


def test_3_apply_of_a_production_system_keeps_it_production(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    before = held(admin, "flow")
    out = ok(govcloud(ledger_test, "apply", spec_path(FLOW), now=DAY16))
    assert f"up       {FLOW}" in out and "create" not in out.split(FLOW)[1].splitlines()[0]
    assert "govcloud:phase: production" in (ledger_test.root / "stacks" / f"Pulumi.{FLOW}.yaml").read_text()
    assert held(admin, "flow") == before


def test_4_a_stack_made_by_a_plain_pulumi_up_is_adopted_once(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    planned = apply_job.discover(ledger_test.root, [ledger_test.root / spec_path(HAND)])
    apply_job.render(ledger_test, planned, phase="production")
    env = {**cli_env(ledger_test), "GOVCLOUD_NOW": DAY16}
    for command in (["stack", "init", HAND], ["up", "--yes", "--skip-preview", "--stack", HAND]):
        made = subprocess.run(["pulumi", *command], cwd=ledger_test.root, env=env, capture_output=True, text=True)
        assert made.returncode == 0, made.stdout + made.stderr
    assert HAND not in in_ledger(ledger_test)
    out = ok(govcloud(ledger_test, "adopt", "--lang", "en", now=DAY16, actor="ops:chen"))
    assert f"{HAND}: adopted from its stack and labels (phase production" in out and FLOW not in out
    system = in_ledger(ledger_test)[HAND]
    assert (system.phase, system.view.request_id) == ("production", "JJ-2026-0972")
    assert system.view.trial_started_at is not None and system.spec is not None
    assert {p for _, p in held(admin, "handmade").values()} == {"production"}
    # Metered as it runs (the exporter's view, which the bill and Prometheus read): in production now.
    metrics = ok(govcloud(ledger_test, "exporter", "--once", now=DAY16))
    allocated = [line for line in metrics.splitlines()
                 if line.startswith("govcloud_system_allocated{") and 'system="handmade"' in line]
    assert any('resource="cores"' in line for line in allocated), metrics
    assert all('phase="production"' in line for line in allocated), allocated
    again = govcloud(ledger_test, "adopt", now=DAY16)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_5_apply_of_an_unknown_spec_on_the_dev_cloud_records_it_and_makes_its_trial(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    out = ok(govcloud(ledger_test, "apply", "--lang", "en", spec_path(DEV), now=DAY16, actor="dev:liu"))
    assert f"{DEV}: development cloud: request JJ-2026-0973 recorded and accepted by devcloud-office" in out
    assert f"{DEV}#1: trial environment ready" in out
    assert {p for _, p in held(admin, "devapply").values()} == {"trial"}
    ledger = Ledger.open(ledger_test.ledger_url)
    with ledger.transaction() as conn:
        request = conn.execute(select(requests).where(requests.c.request_id == "JJ-2026-0973")).one()
        accepted = conn.execute(select(events.c.actor).where(events.c.kind == "accepted",
                                                             events.c.request_id == "JJ-2026-0973")).scalar_one()
    ledger.close()
    assert (request.submitted_by, request.decided_by, accepted) == ("dev:liu", "devcloud-office", "devcloud-office")
    assert in_ledger(ledger_test)[DEV].phase == "trial"


def test_6_the_same_apply_elsewhere_is_refused_before_anything(ledger_test: Settings, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    env_run = subprocess.run([str(ledger_test.root / ".venv/bin/govcloud"), "apply", spec_path(DEV)],
                             cwd=ledger_test.root, capture_output=True, text=True,
                             env={**cli_env(ledger_test), "GOVCLOUD_CLOUD": "jiujiang-prod",
                                  "GOVCLOUD_LEDGER_URL": f"sqlite:///{other}"})
    assert env_run.returncode == 1 and "govcloud lifecycle submit" in env_run.stderr


def test_7_after_a_minor_change_apply_of_the_changed_file_runs_it(ledger_test: Settings, admin) -> None:  # noqa: ANN001
    """The spec file then names the change's request (art18), while the generation keeps its own: the
    main job applies every sample file, so a refusal here ("request ... has ended") failed it for good."""
    day17 = "2026-12-24T09:00"
    path = ledger_test.root / spec_path(FLOW)
    path.write_text(spec_text("flow", "JJ-2026-0974", 71), encoding="utf-8")       # the same resources: minor
    ok(govcloud(ledger_test, "lifecycle", "submit", spec_path(FLOW), now=day17, actor="dept:wang"))
    ok(govcloud(ledger_test, "lifecycle", "accept", "JJ-2026-0974", now=day17, actor="office:li"))
    before = held(admin, "flow")
    out = ok(govcloud(ledger_test, "reconcile", "--lang", "en", now=day17))
    assert "1 step(s) done, 0 recorded only, 0 failed" in out, out
    system = in_ledger(ledger_test)[FLOW]
    assert (system.phase, system.view.request_id, system.spec["metadata"]["request_id"]) == \
        ("production", "JJ-2026-0971", "JJ-2026-0974")
    out = ok(govcloud(ledger_test, "apply", "--lang", "en", spec_path(FLOW), now=day17))
    assert f"up       {FLOW}" in out and "has ended" not in out
    assert held(admin, "flow") == before                  # nothing made again: the same system, in production


def test_8_a_major_change_goes_live_on_the_same_stack_and_ends_the_generation_it_replaces(
        ledger_test: Settings, admin) -> None:  # noqa: ANN001
    """art18: a security change is major: the new-application flow again, its trial made on the system's
    one stack, which stays production. At its go-live the old generation ends (superseded): nothing is
    backed up, handed over or destroyed, the servers and volumes run on, the new rule is in the cloud."""
    day, later = "2026-12-24T10:00", "2027-01-11T09:00"
    rule = ("      - protocol: tcp\n        port: 8443\n        source: 10.0.0.0/8\n"
            "        description: 内网管理 admin from the government network\n")
    text = spec_text("flow", "JJ-2026-0975", 71)
    path = ledger_test.root / spec_path(FLOW)
    path.write_text(text.rstrip("\n") + "\n" + rule, encoding="utf-8")
    submitted = ok(govcloud(ledger_test, "lifecycle", "--lang", "en", "submit", spec_path(FLOW), now=day,
                            actor="dept:wang"))
    assert "major" in submitted, submitted
    ok(govcloud(ledger_test, "lifecycle", "accept", "JJ-2026-0975", now=day, actor="office:li"))
    before = held(admin, "flow")
    out = ok(govcloud(ledger_test, "reconcile", "--lang", "en", now=day))
    assert "1 step(s) done, 0 recorded only, 0 failed" in out, out
    assert {p for _, p in held(admin, "flow").values()} == {"production"}       # the stack stays production
    for party, actor in (("department", "dept:wang"), ("provider", "provider:zhao")):
        ok(govcloud(ledger_test, "lifecycle", "verdict", FLOW, "--party", party, now=day, actor=actor))
    out = ok(govcloud(ledger_test, "reconcile", "--lang", "en", now=later))   # (devapply's trial is held: step 5's)
    assert f"{FLOW}#2: the trial environment became production (art17)" in out and ", 1 step(s) done," in out, out
    ledger = Ledger.open(ledger_test.ledger_url)
    with ledger.transaction() as conn:
        generations = [(g.generation, g.state.value) for g in store.generations(conn, FLOW)]
        ended = [e.kind for e in store.event_rows(conn, [g.id for g in store.generations(conn, FLOW)
                                                         if g.generation == 1])]
    ledger.close()
    assert generations == [(1, "terminated"), (2, "production")]
    assert ended[-1] == "superseded" and "termination_started" not in ended and "back_up_done" not in ended
    assert held(admin, "flow") == before                 # the same servers and volumes, still production
    groups = admin.network.security_groups(project_id=project_id(admin))
    ports = {r["port_range_min"] for g in groups for r in g.security_group_rules if r["direction"] == "ingress"}
    assert {443, 8443} <= ports
    out = ok(govcloud(ledger_test, "reconcile", "--full", "--lang", "en", now=later))
    assert ", 0 step(s) done," in out, out                # nothing left to do for generation 1
    assert held(admin, "flow") == before
