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

from provisioner.app.messages import WORDS
from provisioner.billing.money import fee
from provisioner.calendar import SHANGHAI
from provisioner.gitops import cost
from provisioner.gitops.changes import Kind
from provisioner.gitops.deadlines import InLang
from provisioner.gitops.findings import Finding, Severity
from provisioner.app.plan import Plan, PlanItem, Preview
from provisioner.gitops.review import Action
from provisioner.regulation import CHANGE
from provisioner.stacks.data import CONTAINER
from provisioner.words import Text

_templates = Environment(loader=PackageLoader("provisioner.app", "templates"), undefined=StrictUndefined,
                         keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)

MARKER = "<!-- govcloud-plan -->"


def _action(action: Action) -> Text:
    """What the merge does with a spec, in the comment's table."""
    return WORDS(f"action-{action.value}", **({"within": InLang(CHANGE.text)} if action == Action.CHANGE_MINOR else {}))


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
        role = WORDS.say("role-tenant" if stack == item.item.tenant_key else "role-system", lang)
        parts.append(f"{role} {_preview_summary(preview, lang)}")
    return "<br>".join(parts) if parts else "—"


def _preview_summary(preview: Preview, lang: str) -> str:
    if preview.status == "ok":
        changed = {op: n for op, n in sorted(preview.changes.items()) if op != "same" and n}
        if not changed:
            return WORDS.say("preview-no-changes", lang)
        said = ", ".join(f"{op} {n}" for op, n in changed.items())
        # An approved change that drops a data disk backs it up first, a container copies it (provisioner/app/data_removal.py).
        backed_up = sorted({step.name for step in preview.steps if step.backed_up and step.type != CONTAINER})
        if backed_up:
            said = WORDS.say("preview-backs-up", lang, changes=said, volumes=", ".join(backed_up))
        copied = sorted({step.name for step in preview.steps if step.backed_up and step.type == CONTAINER})
        if copied:
            said = WORDS.say("preview-copies", lang, changes=said, containers=", ".join(copied))
        return said
    return WORDS.say(f"preview-status-{preview.status}", lang)


def _no_price(lang: str) -> str:
    return WORDS.say("no-price", lang)


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
        text = WORDS.say("cost-incomplete", lang, cost=text)
    return text


def _row(plan: Plan, item: PlanItem, lang: str) -> Row:
    it = item.item
    action = WORDS("action-blocked", action=_action(it.action)) if it.blocked else _action(it.action)
    if it.action == Action.NEW and it.spec is not None:
        action = WORDS("action-of-kind", action=action, kind=WORDS(f"application-{it.spec.application.kind}"))
    path = it.change.path if it.change.kind != Kind.RENAMED else f"{it.change.old_path} → {it.change.path}"
    return Row(path, it.system_key or "—", WORDS.say(f"change-{it.change.kind.value}", lang), action.render(lang),
               _preview_cell(plan, item, lang), _cost_cell(item, lang))


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
    return WORDS.say(f"basis-{running.source}", lang, reference=running.reference)


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
