"""The security inspection report's words (the page's labels, and the values its findings name), in
Chinese and English; each rule cites its article. See provisioner/words.py."""

from __future__ import annotations

from datetime import datetime

from provisioner.clock import SHANGHAI
from provisioner.words import Words

WORDS = Words({
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

    # -- values the findings name (inspection/checks.py) ----------------------------------------
    "expiry-never": ("永不过期", "never expires"),
    "expiry-issued": ("签发于 {days} 天前", "was issued {days} days ago"),
    "expiry-late": ("到 {day} 才过期", "expires only on {day}"),
    "image-gone": ("{image}（Glance 中已没有）", "{image} (no longer in Glance)"),
    "count-servers": ("云主机 {count}", "{count} servers"),
    "count-volumes": ("云硬盘 {count}", "{count} volumes"),
    "count-security_groups": ("安全组 {count}", "{count} security groups"),
    "count-floating_ips": ("弹性公网 IP {count}", "{count} elastic IPs"),
})


def shown_time(moment: datetime | None) -> str:
    """Shanghai wall time to the minute, as every date in the regulation is read."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else "-"
