"""The merge-request comment and JSON summary, byte for byte (golden files under golden/).

The plans are built by the real review, cost and deadline code from sample specs, a
fixed clock and a test price book; only the previews are given (the engine's part is
tested against the real cloud in test_ci_cloud.py). Refresh after a deliberate change
with GOVCLOUD_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from provisioner.app import plan_comment as comment
from provisioner.gitops.changes import Change, Kind
from provisioner.policy import Policies
from provisioner.app.plan import Plan, PlanItem, Preview, Running, item_cost, item_deadlines
from provisioner.gitops.prices import PriceList
from provisioner.gitops.review import Head, Inputs, review
from provisioner.lifecycle.machine import SystemView
from provisioner.lifecycle.states import RequestKind, State
from provisioner.spec import parse_spec
from provisioner.stacks.engine import PlannedStep
from tests.gitops.helpers import DEMO, DEPT, NOW, ROOT, calendar, demo_text, flavors, rules, spec
from tests.gitops.test_cost import book

GOLDEN = Path(__file__).with_name("golden")
PORTAL = "request_specs/jj-xzspj/zwfw-portal.yaml"
LYP = "request_specs/ls-wglj/lyp.yaml"
RSJ = "request_specs/jj-rsj/shebao-jb.yaml"
BASE, HEAD = "1" * 40, "2" * 40


def sample(path: str, edit=None) -> tuple[str, object]:  # noqa: ANN001
    text = (ROOT / path).read_text(encoding="utf-8")
    if edit is not None:
        text = edit(text)
    return text, parse_spec(text, path)


def live(key: str, request_id: str, state: State = State.PRODUCTION) -> SystemView:
    return SystemView(key, 1, request_id, RequestKind.NEW, state, NOW, id=1)


def prices() -> PriceList:
    return PriceList(book(**{"compute/cores": ("month", "60.00"), "compute/ram": ("month", "20.00"),
                             "network/floating_ips": ("year", "600.00")}), "policies/prices/2026.yaml", date(2026, 11, 27))


def _owners():  # noqa: ANN202
    owners = Policies(ROOT).owners
    test_dept = owners.departments["jj-xzspj"].model_copy(update={"name": "九江市流水线测试局", "group": "@g/t"})
    return owners.model_copy(update={"departments": {**owners.departments, DEPT: test_dept}})


def mixed() -> Plan:
    change = """change:
  reason: 办件量增长，增加一台 Web 主机
  requested_on: 2026-11-20
