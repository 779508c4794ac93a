"""How the benches time what they run: one definition each, so every bench measures alike.

    best(repeat, run)   the fastest of `repeat` runs in this process, and the last run's result
    children_cpu()      CPU seconds (user + system) of every child process that has ended: whole
                        processes are compared by this difference around a subprocess.run
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable


def best(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
