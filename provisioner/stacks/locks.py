"""Pulumi's stack locks on a self-managed backend (file:// or s3://): wait for them, explain, unlock.

How Pulumi v3.274 locks (pkg/backend/diy/lock.go): `up`, `destroy`, `refresh`, `import`
and state imports write `.pulumi/locks/<org>/<project>/<stack>/<uuid>.json` (pid,
user, host, time), check that no *other* lock file is there, and delete their own at
the end; a second run fails with "the stack is currently locked by N lock(s) ...",
naming each lock. `preview` takes no lock. Writes and the check are separate, so two
runs starting at the same instant can both fail; neither ever runs alongside the other.
A run that is killed (SIGKILL, a lost CI runner) leaves its lock file behind.

govcloud's part:
    run_waiting   retries an engine step while the stack is locked, up to a wait, then
                  raises StackLocked naming the holder and the command that clears a stale lock;
    unlock        removes a stack's stale lock files, refuses a live one (and any with --force);
    take_over     the same, run by the engine itself before it waits: a killed run's lock is
                  taken over by the next run, no manual step.

Stale means: on this host, the pid is no longer a running pulumi; on another host (a shared
S3 or network file backend), govcloud cannot see the process, so each govcloud renews a lease
in the backend (`.govcloud/leases/<host>-<pid>.json`, every LEASE_RENEW seconds, naming the
pulumi pids it runs): a lock whose pulumi is named by a lease not renewed for LEASE_EXPIRY
seconds is stale; a lock no lease names (a hand-run pulumi, or a govcloud killed in its first
second) is stale once older than LOCK_MAX_AGE.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

from provisioner.errors import ConfigError, EngineError, InfraError
from provisioner.stacks.messages import WORDS
from provisioner.words import Text

T = TypeVar("T")
LOCK_DIR = ".pulumi/locks/"
LEASE_DIR = ".govcloud/leases/"       # beside Pulumi's own folders: never inside .pulumi/locks/
LEASE_RENEW = 30.0                    # seconds between two renewals of a govcloud's lease
LEASE_EXPIRY = 120.0                  # a lease not renewed for this long: its govcloud is gone
LOCK_MAX_AGE = 3600.0                 # a lock from another host that no lease names: stale after this
POLL_SECONDS = 2.0
JITTER_SECONDS = 1.0
_LOCKED = "the stack is currently locked by"
_HOLDER = re.compile(r"^\s*(\S+): created by (\S+?)@(\S+) \(pid (\d+)\) at (\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Holder:
    """One lock file: who wrote it."""

    where: str          # the lock's URL as Pulumi names it, or its key in the backend
    username: str
    hostname: str
    pid: int
    at: str             # RFC 3339, as Pulumi wrote it

    def said(self) -> Text:
        return WORDS("lock-holder", user=self.username, host=self.hostname, pid=self.pid, at=self.at)

    def text(self, lang: str) -> str:
        return self.said().render(lang)


def parse_lock_error(text: str) -> list[Holder] | None:
    """The holders named by Pulumi's lock error, or None when `text` is not a lock error."""
    if _LOCKED not in text:
        return None
    return [Holder(m.group(1), m.group(2), m.group(3), int(m.group(4)), m.group(5)) for m in _HOLDER.finditer(text)]


class StackLocked(InfraError):
    """Another run holds the stack's lock (exit 2): wait for it, or clear a stale lock."""

    def __init__(self, stack: str, holders: list[Holder], waited: float) -> None:
        self.stack, self.holders, self.waited = stack, holders, waited
        who = [h.said() for h in holders] or WORDS("lock-holder-unknown")
        super().__init__(WORDS("stack-locked", stack=stack, who=who, waited=f"{waited:.0f}"))

    def message(self, lang: str) -> str:
        return self.render(lang)


def run_waiting(action: Callable[[], T], stack: str, wait: float, *, sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], float] = time.monotonic, jitter: Callable[[], float] = random.random,
                on_wait: Callable[[list[Holder]], None] | None = None) -> T:
    """Run an engine step; while the stack is locked, retry until `wait` seconds have passed."""
    start, told = clock(), False
    while True:
        try:
            return action()
        except (StackLocked, EngineError) as exc:
            holders = exc.holders if isinstance(exc, StackLocked) else parse_lock_error(str(exc))
            if holders is None:
                raise
            waited = clock() - start
            if waited >= wait:
                raise StackLocked(stack, holders, waited) from exc
            if on_wait is not None and not told:
                on_wait(holders)
                told = True
            sleep(min(POLL_SECONDS + JITTER_SECONDS * jitter(), max(wait - waited, 0.05)))


