"""The inspection report as a self-contained HTML page (Jinja2; no script, nothing fetched) for
people, Chinese by default, and as JSON with stable keys for machines (pure: strings out)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from provisioner.inspection.report import (SEVERITY_ORDER, DepartmentReport, InspectionFinding, Report,
                                           SystemReport, shown_time)
from provisioner.policy.findings import SEVERITY_WORDS

FORMAT_VERSION = 1

_L = {
    "title": ("九江市政务云安全检查报告", "Jiujiang government cloud: security inspection report"),
    "basis": ("依据《九江市政务云服务管理办法》第二十、二十一、二十四条：市政府信息办定期开展安全检查。本报告从云平台实际读取各系统对互联网开放的端口、"
              "安全组规则、备份、镜像和单位账号，对照申请和安全基线（policies/）逐项列出发现的问题，每项注明规则编号和条款。",
              "Under arts. 20, 21 and 24 of the Jiujiang regulation the information office inspects the cloud's security. "
              "This report reads from the cloud what each system exposes to the internet, its security group rules, "
              "backups, images and the departments' accounts, holds them against the requests and the security "
              "baseline (policies/), and lists every finding with its rule id and article."),
    "generated": ("检查时间", "inspected at"), "cloud": ("云平台", "cloud"), "scope": ("范围", "scope"),
    "all": ("全部单位", "every department"),
    "summary": ("一、总览", "1. Summary"), "systems-n": ("系统数", "systems"), "departments-n": ("单位数", "departments"),
    "exposed-n": ("对互联网开放的弹性公网 IP", "elastic IPs open to the internet"),
    "system": ("系统", "system"), "name": ("名称", "name"), "phase": ("阶段", "phase"),
    "exposed-ports": ("互联网开放端口", "ports open to the internet"),
    "accounts": ("二、单位账号（第十二条）", "2. Department accounts (art12)"),
    "department": ("单位", "department"), "project": ("项目", "project"), "user": ("账号", "account"),
    "password": ("密码过期时间", "password expires"), "app-creds": ("应用凭据（过期时间）", "application credentials (expiry)"),
    "stacks-creds": ("栈账号的应用凭据（govcloud credentials rotate 轮换）",
                     "the stacks account's credentials (rotated by govcloud credentials rotate)"),
    "never": ("永不过期", "never"), "no-user": ("无单位账号", "no department account"),
    "age-note": ("Keystone 不记录账号、密码和应用凭据的创建时间，凭据的使用期限按其过期时间判断。",
                 "Keystone does not show when a user, password or application credential was created: how long a "
                 "credential lives is judged by when it expires."),
    "per-system": ("三、各系统检查结果", "3. Each system"),
    "request": ("申请", "request"), "none": ("无", "none"), "not-in-cloud": ("云上尚无该系统的资源", "nothing in the cloud yet"),
    "mlps": ("等保级别", "MLPS level"), "services": ("订购的安全服务", "security services ordered"),
    "backup": ("备份（申请）", "backups (requested)"), "retention": ("{schedule}，保留 {days} 天", "{schedule}, kept {days} days"),
    "exposure": ("对互联网开放（经弹性公网 IP）", "Open to the internet (through elastic IPs)"),
    "address": ("弹性公网 IP", "elastic IP"), "server": ("云主机", "server"), "protocol": ("协议", "protocol"),
    "ports": ("端口", "ports"), "source": ("来源", "source"), "group": ("安全组", "security group"),
    "verdict": ("判定", "verdict"), "no-exposure": ("没有对互联网开放的端口", "nothing is open to the internet"),
    "volumes": ("云硬盘与备份", "Volumes and backups"), "volume": ("云硬盘", "volume"), "size": ("容量 (GB)", "size (GB)"),
    "backups-n": ("备份数", "backups"), "last-backup": ("最近一次经验证的备份", "newest verified backup"),
    "no-volumes": ("没有云硬盘", "no volumes"),
    "images": ("镜像", "Images"), "image": ("镜像", "image"), "created": ("制作时间", "made"), "age": ("天数", "age (days)"),
    "catalogued": ("在采购目录中", "in the catalogue"), "yes": ("是", "yes"), "no": ("否", "no"),
    "drift": ("安全组规则与申请的差异", "Security group rules against the request"), "kind": ("类别", "kind"),
    "rule": ("规则", "rule"), "no-drift": ("安全组规则与申请一致", "the security group rules are what the request asks for"),
    "unapproved": ("未经批准", "unapproved"), "missing": ("缺少", "missing"),
    "findings": ("发现的问题", "Findings"), "no-findings": ("没有发现问题", "no findings"),
    "severity": ("级别", "severity"), "article": ("条款", "article"), "message": ("说明与整改", "finding and fix"),
    "where": ("位置", "where"), "origin-cloud": ("云上", "cloud"), "origin-request": ("申请", "request"),
    "fix": ("整改：", "Fix: "),
    "v-admin": ("管理/数据库端口", "administration/database port"), "v-allowed": ("允许（HTTPS）", "allowed (HTTPS)"),
    "v-redirect": ("HTTP 跳转", "HTTP redirect"), "v-other": ("非 HTTPS", "not HTTPS"),
    "s-daily": ("每日", "daily"), "s-weekly": ("每周", "weekly"),
    "k-floating_ip": ("弹性公网 IP", "elastic IP"), "k-volume": ("云硬盘", "volume"), "k-server": ("云主机", "server"),
    "k-security_group": ("安全组", "security group"), "k-user": ("单位账号", "account"),
    "k-application_credential": ("应用凭据", "application credential"), "k-system": ("系统", "system"),
}


def _t(key: str, lang: str, **values: object) -> str:
    zh, en = _L[key]
    return (en if lang == "en" else zh).format(**values)


_PHASES = {"trial": ("试用", "trial"), "production": ("生产", "production")}


def _phase(phase: str, lang: str) -> str:
    """A system's phase(s) in words; a system caught half-promoted shows both."""
    words = [_PHASES.get(p, (p, p))[1 if lang == "en" else 0] for p in phase.split("/") if p]
    return "/".join(words) or "-"


_templates = Environment(loader=PackageLoader("provisioner.inspection", "templates"), undefined=StrictUndefined,
                         autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def html(report: Report, lang: str = "zh") -> str:
    return _templates.get_template("report.html.j2").render(
        r=report, lang=lang, t=lambda key, **values: _t(key, lang, **values), when=shown_time,
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
