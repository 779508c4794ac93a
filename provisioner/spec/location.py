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
    the file itself is looked at every time."""

    def __init__(self, root: Path) -> None:
        self.real_root = root.resolve()
        self._bases = tuple(dict.fromkeys((Path(os.path.abspath(root)), self.real_root)))
        self._folder_links: dict[Path, bool] = {}     # a folder as named -> whether it is a link
        self._real_folders: dict[Path, Path] = {}     # a folder as named -> where it leads

    def place(self, path: Path) -> Placed:
        given = Path(os.path.abspath(path))
        inside = self._inside(given)
        if inside is not None:              # named inside the repository: no part of it may be a link
            link = self._first_link(*inside)
            if link is not None:
                return Placed(inside[1].as_posix(), None, Finding("file-symlink", params={"link": link}))
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

    def _inside(self, given: Path) -> tuple[Path, PurePosixPath] | None:
        """(the root as named, the path below it) when `given` names a place inside the repository."""
        for base in self._bases:
            if given.is_relative_to(base):
                return base, PurePosixPath(given.relative_to(base).as_posix())
        return None

    def _first_link(self, base: Path, below: PurePosixPath) -> str | None:
        """The first symbolic link among the parts of `below`, under `base`."""
        parts = below.parts
        for depth in range(1, len(parts) + 1):
            part = base.joinpath(*parts[:depth])
            if depth == len(parts):
                link = part.is_symlink()
            else:
                link = self._folder_links.get(part)
                if link is None:
                    link = self._folder_links[part] = part.is_symlink()
            if link:
                return PurePosixPath(*parts[:depth]).as_posix()
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
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


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
    parts = PurePosixPath(shown).parts
    return len(parts) == 3 and parts[0] == SPEC_FOLDER and PurePosixPath(shown).suffix in SUFFIXES


def is_misplaced(shown: str) -> bool:
    """A spec-like file under request_specs/ that is not at request_specs/<department>/<system>.yaml."""
    parts = PurePosixPath(shown).parts
    return (len(parts) >= 2 and parts[0] == SPEC_FOLDER and PurePosixPath(shown).suffix in SUFFIXES
            and not is_request(shown))
