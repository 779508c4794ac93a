"""Who approves what: policies/owners.yaml (the office's data) and the CODEOWNERS file made from it.

Each department owns its folder request_specs/<department>/; a level-2 unit's folder
also needs its level-1 parent unit (art14); the information office owns policies/
and reviews every request; the provider's ops own the code. GitLab's CODEOWNERS
sections make each of these a separate required approval. GitHub has no sections
(any one owner of the last matching line approves), so its format lists the unit, the
parent and the office together and the parent's approval recorded in the spec
(approvals.parent_unit, checked by validation) carries the rest.

Each party also names the `email` its alerts go to (deploy/prometheus rules, routed by the
Alertmanager configuration `govcloud alerts-config` writes from this file). Problems are
reported all at once, each at its file:line.

The file itself is read by provisioner.policy (Policies.owners, model in policy/owners.py);
`codeowners` is pure, `department_folders` lists the folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from provisioner.errors import Location, Problem, SpecError
from provisioner.gitops.messages import WORDS
from provisioner.policy.owners import Owners
from provisioner.words import Text

OWNERS_FILE = "policies/owners.yaml"
Format = Literal["gitlab", "github"]


def _problem(shown: str, code: str, text: Text) -> Problem:
    return Problem(Location(shown, 1, 1), code, text.render("zh"), message_en=text.render("en"))


def department_folders(root: Path) -> list[str]:
    folder = root / "request_specs"
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def unowned(owners: Owners, folders: list[str]) -> list[str]:
    return [code for code in folders if code not in owners.departments]


def approvers(owners: Owners, department: str) -> list[str]:
    """Groups whose approval a change in the department's folder needs, unit first."""
    dept = owners.departments.get(department)
    if dept is None:
        return [owners.office.group]
    groups = [dept.group]
    if dept.parent is not None:
        groups.append(owners.departments[dept.parent].group)
    return [*groups, owners.office.group]


# The file's comments: the header in both languages, the rest in the office's (Chinese).
HEADER = f"# {WORDS.say('codeowners-generated', 'en')}\n# {WORDS.say('codeowners-generated', 'zh')}\n"


def codeowners(owners: Owners, folders: list[str], fmt: Format = "gitlab", path: str = "CODEOWNERS") -> str:
    """The CODEOWNERS text for these department folders; every folder must have an owner."""
    missing = unowned(owners, folders)
    if missing:
        raise SpecError([_problem(OWNERS_FILE, "owners-missing", WORDS("owners-missing-folder", department=code))
                         for code in missing])
    return _gitlab(owners, folders, path) if fmt == "gitlab" else _github(owners, folders, path)


def _gitlab(owners: Owners, folders: list[str], path: str) -> str:
    office, provider = owners.office.group, owners.provider.group
    lines = [HEADER, f"# {WORDS.say('codeowners-office', office=owners.office.name)}", "[office]",
             f"/policies/ {office}", f"/{path} {office}", f"/request_specs/ {office}", "",
             f"# {owners.provider.name}", "[provider]", *(f"{p} {provider}" for p in owners.provider.paths)]
    for code in folders:
        dept = owners.departments[code]
        lines += ["", f"# {dept.name}", f"[{code}]", f"/request_specs/{code}/ {dept.group}"]
        if dept.parent is not None:
            parent = owners.departments[dept.parent]
            lines += [f"# {WORDS.say('codeowners-parent', department=dept.name, parent=parent.name)}",
                      f"[{code} parent {dept.parent}]",
                      f"/request_specs/{code}/ {parent.group}"]
    return "\n".join(lines) + "\n"


def _github(owners: Owners, folders: list[str], path: str) -> str:
    office, provider = owners.office.group, owners.provider.group
    lines = [HEADER, f"# {WORDS.say('codeowners-github', 'en')}",
             *(f"{p} {provider}" for p in owners.provider.paths),
             f"/policies/ {office}", f"/{path} {office}", f"/request_specs/ {office}"]
    for code in folders:
        lines.append(f"/request_specs/{code}/ {' '.join(approvers(owners, code))}")
    return "\n".join(lines) + "\n"
