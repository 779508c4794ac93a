"""`govcloud policy check|report|docs`: the information office's rules (policies/) against request specs.

    govcloud policy check  [PATH...] [--lang en]                  every finding, one per line
    govcloud policy report [PATH...] [--format json] [--lang en]  a table (and department totals), or JSON for CI
    govcloud policy docs   [-o FILE] [--check]                    policies/README.md from policies/*.yaml

check and report exit 0 when no request breaks a mandatory rule (expert reviews
and advisories are listed, art15), 1 when one does or a spec is invalid, 2 on a
usage error. docs --check exits 1 when the committed README is out of date.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from provisioner.commands.messages import WORDS
from provisioner.commands.validate import missing_paths
from provisioner.settings import Settings

if TYPE_CHECKING:       # imported where used: `--help` loads neither the policies nor the spec models
    from provisioner.policy import PolicySet, Review, Severity

NAME = "policy"
USAGE_ERROR = 2
README = Path("policies") / "README.md"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="policy_command", required=True, metavar="{check,report,docs}")
    for name, text in (("check", "every policy finding of the specs, with file:line"),
                       ("report", "findings as a table with department totals, or JSON for CI")):
        command = sub.add_parser(name, help=text)
        command.add_argument("paths", nargs="*", type=Path,
                             help="spec files or folders (default: all under request_specs/)")
        command.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
        command.add_argument("--on", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                             help="evaluate as of this day (default: today in Asia/Shanghai)")
        if name == "report":
            command.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    docs = sub.add_parser("docs", help="write policies/README.md, generated from policies/*.yaml")
    docs.add_argument("-o", "--output", type=Path, default=None, help="where to write (default: policies/README.md)")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is out of date")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.policy_command == "docs":
        return _docs(args, settings)
    from provisioner.policy import report, today_in_shanghai

    if missing_paths(args.paths, NAME, args.lang):
        return USAGE_ERROR
    policies = settings.policies.rule_set
    result = review_paths(args.paths, settings, policies, args.on or today_in_shanghai(settings.clock))
    if args.policy_command == "check":
        print("\n".join(report.lines(result, args.lang) + report.summary(result, args.lang)))
    elif args.format == "json":
        print(report.as_json(result, policies, args.lang))
    else:
        print(report.table(result, policies, args.lang))
    return 0 if result.ok else 1


def review_paths(paths: list[Path], settings: Settings, policies: PolicySet, today: date,
                 show: Collection[Severity] | None = None) -> Review:
    """Check the specs named (default: all of request_specs/) and evaluate the valid ones
    (every finding, or those of the severities in `show`)."""
    from provisioner.commands.gctune import fewer_collections
    from provisioner.policy import Severity, department_requests
    from provisioner.policy.review import review
    from provisioner.spec import batch

    root = settings.root
    with fewer_collections():
        checked = batch.check_files(batch.spec_files(root, paths), root)
        return review(checked, policies, partial(department_requests, root), today,
                      tuple(Severity) if show is None else show)


def _docs(args: argparse.Namespace, settings: Settings) -> int:
    from provisioner.policy.docs import render_docs

    text = render_docs(settings.policies.rule_set)
    target = args.output or settings.root / README
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"govcloud policy docs: {WORDS.say('policy-docs-stale', args.lang, target=target)}", file=sys.stderr)
            return 1
        print(WORDS.say("policy-docs-current", args.lang, target=target))
        return 0
    target.write_text(text, encoding="utf-8")
    print(WORDS.say("policy-docs-written", args.lang, target=target))
    return 0
