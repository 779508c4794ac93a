"""`govcloud audit verify | export | prune | show`: the tamper-evident operation log (art26).

`verify` checks the chain in the database and, when GOVCLOUD_AUDIT_BUCKET is set, the
database against the newest export (its anchor, provisioner/audit/anchor.py): records
deleted at the end or the start, or rewritten, with the head row reset to match, are
findings; so is a record that cannot even be read. Any finding exits 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provisioner.commands.calendar import moment
from provisioner.commands.messages import WORDS
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
        raise ConfigError(WORDS("audit-bucket-unset"))
    import boto3
    return boto3.client("s3", endpoint_url=settings.audit_s3_endpoint)


def diagnoses_the_log(args: argparse.Namespace) -> bool:
    """`verify` and `show` run even when the log cannot be appended to (provisioner/commands/audited.py)."""
    return args.audit_command in ("verify", "show")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.audit import export as audit_export
    from provisioner.ledger import Ledger

    now = datetime.now(timezone.utc)        # audit records and their retention keep wall time
    if args.audit_command == "verify" and args.file is not None:
        records, corrupt = audit_export.parse_jsonl(_read_file(args.file), args.file.name)
        return _report(audit_export.verify_records(records, corrupt), len(records) + len(corrupt), args.lang)
    if args.audit_command == "verify" and args.exported:
        copies = audit_export.fetch_exported(s3_client(settings), bucket=settings.audit_bucket,
                                             prefix=settings.audit_prefix)
        return _report(audit_export.verify_records(copies.records, copies.corrupt),
                       len(copies.records) + len(copies.corrupt), args.lang)
    ledger = Ledger.open(settings.ledger_url)
    try:
        return _run_on_ledger(args, settings, ledger, now)
    finally:
        ledger.close()


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(WORDS("cannot-read-file", path=path, reason=exc.strerror)) from None


def _run_on_ledger(args: argparse.Namespace, settings: Settings, ledger: Ledger, now: datetime) -> int:
    from provisioner.audit import export as audit_export
    from provisioner.audit import log as audit_log
    from provisioner.calendar import start_of_local_day

    if args.audit_command == "verify":
        return _verify(settings, ledger, now, args.lang)
    if args.audit_command == "export":
        done = audit_export.export(ledger, s3_client(settings), bucket=settings.audit_bucket,
                                   prefix=settings.audit_prefix, now=now, actor=settings.actor)
        print(WORDS.say("audit-exported", args.lang, count=done.count, first=done.first_seq, last=done.last_seq,
                        location=done.location) if done.count else WORDS.say("audit-nothing-to-export", args.lang))
        return 0
    if args.audit_command == "prune":
        before = args.before if isinstance(args.before, datetime) else start_of_local_day(args.before)
        try:
            with ledger.transaction() as conn:
                pruned = audit_log.prune(conn, before=before, now=now, actor=settings.actor)
        except audit_log.PruneRefused as exc:
            print(f"govcloud: {exc.message(args.lang)}", file=sys.stderr)
            return exc.exit_code
        print(WORDS.say("audit-pruned", args.lang, count=pruned.count, through=pruned.through_seq))
        return 0
    return _show(ledger, args.n, args.lang)


def _verify(settings: Settings, ledger: Ledger, now: datetime, lang: str) -> int:
    from provisioner.app.audit import verify

    checked = verify(ledger, settings.audit_bucket, settings.audit_prefix, lambda: s3_client(settings), now)
    if not checked.anchored:
        print(WORDS.say("audit-unanchored", lang), file=sys.stderr)
    elif checked.anchor is None:
        print(WORDS.say("audit-no-anchor", lang), file=sys.stderr)
    elif checked.held:
        print(WORDS.say("audit-anchor", lang, location=checked.anchor.location, seq=checked.anchor.seq),
              file=sys.stderr)
    return _report(checked.findings, checked.count, lang)


def _show(ledger: Ledger, count: int, lang: str) -> int:
    from provisioner.audit import log as audit_log
    from provisioner.audit.runs import unclosed

    with ledger.transaction() as conn:
        top = audit_log.head(conn)
        after = max(top.pruned_seq, top.seq - count) if top is not None else -1
        stored = audit_log.read_stored(conn, after_seq=after)
    still_open = unclosed(stored.records)
    unclosed_mark = " " + WORDS.say("audit-run-unclosed", lang)
    lines = {r.seq: f"#{r.seq} {r.at.isoformat()} {r.actor} {r.action} {r.subject}"
                    + (unclosed_mark if r.seq in still_open else "") for r in stored.records}
    lines.update({seq: f"#{seq} " + WORDS.say("audit-record-corrupt", lang, what=what)
                  for seq, what in stored.corrupt.items()})
    for seq in sorted(lines):
        print(lines[seq])
    return 0


def _report(findings: list[Finding], count: int, lang: str) -> int:
    for finding in findings:
        print(finding.text(lang))
    if findings:
        print(WORDS.say("audit-tampered", lang, problems=len(findings), count=count), file=sys.stderr)
        return 1
    print(WORDS.say("audit-intact", lang, count=count))
    return 0
