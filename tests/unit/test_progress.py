"""The progress lines of an apply of many stacks."""

from __future__ import annotations

import threading
import time

from provisioner.stacks.engine import Outcome
from provisioner.stacks.progress import Progress, Ticker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_finished_stacks_are_counted_with_their_changes_and_time_and_ticks_name_the_running() -> None:
    lines: list[str] = []
    clock = Clock()
    progress = Progress(3, lines.append, clock, lang="en")
    progress.tick()
    assert lines == []                                  # nothing running: silent
    progress.started("city.a")
    clock.now += 5
    progress.started("city.a.web")
    clock.now += 40
    progress.tick()
    progress.finished(Outcome("city.a", "up", {"same": 9, "create": 1}))
    progress.finished(Outcome("city.b", "up", {}))     # never said to start: no time
    assert lines == [
        "[0/3] running: city.a 45 s, city.a.web 40 s",
        "[1/3] up city.a: create 1, same 9 (45.0 s)",
        "[2/3] up city.b: nothing",
    ]


def test_progress_says_its_own_words_in_the_language_asked_for_and_pulumis_counts_as_they_are() -> None:
    lines: list[str] = []
    clock = Clock()
    progress = Progress(2, lines.append, clock)          # Chinese unless asked otherwise
    progress.started("city.a")
    clock.now += 7
    progress.tick()
    progress.finished(Outcome("city.a", "up", {"create": 2}))
    progress.finished(Outcome("city.b", "up", {}))
    progress.finished(Outcome("city.c", "destroy", {}, failure="quota exceeded"))
    assert lines == [
        "[0/2] 仍在运行：city.a 7 s",
        "[1/2] up city.a: create 2 (7.0 s)",
        "[2/2] up city.b: 无变更",
        "[3/2] destroy city.c: 失败：quota exceeded",
    ]


def test_the_ticker_ticks_until_its_block_ends() -> None:
    ticked = threading.Event()
    count = []

    def tick() -> None:
        count.append(1)
        ticked.set()

    with Ticker(tick, 0.01):
        assert ticked.wait(5)
    after = len(count)
    time.sleep(0.05)
    assert after >= 1 and len(count) == after          # stopped with the block
