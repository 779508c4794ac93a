"""`govcloud plan --base` and `govcloud apply --base` end to end on a real git repository, without the cloud:
plans use --no-preview; the merge-applies here are those that need no stack (termination,
major change, refusals). Stacks on the real cloud: test_ci_cloud.py."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from provisioner.cli import main
from provisioner.ledger import Ledger, workflow
from provisioner.ledger.schema import systems
from provisioner.lifecycle.states import Action, Party
from provisioner.spec import parse_spec
from tests.gitops.gitrepo import Repo
from tests.gitops.helpers import DEMO, DEPT, KEY, calendar, demo_text, flavors, generations, rules

CHANGE = "change:\n  reason: 业务量增长，数据盘扩容\n  requested_on: 2026-11-20\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    made = Repo.create(tmp_path, with_origin=False)
    monkeypatch.chdir(made.root)
    monkeypatch.setenv("GOVCLOUD_LEDGER_URL", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    monkeypatch.setenv("GOVCLOUD_STATE_URL", (tmp_path / "state").as_uri())
    monkeypatch.setenv("GOVCLOUD_ACTOR", "gitlab-ci:test")
    monkeypatch.delenv("GOVCLOUD_MR_DEPARTMENT", raising=False)
    return made


def plan(repo: Repo, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict, str, str]:
    code = main(["plan", "--base", "main", "--no-preview", "--json", str(repo.root / "plan.json"), *args])
    out, err = capsys.readouterr()
    return code, json.loads((repo.root / "plan.json").read_text(encoding="utf-8")), out, err


def rules_of(summary: dict) -> list[tuple[str, str]]:
    return [(f["severity"], f["rule"]) for f in summary["findings"]]


def ledger_of(repo: Repo) -> Ledger:
    import os
    return Ledger.open(os.environ["GOVCLOUD_LEDGER_URL"])


def in_production(repo: Repo, text: str) -> None:
    """The demo system as the ledger knows it after trial, acceptance and go-live."""
    ledger = ledger_of(repo)
    ctx = workflow.Context(ledger, calendar(), "office:test", lambda: datetime.now(timezone.utc))
    try:
        spec = parse_spec(text, DEMO)
        workflow.submit(ctx, spec, rules(), flavors())
        workflow.accept(ctx, spec.metadata.request_id)
        workflow.done_by_hand(ctx, KEY, Action.CREATE_TRIAL)
        workflow.verdict(ctx, KEY, Party.DEPARTMENT, True)
        workflow.verdict(ctx, KEY, Party.PROVIDER, True)
        workflow.early_go_live(ctx, KEY, "test: production at once")    # before the trial's end (golive.py)
        workflow.done_by_hand(ctx, KEY, Action.PROMOTE)
    finally:
        ledger.close()


def state(repo: Repo) -> list[tuple[int, str, str, str | None]]:
    return generations(ledger_of(repo))


def test_a_new_request_is_mergeable_and_its_folder_is_its_own(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    repo.branch(f"{DEPT}/demo")
    repo.write(DEMO, demo_text())                       # not even committed: planned from the working tree
    code, summary, out, err = plan(repo, capsys)
    assert code == 0, err
    assert summary["mergeable"] and [i["action"] for i in summary["items"]] == ["new"]
    assert summary["counts"]["mandatory"] == 0 and not any(r.startswith("sec-") for _, r in rules_of(summary))
    assert out.startswith("<!-- govcloud-plan -->\n### govcloud 计划：1 个申请文件有变化\n")
    # priced from the repository's policies/prices/2026.yaml: 1 vCPU, 2 GiB, 20 GiB for a year
    assert re.search(rf"\| `{DEMO}` \| `{KEY}` \| 新增 \| 新申请：受理并创建试用环境（新建上云） \| 租户 未运行<br>系统 未运行 "
                     r"\| \+[0-9,]+\.\d\d \|", out), out
    assert summary["cost_complete"] and float(summary["cost_change_yuan_per_year"]) > 0
    repo.commit("demo request")
    code, summary, _, err = plan(repo, capsys, "--department", "jj-xzspj", "--lang", "en")
    assert code == 1
    assert ("mandatory", "foreign-folder") in rules_of(summary)
    assert err == (f"govcloud plan: request_specs/{DEPT}/: foreign-folder this merge request comes from jj-xzspj but "
                   f"changes the folder of {DEPT}\n")


def test_an_invalid_request_blocks_with_file_and_line(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    repo.branch(f"{DEPT}/broken")
    repo.write(DEMO, demo_text().replace("  budget_level: 1\n", "  budget_level: 3\n"))
    repo.commit("broken")
    code, summary, out, err = plan(repo, capsys)
    assert code == 1 and not summary["mergeable"]
    (finding,) = [f for f in summary["findings"] if f["severity"] == "mandatory"]
    assert (finding["file"], finding["line"], finding["rule"]) == (DEMO, 13, "spec-choice")
    assert f"`{DEMO}:13:17` `spec-choice`" in out and err.startswith(f"govcloud plan: {DEMO}:13:17: spec-choice ")


def test_production_changes_need_a_change_request(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    repo.write(DEMO, demo_text())
    repo.commit("demo in production")
    in_production(repo, demo_text())
    repo.branch(f"{DEPT}/bigger")
    bigger = demo_text().replace("      count: 1\n", "      count: 1\n      data_disks:\n        - size_gb: 50\n")
    repo.write(DEMO, bigger)
    code, summary, _, _ = plan(repo, capsys)
    assert code == 1 and rules_of(summary)[0] == ("mandatory", "change-request-missing")
    assert summary["items"][0]["state"] == "production"
    repo.write(DEMO, bigger.replace("JJ-2026-0901", "JJ-2026-0911") + CHANGE)
    code, summary, out, _ = plan(repo, capsys)
    assert code == 0 and summary["items"][0]["action"] == "change-major"     # data disks 0 -> 50 GB: over 50 %
    assert summary["items"][0]["classification"] == "major"
    assert "重大变更：按新申请流程重新办理（第十八条）：数据盘 GB 由 0 增至 50（+∞，超过 50%）" in out
    assert ("advisory", "change-major-undeclared") in rules_of(summary)


def test_merge_apply_refuses_what_the_review_blocks_and_records_nothing(repo: Repo,
                                                                       capsys: pytest.CaptureFixture) -> None:
    repo.write(DEMO, demo_text())
    repo.commit("demo in production")
    in_production(repo, demo_text())
    before = state(repo)
    repo.branch(f"{DEPT}/sneaky")
    repo.write(DEMO, demo_text().replace("10.99.1.0/24", "10.99.7.0/24"))
    repo.commit("network change without a change request")
    repo.merge(f"{DEPT}/sneaky")
    code = main(["apply", "--base", "HEAD^1"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err == (f"refused  {DEMO}: 未执行：change-request-missing {KEY} 已在生产环境：修改资源须附变更申请"
                   "（在文件中填写 change 一节：理由、申请日期、是否重大变更）\n")
    assert state(repo) == before


def test_a_deleted_spec_starts_the_termination_flow_and_destroys_nothing(repo: Repo,
                                                                         capsys: pytest.CaptureFixture) -> None:
    repo.write(DEMO, demo_text())
    repo.commit("demo in production")
    in_production(repo, demo_text())
    repo.branch(f"{DEPT}/remove")
    (repo.root / DEMO).unlink()
    repo.commit("remove demo")
    code, summary, out, _ = plan(repo, capsys)
    assert code == 0 and summary["items"][0]["action"] == "terminate"
    assert "合并不直接删除任何资源" in out
    repo.merge(f"{DEPT}/remove")
    code = main(["apply", "--base", "HEAD^1", "--lang", "en"])     # no engine needed: nothing is destroyed here
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == (f"recorded {DEMO}: {KEY}: termination JJ-2026-0901-T confirmed: the termination flow backs up and "
                   "migrates the data, then takes the system offline (art19); nothing was destroyed here\n")
    assert state(repo) == [(1, "JJ-2026-0901", "terminating", "JJ-2026-0901-T")]
    assert main(["apply", "--base", "HEAD^1"]) == 0                 # a rerun finds it under way
    assert "终止流程（JJ-2026-0901-T）已在进行中" in capsys.readouterr().out


def test_a_major_change_is_recorded_as_a_new_generation(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    repo.write(DEMO, demo_text())
    repo.commit("demo in production")
    in_production(repo, demo_text())
    repo.branch(f"{DEPT}/major")
    repo.write(DEMO, demo_text().replace("JJ-2026-0901", "JJ-2026-0912").replace("count: 1", "count: 3") + CHANGE)
    repo.commit("three hosts")
    repo.merge(f"{DEPT}/major")
    assert main(["apply", "--base", "HEAD^1"]) == 0
    assert "重大变更 JJ-2026-0912 已受理为新一代系统" in capsys.readouterr().out
    assert state(repo) == [(1, "JJ-2026-0901", "production", None), (2, "JJ-2026-0912", "accepted", None)]


def test_a_rename_a_new_folder_without_owners_and_a_stale_codeowners_block(repo: Repo,
                                                                          capsys: pytest.CaptureFixture) -> None:
    repo.write(DEMO, demo_text())
    repo.commit("demo")
    repo.branch(f"{DEPT}/rename")
    from tests.gitops.gitrepo import git
    git(repo.root, "mv", DEMO, f"request_specs/{DEPT}/demo2.yaml")
    repo.write(f"request_specs/{DEPT}/demo2.yaml", demo_text().replace("system: demo", "system: demo2"))
    repo.write("request_specs/jj-newdept/.keep", "")
    repo.commit("rename and a new department folder")
    code, summary, _, _ = plan(repo, capsys)
    assert code == 1 and summary["items"][0]["change"] == "renamed"
    assert {("mandatory", "spec-rename"), ("mandatory", "owners-missing")} <= set(rules_of(summary))
    # The office registers the department but forgets to regenerate CODEOWNERS.
    owners = repo.root / "policies" / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8") + '  jj-newdept: {name: 新单位, group: "@g/new", email: new@jiujiang.example}\n',
                      encoding="utf-8")
    code, summary, _, _ = plan(repo, capsys)
    assert ("mandatory", "codeowners-stale") in rules_of(summary)
    assert ("mandatory", "owners-missing") not in rules_of(summary)
    assert main(["codeowners", "--check"]) == 1
    assert "CODEOWNERS 不是最新的" in capsys.readouterr().err
    assert main(["codeowners"]) == 0 and main(["codeowners", "--check"]) == 0


def test_an_unknown_base_is_a_user_error(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    assert main(["plan", "--base", "origin/nowhere", "--no-preview"]) == 1
    assert capsys.readouterr().err.startswith("govcloud: --base origin/nowhere：此处没有该提交或分支")
    assert main(["--lang", "en", "plan", "--base", "origin/nowhere", "--no-preview"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("govcloud: --base origin/nowhere: no such commit or branch here")
    assert not re.search(r"[\u3400-\u9fff]", err)


def test_nothing_changed(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    code, summary, out, _ = plan(repo, capsys)
    assert code == 0 and summary["items"] == [] and "本合并请求没有修改任何申请文件。" in out
    assert main(["apply", "--base", "HEAD"]) == 0
    assert capsys.readouterr().out == "自基点以来没有申请文件变化\n"
    assert state(repo) == []



def test_merge_apply_refuses_a_merge_of_another_departments_branch(repo: Repo, capsys: pytest.CaptureFixture) -> None:
    repo.branch("jj-xzspj/meddle")
    repo.write(DEMO, demo_text())
    repo.commit("a request in another department's name")
    repo.merge("jj-xzspj/meddle")                   # "Merge branch 'jj-xzspj/meddle'": the submitter
    assert main(["apply", "--base", "HEAD^1", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert f"govcloud apply: foreign-folder this merge request comes from jj-xzspj but changes the folder of {DEPT}" in err
    assert f"refused  {DEMO}: not done: foreign-folder" in err and out == ""
    assert state(repo) == []


BIGGER = "      count: 1\n      data_disks:\n        - size_gb: 50\n"
GOLDEN = Path(__file__).with_name("golden")


def _runs_from_its_stack(repo: Repo) -> None:
    """The demo system in main with its stack files, as `govcloud apply` renders them: it runs."""
    from provisioner.app import apply as apply_job
    from provisioner.app import stackfiles
    from provisioner.settings import Settings
    repo.write(DEMO, demo_text())
    planned = apply_job.Planned(parse_spec(demo_text(), DEMO), DEMO, f"city.{DEPT}", KEY)
    stackfiles.render(Settings.from_environ(os.environ, repo.root), [DEPT], [(planned, "production")])
    repo.commit("demo runs")


def _without_hashes(text: str) -> str:
    return re.sub(r"\b[0-9a-f]{8}\b", "<sha>", text)


def test_a_change_to_a_running_system_is_priced_as_the_change(repo: Repo, capsys: pytest.CaptureFixture,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVCLOUD_NOW", "2026-11-27T10:00:00+08:00")
    _runs_from_its_stack(repo)
    repo.branch(f"{DEPT}/bigger")
    repo.write(DEMO, demo_text().replace("      count: 1\n", BIGGER))
    # 1. the ledger does not hold it (issue 12: priced as a whole new system): against its stack's spec
    code, summary, out, err = plan(repo, capsys)
    assert code == 0, err
    golden = GOLDEN / "running-stack.zh.md"
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.write_text(_without_hashes(out), encoding="utf-8")
    assert _without_hashes(out) == golden.read_text(encoding="utf-8")
    (item,) = summary["items"]
    assert item["cost"]["change"] == "360.00" and item["cost"]["before"]["source"] == "stack"   # 50 GB x 0.60 x 12
    # 2. adopted from its stacks, the ledger holding no spec of it: still against the stack's spec
    in_production(repo, demo_text())
    ledger = ledger_of(repo)
    with ledger.transaction() as conn:
        conn.execute(update(systems).where(systems.c.system_key == KEY).values(spec=None))
    ledger.close()
    repo.write(DEMO, demo_text().replace("      count: 1\n", BIGGER).replace("JJ-2026-0901", "JJ-2026-0911") + CHANGE)
    code, summary, out, _ = plan(repo, capsys)
    (item,) = summary["items"]
    assert item["action"] == "change-major" and item["cost"]["change"] == "360.00"
    assert item["cost"]["before"] == {"source": "stack", "reference": f"{DEMO}@{summary['base'][:8]}"}
    # 3. the ledger's own spec, once it stores one: what runs is what the ledger says (here: two hosts)
    two = demo_text().replace("count: 1", "count: 2")
    ledger = ledger_of(repo)
    with ledger.transaction() as conn:
        conn.execute(update(systems).where(systems.c.system_key == KEY)
                     .values(spec=parse_spec(two, DEMO).model_dump(mode="json", by_alias=True)))
    ledger.close()
    code, summary, out, _ = plan(repo, capsys, "--lang", "en")
    (item,) = summary["items"]
    assert item["cost"]["before"] == {"source": "ledger", "reference": "JJ-2026-0901"}
    assert {line["kind"]: (line["before"], line["after"]) for line in item["cost"]["lines"]}["compute/cores"] == ("2", "1")
    assert "before = what runs per the ledger (request JJ-2026-0901): only the change is priced" in out
