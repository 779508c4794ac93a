"""Stopping the servers tests start themselves (moto_server, PostgreSQL helpers...), and
finding the processes a run started (to check that none outlives it)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """TERM, then KILL if it has not exited within `grace` seconds; always reaped."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def descendants(pid: int) -> dict[int, str]:
    """Every process below pid, by pid, with its program's name."""
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            names[int(entry.name)] = Path((entry / "cmdline").read_bytes().split(b"\0")[0].decode()).name
        except (OSError, IndexError, ValueError):
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = names.get(child, "?")
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def left_after(processes: dict[int, str], seconds: float) -> tuple[dict[int, str], float]:
    """Which of these processes still run `seconds` from now (sooner when none does), and after how long."""
    started = time.monotonic()
    while True:
        left = {pid: name for pid, name in processes.items() if alive(pid)}
        took = time.monotonic() - started
        if not left or took > seconds:
            return left, took
        time.sleep(0.2)
