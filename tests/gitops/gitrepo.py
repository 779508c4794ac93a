"""A real git repository in a temp dir shaped like govcloud's: samples, policies, CODEOWNERS, main branch.

The test department jj-gitops-test is registered in its policies/owners.yaml and CODEOWNERS, and has a
service agreement in its policies/agreements.yaml (art22).
`origin` is a bare repository next to it, so merge requests are branches pushed there and
CI checkouts are clones, as on a forge.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from provisioner.gitops.owners import codeowners, department_folders
from provisioner.policy import Policies
from tests.agreements import file_agreement
from tests.gitops.helpers import OWNERS_ENTRY, ROOT

IDENTITY = {"GIT_AUTHOR_NAME": "测试员", "GIT_AUTHOR_EMAIL": "test@jiujiang.gov.cn",
            "GIT_COMMITTER_NAME": "测试员", "GIT_COMMITTER_EMAIL": "test@jiujiang.gov.cn"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **IDENTITY})
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def create(cls, where: Path, with_origin: bool = True) -> Repo:
        root = where / "repo"
        root.mkdir(parents=True)
        shutil.copy(ROOT / "Pulumi.yaml", root)
        for name in ("policies", "request_specs", "stacks"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copytree(ROOT / "deploy", root / "deploy")
        owners = root / "policies" / "owners.yaml"
        owners.write_text(owners.read_text(encoding="utf-8") + OWNERS_ENTRY, encoding="utf-8")
        file_agreement(root, "jj-gitops-test")
        (root / "request_specs" / "jj-gitops-test").mkdir()
        (root / "request_specs" / "jj-gitops-test" / ".keep").write_text("")
        (root / "CODEOWNERS").write_text(codeowners(Policies(root).owners, department_folders(root)), encoding="utf-8")
        (root / ".gitignore").write_text(".venv\nprovisioner\n*.sqlite3\nplan.md\nplan.json\n")
        link(root)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "govcloud repository")
        repo = cls(root)
        if with_origin:
            git(where, "init", "-q", "--bare", "-b", "main", "origin.git")
            git(root, "remote", "add", "origin", str(where / "origin.git"))
            git(root, "push", "-q", "origin", "main")
        return repo

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message: str, *paths: str) -> str:
        git(self.root, "add", "-A", *paths)
        git(self.root, "commit", "-q", "-m", message)
        return git(self.root, "rev-parse", "HEAD").strip()

    def branch(self, name: str, start: str = "main") -> None:
        git(self.root, "checkout", "-q", "-B", name, start)

    def merge(self, branch: str) -> str:
        """Merge `branch` into main with a merge commit, as a forge's merge button does; push main."""
        git(self.root, "checkout", "-q", "main")
        git(self.root, "merge", "-q", "--no-ff", "-m", f"Merge branch '{branch}'", branch)
        if git(self.root, "remote").strip():
            git(self.root, "push", "-q", "origin", "main")
        return git(self.root, "rev-parse", "HEAD").strip()


def link(root: Path) -> None:
    """The checkout's .venv and provisioner: the ones under test."""
    (root / ".venv").symlink_to(ROOT / ".venv")
    (root / "provisioner").symlink_to(ROOT / "provisioner")
