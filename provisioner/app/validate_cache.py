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
links and errors themselves). After a run its key is worked out again and the result is kept
only if nothing changed meanwhile.

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
FORMAT = b"govcloud-validate-cache 2"


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


def key(run: Run) -> str | None:
    """The hash of everything `run` reads, or None when an input is beyond what the key describes."""
    digest = hashlib.blake2b(FORMAT, digest_size=24)
    try:
        for part in _inputs(run):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
    except (Uncacheable, OSError):
        return None
    return digest.hexdigest()


def _inputs(run: Run) -> Iterator[bytes]:
    yield from _words("govcloud", sys.version, *_installed())
    yield from _words("run", *run.flags, run.today.isoformat(), os.getcwd(), str(run.root), os.path.abspath(run.root),
                      os.path.realpath(run.root), *(str(path) for path in run.paths))
    real_root, named_root = os.path.realpath(run.root), os.path.abspath(run.root)
    read: set[str] = set()           # each file read once: a folder's specs are its department's requests
    real_folders: dict[str, str] = {}
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
        yield _regular(named)
        read.add(named)
    yield from _department_requests(Path(named_root), read)
    yield from _words("Pulumi.yaml")
    yield _regular(os.path.join(named_root, "Pulumi.yaml"))
    yield from _policies(Path(named_root) / POLICY_FOLDER)


def _department_requests(root: Path, read: set[str]) -> Iterator[bytes]:
    """request_specs/<department>/<request> for every department (a department's checks read all of its own)."""
    folder = root / SPEC_FOLDER
    if os.path.islink(folder):
        raise Uncacheable(folder)
    for department in _sorted_entries(folder):
        if department.is_symlink():
            raise Uncacheable(department.path)
        if not department.is_dir():
            continue
        for entry in _sorted_entries(department.path):
            if os.path.splitext(entry.name)[1] not in SUFFIXES:
                continue
            if entry.is_symlink():
                raise Uncacheable(entry.path)
            yield from _words("request", department.name, entry.name, str(entry.is_file()),
                              str(entry.path in read))
            if entry.is_file() and entry.path not in read:
                yield _regular(entry.path)


def _policies(folder: Path) -> Iterator[bytes]:
    if os.path.islink(folder):
        raise Uncacheable(folder)
    if not folder.is_dir():
        yield from _words("no policies")
        return
    for here, folders, files in os.walk(folder, onerror=_raise):
        folders.sort()
        for name in sorted(files) + folders:
            path = os.path.join(here, name)
            if os.path.islink(path):
                raise Uncacheable(path)
        for name in sorted(files):
            path = os.path.join(here, name)
            yield from _words("policy", os.path.relpath(path, folder))
            yield _regular(path)


def _raise(error: OSError) -> None:
    raise error


def _sorted_entries(folder: Path | str) -> list[os.DirEntry[str]]:
    if not os.path.isdir(folder):
        return []
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _regular(path: str) -> bytes:
    """The bytes of a regular file (not followed through a link), or Uncacheable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise Uncacheable(path) from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise Uncacheable(path)
        return handle.read(MAX_FILE_BYTES + 1)


def _words(*words: str) -> Iterator[bytes]:
    yield repr(words).encode("utf-8", "surrogateescape")     # one part, telling its words apart


def _installed() -> list[str]:
    """govcloud's own files (path, size, modification time) and the distributions installed beside it."""
    found: list[str] = []
    _files_under(os.path.dirname(provisioner.__file__), found)
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            found += sorted(name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info", ".pth")))
    return found


def _files_under(folder: str, found: list[str]) -> None:
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _files_under(entry.path, found)
        else:
            info = entry.stat()
            found.append(f"{entry.path} {info.st_size} {info.st_mtime_ns}")


def outcome(folder: Path | None, run: Run, check: Callable[[], Outcome]) -> Outcome:
    """The stored outcome of a run with these inputs, or check()'s, kept when the inputs did not
    change while it ran (folder None: no cache)."""
    run_key = key(run) if folder is not None else None
    if folder is None or run_key is None:
        return check()
    found = load(folder, run_key)
    if found is not None:
        return found
    checked = check()
    if key(run) == run_key:
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
