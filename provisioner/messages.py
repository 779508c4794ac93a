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
    # calendar.py: a deadline counted over a year whose holidays nobody recorded
    "holidays-unknown": ("警告：{years} 年的法定节假日安排未知（policies/calendar/<年>.yaml 与 chinese-calendar 均无），"
                         "已按周一至周五推定，该日期不确定。请将国务院公布的安排录入 policies/calendar/{first}.yaml。",
                         "WARNING: the official holiday schedule for {years} is unknown (neither "
                         "policies/calendar/<year>.yaml nor the chinese-calendar package has it); Monday to "
                         "Friday was assumed, so this date is UNCERTAIN. Record the State Council's schedule in "
                         "policies/calendar/{first}.yaml."),
})
