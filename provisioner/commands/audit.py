"""`govcloud audit verify | export | prune | show`: the tamper-evident operation log (art26).

Also `record_command`: what provisioner/commands/audited.py appends to the audit log
with its arguments and exit status (art26: every operation is logged automatically).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioner.commands.calendar import moment
from provisioner.errors import ConfigError
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads no SQLAlchemy
    from provisioner.audit.chain import Finding
    from provisioner.ledger import Ledger

NAME = "audit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    sub = parser.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser("verify", help="find changed, dropped or reordered records")
    source = verify.add_mutually_exclusive_group()
    source.add_argument("--file", type=Path, help="verify an exported JSON Lines file instead of the ledger")
    source.add_argument("--exported", action="store_true", help="verify the copies in object storage")
    sub.add_parser("export", help="copy the records not yet exported to the S3 bucket (GOVCLOUD_AUDIT_BUCKET)")
    prune = sub.add_parser("prune", help="delete exported records older than a date (never younger than a year)")
    prune.add_argument("--before", type=moment, required=True, help="delete records written before this date")
    show = sub.add_parser("show", help="print the last records")
    show.add_argument("-n", type=int, default=20)


def s3_client(settings: Settings) -> Any:
    if not settings.audit_bucket:
        raise ConfigError("set GOVCLOUD_AUDIT_BUCKET (and GOVCLOUD_AUDIT_S3_ENDPOINT for a non-AWS store)")
    import boto3
    return boto3.client("s3", endpoint_url=settings.audit_s3_endpoint)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.audit import export as audit_export
    from provisioner.ledger import Ledger

    now = datetime.now(timezone.utc)
    if args.audit_command == "verify" and args.file is not None:
        records = audit_export.from_jsonl(args.file.read_bytes())
        return _report(audit_export.verify_records(records), len(records), args.lang)
    if args.audit_command == "verify" and args.exported:
        records = audit_export.fetch_exported(s3_client(settings), bucket=settings.audit_bucket,
                                              prefix=settings.audit_prefix)
        return _report(audit_export.verify_records(records), len(records), args.lang)
    ledger = Ledger.open(settings.ledger_url)
    try:
        return _run_on_ledger(args, settings, ledger, now)
    finally:
        ledger.close()


def _run_on_ledger(args: argparse.Namespace, settings: Settings, ledger: Ledger, now: datetime) -> int:
    from provisioner.audit import export as audit_export
    from provisioner.audit import log as audit_log
    from provisioner.calendar import start_of_local_day

    if args.audit_command == "verify":
        with ledger.transaction() as conn:
            count, findings = audit_log.verify_ledger(conn)
        return _report(findings, count, args.lang)
    if args.audit_command == "export":
        done = audit_export.export(ledger, s3_client(settings), bucket=settings.audit_bucket,
                                   prefix=settings.audit_prefix, now=now, actor=settings.actor)
        print(f"exported {done.count} record(s) #{done.first_seq}..#{done.last_seq} to {done.location}" if done.count
              else "nothing to export")
        return 0
    if args.audit_command == "prune":
        before = args.before if isinstance(args.before, datetime) else start_of_local_day(args.before)
        try:
            with ledger.transaction() as conn:
                pruned = audit_log.prune(conn, before=before, now=now, actor=settings.actor)
        except audit_log.PruneRefused as exc:
            print(f"govcloud: {exc.message(args.lang)}", file=sys.stderr)
            return exc.exit_code
        print(f"pruned {pruned.count} record(s) through #{pruned.through_seq}")
        return 0
    with ledger.transaction() as conn:
        top = audit_log.head(conn)
        records = audit_log.read(conn, after_seq=max(top.pruned_seq, top.seq - args.n))
    for record in records:
        print(f"#{record.seq} {record.at.isoformat()} {record.actor} {record.action} {record.subject}")
    return 0


def _report(findings: list[Finding], count: int, lang: str) -> int:
    for finding in findings:
        print(finding.text(lang))
    if findings:
        print(f"audit log TAMPERED: {len(findings)} problem(s) in {count} record(s)" if lang == "en"
              else f"审计日志被篡改：{count} 条记录中发现 {len(findings)} 处问题", file=sys.stderr)
        return 1
    print(f"audit log intact: {count} record(s)" if lang == "en" else f"审计日志完整：共 {count} 条记录")
    return 0


def record_command(settings: Settings, name: str, args: argparse.Namespace, status: int | str) -> None:
    from provisioner.audit import log as audit_log
    from provisioner.ledger import Ledger

    arguments = {k: (str(v) if not isinstance(v, (int, float, bool, type(None))) else v)
                 for k, v in vars(args).items() if k not in ("run",) and not callable(v)}
    ledger = Ledger.open(settings.ledger_url)
    try:
        with ledger.transaction() as conn:
            audit_log.append(conn, actor=settings.actor, action=f"command.{name}", subject=name,
                             at=datetime.now(timezone.utc), detail={"args": arguments, "status": status})
    finally:
        ledger.close()
