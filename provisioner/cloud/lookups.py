"""One cloud object by its id, or None when the cloud has none of that id.

Through openstacksdk's `get_*` and its NotFoundException, not `find_*(ignore_missing=True)`:
openstacksdk 4.x deprecates that flag (its default turns to False in 6.0, RemovedInSDK60Warning),
and a `find_*` whose id is gone asks the cloud twice (the object by id, then a list filtered by
name), on every turn of a loop that waits for a deletion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import openstack

T = TypeVar("T")


def by_id(get: Callable[[str], T], object_id: str) -> T | None:
    """`by_id(conn.compute.get_server, server_id)`: the server, or None when it is gone."""
    try:
        return get(object_id)
    except openstack.exceptions.NotFoundException:
        return None
