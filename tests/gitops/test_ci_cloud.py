"""The CI templates end to end: real git (origin, branches, merges, CI clones), the real Pulumi engine,
the local OpenStack cloud, shared state in an S3 bucket (moto standing in for Ceph RGW).

1. a department's merge request adds a request: GitLab's plan job previews it and passes;
2. it is merged: GitLab's apply job records submit + accept and creates the trial;
3. another department's branch edits that request: the plan job fails (foreign folder), with a
   real preview of both stacks from a fresh clone reading the shared state;
4. the department deletes the request through GitHub's workflow: plan passes, apply starts the
   termination flow in the ledger and destroys nothing.
The test's own stacks are destroyed at the end, whatever happened.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openstack
import pytest

from provisioner.cloud.secgroups import remove_default_groups
from provisioner.ledger import Ledger
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.cloud.conftest import start_local_cloud
from tests.cloud.leftovers import purge_project
from tests.gitops import ci
from tests.gitops.conftest import AWS, new_bucket
from tests.gitops.gitrepo import Repo, git, link
from tests.gitops.helpers import DEMO, DEPT, KEY, TENANT, demo_text, generations

pytestmark = pytest.mark.cloud
PROJECT = f"city-{DEPT}"
PASSPHRASE = "ci-test-passphrase"


@pytest.fixture(scope="module")
def clouds() -> Path:
    return start_local_cloud()


@pytest.fixture(scope="module")
def admin(clouds: Path) -> openstack.connection.Connection:
    os.environ["OS_CLIENT_CONFIG_FILE"] = str(clouds)
    return openstack.connect(cloud="govcloud-dev")


class Forge:
    """The origin repository, the runner's environment, and the clones CI jobs check out."""

    def __init__(self, where: Path, env: dict[str, str]) -> None:
        self.where, self.env = where, env
        self.repo = Repo.create(where)
        self.clones = 0
        self.applied_in: Path | None = None

    def checkout(self, ref: str) -> Path:
        self.clones += 1
        clone = self.where / f"ci-{self.clones}"
        git(self.where, "clone", "-q", str(self.where / "origin.git"), clone.name)
        git(clone, "checkout", "-q", ref)
        link(clone)
        return clone

    def push_branch(self, name: str) -> None:
        git(self.repo.root, "push", "-q", "-f", "origin", name)

    def ledger(self) -> list[tuple[int, str, str, str | None]]:
        return generations(Ledger.open(self.env["GOVCLOUD_LEDGER_URL"]))


