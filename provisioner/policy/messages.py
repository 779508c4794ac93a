"""The policy package's own words: what it says about policies/ itself, Chinese and English.

The words of each rule a request is checked against are the office's, in policies/*.yaml
(title, message, fix in both languages, checked by policy/load.py). Here: the problems of
the files themselves, the values of the rules' messages and the words of policies/README.md,
by id (see provisioner/words.py).
"""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
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
    "expert-review-needed": ("须由市政府信息办组织专家评审（art15）：{systems}",
                             "needs an expert review by the information office (art15): {systems}"),
    "table-head": ("位置 where|规则 rule|级别 severity|条款 article|说明 message", "where|rule|severity|article|message"),
    "invalid-spec": ("申请有误", "invalid spec"),
    "no-findings": ("没有发现问题", "no findings"),
    "department": ("单位", "department"),
    "systems": ("系统数", "systems"),
    "department-totals": ("各单位资源合计（含待批申请；合计/上限，art15、art27）",
                          "department totals under request_specs/, pending requests included (total/cap, art15, art27)"),
    # the values of the rules' messages (policy/rules/*.py, policy/measures.py)
    "measure-hosts": ("云主机台数", "hosts"),
    "measure-vcpus": ("vCPU 核数", "vCPUs"),
    "measure-ram-gb": ("内存（GB）", "GB of memory"),
    "measure-block-storage-gb": ("块存储和文件存储（GB）", "GB of block and file storage"),
    "measure-database-storage-gb": ("数据库存储（GB，主备计两份）", "GB of database storage (a standby counts twice)"),
    "measure-object-storage-gb": ("对象存储（GB）", "GB of object storage"),
    "measure-internet-mbps": ("互联网带宽（Mbps）", "Mbps of internet bandwidth"),
    "measure-public-ips": ("弹性公网 IP 数", "public IPs"),
    "measure-load-balancers": ("负载均衡数", "load balancers"),
    "agreement-service-hosts": ("云主机", "cloud hosts"),
    "agreement-service-databases": ("云数据库", "cloud databases"),
    "agreement-service-storage": ("云存储", "cloud storage"),
    "agreement-service-network": ("网络（公网带宽、弹性 IP、负载均衡）", "network (bandwidth, public IPs, load balancers)"),
    "agreement-service-security": ("云安全服务", "cloud security services"),
    "agreement-term": ("{id}（{starts}至{ends}，{filed}备案）", "{id} ({starts} to {ends}, filed {filed})"),
    "security-service": ("{service} {code}", "{service} ({code})"),
    "ports-all": ("全部协议和端口", "every protocol and port"),
    "ports-of-protocol": ("全部 {protocol} 端口", "every {protocol} port"),
    "ports": ("{protocol} 端口 {ports}", "{protocol} port {ports}"),
    "idle-public-ips": ("弹性公网 IP {count} 个", "{count} public IP(s)"),
    "idle-internet-mbps": ("互联网带宽 {mbps} Mbps", "{mbps} Mbps of internet bandwidth"),
    "idle-both": ("{first}和{second}", "{first} and {second}"),
    "region-named": ("{name}（{code}）", "{name} ({code})"),
    # a finding as people read it (policy/findings.py): its severity, message and fix
    "sentence-ends": ("？。！", "?.!"),       # the marks that end a sentence, each one character
    "finding-advice": ("{message}修改：{fix}", "{message} Fix: {fix}"),
    "finding-advice-joined": ("{message}。修改：{fix}", "{message}; fix: {fix}"),
    "finding-sentence": ("【{severity}】{advice}", "[{severity}] {advice}"),
    # policies/README.md (policy/docs.py): a bilingual document, each heading in both languages
    "docs-title": ("政务云政策", "Policies of the information office"),
    "docs-intro": ("市政府信息办的规则以数据形式保存在本目录，每个合并请求（`govcloud validate`、`govcloud policy check`）"
                   "和每次 `pulumi up`（程序自行检查其申请）都按同一套规则检查。",
                   "The office's rules live here as data. The same rule set is checked on every merge request "
                   "(`govcloud validate`, `govcloud policy check`, `govcloud policy report`) and again by the Pulumi "
                   "program itself, so a hand-run `pulumi up` cannot bypass a mandatory rule. Each finding names its "
                   "rule, the article it serves, the file:line of the offending value and how to fix it."),
    "docs-effect-mandatory": ("阻止合并，`pulumi up` 也拒绝执行", "blocks the merge request and `pulumi up`"),
    "docs-effect-expert-review": ("不驳回，由信息办组织专家评审（art15）", "not rejected: the office calls an expert review"),
    "docs-effect-advisory": ("提示审核人员，不阻止", "shown to the reviewers, blocks nothing"),
    "docs-file-catalogue": ("采购目录", "Procured catalogue (art5)"),
    "docs-file-on-demand": ("按需分配", "Allocate on demand (art15)"),
    "docs-file-security-baseline": ("安全基线", "Security baseline (art12, art13, art20, art26)"),
    "docs-file-naming": ("命名规则", "Naming (art14, art27)"),
    "docs-file-agreements": ("服务协议", "Service agreements (art22)"),
    "docs-file-inspection": ("安全检查", "Security inspection of the running cloud (art12, art13, art20, art21, art24)"),
    "docs-severities": ("严重程度", "Severities"),
    "docs-all-rules": ("规则一览", "All rules"),
    "docs-rule": ("规则", "rule"),
    "docs-language": ("中文", "English"),
    "docs-host-flavors": ("云主机规格", "Host flavors"),
    "docs-database-flavors": ("云数据库规格", "Database flavors (a standby doubles the instance)"),
    "docs-images": ("镜像", "Images"),
    "docs-volume-types": ("云硬盘类型", "Volume types"),
    "docs-database-engines": ("数据库引擎", "Database engines"),
    "docs-offers": ("本云提供的能力", "What this cloud builds (anything else is refused: `cloud-unsupported`)"),
    "docs-measure": ("度量", "measure"),
    "docs-department-limits": ("单位的专门上限", "Department limits of their own"),
    "docs-region": ("地区", "region"),
})