"""
    portal_base_text, portal_base = sample(PORTAL)
    portal_text, portal = sample(PORTAL, lambda t: t.replace("count: 2", "count: 3")
                                 .replace("JJ-2026-0001", "JJ-2026-0101") + change)
    rsj_text, rsj = sample(RSJ, lambda t: t.replace("size_gb: 200", "size_gb: 300"))
    _, rsj_base = sample(RSJ)
    _, lyp = sample(LYP)
    changes = [Change(DEMO, Kind.ADDED), Change(RSJ, Kind.MODIFIED), Change(LYP, Kind.DELETED),
               Change(PORTAL, Kind.MODIFIED)]
    heads = {DEMO: Head(DEMO, spec(), (), demo_text()), PORTAL: Head(PORTAL, portal, (), portal_text),
             RSJ: Head(RSJ, rsj, (), rsj_text)}
    result = review(Inputs(changes, ["policies/catalogue.yaml"], heads,
                           {PORTAL: portal_base, RSJ: rsj_base, LYP: lyp},
                           {"city.jj-xzspj.zwfw-portal": live("city.jj-xzspj.zwfw-portal", "JJ-2026-0001"),
                            "city.jj-rsj.shebao-jb": live("city.jj-rsj.shebao-jb", "JJ-2026-0003"),
                            "lushan.ls-wglj.lyp": live("lushan.ls-wglj.lyp", "LS-2026-0002")},
                           rules(), flavors(), _owners(), None))
    previews = {
        f"city.{DEPT}": Preview(f"city.{DEPT}", "ok", {"create": 7}, (
            PlannedStep("create", "openstack:identity/project:Project", "project"),
            PlannedStep("create", "openstack:compute/quotaSetV2:QuotaSetV2", "compute-quota")), seconds=3.0),
        f"city.{DEPT}.demo": Preview(f"city.{DEPT}.demo", "skipped", zh=f"租户栈 city.{DEPT} 尚未创建：合并后先创建租户，再创建本系统",
                                     en=f"the tenant stack city.{DEPT} does not exist yet: after the merge the tenant "
                                        "is created first, then this system"),
        "city.jj-xzspj": Preview("city.jj-xzspj", "ok", {"update": 1, "same": 6}, (
            PlannedStep("update", "openstack:compute/quotaSetV2:QuotaSetV2", "compute-quota", ("cores", "instances", "ram")),)),
        "city.jj-xzspj.zwfw-portal": Preview("city.jj-xzspj.zwfw-portal", "failed",
                                             zh="error: quota exceeded for instances", en="error: quota exceeded for instances"),
    }
    items = tuple(PlanItem(i, item_cost(i, prices(), flavors()), item_deadlines(i, NOW, calendar()))
                  for i in result.items)
    from provisioner.app.plan import preview_findings
    from provisioner.gitops.findings import ordered
    return Plan("origin/main", BASE, HEAD, NOW, items, tuple(ordered(result.all_findings + preview_findings(previews))),
                previews, prices(), 3.0)


def clean() -> Plan:
    result = review(Inputs([Change(DEMO, Kind.ADDED)], [], {DEMO: Head(DEMO, spec(), (), demo_text())}, {}, {}, rules(),
                           flavors(), _owners(), DEPT))
    items = tuple(PlanItem(i, item_cost(i, None, flavors()), item_deadlines(i, NOW, calendar())) for i in result.items)
    previews = {f"city.{DEPT}": Preview(f"city.{DEPT}", "ok", {"create": 7}, ()),
                f"city.{DEPT}.demo": Preview(f"city.{DEPT}.demo", "ok", {"create": 10}, ())}
    return Plan("origin/main", BASE, HEAD, NOW, items, tuple(result.all_findings), previews, None)


def running_prices() -> PriceList:
    return PriceList(book(**{"compute/cores": ("month", "60.00"), "compute/ram": ("month", "20.00"),
                             "volumev3/capacity": ("month", "0.60")}), "policies/prices/2026.yaml", date(2026, 11, 27))


def running() -> Plan:
    """Changes to systems that run (issue 12: a change was priced as a whole new system). zwfw-portal is in
    production per the ledger, which stores its spec: one more web host is priced as one host. shebao-jb
    runs from its stack but the ledger holds no spec of it (adopted, or not yet): its app hosts' data disks
    grow from 200 to 300 GB, priced against the spec its stack was rendered from, not as a new system."""
    change = "change:\n  reason: 办件量增长，增加一台 Web 主机\n  requested_on: 2026-11-20\n"
    portal_base_text, portal_base = sample(PORTAL)
    portal_text, portal = sample(PORTAL, lambda t: t.replace("count: 2", "count: 3")
                                 .replace("JJ-2026-0001", "JJ-2026-0101") + change)
    rsj_text, rsj = sample(RSJ, lambda t: t.replace("size_gb: 200", "size_gb: 300"))
    _, rsj_base = sample(RSJ)
    changes = [Change(PORTAL, Kind.MODIFIED), Change(RSJ, Kind.MODIFIED)]
    heads = {PORTAL: Head(PORTAL, portal, (), portal_text), RSJ: Head(RSJ, rsj, (), rsj_text)}
    result = review(Inputs(changes, [], heads, {PORTAL: portal_base, RSJ: rsj_base},
                           {"city.jj-xzspj.zwfw-portal": live("city.jj-xzspj.zwfw-portal", "JJ-2026-0001")},
                           rules(), flavors(), _owners(), None))
    runs = {"city.jj-xzspj.zwfw-portal": Running(portal_base, "ledger", "JJ-2026-0001"),
            "city.jj-rsj.shebao-jb": Running(rsj_base, "stack", f"{RSJ}@{BASE[:8]}")}
    items = tuple(PlanItem(i, item_cost(i, running_prices(), flavors(), runs[i.system_key]),
                           item_deadlines(i, NOW, calendar()), runs[i.system_key]) for i in result.items)
    previews = {s: Preview(s, "off", zh="未运行预览（--no-preview）", en="preview not run (--no-preview)")
                for s in ("city.jj-xzspj", "city.jj-xzspj.zwfw-portal", "city.jj-rsj", "city.jj-rsj.shebao-jb")}
    return Plan("origin/main", BASE, HEAD, NOW, items, tuple(result.all_findings), previews, running_prices())


CASES = {"mixed.zh.md": lambda: comment.comment(mixed(), "zh"), "mixed.en.md": lambda: comment.comment(mixed(), "en"),
         "mixed.json": lambda: comment.summary(mixed(), "zh"), "clean.zh.md": lambda: comment.comment(clean(), "zh"),
         "clean.en.json": lambda: comment.summary(clean(), "en"),
         "running.zh.md": lambda: comment.comment(running(), "zh"), "running.en.md": lambda: comment.comment(running(), "en"),
         "running.json": lambda: comment.summary(running(), "zh")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    text = CASES[name]()
    golden = GOLDEN / name
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {name}: run with GOVCLOUD_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_the_mixed_plan_blocks_and_the_clean_one_does_not() -> None:
    assert [f.code for f in mixed().blocking] == ["preview-failed", "change-request-missing"]
    assert clean().blocking == []


def test_a_change_to_a_running_system_is_priced_as_the_change() -> None:
    plan = running()
    portal, rsj = (i for i in plan.items)
    assert portal.cost is not None and rsj.cost is not None
    # one web host (gc.c2m4, 100 GB data disk): 2 vCPU x 60 + 4 GiB x 20 + (40 + 100) GB x 0.60 a month, x 12
    assert portal.cost.change == (2 * 60 + 4 * 20 + 140 * Decimal("0.60")) * 12
    # four app hosts' data disks, 200 -> 300 GB: 400 GB x 0.60 a month, x 12; the review calls it new (no ledger
    # generation) but the stack shows it runs
    assert rsj.item.action == "new" and rsj.cost.change == 400 * Decimal("0.60") * 12
    whole = item_cost(rsj.item, running_prices(), flavors())          # what the plan said before issue 12
    assert whole.change == Decimal("90336.00")                         # the whole system, over 31 times the change
