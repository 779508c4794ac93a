"""Which field of a request spec a system stack's resource serves, as the program recorded it
in the stack's `fields` output (provisioner/program/system.py; the same field its cloud labels
carry): drift and repair report each resource at that field's line, and no name is parsed."""

from __future__ import annotations

from collections.abc import Mapping

from provisioner.spec.findings import Path as FieldPath

# Fields reported at their key (a mapping) rather than a value.
KEYS = {("resources", "network"), ("resources", "security"), ("resources",),
        ("resources", "bandwidth", "public_ips")}

STACK_TYPE = "pulumi:pulumi:Stack"


def spec_fields(held: list[dict]) -> dict[str, str]:
    """The system stack's `fields` output, as its state holds it: every resource's spec field,
    labelled or not. Empty for a stack made before the output existed."""
    stack = next((r for r in held if r.get("type") == STACK_TYPE), {})
    return dict((stack.get("outputs") or {}).get("fields") or {})


def field_of(fields: Mapping[str, str], resource: str) -> FieldPath:
    """The spec field a system stack's resource serves; the resources section when the stack
    holds no record of it."""
    from provisioner.allocation import undotted

    dotted = fields.get(resource)
    return undotted(dotted) if dotted else ("resources",)
