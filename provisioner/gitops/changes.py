"""Which files a merge request changes, from `git diff --name-status -z -M` (pure).

Only request specs (request_specs/<department>/<system>.yaml) become plan items;
every other path is kept so the review can say who must approve it (policies/ is
the information office's).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from provisioner.spec.location import is_request


class Kind(StrEnum):
    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"
    RENAMED = "renamed"


@dataclass(frozen=True, order=True)
class Change:
    path: str                   # the path at the head (for a deletion: at the base)
    kind: Kind
    old_path: str | None = None  # renames: the path at the base

    @property
    def base_path(self) -> str | None:
        """Where the file was at the base, if it existed there."""
        if self.kind == Kind.ADDED:
            return None
        return self.old_path or self.path

    @property
    def head_path(self) -> str | None:
        return None if self.kind == Kind.DELETED else self.path


_STATUS = {"A": Kind.ADDED, "M": Kind.MODIFIED, "T": Kind.MODIFIED, "D": Kind.DELETED, "R": Kind.RENAMED,
           "C": Kind.ADDED}


def parse_name_status(output: str) -> list[Change]:
    """Parse `git diff --name-status -z -M`: fields separated by NUL; R and C carry two paths."""
    fields = output.split("\0")
    changes, index = [], 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        letter = status[0]
        if letter in "RC":
            old, new = fields[index + 1], fields[index + 2]
            index += 3
            kind = _STATUS[letter]
            changes.append(Change(new, kind, old if kind == Kind.RENAMED else None))
            continue
        path = fields[index + 1]
        index += 2
        if letter not in _STATUS:       # U (unmerged), X: not something a merge request carries
            raise ValueError(f"unexpected git status {status!r} for {path}")
        changes.append(Change(path, _STATUS[letter]))
    return sorted(changes)


def is_spec(path: str | None) -> bool:
    """A request that becomes stacks: request_specs/<department>/<system>.yaml (others under
    request_specs/ are reported by the review as misplaced)."""
    return path is not None and is_request(path)


def spec_changes(changes: list[Change]) -> list[Change]:
    """Changes touching a request spec; a rename into or out of request_specs/ counts as added or deleted."""
    result = []
    for change in changes:
        old_is, new_is = is_spec(change.base_path), is_spec(change.head_path)
        if change.kind == Kind.RENAMED and old_is != new_is:
            result.append(Change(change.path, Kind.ADDED) if new_is else Change(change.old_path or "", Kind.DELETED))
        elif old_is or new_is:
            result.append(change)
    return sorted(result)


def other_paths(changes: list[Change]) -> list[str]:
    """Paths changed outside request specs (each path once, head side first)."""
    seen: list[str] = []
    for change in changes:
        for path in (change.head_path, change.base_path):
            if path is not None and not is_spec(path) and path not in seen:
                seen.append(path)
    return sorted(seen)


def department_of(path: str) -> str:
    return PurePosixPath(path).parts[1]


def system_of(path: str) -> str:
    return PurePosixPath(path).stem
