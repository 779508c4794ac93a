"""`govcloud plan --base REF`: the merge-request plan: checks, previews, cost, deadlines, one comment.

Writes the Markdown comment (Chinese by default, `--lang en`) to stdout or `--comment
FILE`, and the JSON summary to `--json FILE`. Exit 0: mergeable; 1: a mandatory
finding blocks the merge; 2: an outside system failed (git is a user error: exit 1).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.clock import SHANGHAI
from provisioner.settings import Settings

if TYPE_CHECKING:
    from provisioner.cloud.preflight import Offer
    from provisioner.stacks.engine import Engine

NAME = "plan"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base", required=True, help="the merge request's target, e.g. origin/main")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the comment")
    parser.add_argument("--comment", type=Path, help="write the Markdown comment here (default: stdout)")
    parser.add_argument("--json", type=Path, help="write the JSON summary here")
    parser.add_argument("--department", default=os.environ.get("GOVCLOUD_MR_DEPARTMENT") or None,
                        help="the submitting department (default GOVCLOUD_MR_DEPARTMENT); its folder is the only "
                             "one the merge request may change")
    parser.add_argument("--no-preview", action="store_true", help="skip pulumi preview (no engine or cloud needed)")
    parser.add_argument("-v", "--verbose", action="store_true", help="stream Pulumi's output to stderr")


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here, not above: `--help` loads none of them. Pulumi and openstacksdk only
    # when the plan asks for the engine or the cloud's offer (never with --no-preview).
    from provisioner.app import plan_comment as comment_mod
    from provisioner.app.plan import Options, plan
    from provisioner.gitops.prices import price_list

    def engine() -> Engine:
        from provisioner.stacks.engine import Engine

        return Engine(settings, on_output=(lambda line: print(line, end="", file=sys.stderr)) if args.verbose else None)

    def offer() -> Offer:
        from provisioner.cloud.backups import connect_operator
        from provisioner.cloud.preflight import cloud_offer

        return cloud_offer(connect_operator(settings))

    moment = settings.now()
    options = Options(args.base, moment, args.department, not args.no_preview)
    result = plan(settings, options, settings.policies.calendar(),
                  price_list(settings.policies, moment.astimezone(SHANGHAI).date()),
                  None if args.no_preview else engine, offer)
    text = comment_mod.comment(result, args.lang)
    if args.comment:
        args.comment.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.json:
        args.json.write_text(comment_mod.summary(result, args.lang), encoding="utf-8")
    for finding in result.blocking:
        print(f"govcloud plan: {finding.where + ': ' if finding.where else ''}{finding.code} "
              f"{finding.text(args.lang)}", file=sys.stderr)
    return 1 if result.blocking else 0
