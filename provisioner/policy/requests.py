"""A department's requests, as the rules that weigh one request against the others read them (art15).

Apart from the rule set's reader (load.py): a process that reads the policy files but checks no
request (the exporter daemon) does not import the spec reader.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from provisioner.spec.load import check_file, shown_path
from provisioner.spec.location import SPEC_FOLDER, has_spec_suffix
from provisioner.spec.model import RequestSpec


def department_requests(root: Path, department: str) -> list[tuple[str, Callable[[], RequestSpec | None]]]:
    """Every request under request_specs/<department>/: its shown path, and how to read it (None: invalid).

    Read lazily: a caller that already holds a file's spec (validating the whole
    folder) does not parse it twice. Its files are listed as names, each joined to the
    folder only when read: the reviews of 1,000 specs ask for every department's list.
    """
    folder = root / SPEC_FOLDER / department
    if not folder.is_dir():
        return []
    named = str(folder)
    names = sorted(name for name in os.listdir(named)
                   if has_spec_suffix(name) and os.path.isfile(os.path.join(named, name)))
    below = folder.relative_to(root)
    if ".." in below.parts:         # (a department named `..`): where shown_path says it is
        return [(shown_path(folder / name, root), partial(_spec, folder, name, root)) for name in names]
    # The folder's path below the root (whatever links there are: reading a file refuses those),
    # as shown_path would show its files, without the file system calls it makes.
    shown = below.as_posix() + "/"
    return [(shown + name, partial(_spec, folder, name, root)) for name in names]


def _spec(folder: Path, name: str, root: Path) -> RequestSpec | None:
    return check_file(folder / name, root).spec
