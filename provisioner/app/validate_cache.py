"""`govcloud validate`'s result cache: a run whose inputs are byte for byte those of an earlier one
prints what that one printed and exits with its code, without importing pydantic, PyYAML or the
models (as ruff and mypy keep theirs).

The key is a hash of everything a run reads and of what decides what it makes of it:
  - govcloud itself: every file of the installed package (path, size, modification time, as
    Python's own bytecode cache trusts them), the Python version, and the distributions
    installed beside it (their dist-info folders name their versions: pydantic's, PyYAML's);
  - the command: its flags (--format, --lang, --advisory), the paths as given, the working
    folder, the repository root (as named and real), the day policies are judged on (Shanghai,
    GOVCLOUD_NOW included);
  - every spec checked (its path as given, as absolute and as real, and its bytes) and every
    request of every department folder (a department's caps add its other requests up, so a
    one-spec run reads them too), Pulumi.yaml, and every file under policies/ (path and bytes).
Anything this key cannot describe simply turns the cache off for that run, which then checks
as usual: a symbolic link on the way to a spec, under request_specs/ or policies/, a spec
outside the repository, a file that is not regular or cannot be read (those runs report the
links and errors themselves). A result is kept only if nothing it was worked out from changed
while the run checked: every file read and folder listed for the key is looked at again after
(inode, size, modification and change times), as Python's bytecode cache and mypy trust them.

Entries live in one folder (Settings.validate_cache, GOVCLOUD_VALIDATE_CACHE; "off", or
`--no-cache`, turns it off), one file each, written to a temporary name and renamed (runs at
once never see half an entry), the least recently used removed beyond MAX_ENTRIES or
MAX_BYTES. Nothing here prints; an entry that cannot be read is a miss, one that cannot be
written is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import provisioner
from provisioner.spec.location import SPEC_FOLDER, SUFFIXES, spec_files

POLICY_FOLDER = "policies"           # provisioner.policy.files.POLICY_FOLDER (tested equal; that module builds models)
MAX_ENTRIES = 256
MAX_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 4 * 1024 * 1024     # a bigger input goes uncached (a spec over 256 KiB is refused unread anyway)
FORMAT = b"govcloud-validate-cache 3"
RACY_NS = 2 * 10**9                  # times closer than this to the key's reading prove nothing (FAT: 2 s)


@dataclass(frozen=True)
class Outcome:
    """What a run printed: its standard error before its output (one print each), and its exit code.
    Read back from the cache, the output is the UTF-8 bytes print() wrote (10 MB for 1,000 specs:
    decoding and encoding them again took longer than reading them)."""

    stdout: str | bytes
    stderr: str
    code: int

    def show(self) -> None:
        if self.stderr:
            print(self.stderr, file=sys.stderr)
        if isinstance(self.stdout, str):
            print(self.stdout)
        elif _utf8(sys.stdout):
            sys.stdout.flush()
            sys.stdout.buffer.write(self.stdout + b"\n")
        else:
            print(self.stdout.decode("utf-8"))


def _utf8(stream: object) -> bool:
    """Whether print() would write a text to `stream` as its strict UTF-8 bytes."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8" and getattr(stream, "errors", None) == "strict" and hasattr(stream, "buffer")


class Uncacheable(Exception):
    """An input the key cannot describe: this run goes without the cache."""


@dataclass(frozen=True)
class Run:
    """One run's inputs, as the command received them."""

    root: Path
    paths: tuple[Path, ...]
    flags: tuple[str, ...]
    today: date


Seen = list[tuple[str, tuple[int, ...]]]      # each file read and folder listed: its identity and times


def key(run: Run) -> str | None:
    """The hash of everything `run` reads, or None when an input is beyond what the key describes."""
    keyed = _keyed(run)
    return keyed[0] if keyed else None


def _keyed(run: Run) -> tuple[str, Seen] | None:
    """The key, and what was seen to work it out (to tell later whether any of it changed)."""
    digest = hashlib.blake2b(FORMAT, digest_size=24)
    seen: Seen = [("", (time.time_ns(),))]        # first: when it started
    try:
        for part in _inputs(run, seen):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    except (Uncacheable, OSError):
        return None
    return digest.hexdigest(), seen


