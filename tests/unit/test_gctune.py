"""Checking many specs collects garbage less often, and gives CPython's thresholds back after."""

from __future__ import annotations

import gc

import pytest

from provisioner.commands.gctune import THRESHOLD, fewer_collections, no_collections


def test_the_threshold_is_raised_inside_and_put_back_after_even_on_an_error() -> None:
    before = gc.get_threshold()
    assert before != THRESHOLD
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == THRESHOLD
        raise RuntimeError("the command failed")
    assert gc.get_threshold() == before


def test_no_collection_inside_what_was_made_frozen_after_and_given_back_at_the_next() -> None:
    assert gc.isenabled()
    try:
        with pytest.raises(RuntimeError), no_collections():
            assert not gc.isenabled()
            raise RuntimeError("the command failed")
        assert gc.isenabled() and gc.get_freeze_count() > 0
        with no_collections():
            assert gc.get_freeze_count() == 0          # the last command's objects are the collector's again
    finally:
        gc.unfreeze()
    assert gc.isenabled() and gc.get_freeze_count() == 0
