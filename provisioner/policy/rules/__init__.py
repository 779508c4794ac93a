"""Every policy rule the code implements, and evaluation of a spec against the policies (pure).

A rule's logic is here (the security inspection's rules judge the cloud, in
provisioner/inspection); its article, severity and words are the office's, in
policies/ (load.py checks that the two sets of rule ids are the same). PARAMS
names, for each rule, the parameters its messages may use besides {field}
(where in the spec) and {got} (the offending value).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from provisioner.policy.findings import Hit
from provisioner.policy.rules import agreements, catalogue, inspection, naming, ondemand, security
from provisioner.policy.rules.context import Context, Department

if TYPE_CHECKING:   # annotations only: reading the policy files (PARAMS, FILES) builds no request model
    from provisioner.spec.model import RequestSpec

Check = Callable[["RequestSpec", Context], Iterable[Hit]]

CHECKS: tuple[Check, ...] = (*catalogue.CHECKS, *ondemand.CHECKS, *security.CHECKS, *naming.CHECKS,
                             *agreements.CHECKS)
PARAMS: dict[str, set[str]] = {**catalogue.PARAMS, **ondemand.PARAMS, **security.PARAMS, **naming.PARAMS,
                               **agreements.PARAMS, **inspection.PARAMS}
COMMON_PARAMS = frozenset({"field", "got"})
# The file each rule's words belong in: the office edits a rule next to its parameters.
FILES = {
    **dict.fromkeys(catalogue.PARAMS, "catalogue.yaml"),
    **dict.fromkeys(ondemand.PARAMS, "on-demand.yaml"),
    **dict.fromkeys(security.PARAMS, "security-baseline.yaml"),
    **dict.fromkeys(naming.PARAMS, "naming.yaml"),
    **dict.fromkeys(agreements.PARAMS, "agreements.yaml"),
    **dict.fromkeys(inspection.PARAMS, "inspection.yaml"),
}


def evaluate(spec: RequestSpec, ctx: Context) -> list[Hit]:
    """Every rule's hits on a (valid) spec, in the order of the checks."""
    return [hit for check in CHECKS for hit in check(spec, ctx)]


__all__ = ["CHECKS", "COMMON_PARAMS", "FILES", "PARAMS", "Context", "Department", "evaluate"]
