"""The merge-request comment (Markdown, Jinja2; Chinese by default, English on request) and the JSON summary.

`comment(plan, lang)` and `summary(plan, lang)` are pure functions of the Plan: the
same plan gives the same bytes, which the golden files under tests/gitops/golden/ pin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from provisioner.billing.money import fee
from provisioner.calendar import SHANGHAI
from provisioner.gitops import cost
from provisioner.gitops.changes import Kind
from provisioner.gitops.findings import Finding, Severity
from provisioner.app.plan import Plan, PlanItem, Preview
from provisioner.gitops.review import Action
from provisioner.regulation import CHANGE

_templates = Environment(loader=PackageLoader("provisioner.app", "templates"), undefined=StrictUndefined,
                         keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)

MARKER = "<!-- govcloud-plan -->"

_WORDS: dict[str, tuple[str, str]] = {
    Kind.ADDED: ("新增", "added"), Kind.MODIFIED: ("修改", "modified"), Kind.DELETED: ("删除", "deleted"),
    Kind.RENAMED: ("改名", "renamed"),
    Action.NEW: ("新申请：受理并创建试用环境", "new request: accept and create the trial"),
    Action.CHANGE_MINOR: (f"一般变更：批准后 {CHANGE.text()}内完成", f"minor change: done within {CHANGE.text('en')}"),
    Action.CHANGE_MAJOR: ("重大变更：按新申请流程重新办理", "major change: the whole flow again"),
    Action.TRIAL_UPDATE: ("试用中：试用环境随申请调整", "in trial: the trial follows the spec"),
    Action.TERMINATE: ("终止流程：先备份，后下线", "termination flow: back up, then offline"),
    Action.NOTHING: ("不触发操作", "nothing to do"),
    "blocked": ("已阻止", "blocked"),
}
_KINDS = {"new": ("新建上云", "new system"), "migration": ("迁移上云", "migration")}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Row:
    path: str
    stack: str
    change: str
    action: str
    preview: str
    cost: str


def _preview_cell(plan: Plan, item: PlanItem, lang: str) -> str:
    parts = []
    for stack in (item.item.tenant_key, item.item.system_key):
        preview = plan.previews.get(stack or "")
        if preview is None:
            continue
        role = ("租户" if stack == item.item.tenant_key else "系统") if lang == "zh" else \
            ("tenant" if stack == item.item.tenant_key else "system")
        parts.append(f"{role} {_preview_summary(preview, lang)}")
    return "<br>".join(parts) if parts else "—"


def _preview_summary(preview: Preview, lang: str) -> str:
    if preview.status == "ok":
        changed = {op: n for op, n in sorted(preview.changes.items()) if op != "same" and n}
        if not changed:
            return "无变化" if lang == "zh" else "no changes"
        return ", ".join(f"{op} {n}" for op, n in changed.items())
    return {"failed": ("失败", "failed"), "skipped": ("待租户创建后", "after the tenant"),
            "off": ("未运行", "not run")}[preview.status][lang == "en"]


def _no_price(lang: str) -> str:
    return "无单价" if lang == "zh" else "no price"


def _cost_cell(item: PlanItem, lang: str) -> str:
    delta = item.cost
    if delta is None or (item.item.spec is None and item.item.base is None):
        return "—"                      # nothing could be read: no cost to state
    if not delta.lines and not delta.unknown_flavors:
        return "0.00"                   # no quantity changes: the change is exactly zero
    if not delta.priced:
        return _no_price(lang)
    text = cost.money(delta.change, signed=True)
    if not delta.complete:
        text += "（不完整）" if lang == "zh" else " (incomplete)"
    return text


def _row(plan: Plan, item: PlanItem, lang: str) -> Row:
    it = item.item
    action = _w("blocked", lang) + ("：" if lang == "zh" else ": ") + _w(it.action, lang) if it.blocked \
        else _w(it.action, lang)
    if it.action == Action.NEW and it.spec is not None:
        zh, en = _KINDS[it.spec.application.kind]
        action += f"（{zh}）" if lang == "zh" else f" ({en})"
    path = it.change.path if it.change.kind != Kind.RENAMED else f"{it.change.old_path} → {it.change.path}"
    return Row(path, it.system_key or "—", _w(it.change.kind, lang), action, _preview_cell(plan, item, lang),
               _cost_cell(item, lang))


def _finding_line(finding: Finding, lang: str) -> str:
    where = f"`{finding.where}` " if finding.where else ""
    cited = f" [{finding.article}]" if finding.article else ""
    return f"{where}`{finding.code}` {finding.text(lang)}{cited}"


def _cost_rows(plan: Plan, lang: str) -> list[dict[str, str]]:
    rows = []
    for item in plan.items:
        delta = item.cost
        if delta is None:
            continue
        for line in delta.lines:
            title, unit = cost.describe(line.kind, lang)
            rows.append({"stack": item.item.system_key or item.item.change.path, "item": title, "kind": line.kind,
                         "quantity": f"{cost.number(line.before)} → {cost.number(line.after)} {unit}",
                         "price": _no_price(lang) if line.yearly_price is None else cost.money(line.yearly_price),
                         "change": _no_price(lang) if line.change is None else cost.money(line.change, signed=True)})
    return rows


def _total(plan: Plan, lang: str) -> dict[str, Any]:
    deltas = [i.cost for i in plan.items if i.cost is not None and (i.cost.lines or i.cost.unknown_flavors)]
    change = sum((d.change for d in deltas), Decimal("0.00"))
    missing = sorted({m for d in deltas for m in d.missing})
    unknown = sorted({f for d in deltas for f in d.unknown_flavors})
    priced = all(d.priced for d in deltas)
    return {"change": cost.money(change, signed=True) if priced else _no_price(lang), "amount": change,
            "priced": priced, "missing": missing, "unknown_flavors": unknown,
            "complete": not missing and not unknown}


def _basis(item: PlanItem, lang: str) -> str:
    """What the "before" of an item's cost change is: what runs, never nothing for a running system."""
    running = item.running
    assert running is not None
    if running.source == "ledger":
        return (f"原 = 台账中运行的版本（申请 {running.reference}），只计变更部分" if lang == "zh" else
                f"before = what runs per the ledger (request {running.reference}): only the change is priced")
    return (f"原 = 其栈配置所依据的申请文件 {running.reference}（台账中无其规格），只计变更部分" if lang == "zh" else
            f"before = the spec its stack was rendered from, {running.reference} (the ledger holds no spec of "
            "it): only the change is priced")


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def comment(plan: Plan, lang: str = "zh") -> str:
    by = {s: [f for f in plan.findings if f.severity == s] for s in Severity}
    details = [p for p in plan.previews.values()]
    return _templates.get_template("comment.md.j2").render(
        lang=lang, marker=MARKER, plan=plan, base_short=plan.base[:8], head_short=plan.head[:8],
        now=_local(plan.now), rows=[_row(plan, i, lang) for i in plan.items],
        mandatory=[_finding_line(f, lang) for f in by[Severity.MANDATORY]],
        advisory=[_finding_line(f, lang) for f in by[Severity.ADVISORY]],
        info=[_finding_line(f, lang) for f in by[Severity.INFO]],
        deadlines=[(i.item.system_key, [d.text(lang) for d in i.deadlines],
                    sorted({y for d in i.deadlines for y in d.uncertain_years})) for i in plan.items if i.deadlines],
        classifications=[(i.item.system_key, i.item.classification.summary(lang)) for i in plan.items
                         if i.item.classification is not None],
        cost_rows=_cost_rows(plan, lang), total=_total(plan, lang), prices=plan.prices,
        bases=[(i.item.system_key, _basis(i, lang)) for i in plan.items
               if i.running is not None and i.cost is not None and i.cost.lines],
        previews=details, preview_summary=_preview_summary)