@pytest.fixture(scope="module")
def forge(tmp_path_factory: pytest.TempPathFactory, clouds: Path, admin: openstack.connection.Connection,
          moto_endpoint: str, engine_bin: Path) -> Iterator[Forge]:
    purge_project(admin, PROJECT)            # what a crashed earlier run may have left
    where = tmp_path_factory.mktemp("forge")
    (where / "passphrase").write_text(PASSPHRASE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVCLOUD_", "PULUMI_", "CI_"))}
    env.update(AWS, GOVCLOUD_STATE_URL=new_bucket(moto_endpoint), GOVCLOUD_PASSPHRASE_FILE=str(where / "passphrase"),
               GOVCLOUD_LEDGER_URL=f"sqlite:///{where / 'ledger.sqlite3'}", OS_CLIENT_CONFIG_FILE=str(clouds),
               GOVCLOUD_ENGINE_BIN=str(engine_bin), GOVCLOUD_LOCK_WAIT="120", GITLAB_USER_LOGIN="zhang.wei")
    made = Forge(where, env)
    try:
        yield made
    finally:
        project = admin.identity.find_project(PROJECT)
        if made.applied_in is not None:
            settings = Settings.from_environ(env, made.applied_in)
            os.environ.update(AWS)
            engine = Engine(settings)
            existing = engine.stack_names()
            for stack in (KEY, TENANT):
                if stack in existing:
                    engine.destroy(stack)
        purge_project(admin, PROJECT)
        if project is not None:             # Neutron keeps its default group when the project goes
            remove_default_groups(admin, project.id)


def gitlab_mr(forge: Forge, branch: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    forge.push_branch(branch)
    clone = forge.checkout(f"origin/{branch}")
    env = {**forge.env, "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
           "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": branch}
    return ci.run_gitlab("govcloud-plan", clone, env), clone


def test_1_a_departments_merge_request_is_planned_with_a_real_preview(forge: Forge) -> None:
    forge.repo.branch(f"{DEPT}/demo")
    forge.repo.write(DEMO, demo_text())
    forge.repo.commit("流水线测试系统：新建上云申请")
    done, clone = gitlab_mr(forge, f"{DEPT}/demo")
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((clone / "plan.json").read_text(encoding="utf-8"))
    assert summary["mergeable"] and [i["action"] for i in summary["items"]] == ["new"]
    previews = summary["items"][0]["previews"]
    # the stack, 2 providers, the project, 2 users, 3 role assignments, 3 quotas, the stacks credential
    assert previews[TENANT] == {"status": "ok", "changes": {"create": 13}}
    assert previews[KEY]["status"] == "skipped"          # its tenant does not exist yet
    comment = (clone / "plan.md").read_text(encoding="utf-8")
    assert "create `openstack:identity/project:Project` project" in comment
    assert "信息办须在" in comment and "前答复是否受理（第十五条" in comment
    # The plan created no stack for good: the shared state holds none.
    settings = Settings.from_environ(forge.env, clone)
    os.environ.update(AWS)
    assert Engine(settings).stack_names() == set()


def test_2_after_the_merge_the_apply_job_creates_the_trial(forge: Forge, admin: openstack.connection.Connection) -> None:
    before = forge.repo.merge(f"{DEPT}/demo") and git(forge.repo.root, "rev-parse", "HEAD^1").strip()
    clone = forge.checkout("main")
    forge.applied_in = clone
    env = {**forge.env, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
           "CI_COMMIT_BEFORE_SHA": before}
    done = ci.run_gitlab("govcloud-apply", clone, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"done     {DEMO}: {KEY}: 申请 JJ-2026-0901 已受理，试用环境已创建（第十五、十六条）\n")
    assert f"up {TENANT}: create 13" in done.stdout and f"up {KEY}: create" in done.stdout
    assert forge.ledger() == [(1, "JJ-2026-0901", "trial", None)]
    project = admin.identity.find_project(PROJECT)
    servers = list(admin.compute.servers(all_projects=True, project_id=project.id))
    assert [(s.name, s.status) for s in servers] == [("demo-app-1", "ACTIVE")]
    assert "phase=trial" in admin.compute.get_server(servers[0].id).tags


def test_3_another_departments_branch_is_blocked(forge: Forge) -> None:
    forge.repo.branch("jj-xzspj/meddle")
    forge.repo.write(DEMO, demo_text().replace("10.0.0.0/8", "0.0.0.0/0"))
    forge.repo.commit("open the test system to the internet")
    done, clone = gitlab_mr(forge, "jj-xzspj/meddle")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"foreign-folder 本合并请求由 jj-xzspj 提交，却修改了 {DEPT} 的申请文件夹" in done.stderr
    summary = json.loads((clone / "plan.json").read_text(encoding="utf-8"))
    assert not summary["mergeable"] and summary["items"][0]["action"] == "trial-update"
    previews = summary["items"][0]["previews"]
    # A fresh clone previews both stacks from the shared state: the ingress rule is replaced.
    assert previews[TENANT] == {"status": "ok", "changes": {"same": 13}}
    assert previews[KEY]["status"] == "ok" and previews[KEY]["changes"].get("replace") == 1


def test_4_deleting_the_request_through_github_starts_the_termination_flow(
        forge: Forge, admin: openstack.connection.Connection) -> None:
    forge.repo.branch(f"{DEPT}/remove")
    (forge.repo.root / DEMO).unlink()
    forge.repo.commit("流水线测试系统：申请终止")
    forge.push_branch(f"{DEPT}/remove")
    clone = forge.checkout(f"origin/{DEPT}/remove")
    context = {"github.base_ref": "main", "github.head_ref": f"{DEPT}/remove", "github.event.pull_request.number": "",
               "github.token": "", "github.workspace": str(clone), "github.actor": "zhou-min",
               "secrets.GOVCLOUD_STATE_URL": forge.env["GOVCLOUD_STATE_URL"],
               "secrets.AWS_ACCESS_KEY_ID": AWS["AWS_ACCESS_KEY_ID"],
               "secrets.AWS_SECRET_ACCESS_KEY": AWS["AWS_SECRET_ACCESS_KEY"],
               "secrets.GOVCLOUD_LEDGER_URL": forge.env["GOVCLOUD_LEDGER_URL"],
               "secrets.GOVCLOUD_PASSPHRASE": PASSPHRASE,
               "secrets.CLOUDS_YAML": Path(forge.env["OS_CLIENT_CONFIG_FILE"]).read_text(encoding="utf-8")}
    runner = {k: v for k, v in forge.env.items() if k not in ("GOVCLOUD_PASSPHRASE_FILE", "OS_CLIENT_CONFIG_FILE")}
    done = ci.run_github("plan", clone, runner, context)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "删除申请文件将启动 city.jj-gitops-test.demo 的终止流程" in (clone / "plan.md").read_text(encoding="utf-8")
    before = forge.repo.merge(f"{DEPT}/remove") and git(forge.repo.root, "rev-parse", "HEAD^1").strip()
    main = forge.checkout("main")
    done = ci.run_github("apply", main, runner, {**context, "github.workspace": str(main),
                                                 "github.event.before": before})
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(f"recorded {DEMO}: {KEY}: 终止申请 JJ-2026-0901-T 已确认")
    assert forge.ledger() == [(1, "JJ-2026-0901", "terminating", "JJ-2026-0901-T")]
    project = admin.identity.find_project(PROJECT)          # nothing destroyed by the merge
    servers = list(admin.compute.servers(all_projects=True, project_id=project.id))
    assert [(s.name, s.status) for s in servers] == [("demo-app-1", "ACTIVE")]
