"""Benchmark: `govcloud plan` for one changed spec in a repository of 1,000 specs, beyond `pulumi preview`.

    .venv/bin/python bench/bench_plan.py [--count 1000] [--repeat 3]

Builds a real git repository of COUNT generated specs (bench_validate.generate) plus the
department jj-gitops-bench with one request, on a fresh local state backend and ledger,
and creates that department's tenant stack on the local cloud (a Keystone project and its
quotas: no servers). A branch adds a second request of the department. Then, REPEAT times:
  - `govcloud plan --base main` as a command: both stacks are previewed for real (the
    tenant's quota grows, the new system is created); the plan's JSON reports the time
    spent in its `pulumi preview` calls, measured in the same run;
  - the plan's overhead = the plan's own time (reported in its JSON) - the wall time during
    which a `pulumi preview` ran (the previews run at once): git, validation, policy, the
    ledger, owners, cost, deadlines, the cloud's offer check, rendering, listing and removing
    stacks, the comment;
  - the command's overhead adds Python start-up, the CLI's imports and the audit record.
Goal: the plan's overhead at most 1 s. Prints each run and the ratios to the preview time;
also a hand-run `pulumi preview` of each stack for reference. Cleans up the tenant stack
and its project. It asserts nothing about time; it exits 1 if the plan itself fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_validate import generate  # noqa: E402
from benchenv import own_environment  # noqa: E402

from provisioner.cloud.backups import connect_operator  # noqa: E402
from provisioner.app import stackfiles  # noqa: E402
from provisioner.gitops.owners import codeowners, department_folders  # noqa: E402
from provisioner.settings import Settings  # noqa: E402
from provisioner.stacks.engine import Engine  # noqa: E402
from provisioner.policy import Policies  # noqa: E402
from tests.agreements import file_agreement  # noqa: E402
from tests.cloud.leftovers import purge_project  # noqa: E402

DEPT = "jj-gitops-bench"
TENANT = f"city.{DEPT}"
DEMO = (ROOT / "tests" / "gitops" / "data" / "demo.yaml").read_text(encoding="utf-8")
IDENTITY = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example", "GIT_COMMITTER_NAME": "bench",
            "GIT_COMMITTER_EMAIL": "bench@example"}


def request(system: str, number: int, subnet: int) -> str:
    return (DEMO.replace("jj-gitops-test", DEPT).replace("system: demo", f"system: {system}")
            .replace("JJ-2026-0901", f"JJ-2026-{number:04d}").replace("10.99.1.0/24", f"10.98.{subnet}.0/24"))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **IDENTITY})


def build(folder: Path, count: int) -> Path:
    repo = folder / "repo"
    repo.mkdir()
    generate(repo, count)
    shutil.copy(ROOT / "Pulumi.yaml", repo)
    shutil.copytree(ROOT / "policies", repo / "policies")
    (repo / "stacks").mkdir()
    owners = repo / "policies" / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8") +
                      f'  {DEPT}: {{name: 基准测试局, group: "@jiujiang-gov/{DEPT}", email: {DEPT}@bench.example}}\n', encoding="utf-8")
    file_agreement(repo, DEPT)
    (repo / "request_specs" / DEPT).mkdir()
    (repo / "request_specs" / DEPT / "base.yaml").write_text(request("base", 9801, 11), encoding="utf-8")
    (repo / "CODEOWNERS").write_text(codeowners(Policies(repo).owners, department_folders(repo)), encoding="utf-8")
    (repo / ".gitignore").write_text(".venv\nprovisioner\nstacks/\nplan.*\n")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "provisioner").symlink_to(ROOT / "provisioner")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{count} requests")
    git(repo, "checkout", "-q", "-b", f"{DEPT}/new")
    (repo / "request_specs" / DEPT / "new.yaml").write_text(request("new", 9802, 12), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one more request")
    return repo


def environment(folder: Path) -> dict[str, str]:
    (folder / "state").mkdir()
    (folder / "passphrase").write_text("bench-passphrase")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVCLOUD_", "PULUMI_"))}
    env.update(GOVCLOUD_STATE_URL=(folder / "state").as_uri(), GOVCLOUD_PASSPHRASE_FILE=str(folder / "passphrase"),
               GOVCLOUD_LEDGER_URL=f"sqlite:///{folder / 'ledger.sqlite3'}", GOVCLOUD_ACTOR="bench")
    return env


def plan_once(repo: Path, env: dict[str, str]) -> tuple[float, float, float, dict]:
    start = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv/bin/govcloud"), "plan", "--base", "main", "--comment", "plan.md",
                           "--json", "plan.json"], cwd=repo, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = json.loads((repo / "plan.json").read_text(encoding="utf-8")) if (repo / "plan.json").exists() else {}
    if done.returncode != 0:
        sys.exit(f"govcloud plan failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall, float(summary["plan_seconds"]), float(summary["preview_seconds"]), summary


def hand_preview(repo: Path, settings: Settings, stack: str) -> float:
    env = {**os.environ, **settings.pulumi_env()}
    subprocess.run(["pulumi", "stack", "select", "--create", stack], cwd=repo, env=env, check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run(["pulumi", "preview", "--stack", stack, "--non-interactive"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # The shell's PULUMI_CONFIG_PASSPHRASE (after `eval "$(govcloud env)"`) would win over the
    # bench's passphrase file in this process's engine, not in the plan's: "incorrect passphrase".
    own_environment()
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-plan-") as tmp:
        folder = Path(tmp)
        repo = build(folder, args.count)
        env = environment(folder)
        settings = Settings.from_environ(env, repo)
        engine = Engine(settings)
        from provisioner.app import apply as apply_job
        base = apply_job.discover(repo, [repo / "request_specs" / DEPT / "base.yaml"])
        git(repo, "checkout", "-q", "main")
        stackfiles.render(settings, [DEPT], [(base[0], "trial")])
        purge_project(connect_operator(settings), f"city-{DEPT}")   # what a crashed earlier run left
        try:
            engine.up(TENANT)                     # the department exists: both stacks can be previewed
            git(repo, "checkout", "-q", f"{DEPT}/new")
            runs = [plan_once(repo, env) for _ in range(args.repeat)]
            hand = [hand_preview(repo, settings, TENANT), hand_preview(repo, settings, f"{TENANT}.new")]
        finally:
            engine.destroy(TENANT)
        statuses = {s: p["status"] for s, p in runs[-1][3]["items"][0]["previews"].items()}
    print(f"specs: {args.count + 1} in the repository, 1 added by the merge request; previews: {statuses}")
    for number, (wall, inside, preview, _) in enumerate(runs, start=1):
        print(f"run {number}: command {wall:6.3f} s = start-up and audit {wall - inside:5.3f} s + plan {inside:6.3f} s; "
              f"plan = pulumi preview {preview:6.3f} s + overhead {inside - preview:5.3f} s "
              f"(overhead / preview {(inside - preview) / preview:4.2f})")
    overhead = statistics.median(inside - preview for _, inside, preview, _ in runs)
    preview = statistics.median(preview for _, _, preview, _ in runs)
    command = statistics.median(wall - preview for wall, _, preview, _ in runs)
    print(f"median plan overhead beyond pulumi preview: {overhead:6.3f} s  goal <= 1 s; "
          f"ratio overhead / preview {overhead / preview:4.2f}")
    print(f"median command overhead (Python start-up, every CLI import, audit record included): {command:6.3f} s; "
          f"ratio {command / preview:4.2f}")
    print(f"for reference, a hand-run `pulumi preview` of each stack: {sum(hand):6.3f} s "
          f"({hand[0]:.3f} + {hand[1]:.3f}); the plan runs them at once")


if __name__ == "__main__":
    main()
