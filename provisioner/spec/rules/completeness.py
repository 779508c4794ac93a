"""art14: the materials each kind of application must carry; art23: the legacy system.

A new system brings its project approval, technical plan, contract and the
performance and security self-test reports; a migration brings the approval,
a migration plan and the two reports, and says which legacy system is kept.
A major change (art18) goes through the new-application flow again.
"""

from __future__ import annotations

from collections.abc import Iterator

from provisioner.spec.applicant import Application
from provisioner.spec.findings import Finding
from provisioner.spec.lifecycle import Change, Migration
from provisioner.spec.materials import Materials
from provisioner.spec.messages import WORDS
from provisioner.words import Text

REQUIRED: dict[str, tuple[str, ...]] = {
    "new": ("project_approval", "technical_plan", "contract", "performance_self_test", "security_self_test"),
    "migration": ("project_approval", "migration_plan", "performance_self_test", "security_self_test"),
}
MATERIAL_NAMES: dict[str, Text] = {key: WORDS("material-" + key.replace("_", "-"))
                                   for key in ("project_approval", "technical_plan", "migration_plan", "contract",
                                               "performance_self_test", "security_self_test")}
KIND_NAMES = {"new": WORDS("kind-new"), "migration": WORDS("kind-migration")}
_KIND = ("application", "kind")


def missing_materials(kind: str, materials: Materials) -> list[str]:
    """The keys of the materials a `kind` application still lacks, in the order of art14."""
    return [key for key in REQUIRED[kind] if getattr(materials, key) is None]


def check_materials(application: Application, materials: Materials) -> Iterator[Finding]:
    for key in missing_materials(application.kind, materials):
        yield Finding("materials-missing", ("materials", key), near=_KIND, params={
            "material": MATERIAL_NAMES[key], "key": key, "kind_words": KIND_NAMES[application.kind]})
    if application.kind == "new" and materials.migration_plan is not None:
        yield Finding("materials-not-for-kind", ("materials", "migration_plan"), on_key=True,
                      params={"material": MATERIAL_NAMES["migration_plan"], "key": "migration_plan"})


def check_migration(application: Application, migration: Migration | None) -> Iterator[Finding]:
    if application.kind == "migration" and migration is None:
        yield Finding("migration-missing", ("migration",), near=_KIND)
    if application.kind == "new" and migration is not None:
        yield Finding("migration-not-for-kind", ("migration",), on_key=True)


def check_major_change(application: Application, materials: Materials, change: Change | None) -> Iterator[Finding]:
    # For kind new the same materials are already reported as missing.
    if change is None or not change.major or application.kind == "new":
        return
    for key in missing_materials("new", materials):
        yield Finding("change-major-materials", ("materials", key), near=("change", "major"),
                      params={"material": MATERIAL_NAMES[key], "key": key})


CHECKS = (check_materials, check_migration, check_major_change)
