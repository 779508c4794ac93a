"""`govcloud alerts-config`: write the Alertmanager configuration from policies/owners.yaml.

Generated, never hand-kept: who is told about which system lives in policies/owners.yaml
(each unit's email beside its approval group), the regions in policies/naming.yaml, so a
unit added there gets its alerts as soon as the file is regenerated, and a wrong email is
reported at its file:line before Alertmanager ever reads it. A command rather than a
deploy script: it reuses the loaders and their checks, and `--check` lets CI and the deploy
job refuse a stale file, as `govcloud codeowners --check` does. SMTP settings belong to the
deployment and are options; the password stays in a file Alertmanager reads itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from provisioner.settings import Settings

NAME = "alerts-config"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smarthost", required=True, help="SMTP relay HOST:PORT")
    parser.add_argument("--from", dest="sender", required=True, help="the mails' From address")
    parser.add_argument("--no-require-tls", action="store_true", help="allow a relay without STARTTLS (tests)")
    parser.add_argument("--auth-username", help="SMTP user name")
    parser.add_argument("--auth-password-file", help="file holding the SMTP password (read by Alertmanager)")
    parser.add_argument("--group-wait", default="30s", help="Alertmanager group_wait (default 30s)")
    parser.add_argument("--group-interval", default="5m", help="Alertmanager group_interval (default 5m)")
    parser.add_argument("--repeat-interval", default="4h", help="Alertmanager repeat_interval (default 4h)")
    parser.add_argument("-o", "--output", type=Path, help="where to write (default: standard output)")
    parser.add_argument("--check", action="store_true", help="only check that --output is current (exit 1 if not)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here, not above: `--help` loads neither the policies nor the owners' models.
    from provisioner.alerting.routes import Mail, Timing, alertmanager_config, render
    from provisioner.commands.generated import write_or_check
    from provisioner.commands.messages import WORDS

    mail = Mail(args.smarthost, args.sender, not args.no_require_tls, args.auth_username, args.auth_password_file)
    timing = Timing(args.group_wait, args.group_interval, args.repeat_interval)
    prefixes = settings.policies.rule_set.naming.region_prefixes
    text = render(alertmanager_config(settings.policies.owners, prefixes, mail, timing))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    return write_or_check(args.output, str(args.output), text, check=args.check, command=NAME,
                          fix=WORDS("alerts-config-fix"), lang=args.lang)
