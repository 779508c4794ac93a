"""What an apply of many stacks is doing, as lines a person or a CI log can follow.

A line when a stack finishes (with its changes and how long it took), and on each
tick a line naming the stacks still running and for how long, so a long apply
never sits silent: a server that takes minutes to build shows up as the stack
still running, not as a hung command.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from provisioner.lifecycle.messages import copies_said
from provisioner.lifecycle.removed_data import removed_records
from provisioner.stacks.engine import Outcome
from provisioner.stacks.messages import WORDS
from provisioner.words import DEFAULT_LANG


def changes_text(outcome: Outcome) -> str:
    """The outcome table's last column (`govcloud apply`'s stdout, read by scripts): Pulumi's own
    operation names and counts, so English in every language, like the operation column."""
    if outcome.failure:
        return f"failed: {outcome.failure}"
    return ", ".join(f"{op} {n}" for op, n in sorted(outcome.changes.items())) or "nothing"


def _changes_said(outcome: Outcome, lang: str) -> str:
    """The same for a person following the progress: Pulumi's counts as they are, our words in `lang`."""
    if outcome.failure:
        counts = WORDS.say("progress-failed", lang, failure=outcome.failure)
    else:
        counts = (", ".join(f"{op} {n}" for op, n in sorted(outcome.changes.items()))
                  or WORDS.say("progress-nothing", lang))
    # A change removed protected data volumes or containers (provisioner/app/data_removal.py), or released them before it
    # failed (the next up deletes them): either way where their data went.
    backups, copies = removed_records(outcome.backups)
    if backups:
        volumes = ", ".join(f"{b.get('volume_name')} -> {b.get('backup_name')} ({b.get('backup_id')})"
                            for b in backups)
        counts = WORDS.say("progress-backed-up", lang, changes=counts, volumes=volumes)
    if copies:
        counts = WORDS.say("progress-copied", lang, changes=counts, containers=copies_said(copies, lang))
    return counts


class Progress:
    def __init__(self, total: int | None, write: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic, lang: str = DEFAULT_LANG) -> None:
        self._total, self._write, self._clock, self._lang = total, write, clock, lang
        self._running: dict[str, float] = {}     # stack -> when it started
        self._done = 0
        self._lock = threading.Lock()            # stacks start and finish on pool threads

    def started(self, stack: str) -> None:
        with self._lock:
            self._running[stack] = self._clock()

    def finished(self, outcome: Outcome) -> None:
        with self._lock:
            began = self._running.pop(outcome.stack, None)
            self._done += 1
            took = "" if began is None else f" ({self._clock() - began:.1f} s)"
            self._write(f"[{self._count()}] {outcome.operation} {outcome.stack}: {_changes_said(outcome, self._lang)}{took}")

    def _count(self) -> str:
        """Stacks done, of how many when known (reconcile learns its work as it goes)."""
        return str(self._done) if self._total is None else f"{self._done}/{self._total}"

    def tick(self) -> None:
        """Name the stacks still running, longest first (nothing when none is)."""
        with self._lock:
            if not self._running:
                return
            now = self._clock()
            running = ", ".join(f"{stack} {now - began:.0f} s" for stack, began in
                                sorted(self._running.items(), key=lambda item: item[1]))
            self._write(f"[{self._count()}] {WORDS.say('progress-running', self._lang, stacks=running)}")


class Ticker:
    """Calls `tick` every `every` seconds on a daemon thread while in its `with` block."""

    def __init__(self, tick: Callable[[], None], every: float) -> None:
        self._tick, self._every = tick, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="progress", daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self._every):
            self._tick()

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