def _held_still(run: Run, run_key: str, seen: Seen) -> bool:
    """Whether every file and folder seen for the key is as it was (inode, size, modification and
    change times: a write, a rename over it, a file added to or removed from a folder all show).
    File systems stamp times from a coarse clock, so a write in the same tick as the key's read
    may leave them as they were: when anything seen had changed less than RACY_NS before the key
    was worked out, the key is worked out again from the contents instead (git's "racily clean")."""
    (_, (started,)), files = seen[0], seen[1:]
    if any(signature[4] >= started - RACY_NS for _, signature in files):
        return key(run) == run_key
    try:
        return all(_signature(os.lstat(path)) == signature for path, signature in files)
    except OSError:
        return False


def _signature(info: os.stat_result) -> tuple[int, ...]:
    size = 0 if stat.S_ISDIR(info.st_mode) else info.st_size
    return info.st_mode, info.st_ino, size, info.st_mtime_ns, info.st_ctime_ns


def _inputs(run: Run, seen: Seen) -> Iterator[bytes]:
    installed = _installed(seen)
    yield from _words("govcloud", sys.version, *installed)
    yield from _words("run", *run.flags, run.today.isoformat(), os.getcwd(), str(run.root), os.path.abspath(run.root),
                      os.path.realpath(run.root), *(str(path) for path in run.paths))
    real_root, named_root = os.path.realpath(run.root), os.path.abspath(run.root)
    read: set[str] = set()           # each file read once: a folder's specs are its department's requests
    real_folders: dict[str, str] = {}
    _listed(os.path.abspath(run.root), seen)         # request_specs/, policies/, Pulumi.yaml there or not
    for chosen in run.paths or (Path(run.root) / SPEC_FOLDER,):
        for here, _, _ in os.walk(chosen) if os.path.isdir(chosen) else ():
            _listed(here, seen)         # (before spec_files lists them: a change after shows)
    for file in spec_files(run.root, run.paths):
        named = os.path.abspath(file)
        below = named[len(named_root) + 1:] if named.startswith(named_root + os.sep) else ".."
        # Inside the repository, with no link anywhere below its root (a link's real path differs;
        # the file itself is opened without following one).
        folder = os.path.dirname(named)
        if folder not in real_folders:
            real_folders[folder] = os.path.realpath(folder)
        if below == ".." or os.path.join(real_folders[folder], os.path.basename(named)) != os.path.join(
                real_root, below):
            raise Uncacheable(file)
        yield from _words("spec", str(file), named)
        yield _regular(named, seen)
        read.add(named)
    yield from _department_requests(Path(named_root), read, seen)
    yield from _words("Pulumi.yaml")
    yield _regular(os.path.join(named_root, "Pulumi.yaml"), seen)
    yield from _policies(Path(named_root) / POLICY_FOLDER, seen)


def _listed(folder: str, seen: Seen) -> None:
    seen.append((folder, _signature(os.lstat(folder))))


def _department_requests(root: Path, read: set[str], seen: Seen) -> Iterator[bytes]:
    """request_specs/<department>/<request> for every department (a department's checks read all of its own)."""
    folder = root / SPEC_FOLDER
    if os.path.islink(folder):
        raise Uncacheable(folder)
    for department in _sorted_entries(folder, seen):
        if department.is_symlink():
            raise Uncacheable(department.path)
        if not department.is_dir():
            continue
        for entry in _sorted_entries(department.path, seen):
            if os.path.splitext(entry.name)[1] not in SUFFIXES:
                continue
            if entry.is_symlink():
                raise Uncacheable(entry.path)
            yield from _words("request", department.name, entry.name, str(entry.is_file()),
                              str(entry.path in read))
            if entry.is_file() and entry.path not in read:
                yield _regular(entry.path, seen)


def _policies(folder: Path, seen: Seen) -> Iterator[bytes]:
    if os.path.islink(folder):
        raise Uncacheable(folder)
    if not folder.is_dir():
        yield from _words("no policies")
        return
    yield from _policy_files(str(folder), str(folder), seen)


