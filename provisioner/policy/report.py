"""A Review in words: lines like a compiler's, a table for the terminal, JSON for CI (pure).

Nothing here prints; the commands do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from provisioner.policy.measures import MEASURE_WORDS, number
from provisioner.policy.model import MEASURES, PolicySet, Severity
from provisioner.policy.review import Review
from provisioner.textgrid import grid as _grid

_SEVERITY_COLUMNS = ((Severity.MANDATORY, "强制", "mandatory"), (Severity.EXPERT_REVIEW, "专家评审", "expert review"),
                     (Severity.ADVISORY, "建议", "advisory"))


def lines(review: Review, lang: str) -> list[str]:
    """Every spec problem and every finding shown, one per line, by file and place."""
    out = []
    for reviewed in review.files:
        out += [problem.render(lang) for problem in reviewed.problems]
        out += [finding.render(lang) for finding in reviewed.findings]
    return out


def summary(review: Review, lang: str, shown: Sequence[Severity] = tuple(Severity)) -> list[str]:
    """The closing lines: counts by severity, and which requests need an expert review (art15)."""
    invalid = sum(1 for f in review.files if f.spec is None)
    counts = [(zh, en, review.count(s)) for s, zh, en in _SEVERITY_COLUMNS if s in shown]
    experts = review.expert_review
    if lang == "en":
        out = [f"policies: {len(review.files)} file(s), {invalid} not checked (invalid spec); "
               + ", ".join(f"{n} {en}" for _, en, n in counts)]
        if experts:
            out.append("needs an expert review by the information office (art15): " + ", ".join(experts))
        return out
    out = [f"政策检查：{len(review.files)} 个文件，{invalid} 个因申请本身有误未检查；"
           + "，".join(f"{zh} {n} 项" for zh, _, n in counts)]
    if experts:
        out.append("须由市政府信息办组织专家评审（art15）：" + "、".join(experts))
    return out


def table(review: Review, policies: PolicySet, lang: str) -> str:
    """The findings as a table, then each department's totals against its limits."""
    en = lang == "en"
    head = ["位置 where", "规则 rule", "级别 severity", "条款 article", "说明 message"] if not en else \
        ["where", "rule", "severity", "article", "message"]
    rows = [[str(f.location), f.rule, f.severity_word(lang), f.article, f.advice(lang)] for f in review.findings]
    rows += [[str(p.location), p.code, "invalid spec" if en else "申请有误", p.article, p.text(lang)]
             for reviewed in review.files for p in reviewed.problems]
    parts = [_grid(head, rows) if rows else ("no findings" if en else "没有发现问题")]
    if review.departments:
        parts.append(_departments(review, policies, lang))
    parts.append("\n".join(summary(review, lang)))
    return "\n\n".join(parts)


def _departments(review: Review, policies: PolicySet, lang: str) -> str:
    en = lang == "en"
    head = ["department" if en else "单位", "systems" if en else "系统数"]
    head += [MEASURE_WORDS[m].en if en else MEASURE_WORDS[m].zh for m in MEASURES]
    rows = []
    for department in review.departments:
        caps = policies.on_demand.for_department(department.code).caps
        row = [department.code, str(len(department.systems))]
        for measure in MEASURES:
            cap = caps.of(measure)
            value = number(department.totals.get(measure, 0.0))
            row.append(value if cap is None else f"{value}/{cap}")
        rows.append(row)
    title = ("department totals under request_specs/, pending requests included (total/cap, art15, art27)" if en
             else "各单位资源合计（含待批申请；合计/上限，art15、art27）")
    return title + "\n" + _grid(head, rows)


def as_json(review: Review, policies: PolicySet, lang: str) -> str:
    findings = [f.as_dict(lang) for f in review.findings]
    problems = [{"file": p.location.path, "line": p.location.line, "column": p.location.column, "rule": p.code,
                 "article": p.article, "message": p.text(lang), "message_zh": p.message, "message_en": p.message_en}
                for reviewed in review.files for p in reviewed.problems]
    files = [{"file": f.path, "ok": f.ok, "checked": f.spec is not None, "expert_review": f.needs_expert_review,
              "counts": {s.value: f.counts.get(s, 0) for s in Severity}} for f in review.files]
    departments = [_department_json(d, policies) for d in review.departments]
    document: dict[str, Any] = {
        "ok": review.ok,
        "summary": {"files": len(review.files), "invalid_specs": sum(1 for f in review.files if f.spec is None),
                    **{s.value: review.count(s) for s in Severity}},
        "expert_review": review.expert_review,
        "files": files, "findings": findings, "spec_problems": problems, "departments": departments,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _department_json(department: Any, policies: PolicySet) -> dict[str, Any]:
    scope = policies.on_demand.for_department(department.code)
    return {"department": department.code, "systems": list(department.systems),
            "totals": {m: department.totals.get(m, 0.0) for m in MEASURES},
            "caps": scope.caps.model_dump(exclude_none=True), "review": scope.review.model_dump(exclude_none=True)}


