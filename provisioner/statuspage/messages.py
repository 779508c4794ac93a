"""The status page's words, in Chinese and English; each rule cites its article. See provisioner/words.py."""

from __future__ import annotations

from provisioner.words import Words

WORDS = Words({
    "title": ("九江市政务云运行状态", "Jiujiang government cloud: status"),
    "generated": ("截至 {now} 生成；期限按中国法定工作日计算（第十五至十九条），截至当日 23:59:59；试用期免费（第十六条）。",
                  "As of {now}; deadlines in PRC working days (art15-19), to 23:59:59 of the day; trial time is free "
                  "(art16)."),
    "uncertain": ("标 ? 的期限按推测的节假日安排计算", "deadlines marked ? are computed on a guessed holiday calendar"),
    "home": ("总览", "overview"),
    "regions": ("市本级与各县（市、区）", "The city and each county"),
    "attention": ("需要关注：{days} 个工作日内到期、已超期、试用暂停", "Needs attention: due within {days} working days, "
                  "overdue, trial held"),
    "attention-none": ("没有 {days} 个工作日内到期或已超期的期限", "no deadline due within {days} working days or overdue"),
    "attention-more": ("另有 {count} 个系统未列出，见各单位页面", "{count} more system(s): see the departments' pages"),
    "agreements": ("{days} 天内到期的服务协议（第二十二条）", "Service agreements ending within {days} days (art22)"),
    "agreements-none": ("没有 {days} 天内到期的服务协议", "no service agreement ends within {days} days"),
    "region": ("区域", "region"), "department": ("单位", "department"), "system": ("系统", "system"),
    "departments": ("单位数", "departments"), "systems": ("系统数", "systems"),
    "phase": ("阶段", "phase"), "deadline": ("下一期限", "next deadline"), "owed": ("责任方", "owed by"),
    "days": ("剩余工作日", "working days left"), "trial-end": ("试用截止", "trial ends"),
    "breaches": ("超期记录", "breaches"), "utilisation": ("利用率（本年）", "utilisation (this year)"),
    "year-cost": ("本年费用（元）", "cost this year (yuan)"), "month-cost": ("本月费用（元）", "cost this month (yuan)"),
    "links": ("申请 · 栈 · 台账", "spec · stacks · ledger"),
    "spec": ("申请文件", "request spec"), "stacks": ("Pulumi 栈", "Pulumi stacks"), "history": ("台账记录", "ledger history"),
    "no-file-title": ("仓库中没有这个文件", "no such file in the repository"),
    "links-note": ("申请文件和栈文件链接到仓库中的 request_specs/ 与 stacks/；划掉的灰色名称表示仓库中没有该文件。",
                   "Request specs and stack files link into the repository's request_specs/ and stacks/; a grey, "
                   "struck-out name has no file in the repository."),
    "agreement": ("协议编号", "agreement"), "ends": ("到期日", "ends"), "days-left": ("剩余天数", "days left"),
    "in-phase": ("各阶段系统数", "systems per phase"),
    "due-soon": ("{days} 个工作日内到期", "due within {days} working days"),
    "overdue": ("已超期", "overdue"), "held": ("试用暂停", "trial held"),
    "left": ("剩 {n} 个工作日", "{n} working day(s) left"), "today": ("今天到期", "due today"),
    "late": ("已超期 {n} 个工作日", "{n} working day(s) overdue"), "late-today": ("今天已过期", "passed today"),
    "left-calendar": ("剩 {n} 天", "{n} day(s) left"), "late-calendar": ("已超期 {n} 天", "{n} day(s) overdue"),
    "no-data": ("无数据", "no data"), "no-price": ("无单价", "no price"),
    "util-note": ("利用率：本年各资源（vCPU、内存、磁盘等）实际使用量与分配量之比的平均，取自计量台账（第三十条）；"
                  "“无数据”表示台账中尚无该系统的计量记录。",
                  "Utilisation: this year's used over granted resource-seconds, averaged over the kinds measured "
                  "(vCPU, memory, disks, ...), from the ledger's metering (art30); \"no data\": nothing metered yet."),
    "cost-note": ("费用为本年 1 月 1 日至今生产期用量按采购单价计算（第二十八条），未含考核与利用率系数（第三十条）。",
                  "Cost: production use since 1 January at the procured prices (art28), before the evaluation "
                  "and utilisation factors (art30)."),
    "no-prices": ("{year} 年没有价格目录（policies/prices/{year}.yaml）：不计费用（第二十八条）",
                  "no price list for {year} (policies/prices/{year}.yaml): no cost stated (art28)"),
    "chart": ("各区域本年生产费用（元）", "Production cost this year per region (yuan)"),
    "chart-empty": ("本年尚无生产期费用：试用期免费（第十六条）", "no production cost this year: trial time is free (art16)"),
    "chart-series": ("生产费用", "production cost"),
    "total": ("合计", "total"),
    "generation": ("第 {n} 代", "generation {n}"),
    "events": ("台账记录（{count} 条）", "Ledger history ({count} events)"),
    "events-none": ("台账中没有该系统的事件", "the ledger holds no event of this system"),
    "at": ("时间", "time"), "event": ("事件", "event"), "actor": ("操作人", "actor"), "rule": ("条款", "rule"),
    "by-kind": ("各资源利用率（本年）", "Utilisation per resource (this year)"),
    "kind": ("资源", "resource"), "ratio": ("使用 / 分配", "used / granted"),
    "facts": ("概况", "Facts"),
    "art22-days": ("剩 {n} 天", "{n} day(s) left"),
})