def _policy_files(here: str, top: str, seen: Seen) -> Iterator[bytes]:
    """Every file under `here`, each folder's files before its folders, by name."""
    entries = _sorted_entries(here, seen)
    if any(entry.is_symlink() for entry in entries):
        raise Uncacheable(here)
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            yield from _words("policy", os.path.relpath(entry.path, top))
            yield _regular(entry.path, seen)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _policy_files(entry.path, top, seen)


def _sorted_entries(folder: Path | str, seen: Seen) -> list[os.DirEntry[str]]:
    if not os.path.isdir(folder):
        return []
    _listed(str(folder), seen)          # before it is listed: a change after shows
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _regular(path: str, seen: Seen) -> bytes:
    """The bytes of a regular file (not followed through a link), or Uncacheable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise Uncacheable(path) from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise Uncacheable(path)
        seen.append((path, _signature(info)))
        return handle.read(MAX_FILE_BYTES + 1)


def _words(*words: str) -> Iterator[bytes]:
    yield repr(words).encode("utf-8", "surrogateescape")     # one part, telling its words apart


def _installed(seen: Seen) -> list[str]:
    """govcloud's own files (path, size, modification time) and the distributions installed beside it."""
    found: list[str] = []
    _files_under(os.path.dirname(provisioner.__file__), found, seen)
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            _listed(entry, seen)
            found += sorted(name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info", ".pth")))
    return found


def _files_under(folder: str, found: list[str], seen: Seen) -> None:
    for entry in _sorted_entries(folder, seen):
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _files_under(entry.path, found, seen)
        else:
            info = entry.stat(follow_symlinks=False)
            seen.append((entry.path, _signature(info)))
            found.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")


def outcome(folder: Path | None, run: Run, check: Callable[[], Outcome]) -> Outcome:
    """The stored outcome of a run with these inputs, or check()'s, kept when the inputs did not
    change while it ran (folder None: no cache)."""
    keyed = _keyed(run) if folder is not None else None
    if folder is None or keyed is None:
        return check()
    run_key, seen = keyed
    found = load(folder, run_key)
    if found is not None:
        return found
    checked = check()
    if _held_still(run, run_key, seen):
        store(folder, run_key, checked)
    return checked


# -- the entries ---------------------------------------------------------------------------------

def load(folder: Path, run_key: str) -> Outcome | None:
    path = folder / run_key
    try:
        with open(path, "rb") as handle:
            code, stdout, stderr = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    with contextlib.suppress(OSError):      # recently used: evicted last (a folder we may only read: as it is)
        os.utime(path)
    if not (isinstance(code, int) and isinstance(stdout, bytes) and isinstance(stderr, str)):
        return None
    return Outcome(stdout, stderr, code)


def store(folder: Path, run_key: str, outcome: Outcome) -> None:
    """Keep the outcome under its key (atomically), then the newest entries within the bounds."""
    temporary = folder / f".{run_key}.{os.getpid()}.{os.urandom(4).hex()}.tmp"     # one per writer
    try:
        folder.mkdir(parents=True, exist_ok=True)
        output = outcome.stdout if isinstance(outcome.stdout, bytes) else outcome.stdout.encode("utf-8")
        with open(temporary, "wb") as handle:
            marshal.dump((outcome.code, output, outcome.stderr), handle)
        os.replace(temporary, folder / run_key)
        _evict(folder)
    except (OSError, UnicodeEncodeError):   # no cache for this run (read-only, full, not a folder)
        with contextlib.suppress(OSError):
            temporary.unlink()


def _evict(folder: Path) -> None:
    entries = []
    for entry in _entries(folder):
        try:
            info = entry.stat()
        except FileNotFoundError:
            continue
        if entry.name.startswith("."):          # a temporary file a killed run left, an hour ago or more
            if info.st_mtime < time.time() - 3600:
                Path(entry.path).unlink(missing_ok=True)
            continue
        entries.append((info.st_mtime_ns, info.st_size, entry.path))
    entries.sort(reverse=True)
    kept = total = 0
    for _, size, path in entries:
        kept, total = kept + 1, total + size
        if kept > 1 and (kept > MAX_ENTRIES or total > MAX_BYTES):     # the newest stays
            try:
                os.unlink(path)
            except FileNotFoundError:       # another run evicted it first
                pass


def _entries(folder: Path) -> Iterable[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return [entry for entry in entries if entry.is_file(follow_symlinks=False)]
