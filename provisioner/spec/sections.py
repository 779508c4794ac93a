"""The top-level sections of a spec, as typed values, even when the whole does not validate.

The cross-field checks read sections (`applicant`, `materials`, ...). When the
spec as a whole is invalid, each section is validated on its own so that the
checks of the valid ones still run: every problem is reported at once.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from provisioner.spec.model import RequestSpec

_ADAPTERS = {
    name: (info.alias or name, TypeAdapter(info.annotation), info)
    for name, info in RequestSpec.model_fields.items()
}


def of_spec(spec: RequestSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in RequestSpec.model_fields}


def of_data(data: dict[str, Any]) -> dict[str, Any]:
    """The sections of raw data that validate on their own; the others are left out."""
    sections: dict[str, Any] = {}
    for name, (key, adapter, info) in _ADAPTERS.items():
        if key not in data:
            if not info.is_required():
                sections[name] = info.get_default(call_default_factory=True)
            continue
        try:
            sections[name] = adapter.validate_python(data[key], strict=True)
        except ValidationError:
            continue
    return sections
