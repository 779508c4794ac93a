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


def test_an_alias_keeps_no_marks_so_positions_are_read_again():
    fast = read_plain("a: &x [1, 2]\nb: *x\n")
    assert fast is not UNUSUAL and fast.data == {"a": [1, 2], "b": [1, 2]}
    assert not fast.has_positions()
