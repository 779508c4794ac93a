"""`govcloud credentials [list] | rotate <department> | revoke-expired`: the departments' Keystone
accounts and application credentials, and the rotation of their stacks credential (art12(3)).

What rotates and why: provisioner/credentials.py. The new credential's secret is handed over
once: into a new file only the caller can read (0600, `-o FILE`, a clouds.yaml entry), or on
standard output when asked (`--stdout`); never into a log, the audit record or stderr.

Exit status: 0 done (list: no credential past the policy's age), 1 a wrong department, file or
setting (list: credentials past the policy's age or not accounted for), 2 the cloud or the
engine failed (rotate: also when a system stack could not take the new credential).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from provisioner.commands.messages import WORDS
from provisioner.errors import ConfigError
from provisioner.settings import Settings

NAME = "credentials"
ARTICLE = "art12"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    sub = parser.add_subparsers(dest="credentials_command")
    listing = sub.add_parser("list", help="per department: its users and application credentials, their age (default)")
    listing.add_argument("--department", help="only this department (its code, e.g. jj-xzspj)")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    rotate = sub.add_parser("rotate", help="issue a new stacks credential for a department, revoke what is due")
    rotate.add_argument("department", help="the department's code, e.g. jj-xzspj")
    where = rotate.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", type=Path, help="a new file, readable by you only (0600): a clouds.yaml entry")
    where.add_argument("--stdout", action="store_true", help="print the clouds.yaml entry on standard output")
    revoke = sub.add_parser("revoke-expired", help="revoke stacks credentials past their overlap or expiry")
    revoke.add_argument("--department", help="only this department")
    # `govcloud credentials` alone lists: the list's own options then keep their defaults.
    parser.set_defaults(department=None, format="text")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.spec import formats    # loads the spec models: here, not for `--help`

    command = args.credentials_command or "list"
    department = getattr(args, "department", None)
    if department is not None and not re.match(formats.CODE + "$", department):
        raise ConfigError(WORDS("not-a-department-code", code=department))
    policy = settings.policies.rule_set.inspection.credentials
    if command == "list":
        return _list(args, settings, policy, department)
    if command == "rotate":
        return _rotate(args, settings, policy)
    return _revoke(args, settings, policy, department)


def _departments(settings: Settings, department: str | None, everything: list | None = None) -> set[str]:
    from provisioner.app.apply import discover
    known = {item.spec.department for item in (discover(settings.root) if everything is None else everything)}
    if department is not None:
        if department not in known:
            raise ConfigError(WORDS("no-department-requests", department=department))
        return {department}
    return known


def _list(args: argparse.Namespace, settings: Settings, policy: Any, department: str | None) -> int:
    from provisioner.cloud.inventory import read_accounts
    from provisioner.commands.cloud_reads import connect
    from provisioner.credentials import listing

    wanted = _departments(settings, department)
    now = settings.now()
    rows = listing(settings, read_accounts(connect(settings)), now, policy, wanted)
    if args.format == "json":
        print(json.dumps({"format": "govcloud-credentials", "version": 1, "at": _iso(now),
                          "max_age_days": policy.max_age_days, "departments": [_json(a, args.lang) for a in rows]},
                         ensure_ascii=False, indent=2))
    else:
        print(_text(rows, args.lang, policy.max_age_days))
    bad = [c for a in rows for c in a.credentials if c.overdue is not None or c.role == "unaccounted"]
    return 1 if bad else 0


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def _role(role: str, lang: str) -> str:
    """current, previous, own or unaccounted (credentials.Credential.role), as people name it."""
    return WORDS.say(f"role-{role}", lang)


def _json(account: Any, lang: str) -> dict[str, Any]:
    return {"region": account.region, "department": account.department, "project": account.project,
            "user": account.user, "stacks_user": account.stacks_user,
            "application_credentials": [
                {"user": c.user, "id": c.id, "name": c.name, "role": c.role, "issued": _iso(c.issued),
                 "age_days": c.age_days, "expires": _iso(c.expires), "rule": "inspect-app-credential-rotation"
                 if c.overdue or c.role == "unaccounted" else None,
                 "finding": _finding(c, lang)} for c in account.credentials]}


def _finding(c: Any, lang: str) -> str | None:
    if c.overdue is not None:
        return c.overdue.render(lang)
    if c.role == "unaccounted":
        return _role("unaccounted", lang)
    return None


def _text(rows: list, lang: str, max_days: int) -> str:
    from provisioner.textgrid import grid

    head = [WORDS.say(f"col-{column}", lang)
            for column in ("department", "user", "credential", "role", "age-days", "expires", "finding")]
    table = []
    for account in rows:
        if not account.credentials:
            table.append([account.department, account.user or "-", "-", "-", "-", "-", ""])
        for c in account.credentials:
            table.append([account.department, c.user, f"{c.name} ({c.id[:8]})", _role(c.role, lang),
                          "-" if c.age_days is None else str(c.age_days),
                          c.expires.astimezone(timezone.utc).strftime("%Y-%m-%d") if c.expires else
                          WORDS.say("never-expires", lang), _finding(c, lang) or ""])
    return grid(head, table) + "\n" + WORDS.say("rotation-policy", lang, days=max_days)


def _rotate(args: argparse.Namespace, settings: Settings, policy: Any) -> int:
    from provisioner.credentials import rotate
    from provisioner.stacks.engine import Engine

    _departments(settings, args.department)
    if args.output is not None:
        _check_output(args.output)
    result = rotate(settings, Engine(settings), args.department, settings.now(), policy, _recorder(settings))
    entry = _clouds_entry(settings, result)
    if args.output is not None:
        _write_private(args.output, entry)
    else:
        sys.stdout.write(entry)
    expires = result.issued.expires.strftime("%Y-%m-%d") if result.issued and result.issued.expires else "-"
    print(WORDS.say("credential-issued", args.lang, department=args.department, name=result.issued.name,
                    id=result.credential_id, expires=expires)
          + (f" -> {args.output} (0600)" if args.output else ""), file=sys.stderr)
    _report(result, args.lang)
    return 2 if result.failed else 0


def _revoke(args: argparse.Namespace, settings: Settings, policy: Any, department: str | None) -> int:
    from provisioner.app.apply import discover
    from provisioner.credentials import department_items, revoke_due
    from provisioner.stacks.engine import Engine

    engine, record, now = Engine(settings), _recorder(settings), settings.now()
    everything = discover(settings.root)         # once: every department's requests
    for code in sorted(_departments(settings, department, everything)):
        items = department_items(settings, code, everything)
        _report(revoke_due(settings, engine, items, now, policy, record), args.lang)
    return 0


def _report(result: Any, lang: str) -> None:
    for generation in result.revoked:
        print(WORDS.say("credential-revoked", lang, department=result.department, name=generation.name),
              file=sys.stderr)
    for generation, holder in result.kept:
        print(WORDS.say("credential-kept", lang, department=result.department, name=generation.name, stack=holder),
              file=sys.stderr)
    for stack, why in result.failed:
        print(WORDS.say("credential-not-taken", lang, department=result.department, stack=stack, why=why),
              file=sys.stderr)


def _check_output(path: Path) -> None:
    """Before anything is issued: the hand-over file must be new, in a folder that exists."""
    if path.exists() or path.is_symlink():
        raise ConfigError(WORDS("output-exists", path=path))
    if not path.parent.is_dir():
        raise ConfigError(WORDS("no-folder", folder=path.parent))


def _write_private(path: Path, text: str) -> None:
    # Created 0600 in one step (O_EXCL: never through a file or link someone put there meanwhile).
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def _clouds_entry(settings: Settings, result: Any) -> str:
    """The hand-over: a clouds.yaml entry the department (or ops) can use as it is."""
    import yaml

    from provisioner.cloud.credentials import endpoint
    at = endpoint(settings.clouds_file, settings.cloud)
    auth = {"auth_url": at.auth_url, "application_credential_id": result.credential_id,
            "application_credential_secret": result.secret}
    entry: dict[str, Any] = {"auth_type": "v3applicationcredential", "auth": auth}
    if at.region_name:
        entry["region_name"] = at.region_name
    if at.cacert:
        entry["cacert"] = at.cacert
    expires = result.issued.expires.isoformat() if result.issued.expires else "never"
    return (f"# {result.tenant}: {result.issued.name}, expires {expires} (art12; govcloud credentials rotate)\n"
            + yaml.safe_dump({"clouds": {result.tenant.replace(".", "-"): entry}}, sort_keys=False))


def _recorder(settings: Settings) -> Any:
    """Issue and revocation records for the audit log (art26); details never hold a secret."""
    from provisioner.audit import log
    from provisioner.ledger import Ledger

    def record(action: str, subject: str, detail: dict) -> None:
        ledger = Ledger.open(settings.ledger_url)
        try:
            with ledger.transaction() as conn:
                log.append(conn, actor=settings.actor, action=action, subject=subject,
                           at=datetime.now(timezone.utc), detail={**detail, "article": ARTICLE})
        finally:
            ledger.close()
    return record
