"""Check many spec files at once, and what only shows across files: reused numbers and systems.

The use case behind `govcloud validate`: returns a Report, prints nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from provisioner.errors import Problem
from provisioner.spec.findings import Finding
from provisioner.spec.load import Checked, check_file
from provisioner.spec.location import Placer, spec_files  # noqa: F401 (batch.spec_files)
from provisioner.spec.problems import in_order, to_problem
from provisioner.spec.yamltree import read_yaml


@dataclass(frozen=True)
class Report:
    files: list[Checked]

    @property
    def problems(self) -> list[Problem]:
        return [problem for checked in self.files for problem in checked.problems]

    @property
    def ok(self) -> bool:
        return all(checked.spec is not None for checked in self.files)


def check_files(files: Iterable[Path], root: Path) -> Report:
    placer = Placer(root)
    checked = [check_file(path, root, placer) for path in files]
    return Report(_with_duplicates(checked))


def _with_duplicates(checked: list[Checked]) -> list[Checked]:
    """Each file's own problems plus those of numbers or systems another file already uses."""
    first_id: dict[str, str] = {}
    first_system: dict[tuple[str, str], str] = {}
    result = []
    for item in checked:
        extra: list[Finding] = []
        if item.spec is not None:
            spec = item.spec
            if spec.metadata.request_id in first_id:
                extra.append(Finding("request-id-duplicate", ("metadata", "request_id"), params={
                    "value": spec.metadata.request_id, "other": first_id[spec.metadata.request_id]}))
            key = (spec.department, spec.metadata.system)
            if key in first_system:
                extra.append(Finding("system-duplicate", ("metadata", "system"), params={
                    "value": "/".join(key), "other": first_system[key]}))
            first_id.setdefault(spec.metadata.request_id, item.path)
            first_system.setdefault(key, item.path)
        result.append(_add(item, extra))
    return result


def _add(item: Checked, extra: list[Finding]) -> Checked:
    if not extra:
        return item
    tree = item.tree
    if tree is None and item.text is not None:  # a valid spec whose fast read kept no marks
        tree = read_yaml(item.text)[0]
    problems = in_order(item.problems + [to_problem(f, tree, item.path) for f in extra])
    return Checked(item.path, None, problems, tree, item.text)
