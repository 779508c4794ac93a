"""The words of govcloud's top-level modules (provisioner/*.py), in Chinese and English.

Each package keeps its own table in its messages.py; this one is for the modules that sit
beside the packages (regulation, calendar, settings, clock, credentials and the like).
See provisioner/words.py.
"""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    # regulation.py: the regulation's own words for each of its numbers (九府办发〔2019〕19号, in Chinese; the
    # English is a translation), then a term as a sentence states it ("3 个工作日", "两个月"); the number is
    # the Term's, months and years counted in words as the regulation writes them
    "art15-decide": ("在{count}个工作日内提出受理意见", "gives its opinion on accepting the request within {count} working days"),
    "art16-prepare-trial": ("云服务商根据受理意见在{count}个工作日内准备好相应的云资源",
                            "the provider prepares the cloud resources within {count} working days of the acceptance"),
    "art16-trial": ("免费提供试用环境，试用时间为{count}天，确有必要的可适当延长试用时间",
                    "a free trial environment for {count} days, extended as appropriate where truly necessary"),
    "art18-change": ("审核通过后，云服务商应当在{count}个工作日内完成变更",
                     "once approved, the provider completes the change within {count} working days"),
    "art23-legacy-kept": ("迁移上线后，应保留原应用系统原则上不少于{count}个月",
                          "after a migrated system goes live, the original system is kept, as a rule, no less than "
                          "{count} months"),
    "art26-logs-kept": ("日志信息应至少完整保存{count}年", "logs are kept complete for at least {count} year"),
    "art28-service-cycle": ("在一个云服务周期（{count}年）满后……核算服务费用",
                            "after each cloud service cycle ({count} year) ... the service fee is settled"),
    "term-working-days": ("{count} 个工作日", "{count} working days"),
    "term-working-days-one": ("{count} 个工作日", "{count} working day"),
    "term-calendar-days": ("{count} 天", "{count} calendar days"),
    "term-calendar-days-one": ("{count} 天", "{count} calendar day"),
    "term-months": ("{count}个月", "{count} months"),
    "term-months-one": ("{count}个月", "{count} month"),
    "term-years": ("{count}年", "{count} years"),
    "term-years-one": ("{count}年", "{count} year"),
    "count-1": ("一", "one"),
    "count-2": ("两", "two"),
    # calendar.py: what a deadline cannot be counted from (raised as ValueError: the callers' input)
    "calendar-working-days": ("工作日数应在 1 至 {most} 之间，而不是 {count}",
                              "working days must be between 1 and {most}, not {count}"),
    "calendar-trial-days": ("试用天数应为正数、延长天数不能为负（试用 {days} 天，延长 {extension} 天）",
                            "trial days must be positive and extension days not negative "
                            "(trial {days} days, extension {extension} days)"),
    # calendar.py: a deadline counted over a year whose holidays nobody recorded
    "holidays-unknown": ("警告：{years} 年的法定节假日安排未知（policies/calendar/<年>.yaml 与 chinese-calendar 均无），"
                         "已按周一至周五推定，该日期不确定。请将国务院公布的安排录入 policies/calendar/{first}.yaml。",
                         "WARNING: the official holiday schedule for {years} is unknown (neither "
                         "policies/calendar/<year>.yaml nor the chinese-calendar package has it); Monday to "
                         "Friday was assumed, so this date is UNCERTAIN. Record the State Council's schedule in "
                         "policies/calendar/{first}.yaml."),
    # wops: clock.py, passphrase.py, settings.py, credentials.py, rotation.py, pending_creates.py
    "clock-bad-moment": ("{variable} 应为 ISO 日期或日期时间，例如 2026-12-21T09:00（未写时区即为上海时间），而不是 {text!r}",
                         "{variable} must be an ISO date or date-time such as 2026-12-21T09:00 "
                         "(Asia/Shanghai when no zone is given), not {text!r}"),
    "passphrase-unreadable": ("无法读取 GOVCLOUD_PASSPHRASE_FILE {path}：{reason}",
                              "GOVCLOUD_PASSPHRASE_FILE {path} cannot be read: {reason}"),
    "passphrase-too-big": ("GOVCLOUD_PASSPHRASE_FILE {path} 超过 {limit} 字节，不是口令文件",
                           "GOVCLOUD_PASSPHRASE_FILE {path} is over {limit} bytes: not a passphrase file"),
    "passphrase-not-utf8": ("GOVCLOUD_PASSPHRASE_FILE {path} 不是 UTF-8 文本",
                            "GOVCLOUD_PASSPHRASE_FILE {path} is not UTF-8 text"),
    "passphrase-empty": ("GOVCLOUD_PASSPHRASE_FILE {path} 为空", "GOVCLOUD_PASSPHRASE_FILE {path} is empty"),
    "passphrase-dev": ("GOVCLOUD_PASSPHRASE_FILE {path} 中是开发云公开的口令：云 {cloud} 须使用自己的口令",
                       "GOVCLOUD_PASSPHRASE_FILE {path} holds the development cloud's public passphrase: "
                       "cloud {cloud} needs a passphrase of its own"),
    "passphrase-short": ("GOVCLOUD_PASSPHRASE_FILE {path} 中的口令只有 {length} 个字符：云 {cloud} 至少需要 {minimum} 个",
                         "the passphrase in GOVCLOUD_PASSPHRASE_FILE {path} has {length} characters: "
                         "cloud {cloud} needs at least {minimum}"),
    "passphrase-missing": ("云 {cloud} 须设置 GOVCLOUD_PASSPHRASE_FILE：开发口令只用于开发云 {dev_cloud}",
                           "cloud {cloud} needs GOVCLOUD_PASSPHRASE_FILE: the development "
                           "passphrase only protects the development cloud {dev_cloud}"),
    "settings-no-engine": ("{path} 下没有 Pulumi 引擎：请运行 scripts/build-engine",
                           "no Pulumi engine at {path}: run scripts/build-engine"),
    "settings-no-clouds-yaml": ("{path} 处没有 clouds.yaml：请用 scripts/devcloud/devcloud start 启动本地云，"
                                "或设置 OS_CLIENT_CONFIG_FILE",
                                "no clouds.yaml at {path}: start the local cloud with "
                                "scripts/devcloud/devcloud start, or set OS_CLIENT_CONFIG_FILE"),
    "settings-no-root": ("不在 govcloud 仓库内（{start} 及其上级目录中没有 Pulumi.yaml 和 request_specs/）",
                         "not inside a govcloud repository (no Pulumi.yaml and request_specs/ above {start})"),
    "settings-seconds-not-number": ("{name} 应为秒数，而不是 {text!r}", "{name} must be a number of seconds, not {text!r}"),
    "settings-seconds-not-positive": ("{name} 应大于 0（{text}）", "{name} must be more than 0 ({text})"),
    "settings-seconds-negative": ("{name} 不能小于 0（{text}）", "{name} must be at least 0 ({text})"),
    "credentials-stack-file-bad": ("{path}：{problem}", "{path}: {problem}"),
    "credentials-list-bad": ("{setting} 应为 {{name, expires}} 的列表，而不是 {value!r}",
                             "{setting} must be a list of {{name, expires}}, not {value!r}"),
    "credentials-same-second": ("本秒内已签发过凭据 {name}", "a credential {name} was already issued this second"),
    "credentials-no-requests": ("没有单位 {department} 的申请（request_specs/{department}/）",
                                "no request of department {department} under request_specs/{department}/"),
    "credentials-no-tenant-stack": ("单位 {department} 的租户栈 {tenant} 尚未创建，请先运行 govcloud apply",
                                    "the tenant stack {tenant} of {department} was never made: run govcloud apply first"),
    "credentials-not-issued": ("租户栈 {tenant} 未创建凭据 {name}：其栈文件是否被改过？",
                               "the tenant stack {tenant} did not make {name}: is its stack file edited?"),
    "pending-adopted": ("{name}：已接管被中断的运行所创建的 {adopted}", "{name}: adopted {adopted}, made by the interrupted run"),
    "pending-made-again": ("{name}：重新设置", "{name}: made again"),
    "pending-made-now": ("{name}：被中断的运行未创建，本次创建", "{name}: not made by the interrupted run; made now"),
    "pending-dropped": ("{decision}（已删除出错或重复的 {dropped}）", "{decision} (deleted {dropped}: in error or made twice)"),
})
