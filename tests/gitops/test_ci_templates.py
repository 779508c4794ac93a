"""The CI templates' shape: plan on merge requests, apply on the main branch, one apply at a time.
(Their commands run for real on git repositories and the cloud in test_ci_cloud.py.)"""

from __future__ import annotations

from tests.gitops import ci


def test_gitlab_plans_merge_requests_and_applies_the_default_branch() -> None:
    pipeline = ci.load("gitlab-ci.yml")
    assert pipeline["govcloud-plan"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert pipeline["govcloud-apply"]["rules"] == [
        {"if": '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"'}]
    assert pipeline["govcloud-apply"]["resource_group"] == "govcloud-apply"
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    assert "--comment plan.md --json plan.json" in ci.gitlab_script("govcloud-plan")
    assert 'govcloud apply --base "$base"' in ci.gitlab_script("govcloud-apply")


def test_github_plans_pull_requests_and_applies_pushes_one_at_a_time() -> None:
    workflow = ci.load("github-actions.yml")
    jobs = workflow["jobs"]
    assert jobs["plan"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["apply"]["if"] == "github.event_name == 'push'"
    assert jobs["apply"]["concurrency"] == {"group": "govcloud-apply", "cancel-in-progress": False}
    assert workflow[True] == {"pull_request": {"branches": ["main"]}, "push": {"branches": ["main"]}}  # YAML 1.1 `on`
    for job in jobs.values():
        checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0
        for step in job["steps"]:        # event values reach scripts through env:, never spliced into them
            assert "${{" not in step.get("run", "")
