"""Preflight: a request naming something the cloud does not offer is refused before any stack runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from provisioner.app import apply as apply_job
from provisioner.cloud.preflight import Offer
from provisioner.errors import SpecError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "request_specs/jj-xzspj/zwfw-portal.yaml"
FULL = Offer(frozenset({"gc.c2m4"}), frozenset({"kylin-v10-tiny"}), frozenset({"nfs1"}))


def test_a_cloud_that_offers_everything_passes() -> None:
    apply_job.check_cloud_offers(apply_job.discover(ROOT, [SAMPLE]), FULL)


def test_a_missing_flavor_and_image_are_named_with_the_spec_file() -> None:
    offer = Offer(frozenset({"gc.c1m2"}), frozenset(), frozenset({"nfs1"}))
    with pytest.raises(SpecError) as caught:
        apply_job.check_cloud_offers(apply_job.discover(ROOT, [SAMPLE]), offer)
    text = str(caught.value)
    assert "request_specs/jj-xzspj/zwfw-portal.yaml:1:1: cloud-missing" in text
    assert "'gc.c2m4'" in text and "'kylin-v10-tiny'" in text