# -- the backend's lock files ------------------------------------------------------------------

class LockStore(Protocol):
    """Objects of a self-managed backend, by key relative to its root."""

    def keys(self, folder: str = LOCK_DIR) -> list[str]: ...   # every .json object under the folder
    def read(self, key: str) -> bytes: ...                       # FileNotFoundError when there is none
    def write(self, key: str, data: bytes) -> None: ...
    def delete(self, key: str) -> None: ...


class FileLocks:
    def __init__(self, root: Path) -> None:
        self.root = root

    def keys(self, folder: str = LOCK_DIR) -> list[str]:
        where = self.root / folder
        if not where.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in where.rglob("*.json") if p.is_file())

    def read(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def write(self, key: str, data: bytes) -> None:
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}")
        scratch.write_bytes(data)
        scratch.replace(path)            # readers never see half a lease

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)
        # Pulumi's file backend (gocloud's fileblob) keeps each object's attributes beside it.
        (self.root / f"{key}.attrs").unlink(missing_ok=True)


class S3Locks:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def keys(self, folder: str = LOCK_DIR) -> list[str]:
        found: list[str] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + folder)
        for page in pages:
            found += [obj["Key"][len(self.prefix):] for obj in page.get("Contents", []) if obj["Key"].endswith(".json")]
        return sorted(found)

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def lock_store(backend_url: str) -> LockStore:
    """The lock files of GOVCLOUD_STATE_URL: a file:// directory or an s3:// bucket (with its query)."""
    url = urlparse(backend_url)
    if url.scheme == "file":
        return FileLocks(Path(os.path.expanduser(unquote(url.netloc + url.path))))
    if url.scheme == "s3":
        import boto3
        from botocore.config import Config

        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        style = "path" if query.get("s3ForcePathStyle", "").lower() == "true" else "auto"
        client = boto3.client("s3", endpoint_url=query.get("endpoint") and _endpoint(query["endpoint"], query),
                              region_name=query.get("region") or None, config=Config(s3={"addressing_style": style}))
        prefix = url.path.lstrip("/")
        return S3Locks(client, url.netloc, f"{prefix.rstrip('/')}/" if prefix else "")
    raise ConfigError(WORDS("unlock-scheme", scheme=url.scheme))


def _endpoint(endpoint: str, query: dict[str, str]) -> str:
    if "://" in endpoint:
        return endpoint
    return ("http://" if query.get("disableSSL", "").lower() == "true" else "https://") + endpoint


def stack_locks(store: LockStore, stack: str, project: str = "govcloud") -> list[tuple[str, Holder]]:
    """The lock files of one stack (project layout organization/<project>/<stack>, or the older <stack>)."""
    found = []
    for key in store.keys():
        parts = key[len(LOCK_DIR):].split("/")
        if parts[-2:-1] != [stack] or (len(parts) == 4 and parts[1] != project):
            continue
        data = json.loads(store.read(key))
        # Shown as Pulumi's lock error shows it (RFC 3339, whole seconds), not with Go's nanoseconds.
        at = re.sub(r"\.\d+(?=Z|[+-]\d\d:\d\d$)", "", str(data.get("timestamp", "?")))
        found.append((key, Holder(key, str(data.get("username", "?")), str(data.get("hostname", "?")),
                                  int(data.get("pid", 0)), at)))
    return found


# -- deciding what is stale (pure) -----------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    holder: Holder
    key: str
    remove: bool
    reason: str       # gone | alive | elsewhere | leased | expired | forced

    def text(self, stack: str, lang: str) -> str:
        return self.said(stack).render(lang)

    def said(self, stack: str, took_over: bool = False) -> Text:
        """What was done with the lock and why; `took_over`: removed by a run that then took the stack."""
        h = self.holder
        taken = f"lock-took-over-{self.reason}"
        key = taken if took_over and taken in WORDS else f"lock-{self.reason}"
        return WORDS(key, stack=stack, user=h.username, host=h.hostname, pid=h.pid, at=h.at, holder=h.said(),
                     hours=f"{LOCK_MAX_AGE / 3600:g}")


