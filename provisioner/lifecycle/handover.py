"""The hand-over record of a terminated system's data (art25, art19), pure.

art25: the applications and their data belong to the unit. Termination backs every volume
up and verifies each backup (provisioner/cloud/backups.py); the record lists them for the
unit (Cinder id, size, checksum and what it covers, where the backup is kept and until
when) together with the data govcloud does not back up (Swift containers, Manila shares),
which the unit exports itself. The unit confirms the record (its sha256) in the ledger,
and only then is the system's stack destroyed (machine.confirm_handover, Action.TERMINATE).

A record is plain JSON (ledger table `handovers`, and the `back_up_done` event, hence the
audit log); its sha256 over the canonical JSON names the very record the unit confirmed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any

from provisioner.calendar import local_date
from provisioner.lifecycle.messages import EXPORT_KINDS, WORDS

# What a volume backup's checksum covers. Cinder's API gives no checksum of a backup's data:
# the sha256 is computed over the backup's export record (`cinder backup-export`: the
# backup service and its description of the backup), the handle with which the unit, or
# another cloud, imports the backup (`cinder backup-import`). It proves which backup was
# handed over, not the bytes inside it.
EXPORT_RECORD = "cinder-export-record"


def make_record(*, system_key: str, generation: int, request_id: str | None, made_at: datetime,
                backups: list[dict[str, Any]], exports: list[dict[str, Any]], retention_days: int,
                policy: str, by_hand: bool = False) -> dict[str, Any]:
    """The record as stored and shown; `policy` is where retention_days was read (file:line)."""
    return {"system": system_key, "generation": generation, "request_id": request_id,
            "made_at": made_at.isoformat(), "retention_days": retention_days,
            "kept_until": kept_until(made_at, retention_days).isoformat(), "retention_policy": policy,
            "backups": sorted(backups, key=lambda b: (b.get("volume_name", ""), b.get("backup_id", ""))),
            "exports": sorted(exports, key=lambda e: (e.get("kind", ""), e.get("name", ""))),
            "by_hand": by_hand}


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
    if record["backups"]:
        lines.append(say("covers"))
    else:
        lines.append(say("by-hand" if record.get("by_hand") else "no-backups"))
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
