"""The hand-over record of a terminated system's data (art25, art19), pure.

art25: the applications and their data belong to the unit. Termination backs every volume
up and verifies each backup (provisioner/cloud/backups.py); the record lists them for the
unit (Cinder id, size, checksum and what it covers, where the backup is kept and until
when) together with the data govcloud does not back up (Swift containers, Manila shares),
which the unit exports itself. The unit confirms the record (its sha256) in the ledger,
and only then is the system's stack destroyed (machine.confirm_handover, Action.TERMINATE).

The data volumes that earlier approved changes removed (art18) were backed up first
(provisioner/app/data_removal.py) and their backups named only in the events of those steps:
the record lists them too (`removed_by_changes`, each with the step that made it), kept until
the same day, so the unit is handed all of its data (removed_by_changes below).

A record is plain JSON (ledger table `handovers`, and the `back_up_done` event, hence the
audit log); its sha256 over the canonical JSON names the very record the unit confirmed. A
record without backups of changes has no `removed_by_changes` key at all: it is the record
made before the key existed, and hashes as it did.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from provisioner.calendar import local_date
from provisioner.lifecycle.messages import EXPORT_KINDS, REMOVING_STEPS, WORDS
from provisioner.lifecycle.removed_data import CONTAINER_COPY

# What a volume backup's checksum covers. Cinder's API gives no checksum of a backup's data:
# the sha256 is computed over the backup's export record (`cinder backup-export`: the
# backup service and its description of the backup), the handle with which the unit, or
# another cloud, imports the backup (`cinder backup-import`). It proves which backup was
# handed over, not the bytes inside it.
EXPORT_RECORD = "cinder-export-record"


def make_record(*, system_key: str, generation: int, request_id: str | None, made_at: datetime,
                backups: list[dict[str, Any]], exports: list[dict[str, Any]], retention_days: int,
                policy: str, by_hand: bool = False,
                removed_by_changes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The record as stored and shown; `policy` is where retention_days was read (file:line);
    `removed_by_changes`: what removed_by_changes() found, in that order (no key when none)."""
    record: dict[str, Any] = {
        "system": system_key, "generation": generation, "request_id": request_id,
        "made_at": made_at.isoformat(), "retention_days": retention_days,
        "kept_until": kept_until(made_at, retention_days).isoformat(), "retention_policy": policy,
        "backups": sorted(backups, key=lambda b: (b.get("volume_name", ""), b.get("backup_id", ""))),
        "exports": sorted(exports, key=lambda e: (e.get("kind", ""), e.get("name", ""))),
        "by_hand": by_hand}
    if removed_by_changes:
        record["removed_by_changes"] = list(removed_by_changes)
    return record


@dataclass(frozen=True)
class Logged:
    """One ledger event of the system, as removed_by_changes reads it."""

    generation: int
    at: datetime
    kind: str
    request_id: str | None      # the event's request: the generation's own, unless the step names another
    detail: Mapping[str, Any]


# The step that destroys the stack: what came before it was handed over with that stack's record.
_DESTROYED = "terminate_done"
# The termination's own backups: the record's `backups`, not a change's.
_FINAL = "back_up_done"


def removed_by_changes(events: Iterable[Logged]) -> list[dict[str, Any]]:
    """The backups earlier steps of the system made before removing its data volumes (art18), from
    its events over every generation in the order recorded: those since its stack was last
    destroyed (one stack carries every generation, lifecycle/phase.py). Each is the backup as its
    event names it, with `made_by`: the request (the change's), the generation, the event and
    when. An up that failed after it released the volumes recorded them in its `action_failed`
    event: they count too. A backup named twice is listed once, where it was named first."""
    found: dict[str, dict[str, Any]] = {}
    changes: dict[int, str] = {}        # generation -> the minor change being applied to it
    for event in events:
        if event.kind == _DESTROYED and "stack_kept_for" not in event.detail:
            found.clear()
            changes.clear()
        elif event.kind == "change_started":
            changes[event.generation] = event.detail.get("request_id") or ""
        backups = event.detail.get("backups")
        if event.kind == _FINAL or not isinstance(backups, list):
            continue
        made_by = {"request_id": _request(event, changes), "generation": event.generation, "event": event.kind,
                   "at": event.at.isoformat()}
        for backup in backups:
            key = str(backup.get("backup_id") or (backup.get("kind") == CONTAINER_COPY and f"copy {backup.get('copy')}")
                      or f"unnamed {len(found)}")
            found.setdefault(key, {**backup, "made_by": made_by})
    return list(found.values())


