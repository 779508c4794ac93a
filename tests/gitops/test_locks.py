"""Two runs on one stack of a shared S3 backend (moto standing in for Ceph RGW / Swift s3api):
exactly one runs; the other waits or fails naming the holder; a killed run's lock is taken
over by the next run (same host: its pid is gone; another host: its lease expired), or
cleared by `govcloud unlock`. Real Pulumi CLI, real processes, a program that only sleeps."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from provisioner.errors import EngineError
from provisioner.stacks import locks
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine
from tests.gitops.conftest import cli_env, s3_client

STACK = "city.jj-gitops-lock"
# What Pulumi v3.274.1 printed here for a held lock (pkg/backend/diy/lock.go), kept verbatim.
REAL_ERROR = """error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or \
delete the lock file with `pulumi cancel`.
  s3://state/.pulumi/locks/organization/govcloud/city.jj-lock/0ee75abd-6c1b-485b-b6de-32ff4d62ace8.json?\
endpoint=http%3A%2F%2F127.0.0.1%3A5123&region=us-east-1&request_checksum_calculation=when_required&\
s3ForcePathStyle=true: created by root@vm (pid 23039) at 2026-11-27T00:23:52Z
"""
LOCKED = ("error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or "
          "delete the lock file with `pulumi cancel`.")


# -- pure ---------------------------------------------------------------------------------------------

def test_the_lock_error_names_its_holders() -> None:
    (holder,) = locks.parse_lock_error(REAL_ERROR)
    assert (holder.username, holder.hostname, holder.pid, holder.at) == ("root", "vm", 23039, "2026-11-27T00:23:52Z")
    assert holder.where.startswith("s3://state/.pulumi/locks/organization/govcloud/city.jj-lock/")
    assert locks.parse_lock_error("error: preview failed") is None


def test_waiting_retries_while_locked_then_names_the_holder() -> None:
    now = [0.0]
    calls: list[float] = []

    def locked() -> None:
        calls.append(now[0])
        raise EngineError(f"pulumi up failed for stack {STACK}:\n{REAL_ERROR}")

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(locks.StackLocked) as caught:
        locks.run_waiting(locked, STACK, 10, sleep=sleep, clock=lambda: now[0], jitter=lambda: 0.5)
    assert calls == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert str(caught.value) == (f"栈 {STACK} 正被另一次运行锁定（root@vm，进程 23039，2026-11-27T00:23:52Z 加锁），"
                                 f"等待 10 秒后仍未释放。请待其结束后重试；若该运行已被终止，执行 govcloud unlock {STACK} 清除遗留的锁")
    assert caught.value.message("en") == (
        f"stack {STACK} is locked by another run (root@vm, pid 23039, since 2026-11-27T00:23:52Z); still locked after "
        f"waiting 10 s. Retry once it ends; if that run was killed, clear its stale lock with `govcloud unlock {STACK}`")
    assert caught.value.exit_code == 2


def test_other_engine_errors_are_not_retried() -> None:
    def broken() -> None:
        raise EngineError("pulumi up failed: the request spec is invalid")

    with pytest.raises(EngineError, match="invalid"):
        locks.run_waiting(broken, STACK, 60, sleep=lambda s: pytest.fail("slept"))


@pytest.mark.parametrize(("host", "alive", "force", "remove", "reason"), [
    ("here", False, False, True, "gone"), ("here", True, False, False, "alive"),
    ("there", False, False, False, "elsewhere"), ("there", True, True, True, "forced")])
def test_which_locks_are_stale(host: str, alive: bool, force: bool, remove: bool, reason: str) -> None:
    holder = locks.Holder("k", "root", host, 42, "2026-11-27T00:00:00Z")
    verdict = locks.judge("k", holder, "here", lambda pid: alive, force)
    assert (verdict.remove, verdict.reason) == (remove, reason)


NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("renewed", "locked", "remove", "reason"), [
    (NOW - timedelta(seconds=30), "2026-11-27T10:00:00Z", False, "leased"),     # its govcloud still renews
    (NOW - timedelta(seconds=locks.LEASE_EXPIRY + 1), "2026-11-27T11:59:00Z", True, "expired"),
    (None, "2026-11-27T11:30:00Z", False, "elsewhere"),                          # no lease, young: a hand run?
    (None, "2026-11-27T10:59:59Z", True, "expired"),                             # no lease, older than an hour
])
def test_a_lock_from_another_host_is_judged_by_its_lease_or_its_age(renewed, locked, remove, reason) -> None:
    holder = locks.Holder("k", "ci", "runner-7", 4242, locked)
    leases = [locks.Lease("runner-7", 99, (4242,), renewed)] if renewed else [
        locks.Lease("runner-7", 99, (1,), NOW)]                                   # a lease, but for another pulumi
    verdict = locks.judge("k", holder, "here", lambda pid: pytest.fail("not this host"), False, leases, NOW)
    assert (verdict.remove, verdict.reason) == (remove, reason)
    assert verdict.text(STACK, "en") and verdict.text(STACK, "zh")


def test_the_lease_names_the_running_pulumis_and_goes_when_none_runs(tmp_path: Path) -> None:
    store = locks.FileLocks(tmp_path)
    running = [101, 102]
    beat = locks.Heartbeat(store, "here", lambda: list(running), clock=lambda: NOW)
    beat.beat()
    (lease,) = locks.read_leases(store)
    assert (lease.host, lease.pulumi, lease.renewed) == ("here", (101, 102), NOW)
    assert store.keys() == []                      # beside Pulumi's locks, never among them
    running.clear()
    beat.beat()
    assert locks.read_leases(store) == []


# -- real runs on the shared backend ---------------------------------------------------------------------

def pulumi_up(settings: Settings, name: str, seconds: float, log: Path, **popen: object) -> subprocess.Popen:
    env = cli_env(settings, SLEEPY_SECONDS=str(seconds), SLEEPY_NAME=name, SLEEPY_LOG=str(log))
    return subprocess.Popen(["pulumi", "up", "--yes", "--skip-preview", "--stack", STACK], cwd=settings.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)


def init(settings: Settings) -> None:
    subprocess.run(["pulumi", "stack", "select", "--create", STACK], cwd=settings.root, env=cli_env(settings),
                   check=True, capture_output=True)


def wait_for_lock(settings: Settings, proc: subprocess.Popen, timeout: float = 60) -> list[str]:
    store = locks.lock_store(settings.backend_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = store.keys()
        if found:
            return found
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else proc.returncode
        time.sleep(0.1)
    raise AssertionError("the first run never took the lock")


def runs(log: Path) -> dict[str, tuple[float, float]]:
    times: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        _, name, at = line.split()
        times.setdefault(name, []).append(float(at))
    return {name: (t[0], t[-1]) for name, t in times.items()}


def test_two_ups_at_once_exactly_one_runs_the_other_fails_naming_the_lock(sleepy: Settings, tmp_path: Path) -> None:
    init(sleepy)
    log = tmp_path / "runs.log"
    first = pulumi_up(sleepy, "first", 6, log)
    keys = wait_for_lock(sleepy, first)
    assert re.fullmatch(rf"\.pulumi/locks/organization/govcloud/{re.escape(STACK)}/[0-9a-f-]{{36}}\.json", keys[0])
    second = pulumi_up(sleepy, "second", 0, log)
    out2, _ = second.communicate(timeout=120)
    out1, _ = first.communicate(timeout=120)
    assert first.returncode == 0, out1
    assert second.returncode != 0
    assert LOCKED in out2
    assert re.search(rf": created by \S+@{re.escape(socket.gethostname())} \(pid {first.pid}\) at \S+Z", out2), out2
    assert list(runs(log)) == ["first"]                 # the second never ran its program
    assert locks.lock_store(sleepy.backend_url).keys() == []   # the winner removed its lock


def test_govcloud_fails_at_once_or_waits_for_the_lock(sleepy: Settings, tmp_path: Path) -> None:
    init(sleepy)
    log = tmp_path / "runs.log"
    holder = pulumi_up(sleepy, "holder", 8, log)
    wait_for_lock(sleepy, holder)
    engine = Engine(sleepy, lock_wait=0)         # the waiting is run_waiting's here
    os.environ.update(SLEEPY_NAME="govcloud", SLEEPY_LOG=str(log), SLEEPY_SECONDS="0")
    try:
        with pytest.raises(locks.StackLocked) as caught:
            locks.run_waiting(lambda: engine.up(STACK), STACK, 0)
        assert caught.value.holders[0].pid == holder.pid
        assert str(caught.value).startswith(f"栈 {STACK} 正被另一次运行锁定（")
        assert f"进程 {holder.pid}，" in str(caught.value) and f"govcloud unlock {STACK}" in str(caught.value)
        told: list[list[locks.Holder]] = []
        outcome = locks.run_waiting(lambda: engine.up(STACK), STACK, 120, on_wait=told.append)
    finally:
        for key in ("SLEEPY_NAME", "SLEEPY_LOG", "SLEEPY_SECONDS"):
            os.environ.pop(key, None)
    holder.communicate(timeout=120)
    assert holder.returncode == 0
    assert outcome.outputs == {"slept": "0"} and told and told[0][0].pid == holder.pid
    times = runs(log)
    assert times["holder"][1] < times["govcloud"][0]    # one after the other, never together


def test_a_killed_runs_lock_is_taken_over_by_the_next_run(sleepy: Settings, tmp_path: Path) -> None:
    init(sleepy)
    log = tmp_path / "runs.log"
    victim = pulumi_up(sleepy, "victim", 300, log, start_new_session=True)
    wait_for_lock(sleepy, victim)
    os.killpg(victim.pid, signal.SIGKILL)              # the whole run: pulumi, language host, program
    victim.wait(timeout=30)
    (stale,) = [holder for _, holder in locks.stack_locks(locks.lock_store(sleepy.backend_url), STACK)]
    assert stale.pid == victim.pid, "a killed run leaves its lock behind"
    told: list[tuple[str, str]] = []
    engine = Engine(sleepy, on_notice=lambda zh, en: told.append((zh, en)), lock_wait=0)
    assert engine.up(STACK).outputs == {"slept": "0"}  # no manual step
    assert told == [(f"已接管并清除 {STACK} 的遗留锁：{stale.username}@{stale.hostname} 的进程 {victim.pid}"
                     f"（{stale.at} 加锁）已不存在",
                     f"took over and removed the stale lock of {STACK}: {stale.username}@{stale.hostname} pid "
                     f"{victim.pid} (locked {stale.at}) is gone")]
    assert locks.lock_store(sleepy.backend_url).keys() == []


def test_a_killed_runs_lock_is_cleared_by_govcloud_unlock(sleepy: Settings, tmp_path: Path) -> None:
    init(sleepy)
    log = tmp_path / "runs.log"
    victim = pulumi_up(sleepy, "victim", 300, log, start_new_session=True)
    wait_for_lock(sleepy, victim)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    (stale,) = [holder for _, holder in locks.stack_locks(locks.lock_store(sleepy.backend_url), STACK)]
    govcloud = [str(sleepy.root / ".venv/bin/govcloud"), "unlock", STACK]
    cleared = subprocess.run(govcloud, cwd=sleepy.root, env=cli_env(sleepy), capture_output=True, text=True)
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout == (f"已清除 {STACK} 的遗留锁：{stale.username}@{stale.hostname} 的进程 {victim.pid}"
                              f"（{stale.at} 加锁）已不存在\n")
    assert Engine(sleepy).up(STACK).outputs == {"slept": "0"}
    again = subprocess.run([*govcloud, "--lang", "en"], cwd=sleepy.root, env=cli_env(sleepy), capture_output=True,
                           text=True)
    assert (again.returncode, again.stdout) == (0, f"{STACK} is not locked\n")


def test_a_lock_from_another_host_is_taken_over_once_its_lease_expired(sleepy: Settings, moto_endpoint: str) -> None:
    init(sleepy)
    store = locks.lock_store(sleepy.backend_url)
    key = f".pulumi/locks/organization/govcloud/{STACK}/00000000-0000-0000-0000-000000000002.json"
    store.write(key, json.dumps({"pid": 4242, "username": "ci", "hostname": "runner-7",
                                 "timestamp": datetime.now(UTC).isoformat()}).encode())
    lease = f"{locks.LEASE_DIR}runner-7-99.json"
    store.write(lease, locks.Lease("runner-7", 99, (4242,), datetime.now(UTC)).to_json())
    engine = Engine(sleepy, lock_wait=0)
    with pytest.raises(locks.StackLocked) as caught:     # its govcloud still renews: a live run
        engine.up(STACK)
    assert caught.value.holders[0].hostname == "runner-7"
    assert f"govcloud unlock {STACK}" in str(caught.value) and "pulumi cancel" not in str(caught.value)
    expired = datetime.now(UTC) - timedelta(seconds=locks.LEASE_EXPIRY + 5)
    store.write(lease, locks.Lease("runner-7", 99, (4242,), expired).to_json())   # that govcloud died
    assert engine.up(STACK).outputs == {"slept": "0"}
    assert store.keys() == []


def test_unlock_keeps_a_live_lock_and_one_from_another_host_unless_forced(sleepy: Settings, tmp_path: Path,
                                                                        moto_endpoint: str) -> None:
    init(sleepy)
    live = pulumi_up(sleepy, "live", 6, tmp_path / "runs.log")
    wait_for_lock(sleepy, live)
    govcloud = [str(sleepy.root / ".venv/bin/govcloud"), "unlock", STACK]
    kept = subprocess.run(govcloud, cwd=sleepy.root, env=cli_env(sleepy), capture_output=True, text=True)
    assert kept.returncode == 1
    assert f"保留 {STACK} 的锁：本机进程 {live.pid}（" in kept.stderr and "仍在运行，请等待其结束" in kept.stderr
    live.communicate(timeout=120)
    assert live.returncode == 0
    bucket = sleepy.backend_url.split("?")[0].removeprefix("s3://")
    key = f".pulumi/locks/organization/govcloud/{STACK}/00000000-0000-0000-0000-000000000001.json"
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")      # young, and no lease names it: a hand run?
    s3_client(moto_endpoint).put_object(Bucket=bucket, Key=key, Body=json.dumps(
        {"pid": 4242, "username": "ci", "hostname": "runner-7", "timestamp": since}).encode())
    elsewhere = subprocess.run([*govcloud, "--lang", "en"], cwd=sleepy.root, env=cli_env(sleepy), capture_output=True,
                               text=True)
    assert elsewhere.returncode == 1
    assert elsewhere.stderr == (f"kept the lock of {STACK}: it comes from another host (ci@runner-7, pid 4242, since "
                                f"{since}) and govcloud cannot tell whether that run is still going; once "
                                f"you know it has ended, run `govcloud unlock {STACK} --force`\n")
    forced = subprocess.run([*govcloud, "--force"], cwd=sleepy.root, env=cli_env(sleepy), capture_output=True, text=True)
    assert forced.returncode == 0 and "已强制清除" in forced.stdout
    assert locks.lock_store(sleepy.backend_url).keys() == []


def test_two_govcloud_runs_started_together_run_one_after_the_other(sleepy: Settings, tmp_path: Path) -> None:
    """Even when both lose the lock race at the same instant, the jittered retry lets exactly one in at a time."""
    from concurrent.futures import ThreadPoolExecutor

    init(sleepy)
    log = tmp_path / "runs.log"
    os.environ.update(SLEEPY_LOG=str(log), SLEEPY_SECONDS="3")
    try:
        engine = Engine(sleepy)
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(lambda _: locks.run_waiting(lambda: engine.up(STACK), STACK, 120), range(2)))
    finally:
        for key in ("SLEEPY_LOG", "SLEEPY_SECONDS"):
            os.environ.pop(key, None)
    assert [o.outputs for o in outcomes] == [{"slept": "3"}, {"slept": "3"}]
    spans = sorted((float(a), float(b)) for a, b in _pairs(log))
    assert len(spans) == 2 and spans[0][1] <= spans[1][0]      # never both at once


def _pairs(log: Path) -> list[tuple[str, str]]:
    starts = [line.split()[2] for line in log.read_text().splitlines() if line.startswith("start")]
    ends = [line.split()[2] for line in log.read_text().splitlines() if line.startswith("end")]
    return list(zip(sorted(starts), sorted(ends)))
