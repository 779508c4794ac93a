"""What repair and `apply --refresh` treat as a unit's data (art19, art25)."""

from __future__ import annotations

import pytest

from provisioner.stacks.data import holds_data

VOLUME = "openstack:blockstorage/volume:Volume"


@pytest.mark.parametrize(("resource", "data"), [
    ({"type": VOLUME, "outputs": {"size": 100}}, True),                          # a data disk
    ({"type": VOLUME, "outputs": {"size": 40, "imageId": "img"}}, False),        # a system disk
    ({"type": VOLUME, "inputs": {"imageId": "img"}}, False),                     # not made yet
    ({"type": "openstack:objectstorage/container:Container"}, True),
    ({"type": "openstack:sharedfilesystem/share:Share"}, True),
    ({"type": "openstack:compute/instance:Instance"}, False),
])
def test_data_is_what_comes_back_empty_when_made_again(resource: dict, data: bool) -> None:
    assert holds_data(resource) is data
