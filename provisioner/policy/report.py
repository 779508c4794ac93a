"""A Review in words: lines like a compiler's, a table for the terminal, JSON for CI (pure).

Nothing here prints; the commands do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from provisioner.policy.findings import severity_word
from provisioner.policy.measures import MEASURE_WORDS, number
from provisioner.policy.messages import WORDS
from provisioner.policy.model import MEASURES, PolicySet, Severity
from provisioner.policy.review import Review
from provisioner.spec.messages import Names
from provisioner.textgrid import grid as _grid

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
    counts = WORDS.say("list-separator", lang).join(
        WORDS.say("summary-count", lang, severity=severity_word(s, lang), count=review.count(s))
        for s in Severity if s in shown)
    out = [WORDS.say("summary", lang, files=len(review.files), invalid=invalid, counts=counts)]
    if review.expert_review:
        out.append(WORDS.say("expert-review-needed", lang, systems=Names(review.expert_review)))
    return out


def table(review: Review, policies: PolicySet, lang: str) -> str:
    """The findings as a table, then each department's totals against its limits."""
    head = WORDS.say("table-head", lang).split("|")
    rows = [[str(f.location), f.rule, f.severity_word(lang), f.article, f.advice(lang)] for f in review.findings]
    rows += [[str(p.location), p.code, WORDS.say("invalid-spec", lang), p.article, p.text(lang)]
             for reviewed in review.files for p in reviewed.problems]
    parts = [_grid(head, rows) if rows else WORDS.say("no-findings", lang)]
    if review.departments:
        parts.append(_departments(review, policies, lang))
    parts.append("\n".join(summary(review, lang)))
    return "\n\n".join(parts)


def _departments(review: Review, policies: PolicySet, lang: str) -> str:
    head = [WORDS.say("department", lang), WORDS.say("systems", lang)]
    head += [MEASURE_WORDS[m].render(lang) for m in MEASURES]
    rows = []
    for department in review.departments:
        caps = policies.on_demand.for_department(department.code).caps
        row = [department.code, str(len(department.systems))]
        for measure in MEASURES:
            cap = caps.of(measure)
            value = number(department.totals.get(measure, 0.0))
            row.append(value if cap is None else f"{value}/{cap}")
        rows.append(row)
    return WORDS.say("department-totals", lang) + "\n" + _grid(head, rows)


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


