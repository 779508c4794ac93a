"""The one allocation model: what a request spec allocates, each unit tied to its spec field.

    allocation = allocate(spec, catalogue)
    allocation.servers, .disks, ...       what the Pulumi program makes, one resource each
    allocation.units                      kind, amount, spec field, offered: for quota, caps,
                                          preflight, metering, cost and change classification
    allocation.refusals                   what this cloud does not build (cloud-unsupported)

quota.py: a department's Keystone quota, the sum of its requests' units.
"""

from provisioner.allocation.expand import allocate, allocate_resources, sized_by
from provisioner.allocation.model import Allocation, Refusal, Unit, dotted, undotted

__all__ = ["Allocation", "Refusal", "Unit", "allocate", "allocate_resources", "dotted", "sized_by", "undotted"]
