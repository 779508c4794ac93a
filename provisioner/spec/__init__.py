"""Request specs: the department's YAML, parsed and validated into typed models."""

from provisioner.spec.load import load_spec, parse_spec
from provisioner.spec.model import RequestSpec

__all__ = ["RequestSpec", "load_spec", "parse_spec"]
