"""Stacks: rendered stack configuration, and running the Pulumi engine.

    config.py     stack files (Jinja2)
    engine.py     the engine through the Automation API: up, preview, refresh, destroy
    processes.py  the pulumi processes, which never outlive govcloud
    locks.py      Pulumi's stack locks on a self-managed backend: wait, take over stale ones, unlock
    sidecars.py   the empty attribute files a killed run can leave beside a file backend's states
    runlog.py     Pulumi's full output of a run in a file; a failure in one line
    progress.py   progress lines of a long apply
    fields.py     which request spec field a system stack's resource serves (its `fields` output)
    data.py       which resources hold a unit's data and are never made again empty on their own
    messages.py   the engine's and the locks' words, zh and en (provisioner/words.py)

Stack, project and user names are provisioner/naming.py (pure, read by the cloud and the
ledger too); a department's quota is provisioner/allocation/quota.py; what to do with the
pending creates a killed run left is provisioner/pending_creates.py (pure). The lifecycle's stack
operations (reconcile's StackActions) are a use case: provisioner/app/stack_actions.py.
"""
