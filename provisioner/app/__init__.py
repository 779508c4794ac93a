"""Use cases: what a command does, apart from how it reads its arguments and prints.

Each takes its inputs (settings, policies, a clock, ports such as the engine, the ledger
and the cloud connection) and returns an outcome; none prints (provisioner/commands/ does).
The layers and who may import whom: ARCHITECTURE.md, enforced by the import-linter
contracts in pyproject.toml.

    apply.py         the stacks of the requests: discover, render, apply, preview, destroy
    intake.py        which specs the ledger accounts for before `govcloud apply` runs them
    reconcile.py     `govcloud reconcile`: the lifecycle's due steps (claim, act, complete)
    actions.py       the port reconcile acts through (StackActions) and its outcome types
    stack_actions.py StackActions on the Pulumi engine (create trial, promote, change, terminate)
    adopt.py         systems whose stacks run but the ledger lacks, recorded from their stacks
    repair.py        what was deleted by hand, made again
    status.py        one row per system: phase, next deadline, trial end, month's cost
    plan.py          `govcloud plan --base REF`: what a merge request would do
    plan_comment.py  the merge-request comment and JSON summary of a plan (Jinja2, zh/en)
    merge_apply.py   `govcloud apply --base REF`: what a merged request asks, through the ledger
    stackfiles.py    stack files of the affected departments only (not all of request_specs/)
"""
