"""Request specs: the department's YAML, parsed and validated into typed models.

    load_spec(path, root) / parse_spec(text, file)   the spec, or SpecError with every problem
    load_request(path, root)                         (spec, path) of a request that becomes stacks:
                                                     request_specs/<department>/<system>.yaml only
    check_file(path, root) / check_text(text, file)  a Checked: the spec or None, and the problems
    missing_materials(kind, materials)               what an application of that kind still lacks
"""

from provisioner.spec.load import (MAX_SPEC_BYTES, Checked, check_file, check_text, load_request, load_spec,
                                   parse_spec)
from provisioner.spec.model import RequestSpec
from provisioner.spec.rules.completeness import missing_materials

__all__ = ["MAX_SPEC_BYTES", "Checked", "RequestSpec", "check_file", "check_text", "load_request", "load_spec",
           "missing_materials", "parse_spec"]
