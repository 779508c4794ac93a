"""Where a request spec may be read from, and reading it there.

A spec is read only from a regular file inside the repository, named without any
symbolic link below the repository root: a link could make a department's folder
show a file of another department, or of no department at all (a passphrase
file), and the problems reported about a file quote its content. What is refused
is reported at the path as given, quoting nothing of what it points to.

Stacks are made only from requests at request_specs/<department>/<system>.yaml
(`is_request`); checking a draft elsewhere in the repository is allowed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from provisioner.spec.findings import Finding

SPEC_FOLDER = "request_specs"
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Placed:
    """A spec path: as shown in messages, and the file to open (None: refused, see `refused`)."""

    shown: str                       # relative to the repository root when inside it, `/`-separated
    file: Path | None
    refused: Finding | None = None


def place(path: Path, root: Path) -> Placed:
    """Where `path` is in the repository, or why it may not be read."""
    return Placer(root).place(path)


class Placer:
    """place() for the files of one repository. Its real path and each folder's links and real
    path are looked up once, not once per file (1,000 specs in 8 folders: 8 lookups, not 1,000);
    the file itself is looked at every time.

    Paths named inside the repository are compared and joined as strings: os.path.abspath gives
    them in the form pathlib would (no `.`, `..` or doubled `/`), and a Path made at each step
    cost more than the checks themselves. Anything else takes the Path road below."""

    def __init__(self, root: Path) -> None:
        self.real_root = root.resolve()
        bases = dict.fromkeys((os.path.abspath(root), str(self.real_root)))
        # Each base and what a path inside it starts with (the root `/` is its own prefix).
        self._bases = tuple((base, base if base.endswith("/") else base + "/") for base in bases)
        self._folder_links: dict[str, bool] = {}      # a folder as named -> whether it is a link
        self._real_folders: dict[Path, Path] = {}     # a folder as named -> where it leads

    def place(self, path: Path) -> Placed:
        given = os.path.abspath(path)
        inside = self._inside(given)
        if inside is not None:              # named inside the repository: no part of it may be a link
            prefix, below = inside
            link = self._first_link(prefix, below)
            if link is not None:
                return Placed(below, None, Finding("file-symlink", params={"link": link}))
            if below:
                # No part is a link (the file itself was just looked at): where the path leads is
                # the same path below the real root, shown as named.
                return Placed(below, self.real_root / below)
        return self._placed_at_real_path(path, Path(given))

    def _placed_at_real_path(self, path: Path, given: Path) -> Placed:
        # Folders above the repository may be links (a home folder that is one): where the
        # given path's folders lead decides whether the file is inside the repository.
        real = self._real_folder(given.parent) / given.name
        if not real.is_relative_to(self.real_root):
            return Placed(path.as_posix(), None,
                          Finding("file-outside-repository", params={"root": str(self.real_root)}))
        shown = real.relative_to(self.real_root).as_posix()
        if real.is_symlink():
            return Placed(shown, None, Finding("file-symlink", params={"link": shown}))
        return Placed(shown, real)

    def _inside(self, given: str) -> tuple[str, str] | None:
        """(the root's prefix as named, the `/`-separated path below it) when `given` names a
        place inside the repository."""
        for base, prefix in self._bases:
            if given == base:
                return prefix, ""
            # (`//x` is not below `/`: pathlib and POSIX read a leading `//` as a root of its own)
            if given.startswith(prefix) and not given.startswith("/", len(prefix)):
                return prefix, given[len(prefix):]
        return None

    def _first_link(self, prefix: str, below: str) -> str | None:
        """The first symbolic link among the parts of `below` (as a path below the root), under `prefix`.
        (A name that cannot be looked at, too long say, is no link: opening it says why it cannot be read.)"""
        parts = below.split("/") if below else []
        named = prefix
        for depth, part in enumerate(parts, 1):
            named += part
            if depth == len(parts):
                link = os.path.islink(named)
            else:
                link = self._folder_links.get(named)
                if link is None:
                    link = self._folder_links[named] = os.path.islink(named)
                named += "/"
            if link:
                return "/".join(parts[:depth])
        return None

    def _real_folder(self, folder: Path) -> Path:
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = folder.resolve()
        return real


def spec_files(root: Path, paths: Iterable[Path] = ()) -> list[Path]:
    """The files named, with folders expanded to the specs inside; default: all of request_specs/."""
    chosen = list(paths) or [root / SPEC_FOLDER]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            files.extend(_specs_below(path))
        else:
            files.append(path)
    return files


def _specs_below(folder: Path) -> list[Path]:
    """The spec files in a folder and the folders below it, not through links to folders, in
    pathlib's order (part by part). Listed by os.walk and compared by their parts: rglob and
    comparing Paths cost a third more, a thousand specs a run."""
    found: list[Path] = []
    for here, _, names in os.walk(folder):
        named = Path(here)
        found += [named / name for name in names
                  if has_spec_suffix(name) and os.path.isfile(os.path.join(here, name))]
    return sorted(found, key=_parts_of)


def _parts_of(path: Path) -> tuple[str, ...]:
    return path.parts


def read_limited(file: Path, limit: int) -> bytes | Finding | int:
    """The file's bytes; its size when over `limit` bytes (nothing read); or why it cannot be read.

    Opened without following a link (one put there since `place` looked) and without
    blocking (a FIFO would wait for a writer), then checked to be a regular file."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return Finding("file-missing")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Finding("file-symlink", params={"link": file.name})
        return Finding("file-unreadable", params={"reason": exc.strerror or str(exc)})
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return Finding("file-not-regular")
        if info.st_size > limit:
            return info.st_size
        return handle.read(limit + 1)


def is_request(shown: str) -> bool:
    """Whether a repository path is where requests that become stacks live."""
    parts = path_parts(shown)
    return len(parts) == 3 and parts[0] == SPEC_FOLDER and has_spec_suffix(parts[2])


def is_misplaced(shown: str) -> bool:
    """A spec-like file under request_specs/ that is not at request_specs/<department>/<system>.yaml."""
    parts = path_parts(shown)
    return (len(parts) >= 2 and parts[0] == SPEC_FOLDER and has_spec_suffix(parts[-1])
            and not is_request(shown))


def path_parts(shown: str) -> tuple[str, ...]:
    """PurePosixPath(shown).parts. A shown path is mostly plain `a/b/c.yaml`, whose parts are
    what is between the `/`s: no path is made for it (asked of each of 1,000 files a run)."""
    parts = shown.split("/")
    if "" in parts or "." in parts:     # a root, a doubled or a trailing `/`, a `.`: pathlib's reading
        return PurePosixPath(shown).parts
    return tuple(parts)


def has_spec_suffix(name: str) -> bool:
    """Whether a file name's suffix (pathlib's: from its last dot, not a leading one) is a spec's."""
    return any(name.endswith(suffix) and len(name) > len(suffix) for suffix in SUFFIXES)
