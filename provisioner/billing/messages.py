"""The billing's words (the settlement, its report and CSV files, what runs unbilled), in Chinese
and English; each rule cites its article. See provisioner/words.py."""

from __future__ import annotations


from provisioner.words import DEFAULT_LANG, Words

# The city and its counties in the order the bill lists them; their names are sentences of the table.
REGIONS = ("city", "lianxi", "xunyang", "chaisang", "ruichang", "gongqingcheng", "lushan", "wuning", "xiushui",
           "yongxiu", "dean", "duchang", "hukou", "pengze")

WORDS = Words({
    # -- the regions' names -------------------------------------------------------------------
    "region-city": ("市本级", "city"),
    "region-lianxi": ("濂溪区", "Lianxi"),
    "region-xunyang": ("浔阳区", "Xunyang"),
    "region-chaisang": ("柴桑区", "Chaisang"),
    "region-ruichang": ("瑞昌市", "Ruichang"),
    "region-gongqingcheng": ("共青城市", "Gongqingcheng"),
    "region-lushan": ("庐山市", "Lushan"),
    "region-wuning": ("武宁县", "Wuning"),
    "region-xiushui": ("修水县", "Xiushui"),
    "region-yongxiu": ("永修县", "Yongxiu"),
    "region-dean": ("德安县", "De'an"),
    "region-duchang": ("都昌县", "Duchang"),
    "region-hukou": ("湖口县", "Hukou"),
    "region-pengze": ("彭泽县", "Pengze"),

    # -- what stops a settlement, and what `govcloud bill` prints -------------------------------
    "missing-price": ("缺少采购单价：{subject}，{period}（第二十八条）", "no procured price: {subject}, {period} (art28)"),
    "missing-prices-file": ("缺少价格目录 {subject}（第二十八条）", "no price catalogue {subject} (art28)"),
    "missing-allocation": ("无法计算分配量：{subject}（{detail}）", "allocation cannot be computed: {subject} ({detail})"),
    "missing-utilisation": ("缺少利用率计量数据：{subject}，{period}（第三十条）",
                            "no utilisation metering data: {subject}, {period} (art30)"),
    "missing-evaluation": ("缺少服务商考核录入：{subject}（{detail}，第二十九条）",
                           "no recorded provider evaluation: {subject} ({detail}, art29)"),
    "missing-prometheus": ("Prometheus 缺少计量数据：{subject}，{period}（{detail}）",
                           "no metering data in Prometheus: {subject}, {period} ({detail})"),
    "discrepancy": ("台账与 Prometheus 不一致：{series}，{start} 至 {end}：Prometheus {prometheus}，台账 {ledger}（相差 {relative}）",
                    "ledger and Prometheus disagree: {series}, {start} to {end}: Prometheus {prometheus}, "
                    "ledger {ledger} (off by {relative})"),
    "stopped": ("结算中止：{count} 项数据缺失或不一致，未出具任何金额。补齐后重新运行 govcloud bill。",
                "settlement stopped: {count} item(s) missing or in disagreement; no amount stated. "
                "Complete them and run govcloud bill again."),
    "crosscheck-ok": ("已与 Prometheus 核对：{compared} 个计数在 {periods} 个期间内一致（最大偏差 {max_relative}）",
                      "checked against Prometheus: {compared} counter(s) over {periods} period(s) agree "
                      "(largest difference {max_relative})"),
    "crosscheck-none": ("未与 Prometheus 核对（未指定 --prometheus 或 GOVCLOUD_PROMETHEUS_URL）",
                        "not checked against Prometheus (no --prometheus or GOVCLOUD_PROMETHEUS_URL)"),
    "provisional": ("{year} 年度尚未结束：用量计至 {until}，为暂估结算", "{year} is not over: usage up to {until}, a provisional settlement"),
    "region-total": ("{region}：{departments} 个单位，{systems} 个系统，结算金额 {fee} 元（考核系数 {factor}）",
                     "{region}: {departments} department(s), {systems} system(s), fee {fee} yuan (evaluation factor {factor})"),
    "grand-total": ("合计：{fee} 元", "total: {fee} yuan"),
    "written": ("已生成：{path}", "written: {path}"),

    # -- Prometheus, asked by the cross-check (billing/promql.py) -------------------------------
    "prometheus-http-error": ("Prometheus {url} 对查询 {query} 返回 {status}：{detail}",
                              "Prometheus {url} answered {status} to {query}: {detail}"),
    "prometheus-unreachable": ("无法连接 Prometheus {url}：{error}", "Prometheus {url} unreachable: {error}"),
    "prometheus-refused": ("Prometheus 拒绝了查询 {query}：{error}", "Prometheus refused {query}: {error}"),
    "prometheus-no-snapshot": ("{moments} 之前的覆盖时长内没有快照", "no snapshot within coverage of {moments}"),
    "prometheus-no-series": ("缺少该序列", "series missing"),

    # -- the settlement report (billing/report.py) ----------------------------------------------
    "report-title": ("九江市政务云 {year} 年度服务费用结算报告", "Jiujiang government cloud: settlement of {year}"),
    "report-basis": ("依据《九江市政务云服务管理办法》第二十七至三十条：按县区和单位汇总实际使用量，按采购单价计费，"
                     "试用期免费（第十六条），结合服务商考核结果与资源利用率确定年度费用。",
                     "Under arts. 27-30 of the Jiujiang regulation: actual use per county and unit, at the procured "
                     "prices, trial free (art16), adjusted by the provider's evaluation and the utilisation rate."),
    "report-summary": ("一、总览", "1. Summary"),
    "report-region": ("区域", "region"),
    "report-departments": ("单位数", "departments"),
    "report-systems": ("系统数", "systems"),
    "report-cost": ("用量费用（调整前，元）", "usage cost before factors (yuan)"),
    "report-score": ("考核得分", "evaluation score"),
    "report-efactor": ("考核系数", "evaluation factor"),
    "report-fee": ("结算金额（元）", "fee (yuan)"),
    "report-total": ("合计", "total"),
    "report-usage": ("二、各单位月度用量费用", "2. Monthly usage cost per department"),
    "report-usage-chart": ("各单位月度用量费用（元，调整前）", "Monthly usage cost per department (yuan, before factors)"),
    "report-usage-empty": ("{year} 年没有生产期用量：试用期免费（第十六条），尚无系统转入生产",
                           "no production use in {year}: trial time is free (art16) and no system went live"),
    "report-util-empty": ("{year} 年没有可计算的利用率：利用率按生产期费用加权（第三十条），尚无生产期费用",
                          "no utilisation to show for {year}: it is weighted by production cost (art30), and there is none"),
    "report-deadline-empty": ("{year} 年没有到期的服务商期限（第十六、十八条）",
                              "no provider deadline came due in {year} (art16, art18)"),
    "report-others": ("其他单位", "others"),
    "report-month": ("{month.month}月", "{month:%b}"),
    "report-util": ("三、资源利用率", "3. Utilisation"),
    "report-util-chart": ("各单位资源利用率（按费用加权）", "Utilisation per department (cost-weighted)"),
    "report-deadlines": ("四、服务商期限达成情况（第十六、十八条）", "4. Provider deadlines met (art16, art18)"),
    "report-deadline-chart": ("各区域服务商期限：按期 / 超期", "Provider deadlines per region: met / breached"),
    "report-met": ("按期", "met"),
    "report-breached": ("超期", "breached"),
    "report-evaluation": ("五、服务商考核（第二十九条）", "5. Provider evaluation (art29)"),
    "report-response": ("服务响应", "service response"),
    "report-response-count": ("{score}（{met}/{due}）", "{score} ({met}/{due})"),
    "report-satisfaction": ("满意度", "satisfaction"),
    "report-quality": ("服务质量", "quality"),
    "report-source": ("录入依据", "source"),
    "report-dept-table": ("六、各单位结算明细", "6. Fees per department"),
    "report-department": ("单位", "department"),
    "report-name": ("名称", "name"),
    "report-sys-table": ("七、各系统结算明细", "7. Fees per system"),
    "report-system": ("系统", "system"),
    "report-utilisation": ("利用率", "utilisation"),
    "report-ufactor": ("利用率系数", "utilisation factor"),
    "report-notes": ("说明", "Notes"),
    "report-note-round": ("金额计算全程精确，仅对每个系统的结算金额按四舍五入（ROUND_HALF_UP）保留到分一次；单位和区域合计为各系统金额之和。"
                          "用量费用与明细金额按精确值计算，显示时保留两位小数。",
                          "Amounts are exact until each system's fee, rounded once, half up, to 0.01 yuan; department and "
                          "region totals are sums of those fees. Usage costs and priced lines are exact; only their display "
                          "is rounded to two places."),
    "report-note-formula": ("结算金额 = 用量费用 × 考核系数 × 利用率系数（policies/settlement.yaml）。",
                            "fee = usage cost x evaluation factor x utilisation factor (policies/settlement.yaml)."),
    "report-ratio-note": ("虚线为利用率系数分档线", "dashed lines: utilisation factor bands"),

    # -- the CSV files for finance: their heads ------------------------------------------------
    "csv-region-code": ("区域代码", "region code"),
    "csv-region": ("区域", "region"),
    "csv-department-code": ("单位代码", "department"),
    "csv-department-name": ("单位名称", "department name"),
    "csv-systems": ("系统数", "systems"),
    "csv-cost": ("用量费用（调整前，元）", "usage cost before factors (yuan)"),
    "csv-fee": ("结算金额（元）", "fee (yuan)"),
    "csv-system-code": ("系统代码", "system"),
    "csv-system-name": ("系统名称", "system name"),
    "csv-utilisation": ("利用率", "utilisation"),
    "csv-ufactor": ("利用率系数", "utilisation factor"),
    "csv-efactor": ("考核系数", "evaluation factor"),
    "csv-system": ("系统", "system"),
    "csv-resource": ("资源", "resource"),
    "csv-month": ("月份", "month"),
    "csv-phase": ("阶段", "phase"),
    "csv-unit": ("计量单位", "unit"),
    "csv-quantity": ("数量", "quantity"),
    "csv-unit-price": ("单价（元/计量单位）", "unit price (yuan per unit)"),
    "csv-rate-from": ("价格起始日", "rate from"),
    "csv-amount": ("金额（元）", "amount (yuan)"),
    "line-trial": ("试用（免费，第十六条）", "trial (free, art16)"),
    "line-production": ("生产", "production"),

    # -- units a priced line counts in (provisioner/allocation/kinds.py), and their periods ----
    "unit-vCPU": ("vCPU", "vCPU"),
    "unit-GiB": ("GiB", "GiB"),
    "unit-IP": ("IP", "IP"),
    "unit-instance": ("实例", "instance"),
    "unit-Mbps": ("Mbps", "Mbps"),
    "unit-LB": ("个", "LB"),
    "unit-service": ("项", "service"),
    "per-hour": ("h", "h"),
    "per-day": ("日", "day"),
    "per-month": ("月", "month"),
    "per-year": ("年", "year"),

    # -- what runs unbilled (billing/unaccounted.py, art27-28) ---------------------------------
    "unaccounted-item": ("未入台账的资源：项目 {project}（{region}/{department}）{kind} {name}（{id}）：{reason}",
                         "unaccounted resource: project {project} ({region}/{department}) {kind} {name} ({id}): {reason}"),
    "unaccounted-not-settled": ("年度未结清：云平台中有 {count} 项资源不属于台账中的任何系统，计费不完整（第二十七、二十八条）。"
                                "结算报告已生成但不作为结清依据；请纳管（govcloud adopt）或删除这些资源后重新运行 govcloud bill。",
                                "not settled: {count} resource(s) in the cloud belong to no system in the ledger, so the bill is "
                                "incomplete (art27-28). The report is written but does not settle the year; bring them under "
                                "govcloud (govcloud adopt) or delete them, then run govcloud bill again."),
    "unaccounted-checked": ("已与云平台核对：{resources} 项资源均属于台账中的系统",
                            "checked against the cloud: all {resources} resource(s) belong to systems in the ledger"),
    "unaccounted-unchecked": ("未与云平台核对（--inventory none）：不能确认没有未计费的资源",
                              "not checked against the cloud (--inventory none): nothing shows that everything running is billed"),
    "unaccounted-title": ("未结清：未入台账的资源", "Not settled: resources outside the ledger"),
    "unaccounted-unlabelled": ("没有 govcloud 标签，系手工创建", "no govcloud labels: made by hand"),
    "unaccounted-not-in-ledger": ("标签所指系统 {system} 不在台账中", "its labels name {system}, which the ledger does not hold"),
    "unaccounted-not-live": ("台账中的系统 {system} 现不应占用资源（未受理、未通过或已终止）",
                             "the ledger's {system} holds nothing now (not accepted, rejected or terminated)"),
    "unaccounted-csv-project": ("项目", "project"),
    "unaccounted-csv-region": ("区域", "region"),
    "unaccounted-csv-department": ("单位", "department"),
    "unaccounted-csv-kind": ("类型", "kind"),
    "unaccounted-csv-name": ("名称", "name"),
    "unaccounted-csv-id": ("ID", "id"),
    "unaccounted-csv-system": ("标签所指系统", "system named by its labels"),
    "unaccounted-csv-reason": ("原因", "reason"),
})


def region_name(code: str, lang: str = DEFAULT_LANG) -> str:
    """The region's name in `lang`; a code the table does not know (the ledger's own) as it is."""
    key = f"region-{code}"
    return WORDS.say(key, lang) if key in WORDS else code
