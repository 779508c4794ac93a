"""GitOps: what a merge request changes, its review, cost and deadlines, CODEOWNERS.

    changes.py    which files a diff touches: added, modified, deleted, renamed (pure)
    git.py        the git edge: merge base, name-status diff, a file at a ref
    findings.py   a finding of the review: severity, rule, zh/en message, place (pure)
    review.py     what each changed spec means for the lifecycle, and what blocks a merge (pure)
    cost.py       yearly cost of a spec from a price mapping; the change a request makes (pure)
    deadlines.py  the deadlines a request starts (art15, art16, art18, art19/23) (pure)
    owners.py     policies/owners.yaml and the CODEOWNERS file generated from it
    messages.py   the findings', deadlines' and CODEOWNERS comments' words, zh and en

The use cases `govcloud plan --base REF` and `govcloud apply --base REF`, the merge-request
comment and the stack files of the affected departments are in provisioner/app/ (plan.py,
plan_comment.py, merge_apply.py, stackfiles.py).
"""
