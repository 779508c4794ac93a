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
    unlock        removes a stack's lock files whose process is gone (same host, pid dead),
                  refuses a live one, and one from another host unless forced.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

from provisioner.errors import ConfigError, EngineError, InfraError
from provisioner.ledger.leases import pid_alive

T = TypeVar("T")
LOCK_DIR = ".pulumi/locks/"
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

    def text(self, lang: str) -> str:
        if lang == "en":
            return f"{self.username}@{self.hostname}, pid {self.pid}, since {self.at}"
        return f"{self.username}@{self.hostname}，进程 {self.pid}，{self.at} 加锁"


def parse_lock_error(text: str) -> list[Holder] | None:
    """The holders named by Pulumi's lock error, or None when `text` is not a lock error."""
    if _LOCKED not in text:
        return None
    return [Holder(m.group(1), m.group(2), m.group(3), int(m.group(4)), m.group(5)) for m in _HOLDER.finditer(text)]


class StackLocked(InfraError):
    """Another run holds the stack's lock (exit 2): wait for it, or clear a stale lock."""

    def __init__(self, stack: str, holders: list[Holder], waited: float) -> None:
        self.stack, self.holders, self.waited = stack, holders, waited
        super().__init__(self.message("zh"))

    def message(self, lang: str) -> str:
        who = "; ".join(h.text(lang) for h in self.holders) or ("unknown" if lang == "en" else "未知")
        if lang == "en":
            return (f"stack {self.stack} is locked by another run ({who}); still locked after waiting "
                    f"{self.waited:.0f} s. Retry once it ends; if that run was killed, clear its stale lock with "
                    f"`govcloud unlock {self.stack}`")
        return (f"栈 {self.stack} 正被另一次运行锁定（{who}），等待 {self.waited:.0f} 秒后仍未释放。"
                f"请待其结束后重试；若该运行已被终止，执行 govcloud unlock {self.stack} 清除遗留的锁")


def run_waiting(action: Callable[[], T], stack: str, wait: float, *, sleep: Callable[[float], None] = time.sleep,
                clock: Callable[[], float] = time.monotonic, jitter: Callable[[], float] = random.random,
                on_wait: Callable[[list[Holder]], None] | None = None) -> T:
    """Run an engine step; while the stack is locked, retry until `wait` seconds have passed."""
    start, told = clock(), False
    while True:
        try:
            return action()
        except EngineError as exc:
            holders = parse_lock_error(str(exc))
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
    def keys(self) -> list[str]: ...          # every object under .pulumi/locks/, relative to the backend root
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...


class FileLocks:
    def __init__(self, root: Path) -> None:
        self.root = root

    def keys(self) -> list[str]:
        folder = self.root / LOCK_DIR
        if not folder.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in folder.rglob("*.json") if p.is_file())

    def read(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)


class S3Locks:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def keys(self) -> list[str]:
        found: list[str] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + LOCK_DIR)
        for page in pages:
            found += [obj["Key"][len(self.prefix):] for obj in page.get("Contents", []) if obj["Key"].endswith(".json")]
        return sorted(found)

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"].read()

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
    raise ConfigError(f"govcloud unlock knows file:// and s3:// state backends, not {url.scheme}://")


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
    reason: str       # gone | alive | elsewhere | forced

    def text(self, stack: str, lang: str) -> str:
        h = self.holder
        en = {
            "gone": f"removed the stale lock of {stack}: {h.username}@{h.hostname} pid {h.pid} (locked {h.at}) is gone",
            "forced": f"removed the lock of {stack} held by {h.text('en')} (--force)",
            "alive": f"kept the lock of {stack}: pid {h.pid} on this host ({h.text('en')}) is still running; "
                     "wait for it to end",
            "elsewhere": f"kept the lock of {stack}: it comes from another host ({h.text('en')}) and govcloud cannot "
                         f"tell whether that run is still going; once you know it has ended, run "
                         f"`govcloud unlock {stack} --force`",
        }
        zh = {
            "gone": f"已清除 {stack} 的遗留锁：{h.username}@{h.hostname} 的进程 {h.pid}（{h.at} 加锁）已不存在",
            "forced": f"已强制清除 {stack} 的锁（{h.text('zh')}）",
            "alive": f"保留 {stack} 的锁：本机进程 {h.pid}（{h.text('zh')}）仍在运行，请等待其结束",
            "elsewhere": f"保留 {stack} 的锁：它来自另一台主机（{h.text('zh')}），无法判断该运行是否仍在进行；"
                         f"确认其已结束后，执行 govcloud unlock {stack} --force",
        }
        return (en if lang == "en" else zh)[self.reason]


def judge(key: str, holder: Holder, this_host: str, alive: Callable[[int], bool], force: bool) -> Verdict:
    if force:
        return Verdict(holder, key, True, "forced")
    if holder.hostname != this_host:
        return Verdict(holder, key, False, "elsewhere")
    if alive(holder.pid):
        return Verdict(holder, key, False, "alive")
    return Verdict(holder, key, True, "gone")


def pulumi_alive(pid: int) -> bool:
    """Whether `pid` is a running Pulumi process here (a reused pid of another program does not count)."""
    if not pid_alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return True
    return b"pulumi" in Path(command.decode(errors="replace")).name.encode()


def unlock(store: LockStore, stack: str, this_host: str, alive: Callable[[int], bool], force: bool = False,
           project: str = "govcloud") -> list[Verdict]:
    """Remove the stack's stale lock files; return what was decided for each."""
    verdicts = [judge(key, holder, this_host, alive, force) for key, holder in stack_locks(store, stack, project)]
    for verdict in verdicts:
        if verdict.remove:
            store.delete(verdict.key)
    return verdicts
