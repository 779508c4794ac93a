"""Every rule a request spec is checked against: its stable id, its article, its words.

The id is what CI and people grep for; it never changes meaning. The article is
the regulation's (九府办发〔2019〕19号) that the rule serves. `None` means "the
article of the section the problem is in" (SECTION_ARTICLES): a type error in
`trial` serves art16, the same error in `resources` serves art14.

Templates are str.format strings. {field} (the dotted path) and {got} (the
offending value, as YAML would show it) are always available. The values they are
filled with that are words themselves (what a field should be, a material's name...)
are the package's WORDS table below, Texts said in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from provisioner.regulation import LEGACY_KEPT
from provisioner.words import SaidOnce, Words, listing, say


class Rule(NamedTuple):
    article: str | None
    zh: str
    en: str


# The request must be readable before it can be checked for completeness (art15).
FILE_ARTICLE = "art15"

SECTION_ARTICLES = {
    "apiVersion": "art15", "kind": "art15", "metadata": "art14", "applicant": "art14",
    "application": "art14", "approvals": "art14", "materials": "art14", "resources": "art14",
    "migration": "art23", "trial": "art16", "acceptance": "art16", "change": "art18",
    "termination": "art19",
}

_FILE_RULES = {
    "file-too-large": Rule(FILE_ARTICLE, "文件有 {size} 字节，超过上限 {limit} 字节：一份申请不应这么大",
                           "the file is {size} bytes, over the limit of {limit}: no request is that large"),
    "file-not-utf8": Rule(FILE_ARTICLE, "文件不是 UTF-8 编码（字节 {byte}）：请用 UTF-8 另存，GBK 文件常见于 Windows 记事本",
                          "the file is not UTF-8 (byte {byte}): save it as UTF-8; GBK files often come from Windows Notepad"),
    "spec-empty": Rule(FILE_ARTICLE, "文件是空的：请参照 request_specs/ 下的样例填写",
                       "the file is empty: start from a sample under request_specs/"),
    "spec-not-mapping": Rule(FILE_ARTICLE, "申请应是“键: 值”形式的 YAML 映射，而不是{got}",
                             "a request is a YAML mapping of `key: value`, not {got}"),
    # Where a spec is read from (provisioner/spec/location.py): nothing of a refused file is quoted.
    "file-outside-repository": Rule(FILE_ARTICLE, "文件不在仓库 {root} 内：申请只从仓库内读取",
                                    "the file is outside the repository {root}: specs are read only from inside it"),
    "file-symlink": Rule(FILE_ARTICLE, "{link} 是符号链接：申请只从普通文件读取，不跟随链接",
                         "{link} is a symbolic link: specs are read only from regular files, never through a link"),
    "file-missing": Rule(FILE_ARTICLE, "没有这个文件", "no such file"),
    "file-not-regular": Rule(FILE_ARTICLE, "不是普通文件（文件夹、设备或管道）：申请只从普通文件读取",
                             "not a regular file (a folder, device or pipe): specs are read only from regular files"),
    "file-unreadable": Rule(FILE_ARTICLE, "无法读取：{reason}", "cannot be read: {reason}"),
    "spec-nested": Rule("art14", "申请应直接放在 request_specs/<单位代码>/ 下，不能放在子文件夹里：文件夹决定申请单位",
                        "requests live directly in request_specs/<department>/, not in a subfolder: the folder is the department's"),
    "spec-not-request": Rule("art14", "只有 request_specs/<单位代码>/<系统代码>.yaml 的申请才会创建云资源",
                             "only requests at request_specs/<department>/<system>.yaml become stacks"),
    "spec-placement": Rule("art14", "{what} 是 {value}，但文件位于 {expected}：申请应放在 request_specs/<单位代码>/<系统代码>.yaml",
                           "{what} is {value} but the file is at {expected}: requests live at request_specs/<department>/<system>.yaml"),
}

_YAML_RULES = {
    "yaml-syntax": Rule(FILE_ARTICLE, "YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "yaml-tab": Rule(FILE_ARTICLE, "第 {line} 行有制表符（Tab）：YAML 只能用空格缩进，请全部换成空格",
                     "tab character on line {line}: YAML indents with spaces only; replace tabs with spaces"),
    "yaml-control-character": Rule(FILE_ARTICLE, "有不可见的控制字符 {code}：请删除",
                                   "invisible control character {code}: delete it"),
    "yaml-duplicate-key": Rule(FILE_ARTICLE, "键 {key} 重复（第 {first_line} 行已写过）：YAML 只会保留其中一个，请合并",
                               "duplicate key {key} (already on line {first_line}): YAML keeps only one of them; merge them"),
    "yaml-ambiguous-bool": Rule(FILE_ARTICLE, "{text} 在 YAML 1.1 中是布尔值 {as_bool}，在 YAML 1.2 中是文本：布尔值请写 true 或 false，文本请加引号写成 \"{text}\"",
                                "{text} is the boolean {as_bool} in YAML 1.1 but text in YAML 1.2: write true or false for a boolean, or \"{text}\" in quotes for text"),
    "yaml-ambiguous-number": Rule(FILE_ARTICLE, "{text} {reason}：数字请写成普通十进制数，文本请加引号写成 \"{text}\"",
                                  "{text} {reason}: write a plain decimal number, or \"{text}\" in quotes for text"),
    "yaml-tag": Rule(FILE_ARTICLE, "不允许使用 YAML 标签 {tag}：请直接写值", "YAML tag {tag} is not allowed: write the plain value"),
    "yaml-merge-key": Rule(FILE_ARTICLE, "不支持合并键 <<（YAML 1.2 已取消）：请把各项逐一写出",
                           "merge keys (<<) are not supported (YAML 1.2 dropped them): write the keys out"),
    "yaml-key-not-text": Rule(FILE_ARTICLE, "键必须是文本，不能是列表或映射", "a key must be text, not a list or a mapping"),
    "yaml-alias-undefined": Rule(FILE_ARTICLE, "别名 *{anchor} 没有对应的锚点 &{anchor}", "alias *{anchor} has no anchor &{anchor}"),
    "yaml-alias-recursive": Rule(FILE_ARTICLE, "别名 *{anchor} 引用了包含它自己的锚点，会无限展开",
                                 "alias *{anchor} refers to the anchor containing it, which never ends"),
    "yaml-too-many-nodes": Rule(FILE_ARTICLE, "展开锚点和别名后的值超过 {limit} 个（“十亿笑声”式别名炸弹？）：请直接写出各项",
                                "more than {limit} values once anchors and aliases are expanded (a billion-laughs alias bomb?): write the values out"),
    "yaml-too-deep": Rule(FILE_ARTICLE, "嵌套超过 {limit} 层", "nested more than {limit} levels deep"),
    "yaml-multiple-documents": Rule(FILE_ARTICLE, "一个文件只能有一份申请（YAML 文档）：请删除第二个 ---，或拆成两个文件",
                                    "one request (YAML document) per file: remove the second --- or split the file"),
}

_SHAPE_RULES = {
    "spec-missing": Rule(None, "缺少必填项 {field}", "{field} is required"),
    "spec-unknown-key": Rule(None, "{parent} 下没有 {key} 这一项{suggestion}", "{parent} has no key {key}{suggestion}"),
    "spec-type": Rule(None, "{field} 应是{expected}，而不是{got}{hint}", "{field} must be {expected}, not {got}{hint}"),
    "spec-choice": Rule(None, "{field} 应是 {choices} 之一，而不是 {got}{suggestion}",
                        "{field} must be one of {choices}, not {got}{suggestion}"),
    "spec-format": Rule(None, "{field} 格式不对：应是{format}，而不是 {got}", "{field} has the wrong format: expected {format}, not {got}"),
    "spec-range": Rule(None, "{field} 应{bound}，而不是 {got}", "{field} must be {bound}, not {got}"),
    "spec-length": Rule(None, "{field} {bound}，现有 {actual}", "{field} {bound}, has {actual}"),
    "spec-invalid": Rule(None, "{field} 取值无效：{detail}", "{field} is invalid: {detail}"),
    "network-cidr-invalid": Rule(None, "{field} 不是有效的网段（CIDR），如 10.20.1.0/24：{got}",
                                 "{field} is not a network in CIDR notation such as 10.20.1.0/24: {got}"),
    "network-cidr-host-bits": Rule(None, "{field} 的主机位不为零：是想写 {network} 吗？",
                                   "{field} has host bits set: did you mean {network}?"),
    "network-cidr-public": Rule(None, "{field} 应是私有网段（10.0.0.0/8、172.16.0.0/12、192.168.0.0/16），而不是 {got}",
                                "{field} must be a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), not {got}"),
}

_CONTENT_RULES = {
    "materials-missing": Rule("art14", "{kind_words}申请缺少材料：{material}（materials.{key}）",
                              "a {kind_words} application lacks a material: {material} (materials.{key})"),
    "materials-not-for-kind": Rule("art14", "{material}（materials.{key}）只用于迁移上云；新建系统请提供技术方案 technical_plan",
                                   "{material} (materials.{key}) is for migrations; a new system provides technical_plan"),
    "migration-missing": Rule("art23", f"迁移上云须写明 migration.legacy_system：迁移上线后原系统至少保留{LEGACY_KEPT.text()}",
                              f"a migration must describe migration.legacy_system: it is kept at least {LEGACY_KEPT.text('en')} "
                              "after go-live"),
    "migration-not-for-kind": Rule("art14", "migration 一节只用于 application.kind: migration",
                                   "the migration section is only for application.kind: migration"),
    "approval-parent-unit-missing": Rule("art14", "二级预算单位须写明主管一级预算单位 applicant.parent_unit",
                                         "a level-2 budget unit must name its level-1 parent in applicant.parent_unit"),
    "approval-parent-unit-unexpected": Rule("art14", "一级预算单位没有主管单位：请删除 parent_unit，或把 budget_level 改为 2",
                                            "a level-1 budget unit has no parent: remove parent_unit or set budget_level to 2"),
    "approval-parent-self": Rule("art14", "主管单位 {unit} 就是申请单位本身", "the parent unit {unit} is the applicant itself"),
    "approval-parent-missing": Rule("art14", "二级预算单位的申请须经主管一级预算单位 {unit} 批准：请在 approvals.parent_unit 记录批准人、日期和批复文件",
                                    "a level-2 unit's request needs its level-1 parent {unit}'s approval: record approver, date and document in approvals.parent_unit"),
    "approval-parent-mismatch": Rule("art14", "批准单位是 {unit}，但申请写的主管单位是 {parent}",
                                     "approved by {unit}, but the applicant's parent unit is {parent}"),
    "approval-parent-unexpected": Rule("art14", "一级预算单位的申请不需要主管单位批准：请删除 approvals.parent_unit",
                                       "a level-1 unit's request needs no parent approval: remove approvals.parent_unit"),
    "resources-duplicate-name": Rule("art14", "名称 {name} 与本列表第 {first} 项重复：名称会成为云上资源名，必须唯一",
                                     "the name {name} is already used by item {first} of this list: names become cloud resource names"),
    "ingress-port-max-alone": Rule("art14", "写了 port_max 却没写 port：端口范围请同时写起止端口",
                                   "port_max without port: a range needs both ends"),
    "ingress-port-range-reversed": Rule("art14", "端口范围 {port}-{port_max} 起止颠倒", "port range {port}-{port_max} is reversed"),
    "ingress-icmp-ports": Rule("art14", "icmp 没有端口：请删除 port 和 port_max", "icmp has no ports: remove port and port_max"),
    "lb-members-unknown": Rule("art14", "负载均衡的后端 {name} 不是本申请的主机角色（{roles}）",
                               "the load balancer's members {name} is not a host role of this request ({roles})"),
    "lb-listener-duplicate": Rule("art14", "监听 {protocol} {port} 与第 {first} 个监听重复",
                                  "the listener {protocol} {port} repeats listener {first}"),
    "bandwidth-public-ips-over-hosts": Rule("art14", "弹性公网 IP 绑定在主机上，本申请只有 {hosts} 台主机：请把 public_ips 改为不超过 {hosts}",
                                            "public IPs go to hosts and this request has {hosts}: ask for at most {hosts}"),
    "bandwidth-internet-missing": Rule("art14", "申请了公网 IP（主机或负载均衡），却没有互联网带宽：请写 internet_mbps（每个公网 IP 的带宽上限）",
                                       "public IPs (of hosts or load balancers) need internet bandwidth: set internet_mbps (the limit on each public IP)"),
    "acceptance-tests-incomplete": Rule("art16", "判定通过前须完成功能、性能、数据、安全四项测试，缺：{missing}",
                                        "a pass needs the function, performance, data and security tests; missing: {missing}"),
    "change-and-termination": Rule("art18", "同一份申请不能既变更又终止：请二选一",
                                   "a request cannot both change and terminate the system: choose one"),
    "change-major-materials": Rule("art18", "重大变更按新建应用系统流程办理，缺少材料：{material}（materials.{key}）",
                                   "a major change follows the new-application flow and lacks: {material} (materials.{key})"),
    "request-id-duplicate": Rule("art15", "申请编号 {value} 与 {other} 重复", "request number {value} is also used by {other}"),
    "system-duplicate": Rule("art15", "系统 {value} 与 {other} 重复", "system {value} is also requested by {other}"),
}

RULES: dict[str, Rule] = {**_FILE_RULES, **_YAML_RULES, **_SHAPE_RULES, **_CONTENT_RULES}


# The spec package's other words: the values its rules' templates are filled with (what a
# field should be, a value as written, a material's name...), and the schema's titles.
WORDS = Words({
    # a value as the person wrote it (spec/problems.py)
    "whole-file": ("（整个文件）", "(the whole file)"),
    "value-empty": ("空值", "an empty value"),
    "value-mapping": ("映射", "a mapping"),
    "value-list": ("列表", "a list"),
    "names-none": ("无", "none"),
    "names-more": ("{names} 等 {count} 个（另有 {rest} 个未列出）", "{names} and {rest} more ({count} in all)"),
    # what a field should be (spec/diagnose.py): spec-type, spec-range, spec-length, spec-unknown-key
    "type-text": ("文本", "text"),
    "type-integer": ("整数", "an integer"),
    "type-mapping": ("映射（键: 值）", "a mapping (key: value)"),
    "type-date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "type-bool": ("布尔值 true 或 false", "true or false"),
    "type-number": ("数字", "a number"),
    "type-list": ("列表（每项以 - 开头）", "a list (items start with -)"),
    "quote-hint": ("（如是文本，请加引号）", " (quote it if it is text)"),
    "bound-sized-integer": ("是大小合理的整数", "a reasonably sized integer"),
    "bound-ge": ("不小于 {limit}", "at least {limit}"),
    "bound-gt": ("大于 {limit}", "more than {limit}"),
    "bound-le": ("不大于 {limit}", "at most {limit}"),
    "bound-lt": ("小于 {limit}", "less than {limit}"),
    "length-chars-min": ("至少要有 {limit} 个字符", "needs at least {limit} characters"),
    "length-chars-max": ("最多只能有 {limit} 个字符", "allows at most {limit} characters"),
    "length-items-min": ("至少要有 {limit} 项", "needs at least {limit} items"),
    "length-items-max": ("最多只能有 {limit} 项", "allows at most {limit} items"),
    "top-level": ("顶层", "the top level"),
    "did-you-mean": ("，是想写 {name} 吗？", "; did you mean {name}?"),
    # the text formats (spec/formats.py), by pattern: what a person should write
    "format-code": ("3-32 个小写字母、数字或连字符，以字母开头，如 jj-xzspj",
                    "3-32 lowercase letters, digits or hyphens starting with a letter, e.g. jj-xzspj"),
    "format-request-id": ("地区缩写-年份-序号，如 JJ-2026-0001", "region letters-year-number, e.g. JJ-2026-0001"),
    "format-phone": ("7-20 位电话号码，可含 + ( ) - 和空格，如 \"0792-8123456\"",
                     "a phone number of 7-20 digits, + ( ) - or spaces, e.g. \"0792-8123456\""),
    "format-checksum": ("sha256: 或 sm3: 后接 64 位小写十六进制摘要",
                        "sha256: or sm3: followed by 64 lowercase hex digits"),
    "format-bucket": ("3-63 个小写字母、数字、点或连字符，如 jj-zwfw-files",
                      "3-63 lowercase letters, digits, dots or hyphens, e.g. jj-zwfw-files"),
    "format-version": ("版本号文本，如 \"8.0\"（请加引号，否则 8.10 会被读成 8.1）",
                       "a version as text, e.g. \"8.0\" (quote it, or 8.10 reads as 8.1)"),
    "format-window": ("时段 HH:MM-HH:MM，如 02:00-04:00", "a time window HH:MM-HH:MM, e.g. 02:00-04:00"),
    "format-email": ("电子邮箱，如 zhangwei@jiujiang.gov.cn", "an e-mail address, e.g. zhangwei@jiujiang.gov.cn"),
    # YAML 1.1 number traps (spec/scalars.py): yaml-ambiguous-number's {reason}
    "number-leading-zero": ("有前导零，YAML 1.1 会当作八进制数", "has a leading zero, which YAML 1.1 reads as octal"),
    "number-prefixed": ("是十六/八/二进制写法，各版本 YAML 读法不一", "is hex/octal/binary, read differently by YAML versions"),
    "number-underscored": ("含下划线，YAML 1.1 当数字而 YAML 1.2 当文本",
                           "has underscores: a number in YAML 1.1, text in YAML 1.2"),
    "number-sexagesimal": ("形如 1:30，YAML 1.1 会当作六十进制数", "looks like 1:30, which YAML 1.1 reads as base 60"),
    # libyaml's syntax errors explained (spec/yamlerrors.py): yaml-syntax's {problem}. In English
    # the problem is said in libyaml's own words, which these translate.
    "syntax-mapping-values": ("此处不能写“键: 值”：缩进不对，或值里的冒号后有空格（请给值加引号）",
                              "a `key: value` cannot be written here: the indentation is wrong, or a value holds a colon "
                              "and a space (quote the value)"),
    "syntax-expected-colon": ("找不到应有的冒号“:”：上一行是不是没写完，或缩进不对",
                              "the expected colon `:` is missing: is the line above unfinished, or the indentation wrong?"),
    "syntax-expected-key": ("找不到应有的键：缩进不一致，或上面有引号没有闭合",
                            "the expected key is missing: the indentation is inconsistent, or a quote above is not closed"),
    "syntax-expected-dash": ("列表项缩进不一致，找不到应有的“-”",
                             "the list items are indented inconsistently: the expected `-` is missing"),
    "syntax-bad-start": ("有不能作为开头的字符（Tab 缩进，或以 @、` 开头的值需加引号）",
                         "a character that cannot start a value (a tab indent, or a value starting with @ or ` that "
                         "needs quotes)"),
    "syntax-unexpected-end": ("文件意外结束：引号或括号没有闭合",
                              "the file ends unexpectedly: a quote or bracket is not closed"),
    "syntax-flow-sequence": ("方括号列表缺少“,”或“]”",
                             "a list in square brackets lacks a `,` or `]`"),
    "syntax-flow-mapping": ("花括号映射缺少“,”或“}}”",
                            "a mapping in braces lacks a `,` or `}}`"),
    "syntax-block-entry": ("此处不能写列表项“-”：缩进不对",
                           "a list item `-` cannot be written here: the indentation is wrong"),
    "syntax-escape": ("双引号里有未知的转义字符：Windows 路径请用单引号",
                      "an unknown escape in double quotes: write Windows paths in single quotes"),
    "syntax-node-content": ("缺少内容",
                            "a value is missing"),
    "syntax-tag-handle": ("未定义的标签前缀",
                          "an undefined tag prefix"),
    "syntax-trailing": ("值后面还有多余的内容",
                        "something more follows the value"),
    "syntax-other": ("无法解析（{problem}）", "cannot be parsed ({problem})"),
    "syntax-in-block": ("{problem}（所在的块从第 {line} 行开始）", "{problem} (in the block starting on line {line})"),
    # art14's materials and kinds of application (spec/rules/completeness.py)
    "material-project-approval": ("项目批文", "project approval document"),
    "material-technical-plan": ("技术方案", "technical plan"),
    "material-migration-plan": ("迁移方案", "migration plan"),
    "material-contract": ("项目合同", "project contract"),
    "material-performance-self-test": ("系统性能自测报告", "performance self-test report"),
    "material-security-self-test": ("系统安全自测报告", "security self-test report"),
    "kind-new": ("新建系统", "new-system"),
    "kind-migration": ("迁移上云", "migration"),
    # art16's acceptance tests (spec/rules/lifecycle.py)
    "test-function": ("功能", "function"),
    "test-performance": ("性能", "performance"),
    "test-data": ("数据", "data"),
    "test-security": ("安全", "security"),
    # a contact's role unless the spec says (spec/applicant.py): the spec's data is in Chinese, as the form's
    "contact-role-default": ("联系人", "contact"),
    # the JSON Schema (spec/model.py, spec/lifecycle.py): one string with both languages
    "schema-title": ("九江市政务云资源申请", "Jiujiang government cloud resource request"),
    "schema-trial-days": ("试用天数，默认 {days} 天（{article}）", "trial days, {days} by default ({article})"),
})

# The city and its 13 county-level divisions (spec/formats.py REGIONS): code -> (Chinese, English).
REGION_NAMES: dict[str, tuple[str, str]] = {
    "city": ("九江市本级", "Jiujiang city"), "xunyang": ("浔阳区", "Xunyang"), "lianxi": ("濂溪区", "Lianxi"),
    "chaisang": ("柴桑区", "Chaisang"), "wuning": ("武宁县", "Wuning"), "xiushui": ("修水县", "Xiushui"),
    "yongxiu": ("永修县", "Yongxiu"), "dean": ("德安县", "De'an"), "duchang": ("都昌县", "Duchang"),
    "hukou": ("湖口县", "Hukou"), "pengze": ("彭泽县", "Pengze"), "ruichang": ("瑞昌市", "Ruichang"),
    "gongqingcheng": ("共青城市", "Gongqingcheng"), "lushan": ("庐山市", "Lushan"),
}


@dataclass(frozen=True)
class Names(SaidOnce):
    """A list of names said in one line: `a、b、c` in Chinese, `a, b, c` in English (each
    item a plain string or a Text), shortened past `limit` items (long lists help nobody in
    one line); what a template's {missing} or {roles} is filled with."""

    items: Sequence[Any]
    limit: int | None = None

    def say_in(self, lang: str) -> str:
        if not self.items:
            return WORDS.say("names-none", lang)
        shown = list(self.items[: self.limit] if self.limit is not None else self.items)
        names = listing((say(item, lang) for item in shown), lang)
        if len(shown) == len(self.items):
            return names
        return WORDS.say("names-more", lang, names=names, count=len(self.items), rest=len(self.items) - len(shown))


def bilingual(key: str, **values: Any) -> str:
    """A sentence in both languages in one string, Chinese first: the JSON Schema's titles,
    which an editor shows whatever its language."""
    return f"{WORDS.say(key, 'zh', **values)} {WORDS.say(key, 'en', **values)}"
