"""Fewer garbage collections while a command checks many specs at once.

Checking 1,000 specs makes some hundred thousand objects (trees, models, findings) that live
until the report is written; with CPython's default threshold (a young collection every 700
allocations, and older generations after them) the collector spent about a fifth of
`govcloud validate`'s CPU walking them (bench/README.md). mypy raises the threshold the same
way and for the same reason (mypy/build.py). Objects are still collected, only less often;
peak memory of the 1,000-spec run is unchanged (155 MB). The old threshold is put back after,
so a process that runs other work after the command (the tests) keeps CPython's default.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = (200_000, 30, 30)


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def no_collections() -> Iterator[None]:
    """No collection at all while a command runs whose objects live until it has printed (`govcloud
    validate`), and what it made frozen after (gc.freeze): a CLI process, which exits next, does not
    walk them again, at exit either. One spec ~10 % less CPU than fewer_collections, 1,000 specs
    ~5-8 % (three young collections of ~40 ms each, and the one at exit); 2-3 MB more at the peak
    (cycles left for later). In a process that goes on (the tests), the next command gives the
    frozen objects back to the collector first (gc.unfreeze), so at most one command's are kept
    out of its reach."""
    enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
