"""Use cases: what a command does, apart from how it reads its arguments and prints.

Each takes its inputs (settings, policies, a clock, ports such as the engine, the ledger
and the cloud connection) and returns an outcome; none prints (provisioner/commands/ does).
The layers and who may import whom: ARCHITECTURE.md, enforced by the import-linter
contracts in pyproject.toml.

    apply.py         the stacks of the requests: discover, render, apply, preview, destroy
    intake.py        which specs the ledger accounts for before `govcloud apply` runs them
    ledger_apply.py  `govcloud apply [spec...]`: through the ledger, refused or recorded first
    reconcile.py     `govcloud reconcile`: the lifecycle's due steps (claim, act, complete)
    actions.py       the port reconcile acts through (StackActions) and its outcome types
    stack_actions.py StackActions on the Pulumi engine (create trial, promote, change, terminate)
    adopt.py         systems whose stacks run but the ledger lacks, recorded from their stacks
    repair.py        what was deleted by hand, made again
    drift.py         what changed in the cloud outside the code, each finding at its spec field
    bill.py          the yearly settlement and the files for finance
    audit.py         the audit log's chain held against its newest export
    status.py        one row per system: phase, next deadline, trial end, month's cost
    plan.py          `govcloud plan --base REF`: what a merge request would do
    plan_comment.py  the merge-request comment and JSON summary of a plan (Jinja2, zh/en)
    merge_apply.py   `govcloud apply --base REF`: what a merged request asks, through the ledger
    stackfiles.py    stack files of the affected departments only (not all of request_specs/)
    messages.py      the use cases' words, zh and en (the comment's frame is templates/comment.md.j2)
    validate_cache.py `govcloud validate`'s results, keyed by everything a run reads
"""