@dataclass(frozen=True)
class Lease:
    """A govcloud's word, renewed while it runs, that the pulumi pids it names are alive."""

    host: str
    pid: int                 # govcloud's
    pulumi: tuple[int, ...]  # the pulumi processes it ran at the last renewal
    renewed: datetime

    def to_json(self) -> bytes:
        return json.dumps({"host": self.host, "pid": self.pid, "pulumi": list(self.pulumi),
                           "renewed": self.renewed.isoformat()}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Lease:
        raw = json.loads(data)
        return cls(str(raw["host"]), int(raw["pid"]), tuple(int(p) for p in raw.get("pulumi") or ()),
                   datetime.fromisoformat(raw["renewed"]))


def judge(key: str, holder: Holder, this_host: str, alive: Callable[[int], bool], force: bool,
          leases: Iterable[Lease] = (), now: datetime | None = None) -> Verdict:
    """Whether a lock is stale. Without `now`, a lock from another host is never judged stale."""
    if force:
        return Verdict(holder, key, True, "forced")
    if holder.hostname != this_host:
        if now is None:
            return Verdict(holder, key, False, "elsewhere")
        named = [lease for lease in leases if lease.host == holder.hostname and holder.pid in lease.pulumi]
        if named:
            fresh = any(now - lease.renewed < timedelta(seconds=LEASE_EXPIRY) for lease in named)
            return Verdict(holder, key, not fresh, "leased" if fresh else "expired")
        at = _parse_time(holder.at)
        if at is None or now - at < timedelta(seconds=LOCK_MAX_AGE):
            return Verdict(holder, key, False, "elsewhere")
        return Verdict(holder, key, True, "expired")
    if alive(holder.pid):
        return Verdict(holder, key, False, "alive")
    return Verdict(holder, key, True, "gone")


def _parse_time(text: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def pulumi_alive(pid: int) -> bool:
    """Whether `pid` is a running Pulumi process here (a reused pid of another program, or a
    zombie, does not count)."""
    if pid <= 0:
        return False
    if not Path("/proc/self").exists():   # no /proc to read: any process with the pid counts
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return b"pulumi" in Path(command.decode(errors="replace")).name.encode()


def unlock(store: LockStore, stack: str, this_host: str, alive: Callable[[int], bool], force: bool = False,
           project: str = "govcloud", now: datetime | None = None) -> list[Verdict]:
    """Remove the stack's stale lock files; return what was decided for each. With `now`, locks
    from other hosts are judged by the leases in the backend (see the module's docstring)."""
    held = stack_locks(store, stack, project)
    leases = read_leases(store) if now is not None and any(h.hostname != this_host for _, h in held) else []
    verdicts = [judge(key, holder, this_host, alive, force, leases, now) for key, holder in held]
    for verdict in verdicts:
        if verdict.remove:
            store.delete(verdict.key)
    return verdicts


# -- govcloud's leases -------------------------------------------------------------------------------

def read_leases(store: LockStore) -> list[Lease]:
    found = []
    for key in store.keys(LEASE_DIR):
        try:
            found.append(Lease.from_json(store.read(key)))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            continue                    # ended meanwhile, or not ours to read
    return found


class Heartbeat:
    """This govcloud's lease: written when a pulumi starts or ends and every LEASE_RENEW seconds
    while any runs; removed when none runs. `pids` says which pulumi processes run now."""

    def __init__(self, store: LockStore, host: str, pids: Callable[[], list[int]],
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._store, self._host, self._pids, self._clock = store, host, pids, clock
        self.key = f"{LEASE_DIR}{host}-{os.getpid()}.json"
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def changed(self) -> None:
        """A pulumi started or ended: renew now (started on first use)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="lease", daemon=True)
                self._thread.start()
        self._wake.set()

    def beat(self) -> None:
        pids = self._pids()
        try:
            if pids:
                self._store.write(self.key, Lease(self._host, os.getpid(), tuple(pids), self._clock()).to_json())
            else:
                self._store.delete(self.key)
        except Exception:  # noqa: BLE001 - a lease not renewed only makes others wait longer
            pass

    def _run(self) -> None:
        while True:
            self._wake.wait(LEASE_RENEW)
            self._wake.clear()
            self.beat()
