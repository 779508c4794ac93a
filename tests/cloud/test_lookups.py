"""cloud/lookups.by_id on the real cloud: what the deleters, repair and drift ask of each kind.

As the operator (admin), an object of another project is found by its id (what `find_*` was given
`all_projects=True` for), and an id the cloud has none of gives None, not an exception. The
objects looked up are the test's own: a server, a volume and a port in a project of its own
(jj-lookup-test), removed after.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from types import SimpleNamespace

import openstack
import pytest

from provisioner.cloud.lookups import by_id
from tests.cloud.leftovers import purge_project

PROJECT = "jj-lookup-test"


@pytest.fixture(scope="module")
def own(admin: openstack.connection.Connection) -> Iterator[SimpleNamespace]:
    """A server, a volume and a port in a project the operator is not scoped to."""
    purge_project(admin, PROJECT)
    project = admin.identity.create_project(name=PROJECT, domain_id="default")
    try:
        admin.identity.assign_project_role_to_user(project, admin.identity.find_user("admin"),
                                                   admin.identity.find_role("member"))
        inside = admin.connect_as_project(project)
        network = admin.network.create_network(name=f"{PROJECT}-net", project_id=project.id)
        port = admin.network.create_port(network_id=network.id, project_id=project.id)
        volume = inside.block_storage.create_volume(size=1, name=f"{PROJECT}-vol")
        server = inside.compute.create_server(
            name=f"{PROJECT}-vm", flavor_id=admin.compute.find_flavor("gc.c1m2").id,
            image_id=admin.image.find_image("cirros-tiny").id, networks="none")
        yield SimpleNamespace(project=project, port=port, volume=volume, server=server)
    finally:
        purge_project(admin, PROJECT)
        admin.identity.delete_project(project, ignore_missing=True)


def test_an_id_the_cloud_has_none_of_is_none(admin: openstack.connection.Connection) -> None:
    missing = str(uuid.uuid4())
    with warnings.catch_warnings():
        # find_*'s ignore_missing was deprecated (the SDK's own internals warn of other things)
        warnings.filterwarnings("error", message=".*ignore_missing")
        assert by_id(admin.identity.get_project, missing.replace("-", "")) is None
        assert by_id(admin.compute.get_server, missing) is None
        assert by_id(admin.block_storage.get_volume, missing) is None
        assert by_id(admin.network.get_port, missing) is None


def test_an_object_of_another_project_is_found_by_its_id(admin: openstack.connection.Connection,
                                                        own: SimpleNamespace) -> None:
    assert admin.current_project_id != own.project.id
    assert by_id(admin.identity.get_project, own.project.id).name == PROJECT
    assert by_id(admin.network.get_port, own.port.id).project_id == own.project.id
    assert by_id(admin.compute.get_server, own.server.id).name == f"{PROJECT}-vm"
    assert by_id(admin.block_storage.get_volume, own.volume.id).project_id == own.project.id


def test_other_errors_are_not_taken_for_a_missing_object(admin: openstack.connection.Connection) -> None:
    def refused(_id: str):
        raise openstack.exceptions.ForbiddenException("policy does not allow")
    with pytest.raises(openstack.exceptions.ForbiddenException):
        by_id(refused, "x")
