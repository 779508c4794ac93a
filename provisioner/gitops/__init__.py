"""GitOps: what a merge request changes, the plan comment, apply on merge, CODEOWNERS.

    changes.py    which files a diff touches: added, modified, deleted, renamed (pure)
    git.py        the git edge: merge base, name-status diff, a file at a ref
    findings.py   a finding of the review: severity, rule, zh/en message, place (pure)
    review.py     what each changed spec means for the lifecycle, and what blocks a merge (pure)
    cost.py       yearly cost of a spec from a price mapping; the change a request makes (pure)
    deadlines.py  the deadlines a request starts (art15, art16, art18, art19/23) (pure)
    comment.py    the merge-request comment (Jinja2, Chinese or English) and the JSON summary
    owners.py     policies/owners.yaml and the CODEOWNERS file generated from it
    stackfiles.py stack files of the affected departments only (not all of request_specs/)
    plan.py       `govcloud plan --base REF` (use case: returns a Plan, prints nothing)
    merge.py      `govcloud apply --base REF` after the merge (use case)
"""
