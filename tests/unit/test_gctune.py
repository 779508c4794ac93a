"""Checking many specs collects garbage less often, and gives CPython's thresholds back after."""

from __future__ import annotations

import gc

import pytest

from provisioner.commands.gctune import THRESHOLD, fewer_collections


def test_the_threshold_is_raised_inside_and_put_back_after_even_on_an_error() -> None:
    before = gc.get_threshold()
    assert before != THRESHOLD
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == THRESHOLD
        raise RuntimeError("the command failed")
    assert gc.get_threshold() == before
