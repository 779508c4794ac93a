"""`govcloud apply --base REF`: after a merge, carry out what the merged requests ask (provisioner.app.merge_apply).

Run on the main branch after each merge, with REF the commit before it (GitLab:
$CI_COMMIT_BEFORE_SHA, GitHub: github.event.before; by hand: HEAD^1). Prints one
line per changed spec. Exit 0: all done; 1: an item was refused (a mandatory finding,
a lifecycle step not allowed); 2: the engine or the ledger failed (rerun: every step
is idempotent). Each run is recorded in the audit log.
"""

from __future__ import annotations

import argparse
import sys

from provisioner.cloud.backups import connect_operator
from provisioner.commands.messages import WORDS
from provisioner.cloud.preflight import Offer, cloud_offer
from provisioner.gitops import git
from provisioner.stacks import locks
from provisioner.app.merge_apply import Report, Runner, merge_apply
from provisioner.ledger import Ledger, workflow
from provisioner.settings import Settings
from provisioner.stacks.engine import Engine

def run(args: argparse.Namespace, settings: Settings) -> int:
    ledger = Ledger.open(settings.ledger_url)
    engines: list[Engine] = []
    on_output = (lambda line: print(line, end="")) if args.verbose else None

    def engine() -> Engine:
        if not engines:
            # The runner waits for a locked stack itself (--lock-wait, telling the log); the
            # engine only takes stale locks over.
            engines.append(Engine(settings, on_output=on_output, lock_wait=0))
        return engines[0]

    def waiting(stack: str, holders: list[locks.Holder]) -> None:
        who = "; ".join(h.text(args.lang) for h in holders)
        print(WORDS.say("stack-locked-waiting", args.lang, stack=stack, holders=who), file=sys.stderr)

    offers: list[Offer] = []

    def offer() -> Offer:
        if not offers:
            offers.append(cloud_offer(connect_operator(settings)))
        return offers[0]

    def runner_for(revisions: git.Revisions) -> Runner:
        policies = settings.policies
        return Runner(settings, workflow.Context(ledger, policies.calendar(), settings.actor, settings.clock),
                      policies.classification, policies.catalogue.flavors, engine, offer,
                      settings.lock_wait if args.lock_wait is None else args.lock_wait, waiting, revisions.head)

    # The submitting department: given, or the source branch <单位代码>/<topic> of the merge commit.
    department = args.department or git.department_of_branch(git.merged_branch(git.head_subject(settings.root)))
    try:
        report = merge_apply(settings, args.base, runner_for, department)
    finally:
        ledger.close()
    return print_report(report, args.lang)


def print_report(report: Report, lang: str) -> int:
    for finding in report.refused_for:
        print(f"govcloud apply: {finding.code} {finding.text(lang)}", file=sys.stderr)
    for step in report.steps:
        out = sys.stderr if step.status in ("refused", "failed") else sys.stdout
        print(f"{step.status:8} {step.path}: {step.text(lang)}", file=out)
        for outcome in step.outcomes:
            summary = ", ".join(f"{op} {n}" for op, n in sorted(outcome.changes.items())) or "nothing"
            print(f"         {outcome.operation} {outcome.stack}: {summary}", file=out)
    if not report.steps:
        print(WORDS.say("no-spec-changed", lang))
    return report.exit_code