def _request(event: Logged, changes: Mapping[int, str]) -> str | None:
    """A minor change's step names its request in `request_id` when done; a failed one does not."""
    if event.detail.get("request_id"):
        return str(event.detail["request_id"])
    if event.detail.get("action") == "apply_change" and changes.get(event.generation):
        return changes[event.generation]
    return event.request_id


def kept_until(made_at: datetime, retention_days: int) -> date:
    """The last day (Asia/Shanghai) the provider keeps the backups."""
    return local_date(made_at) + timedelta(days=retention_days)


def record_sha256(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render(record: dict[str, Any], sha: str, confirmed: dict[str, str] | None, lang: str,
           shown_time: Any = str) -> list[str]:
    """The record as the unit reads it (`govcloud lifecycle handover show`); `shown_time` formats an ISO time."""

    def say(key: str, **values: Any) -> str:
        return WORDS.say("record-" + key, lang, **values)

    lines = [say("title", system=record["system"]),
             say("made", made_at=shown_time(record["made_at"]), request_id=record.get("request_id") or "-", sha=sha),
             say("kept", kept_until=record["kept_until"], days=record["retention_days"],
                 policy=record["retention_policy"])]
    for backup in record["backups"]:
        lines.append(say("backup", **{**backup, "checksum": f"sha256:{backup['checksum_sha256']}"}))
    if not record["backups"]:
        lines.append(say("by-hand" if record.get("by_hand") else "no-backups"))
    removed = record.get("removed_by_changes") or []     # absent from records made before it existed
    if removed:
        lines.append(say("removed", kept_until=record["kept_until"]))
        lines.extend(_removed_line(backup, lang, shown_time) for backup in removed)
    if record["backups"] or removed:
        lines.append(say("covers"))
    if record["exports"]:
        lines.append(say("exports"))
        for item in record["exports"]:
            kind = EXPORT_KINDS.get(item["kind"], (item["kind"],) * 2)[lang == "en"]
            values = {"kind": kind, "name": item["name"], "id": item.get("id", "-"), "size": item["size"]}
            lines.append(say("export-where", **values, where=item["where"]) if item.get("where")
                         else say("export", **values))
    if confirmed:
        lines.append(say("confirmed", by=confirmed["by"], at=shown_time(confirmed["at"]), actor=confirmed["actor"]))
    else:
        lines.append(say("unconfirmed", system=record["system"]))
    return lines


def _removed_line(backup: dict[str, Any], lang: str, shown_time: Any) -> str:
    made_by = backup.get("made_by") or {}
    step = REMOVING_STEPS.get(made_by.get("event", ""), (made_by.get("event", "?"),) * 2)[lang == "en"]
    when = {"step": step, "request_id": made_by.get("request_id") or "-", "generation": made_by.get("generation", "?"),
            "at": shown_time(made_by["at"]) if made_by.get("at") else "?"}
    if backup.get("kind") == CONTAINER_COPY:     # a removed Swift container's verified copy, not a Cinder backup
        values = {name: backup.get(name, "?") for name in ("copy", "container", "objects", "bytes", "location")}
        return WORDS.say("record-removed-copy", lang, **values, **when)
    values = {name: backup.get(name, "?") for name in ("backup_id", "volume_name", "volume_id", "size_gb", "location")}
    checksum = f"sha256:{backup['checksum_sha256']}" if backup.get("checksum_sha256") else "-"
    return WORDS.say("record-removed-backup", lang, **values, checksum=checksum, **when)