def summary(plan: Plan, lang: str = "zh") -> str:
    """The JSON summary: what CI and dashboards read."""
    data = {
        "base_ref": plan.base_ref, "base": plan.base, "head": plan.head, "now": plan.now.isoformat(),
        "mergeable": not plan.blocking,
        "counts": {s.value: sum(1 for f in plan.findings if f.severity == s) for s in Severity},
        "items": [_item_json(plan, i, lang) for i in plan.items],
        "findings": [f.as_dict(lang) for f in plan.findings],
        "prices": plan.prices.source if plan.prices else None,
        "cost_change_yuan_per_year": _total_json(plan, lang),
        "cost_complete": _total(plan, lang)["complete"],
        "preview_seconds": round(plan.preview_seconds, 3),
        "plan_seconds": round(plan.total_seconds, 3),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _item_json(plan: Plan, item: PlanItem, lang: str) -> dict[str, Any]:
    it = item.item
    delta = item.cost
    return {
        "path": it.change.path, "old_path": it.change.old_path, "change": it.change.kind.value,
        "action": it.action.value, "blocked": it.blocked, "system": it.system_key, "tenant": it.tenant_key,
        "state": it.state.value if it.state else None,
        "classification": it.classification.kind if it.classification else None,
        "previews": {s: {"status": p.status, "changes": p.changes} for s in (it.tenant_key, it.system_key)
                     if s and (p := plan.previews.get(s)) is not None},
        "cost": None if delta is None else {
            "change": str(delta.change) if delta.priced else None, "complete": delta.complete,
            "before": None if item.running is None else {"source": item.running.source,
                                                         "reference": item.running.reference},
            "missing": list(delta.missing), "unknown_flavors": list(delta.unknown_flavors),
            "lines": [{"kind": line.kind, "before": cost.number(line.before), "after": cost.number(line.after),
                       "yearly_price": None if line.yearly_price is None else str(fee(line.yearly_price)),
                       "change": None if line.change is None else str(line.change)} for line in delta.lines]},
        "deadlines": [{"rule": d.rule, "date": d.day.isoformat() if d.day else None, "text": d.text(lang),
                       "uncertain": bool(d.uncertain_years)} for d in item.deadlines],
    }



def _total_json(plan: Plan, lang: str) -> str | None:
    total = _total(plan, lang)
    return str(total["amount"]) if total["priced"] else None
