"""What a change's backups hold (art18, art19, art25), pure: a removed data volume's Cinder backup
(provisioner/cloud/backups.py BackupRecord, no `kind`) or a removed Swift container's copy
(provisioner/cloud/container_copies.py ContainerCopy, kind CONTAINER_COPY), as the ledger keeps them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The `kind` of a removed Swift container's record among a change's backups (provisioner/cloud/
# container_copies.py); a volume's backup record (provisioner/cloud/backups.py) has no kind.
CONTAINER_COPY = "swift-container-copy"


def removed_records(records: Sequence[dict[str, Any]]) -> tuple[list, list]:
    """A change's backups (volumes backed up, containers copied) as (volume backups, container copies)."""
    return ([r for r in records if r.get("kind") != CONTAINER_COPY],
            [r for r in records if r.get("kind") == CONTAINER_COPY])
