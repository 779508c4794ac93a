"""cloud/lookups.by_id on the real cloud: what the deleters, repair and drift ask of each kind.

As the operator (admin), an object of any project is found by its id (what `find_*` was given
`all_projects=True` for), and an id the cloud has none of gives None, not an exception. Only
reads: the objects found are the operator's samples' (or the admin project), left untouched.
"""

from __future__ import annotations

import uuid
import warnings

import openstack
import pytest

from provisioner.cloud.lookups import by_id


def _first(objects):
    found = next(iter(objects), None)
    if found is None:
        pytest.skip("the cloud holds none of these yet (scripts/govcloud-up makes the samples')")
    return found


def test_an_id_the_cloud_has_none_of_is_none(admin: openstack.connection.Connection) -> None:
    missing = str(uuid.uuid4())
    with warnings.catch_warnings():
        # find_*'s ignore_missing was deprecated (the SDK's own internals warn of other things)
        warnings.filterwarnings("error", message=".*ignore_missing")
        assert by_id(admin.identity.get_project, missing.replace("-", "")) is None
        assert by_id(admin.compute.get_server, missing) is None
        assert by_id(admin.block_storage.get_volume, missing) is None
        assert by_id(admin.network.get_port, missing) is None


def test_an_object_of_another_project_is_found_by_its_id(admin: openstack.connection.Connection) -> None:
    project = admin.identity.get_project(admin.current_project_id)
    assert by_id(admin.identity.get_project, project.id).name == project.name
    port = _first(admin.network.ports())
    assert by_id(admin.network.get_port, port.id).id == port.id
    server = _first(s for s in admin.compute.servers(all_projects=True) if s.project_id != admin.current_project_id)
    assert by_id(admin.compute.get_server, server.id).project_id == server.project_id
    volume = _first(v for v in admin.block_storage.volumes(all_projects=True)
                    if v.project_id != admin.current_project_id)
    assert by_id(admin.block_storage.get_volume, volume.id).project_id == volume.project_id


def test_other_errors_are_not_taken_for_a_missing_object(admin: openstack.connection.Connection) -> None:
    def refused(_id: str):
        raise openstack.exceptions.ForbiddenException("policy does not allow")
    with pytest.raises(openstack.exceptions.ForbiddenException):
        by_id(refused, "x")
