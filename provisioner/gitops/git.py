"""The git edge: resolve refs, the merge base, what changed, a file as it was at a ref.

The plan compares the working tree (in CI: the merge request's head) with the
merge base of `--base` and HEAD, as a merge request's diff does; files not yet
tracked under request_specs/ count as added, so a department can plan before
committing. Failures leave here as GitError (a user error: a wrong ref, not a repository).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from provisioner.errors import UserError
from provisioner.gitops.changes import Change, Kind, parse_name_status
from provisioner.gitops.messages import WORDS
from provisioner.spec.location import SPEC_FOLDER


class GitError(UserError):
    """git refused: not a repository, an unknown ref (exit 1)."""


@dataclass(frozen=True)
class Revisions:
    base: str        # the merge base, full sha
    head: str        # HEAD, full sha
    base_ref: str    # as the user named it


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise GitError(WORDS("git-missing")) from exc
    if done.returncode != 0:
        raise GitError(WORDS("git-failed", args=" ".join(args),
                             reason=done.stderr.strip() or WORDS("git-exit", code=done.returncode)))
    return done.stdout


def revisions(root: Path, base_ref: str) -> Revisions:
    head = _git(root, "rev-parse", "--verify", "HEAD^{commit}").strip()
    try:
        base = _git(root, "rev-parse", "--verify", f"{base_ref}^{{commit}}").strip()
    except GitError as exc:
        raise GitError(WORDS("git-no-base", base=base_ref)) from exc
    merge_base = _git(root, "merge-base", base, head).strip()
    return Revisions(merge_base, head, base_ref)


def changes(root: Path, base: str) -> list[Change]:
    """Tracked changes between `base` and the working tree, plus untracked specs (as added)."""
    found = parse_name_status(_git(root, "diff", "--name-status", "-z", "-M", "--no-ext-diff", base, "--"))
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", SPEC_FOLDER)
    found += [Change(path, Kind.ADDED) for path in untracked.split("\0") if path]
    return sorted(found)


def show(root: Path, revision: str, path: str) -> bytes | None:
    """The file's bytes at `revision`, or None if it did not exist there."""
    done = subprocess.run(["git", "-C", str(root), "show", f"{revision}:{path}"], capture_output=True, check=False)
    return done.stdout if done.returncode == 0 else None


_MERGED = (re.compile(r"^Merge branch '([^']+)'"),                  # git, GitLab
           re.compile(r"^Merge pull request #\d+ from [^/\s]+/(\S+)"))   # GitHub: from <owner>/<branch>


def merged_branch(subject: str) -> str | None:
    """The source branch named by a merge commit's subject, if it is one."""
    for pattern in _MERGED:
        found = pattern.match(subject)
        if found:
            return found.group(1)
    return None


def head_subject(root: Path) -> str:
    return _git(root, "log", "-1", "--format=%s", "HEAD").strip()


def department_of_branch(branch: str | None) -> str | None:
    """Department branches are named <单位代码>/<topic>."""
    return branch.split("/", 1)[0] if branch and "/" in branch else None
