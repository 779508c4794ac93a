"""The policy package's own words: what it says about policies/ itself, Chinese and English.

The words of each rule a request is checked against are the office's, in policies/*.yaml
(title, message, fix in both languages, checked by policy/load.py). Here: the problems of
the files themselves, by message id, as in spec/messages.py and lifecycle/messages.py.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    "policies-invalid": ("政务云政策文件有误", "policies/ is invalid"),
    "policy-violation": ("申请违反政务云强制性政策，未做任何变更", "the request breaks mandatory rules of policies/"),
    "policy-config-invalid": ("{field} 取值无效：{error}", "{field} is invalid: {error}"),
    "policy-file-missing": ("文件不存在：信息办须提供该政策文件", "the file is missing: the information office keeps it"),
    "policy-file-unreadable": ("无法读取：{error}", "cannot be read: {error}"),
    "policy-rule-missing": ("缺少规则 {rule} 的定义（条款、严重程度、中英文说明）",
                            "the rule {rule} is not defined (article, severity, words)"),
    "policy-rule-unknown": ("没有名为 {rule} 的规则：已实现的规则见 policies/README.md",
                            "no rule is called {rule}: the implemented rules are listed in policies/README.md"),
    "policy-rule-misplaced": ("规则 {rule} 应写在 policies/{file}", "the rule {rule} belongs in policies/{file}"),
    "policy-rule-placeholder": ("占位符 {{{placeholder}}} 不是规则 {rule} 提供的参数；可用：{known}",
                                "the placeholder {{{placeholder}}} is not a parameter of {rule}; available: {known}"),
    "owners-parent-unknown": ("departments.{code}.parent：{parent} 不是本文件登记的单位",
                              "departments.{code}.parent: {parent} is not a department listed here"),
    "owners-parent-level-2": ("departments.{code}.parent：{parent} 本身是二级预算单位",
                              "departments.{code}.parent: {parent} is itself a level-2 unit"),
    "calendar-year": ("文件内容为 {year} 年，文件名应为 {year}.yaml", "file holds year {year}: name it {year}.yaml"),
    "severity-mandatory": ("强制", "mandatory"),
    "severity-expert-review": ("专家评审", "expert review"),
    "severity-advisory": ("建议", "advisory"),
    # what `govcloud policy check|report` and `govcloud validate` print (policy/report.py)
    "summary": ("政策检查：{files} 个文件，{invalid} 个因申请本身有误未检查；{counts}",
                "policies: {files} file(s), {invalid} not checked (invalid spec); {counts}"),
    "summary-count": ("{severity} {count} 项", "{count} {severity}"),
    "list-separator": ("，", ", "),
    "name-separator": ("、", ", "),
    "expert-review-needed": ("须由市政府信息办组织专家评审（art15）：{systems}",
                             "needs an expert review by the information office (art15): {systems}"),
    "table-head": ("位置 where|规则 rule|级别 severity|条款 article|说明 message", "where|rule|severity|article|message"),
    "invalid-spec": ("申请有误", "invalid spec"),
    "no-findings": ("没有发现问题", "no findings"),
    "department": ("单位", "department"),
    "systems": ("系统数", "systems"),
    "department-totals": ("各单位资源合计（含待批申请；合计/上限，art15、art27）",
                          "department totals under request_specs/, pending requests included (total/cap, art15, art27)"),
}


def text(key: str, lang: str = "zh", **values: Any) -> str:
    """The message `key` in the language asked for (Chinese unless "en")."""
    return TEXTS[key][lang == "en"].format(**values)


def say(key: str, **values: Any) -> tuple[str, str]:
    """The message `key` in Chinese and English, its placeholders filled."""
    zh, en = TEXTS[key]
    return zh.format(**values), en.format(**values)
