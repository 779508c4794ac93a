"""The fast pass keeps only its events' marks; the positions worked out from them are exactly
those the tracking read records (findings on a valid spec are located from them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioner.spec.yamltree import UNUSUAL, read_plain, read_yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "request_specs").glob("*/*.yaml"))

NESTED = """\
a: 1
b:
  - x
  - {c: [1, 2, {d: e}], f: "g"}
  -
    - deep
h: {}
i: []
"""


@pytest.mark.parametrize("text", [path.read_text(encoding="utf-8") for path in SAMPLES] + [NESTED, "- 1\n- [2]\n"],
                         ids=[path.stem for path in SAMPLES] + ["nested", "sequence"])
def test_replayed_positions_are_the_tracked_ones(text):
    fast, (tracked, findings) = read_plain(text), read_yaml(text)
    assert fast is not UNUSUAL and not findings
    assert fast.has_positions()
    assert fast.data == tracked.data
    assert fast.keys == tracked.keys and fast.values == tracked.values
    assert len(tracked.values) > 3


@pytest.mark.parametrize("text", [path.read_text(encoding="utf-8") for path in SAMPLES] + [NESTED, "- 1\n- [2]\n"],
                         ids=[path.stem for path in SAMPLES] + ["nested", "sequence"])
def test_each_position_asked_for_is_the_tracked_one(text):
    """One position at a time (what locating a finding asks), not replaying them all: each key and
    value where the tracking read has it, and nothing where it has none (a missing key, an index
    past the end, a step into a scalar, the key of a sequence item)."""
    tracked = read_yaml(text)[0]
    paths = set(tracked.keys) | set(tracked.values)
    asked = paths | {path + ("nope",) for path in paths} | {path + (0,) for path in paths} | {path + (99,) for path in paths}
    fast = read_plain(text)
    for path in asked:
        assert fast.keys.get(path) == tracked.keys.get(path), path
        assert fast.values.get(path) == tracked.values.get(path), path
    assert fast._marks is not None      # nothing replayed on the way


def test_an_alias_keeps_no_marks_so_positions_are_read_again():
    fast = read_plain("a: &x [1, 2]\nb: *x\n")
    assert fast is not UNUSUAL and fast.data == {"a": [1, 2], "b": [1, 2]}
    assert not fast.has_positions()
