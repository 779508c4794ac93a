"""The inspection report as a self-contained HTML page (Jinja2; no script, nothing fetched) for
people, Chinese by default, and as JSON with stable keys for machines (pure: strings out)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from provisioner.inspection.messages import WORDS, shown_time
from provisioner.inspection.report import (SEVERITY_ORDER, DepartmentReport, InspectionFinding, Report,
                                           SystemReport)
from provisioner.lifecycle.messages import phase_name
from provisioner.policy.findings import SEVERITY_WORDS

FORMAT_VERSION = 1


def _phase(phase: str, lang: str) -> str:
    """A system's phase(s) in words; a system caught half-promoted shows both."""
    return "/".join(phase_name(p, lang) for p in phase.split("/") if p) or "-"


_templates = Environment(loader=PackageLoader("provisioner.inspection", "templates"), undefined=StrictUndefined,
                         autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def html(report: Report, lang: str = "zh") -> str:
    return _templates.get_template("report.html.j2").render(
        r=report, lang=lang, t=lambda key, **values: WORDS.say(key, lang, **values), when=shown_time,
        severities=SEVERITY_ORDER, exposed=_exposed_addresses(report),
        severity_word=lambda severity: SEVERITY_WORDS[severity][1 if lang == "en" else 0],
        phase=lambda phase: _phase(phase, lang))


def _exposed_addresses(report: Report) -> int:
    return len({e.address for s in report.systems for e in s.exposures if e.verdict != "allowed"})


def as_json(report: Report, lang: str = "zh") -> str:
    document = {
        "format": "govcloud-security-report", "version": FORMAT_VERSION,
        "generated_at": _iso(report.generated_at), "cloud": report.cloud, "department": report.department,
        "lang": lang,
        "summary": {"systems": len(report.systems), "departments": len(report.departments),
                    "exposed_addresses": _exposed_addresses(report),
                    "findings": {s.value: report.count(s) for s in SEVERITY_ORDER}},
        "departments": [_department(d, lang) for d in report.departments],
        "systems": [_system(s, lang) for s in report.systems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _finding(f: InspectionFinding, lang: str) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity.value, "article": f.article, "origin": f.origin,
            "resource_kind": f.resource_kind or None, "resource": f.resource or None, "where": f.where or None, "message": f.text(lang), "fix": f.fix(lang),
            "message_zh": f.message_zh, "message_en": f.message_en, "fix_zh": f.fix_zh, "fix_en": f.fix_en}


def _department(d: DepartmentReport, lang: str) -> dict[str, Any]:
    a = d.account
    return {"region": d.region, "department": d.department, "name": d.name,
            "project_id": a.project_id if a else None, "project": a.project_name if a else None,
            "user": a.user if a else None, "user_enabled": a.user_enabled if a else None,
            "password_expires_at": _iso(a.password_expires_at) if a else None,
            "application_credentials": [{"id": c.id, "name": c.name, "expires_at": _iso(c.expires_at)}
                                        for c in (a.app_credentials if a else ())],
            "stacks_user": a.stacks_user if a else None,
            "stacks_application_credentials": [{"id": c.id, "name": c.name, "expires_at": _iso(c.expires_at)}
                                               for c in (a.stacks_credentials if a else ())],
            "findings": [_finding(f, lang) for f in d.findings]}


def _system(s: SystemReport, lang: str) -> dict[str, Any]:
    return {
        "system": str(s.key), "region": s.key.region, "department": s.key.department, "code": s.key.system,
        "name": s.name, "request": s.spec_path, "phase": s.phase, "in_cloud": s.in_cloud,
        "mlps_level": s.mlps_level, "services": list(s.services),
        "backup": {"schedule": s.backup[0], "retention_days": s.backup[1]} if s.backup else None,
        "exposures": [{"address": e.address, "server": e.server, "protocol": e.protocol or "any", "ports": e.ports,
                       "source": e.source, "security_group": e.group, "rule_id": e.rule_id, "verdict": e.verdict}
                      for e in s.exposures],
        "volumes": [{"name": v.name, "id": v.id, "size_gb": v.size_gb, "backups": v.backups,
                     "last_verified_backup": _iso(v.last_verified), "last_verified_backup_id": v.last_verified_id or None,
                     "backup_required": v.required} for v in s.volumes],
        "images": [{"server": i.server, "image": i.image, "image_id": i.image_id, "created_at": _iso(i.created_at),
                    "age_days": i.age_days, "catalogued": i.catalogued} for i in s.images],
        "security_group_drift": [{"kind": d.kind, "security_group": d.group, "rule": d.rule, "rule_id": d.rule_id or None}
                                 for d in s.drift],
        "findings": [_finding(f, lang) for f in s.findings],
    }
