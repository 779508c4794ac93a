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


_WORDS = {
    "title": ("{system} 数据移交记录（第二十五条：应用及其数据归使用单位所有）",
              "{system} hand-over record (art25: the applications and their data belong to the unit)"),
    "made": ("生成于 {made_at}，终止申请 {request_id}，记录 sha256 {sha}",
             "made {made_at}, termination request {request_id}, record sha256 {sha}"),
    "kept": ("服务商保留以下备份至 {kept_until}（{days} 天，{policy}）",
             "the provider keeps these backups until {kept_until} ({days} days, {policy})"),
    "backup": ("  云硬盘 {volume_name}（{volume_id}）的备份 {backup_id}：{size_gb} GB，{checksum}，存放于 {location}",
               "  backup {backup_id} of volume {volume_name} ({volume_id}): {size_gb} GB, {checksum}, kept in "
               "{location}"),
    "covers": ("  校验值说明：Cinder 不提供备份数据的校验值；以上 sha256 计算自备份的导出记录（cinder backup-export，"
               "可在其他云上 cinder backup-import），用于确认所交付的是哪一个备份，不覆盖备份内的数据",
               "  checksums: Cinder gives none for a backup's data; each sha256 above is computed over the "
               "backup's export record (cinder backup-export, imported elsewhere with cinder backup-import): it "
               "names the backup handed over, not the bytes inside it"),
    "no-backups": ("  （无云硬盘备份）", "  (no volume backups)"),
    "by-hand": ("  备份由云服务商手工完成（未配置引擎），本记录未列出备份，须由服务商另行交付清单",
                "  the provider backed up by hand (no engine configured): this record lists no backups; the "
                "provider hands their list over separately"),
    "exports": ("以下数据不在备份之内，使用单位须在确认前自行导出，下线时随系统删除（仍有对象的容器会使销毁失败，不会被静默清空）：",
                "not in the backups: the unit exports these itself before confirming; they are deleted when "
                "the system is taken offline (a container still holding objects makes the destroy fail rather "
                "than be emptied):"),
    "export": ("  {kind} {name}（{id}）：{size}{where}", "  {kind} {name} ({id}): {size}{where}"),
    "confirmed": ("已由使用单位 {by} 于 {at} 确认（{actor}）", "confirmed by the unit's {by} at {at} ({actor})"),
    "unconfirmed": ("尚待使用单位确认：govcloud lifecycle handover confirm {system} --by <姓名>；确认前不删除任何数据",
                    "awaiting the unit's confirmation: govcloud lifecycle handover confirm {system} --by <name>; "
                    "no data is deleted before"),
}
_KINDS = {"swift-container": ("对象存储容器", "Swift container"), "manila-share": ("文件共享", "Manila share")}


def render(record: dict[str, Any], sha: str, confirmed: dict[str, str] | None, lang: str,
           shown_time: Any = str) -> list[str]:
    """The record as the unit reads it (`govcloud lifecycle handover show`); `shown_time` formats an ISO time."""
    en = lang == "en"

    def say(key: str, **values: Any) -> str:
        return _WORDS[key][en].format(**values)

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
            where = (", " if en else "，") + item["where"] if item.get("where") else ""
            lines.append(say("export", kind=_KINDS.get(item["kind"], (item["kind"],) * 2)[en], name=item["name"],
                             id=item.get("id", "-"), size=item["size"], where=where))
    if confirmed:
        lines.append(say("confirmed", by=confirmed["by"], at=shown_time(confirmed["at"]), actor=confirmed["actor"]))
    else:
        lines.append(say("unconfirmed", system=record["system"]))
    return lines
