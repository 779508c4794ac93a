"""Request specs: the department's YAML, parsed and validated into typed models.

    load_spec(path, root) / parse_spec(text, file)   the spec, or SpecError with every problem
    load_request(path, root)                         (spec, path) of a request that becomes stacks:
                                                     request_specs/<department>/<system>.yaml only
    check_file(path, root) / check_text(text, file)  a Checked: the spec or None, and the problems
    missing_materials(kind, materials)               what an application of that kind still lacks

The names are loaded on first use: importing a light module of the package (location.py:
where specs live) does not build the models, so `govcloud validate` can look up its result
cache (provisioner/app/validate_cache.py) before pydantic is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provisioner.spec.load import (MAX_SPEC_BYTES, Checked, check_file, check_text, load_request, load_spec,
                                       parse_spec)
    from provisioner.spec.model import RequestSpec
    from provisioner.spec.rules.completeness import missing_materials

_WHERE = {**dict.fromkeys(("MAX_SPEC_BYTES", "Checked", "check_file", "check_text", "load_request", "load_spec",
                           "parse_spec"), "provisioner.spec.load"),
          "RequestSpec": "provisioner.spec.model", "missing_materials": "provisioner.spec.rules.completeness"}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = ["MAX_SPEC_BYTES", "Checked", "RequestSpec", "check_file", "check_text", "load_request", "load_spec",
           "missing_materials", "parse_spec"]
