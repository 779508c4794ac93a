"""Run the CI templates' own commands (deploy/gitlab-ci.yml, deploy/github-actions.yml) as a runner would.

GitLab: a job's `variables` are exported, then its `script` lines run in one bash with
`set -eo pipefail` (what GitLab's shell executor does). GitHub: each `run:` step of a job
runs in bash with `-eo pipefail` and the workflow's and the step's `env:`, whose `${{ }}`
expressions are filled from a context given by the test. `uses:` steps (checkout, artifacts)
are what the test does itself with git; `scripts/bootstrap` is skipped (the test session is
bootstrapped already).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.gitops.helpers import ROOT

BOOTSTRAP = "scripts/bootstrap"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "deploy" / name).read_text(encoding="utf-8"))


def gitlab_script(job: str) -> str:
    pipeline = load("gitlab-ci.yml")
    exports = [f'export {k}="{v}"' for k, v in (pipeline.get("variables") or {}).items()]
    before = [line for line in pipeline.get("default", {}).get("before_script", []) if line.strip() != BOOTSTRAP]
    return "\n".join(["set -eo pipefail", *exports, *before, *pipeline[job]["script"]]) + "\n"


def run_gitlab(job: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", gitlab_script(job)], cwd=cwd, env=env, capture_output=True, text=True)


def _fill(value: str, context: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression not in context:
            raise KeyError(f"the test gives no value for ${{{{ {expression} }}}}")
        return context[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def github_steps(job: str, context: dict[str, str]) -> list[tuple[str, str, dict[str, str]]]:
    """(name, script, env) of each `run:` step, expressions filled in."""
    workflow = load("github-actions.yml")
    base = {k: _fill(v, context) for k, v in (workflow.get("env") or {}).items()}
    steps = []
    for step in workflow["jobs"][job]["steps"]:
        if "run" not in step or step["run"].strip() == BOOTSTRAP:
            continue
        env = {**base, **{k: _fill(v, context) for k, v in (step.get("env") or {}).items()}}
        steps.append((step.get("name", step["run"][:30]), step["run"], env))
    return steps


def run_github(job: str, cwd: Path, env: dict[str, str], context: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Every run step in order, stopping at the first failure (as a job does)."""
    done = subprocess.CompletedProcess([], 0, "", "")
    out, err = [], []
    for _name, script, step_env in github_steps(job, context):
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env={**env, **step_env},
                              capture_output=True, text=True)
        out.append(done.stdout)
        err.append(done.stderr)
        if done.returncode != 0:
            break
    return subprocess.CompletedProcess(done.args, done.returncode, "".join(out), "".join(err))
