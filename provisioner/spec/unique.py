"""Names unique within a list: they become OpenStack resource names (`<system>-<host>-<n>`).

Two hosts named `web` would collide in the stack, not just confuse a reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic_core import PydanticCustomError

Named = TypeVar("Named", bound=Sequence[Any])


def unique_names(items: Named) -> Named:
    """A field validator: the first repeated name is reported at its own `name` key."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.name in first:
            raise PydanticCustomError("resources-duplicate-name", "duplicate name", {
                "at": (index, "name"), "name": item.name, "first": first[item.name] + 1})
        first[item.name] = index
    return items
