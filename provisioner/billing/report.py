"""The settlement report: HTML for people (Chinese by default, inline SVG charts) and CSV for
finance (UTF-8 with BOM, so spreadsheet software reads the Chinese); pure: strings out.

Every amount of money, in the HTML and the CSV alike, is shown one way: two places and
thousands separators (`money.yuan`, 1,587.53). Fees are the rounded fees
(provisioner.billing.money.fee); usage costs and priced lines are exact and only their
display is rounded. Quantities carry their unit spelled out (vCPU·h, GiB·月), in the period
their kind is priced per, trial lines too.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from html import escape

from provisioner.billing import charts, money
from provisioner.billing.crosscheck import CrossCheck
from provisioner.billing.messages import region_name, text
from provisioner.billing.settlement import Settlement, SystemBill
from provisioner.calendar import SHANGHAI
from provisioner.metering.resources import BY_KEY

_L = {
    "title": ("九江市政务云 {year} 年度服务费用结算报告", "Jiujiang government cloud: settlement of {year}"),
    "basis": ("依据《九江市政务云服务管理办法》第二十七至三十条：按县区和单位汇总实际使用量，按采购单价计费，"
              "试用期免费（第十六条），结合服务商考核结果与资源利用率确定年度费用。",
              "Under arts. 27-30 of the Jiujiang regulation: actual use per county and unit, at the procured "
              "prices, trial free (art16), adjusted by the provider's evaluation and the utilisation rate."),
    "summary": ("一、总览", "1. Summary"), "region": ("区域", "region"), "departments": ("单位数", "departments"),
    "systems": ("系统数", "systems"), "cost": ("用量费用（调整前，元）", "usage cost before factors (yuan)"),
    "score": ("考核得分", "evaluation score"), "efactor": ("考核系数", "evaluation factor"),
    "fee": ("结算金额（元）", "fee (yuan)"), "total": ("合计", "total"),
    "usage": ("二、各单位月度用量费用", "2. Monthly usage cost per department"),
    "usage-chart": ("各单位月度用量费用（元，调整前）", "Monthly usage cost per department (yuan, before factors)"),
    "usage-empty": ("{year} 年没有生产期用量：试用期免费（第十六条），尚无系统转入生产",
                    "no production use in {year}: trial time is free (art16) and no system went live"),
    "util-empty": ("{year} 年没有可计算的利用率：利用率按生产期费用加权（第三十条），尚无生产期费用",
                   "no utilisation to show for {year}: it is weighted by production cost (art30), and there is none"),
    "deadline-empty": ("{year} 年没有到期的服务商期限（第十六、十八条）",
                       "no provider deadline came due in {year} (art16, art18)"),
    "others": ("其他单位", "others"),
    "util": ("三、资源利用率", "3. Utilisation"),
    "util-chart": ("各单位资源利用率（按费用加权）", "Utilisation per department (cost-weighted)"),
    "deadlines": ("四、服务商期限达成情况（第十六、十八条）", "4. Provider deadlines met (art16, art18)"),
    "deadline-chart": ("各区域服务商期限：按期 / 超期", "Provider deadlines per region: met / breached"),
    "met": ("按期", "met"), "breached": ("超期", "breached"),
    "evaluation": ("五、服务商考核（第二十九条）", "5. Provider evaluation (art29)"),
    "response": ("服务响应", "service response"), "satisfaction": ("满意度", "satisfaction"),
    "quality": ("服务质量", "quality"), "source": ("录入依据", "source"),
    "dept-table": ("六、各单位结算明细", "6. Fees per department"),
    "department": ("单位", "department"), "name": ("名称", "name"),
    "sys-table": ("七、各系统结算明细", "7. Fees per system"), "system": ("系统", "system"),
    "utilisation": ("利用率", "utilisation"), "ufactor": ("利用率系数", "utilisation factor"),
    "notes": ("说明", "Notes"),
    "note-round": ("金额计算全程精确，仅对每个系统的结算金额按四舍五入（ROUND_HALF_UP）保留到分一次；单位和区域合计为各系统金额之和。"
                   "用量费用与明细金额按精确值计算，显示时保留两位小数。",
                   "Amounts are exact until each system's fee, rounded once, half up, to 0.01 yuan; department and "
                   "region totals are sums of those fees. Usage costs and priced lines are exact; only their display "
                   "is rounded to two places."),
    "note-formula": ("结算金额 = 用量费用 × 考核系数 × 利用率系数（policies/settlement.yaml）。",
                     "fee = usage cost x evaluation factor x utilisation factor (policies/settlement.yaml)."),
    "ratio-note": ("虚线为利用率系数分档线", "dashed lines: utilisation factor bands"),
}


def _t(key: str, lang: str, **values: object) -> str:
    zh, en = _L[key]
    return (en if lang == "en" else zh).format(**values)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _table(head: list[str], rows: list[list[str]], numeric_from: int = 1, numeric_to: int | None = None) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    last = len(head) if numeric_to is None else numeric_to
    body = []
    for row in rows:
        body.append("<tr>" + "".join(f'<td class="{"num" if numeric_from <= i < last else ""}">{escape(c)}</td>'
                                     for i, c in enumerate(row)) + "</tr>")
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _summary(s: Settlement, lang: str) -> str:
    rows = []
    for r in s.regions:
        ev = r.evaluation
        rows.append([region_name(r.region, lang), str(len(r.departments)), str(sum(len(d.systems) for d in r.departments)),
                     money.yuan(sum((d.cost for d in r.departments), 0)), money.shown(ev.score, 2) if ev else "",
                     money.factor(ev.factor) if ev else "", money.yuan(r.fee)])
    rows.append([_t("total", lang), str(sum(len(r.departments) for r in s.regions)), str(len(s.systems())),
                 money.yuan(sum((b.cost for b in s.systems()), 0)), "", "", money.yuan(s.fee)])
    head = [_t(k, lang) for k in ("region", "departments", "systems", "cost", "score", "efactor", "fee")]
    return _table(head, rows)


def _months(s: Settlement) -> list[date]:
    """Every month of the settled period: January to December, or to the provisional end."""
    last = 12 if s.until is None else (s.until - timedelta(microseconds=1)).astimezone(SHANGHAI).month
    return [date(s.year, m, 1) for m in range(1, last + 1)]


def _usage_chart(s: Settlement, lang: str, months: list[date]) -> str:
    per_dept: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for r in s.regions:
        for d in r.departments:
            label = f"{region_name(r.region, lang)} {d.name}"
            for b in d.systems:
                for month, amount in b.cost_by_month.items():
                    per_dept[label][month] += float(amount)
    ranked = sorted(per_dept, key=lambda k: -sum(per_dept[k].values()))
    top, rest = ranked[:8], ranked[8:]
    series = [(label, [per_dept[label][m] for m in months]) for label in top]
    if rest:
        series.append((_t("others", lang), [sum(per_dept[k][m] for k in rest) for m in months]))
    categories = [f"{m.month}月" if lang != "en" else m.strftime("%b") for m in months]
    return charts.stacked_bars(categories, series, _t("usage-chart", lang), empty=_t("usage-empty", lang, year=s.year))


def _util_chart(s: Settlement, lang: str, marks: list[tuple[float, str]]) -> str:
    items = []
    for r in s.regions:
        for d in r.departments:
            weighted = [(b.cost, b.utilisation) for b in d.systems if b.utilisation is not None]
            total = sum(c for c, _ in weighted)
            if weighted and total:
                items.append((f"{region_name(r.region, lang)} {d.name}", float(sum(c * u for c, u in weighted) / total)))
    items.sort(key=lambda item: item[1])
    return charts.horizontal_bars(items[:30], _t("util-chart", lang), _pct, marks=marks,
                                  empty=_t("util-empty", lang, year=s.year))


def _deadline_chart(s: Settlement, lang: str) -> str:
    regions = [r for r in s.regions if r.evaluation is not None]
    return charts.grouped_bars([region_name(r.region, lang) for r in regions],
                               [(_t("met", lang), [r.evaluation.met for r in regions]),         # type: ignore[union-attr]
                                (_t("breached", lang), [r.evaluation.breached for r in regions])],  # type: ignore[union-attr]
                               _t("deadline-chart", lang), colors=("#3b9c5a", "#c0453b"),
                               empty=_t("deadline-empty", lang, year=s.year))


def _evaluation(s: Settlement, lang: str) -> str:
    rows = [[region_name(r.region, lang), f"{money.shown(r.evaluation.service_response, 2)}（{r.evaluation.met}/"
             f"{r.evaluation.met + r.evaluation.breached}）", money.shown(r.evaluation.satisfaction, 2),
             money.shown(r.evaluation.quality, 2), money.shown(r.evaluation.score, 2), money.factor(r.evaluation.factor),
             r.evaluation.source] for r in s.regions if r.evaluation is not None]
    head = [_t(k, lang) for k in ("region", "response", "satisfaction", "quality", "score", "efactor", "source")]
    return _table(head, rows, numeric_to=6)


def _departments(s: Settlement, lang: str) -> str:
    rows = [[region_name(r.region, lang), d.department, d.name, str(len(d.systems)), money.yuan(d.cost), money.yuan(d.fee)]
            for r in s.regions for d in r.departments]
    head = [_t(k, lang) for k in ("region", "department", "name", "systems", "cost", "fee")]
    return _table(head, rows, numeric_from=3)


def _systems(s: Settlement, lang: str) -> str:
    rows = [[region_name(b.region, lang), b.department, b.system, b.name, money.yuan(b.cost),
             "" if b.utilisation is None else _pct(float(b.utilisation)), money.factor(b.utilisation_factor),
             money.factor(b.evaluation_factor), money.yuan(b.fee)] for b in s.systems()]
    head = [_t(k, lang) for k in ("region", "department", "system", "name", "cost", "utilisation", "ufactor",
                                  "efactor", "fee")]
    return _table(head, rows, numeric_from=4)


CSS = """body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:2px solid #2f6db5}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#eef3fa}td.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:13px}
.warn{color:#a33;font-weight:bold}svg{display:block;margin:8px 0}"""


def html(s: Settlement, lang: str = "zh", crosscheck: CrossCheck | None = None,
         marks: list[tuple[float, str]] | None = None) -> str:
    """The whole report; `s` must be complete (a stopped settlement has no report, only its list)."""
    months = _months(s)
    parts = [f"<h1>{escape(_t('title', lang, year=s.year))}</h1>", f"<p class=note>{escape(_t('basis', lang))}</p>"]
    if s.until is not None:
        until = s.until.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        parts.append(f"<p class=warn>{escape(text('provisional', lang, year=s.year, until=until))}</p>")
    if crosscheck is not None:
        checked = text("crosscheck-ok", lang, compared=crosscheck.compared, periods=crosscheck.periods,
                       max_relative=f"{crosscheck.max_relative:.2e}")
    else:
        checked = text("crosscheck-none", lang)
    parts.append(f"<p class=note>{escape(checked)}</p>")
    parts += [f"<h2>{escape(_t('summary', lang))}</h2>", _summary(s, lang),
              f"<h2>{escape(_t('usage', lang))}</h2>", _usage_chart(s, lang, months),
              f"<h2>{escape(_t('util', lang))}</h2>", _util_chart(s, lang, marks or []),
              f"<p class=note>{escape(_t('ratio-note', lang))}</p>",
              f"<h2>{escape(_t('deadlines', lang))}</h2>", _deadline_chart(s, lang),
              f"<h2>{escape(_t('evaluation', lang))}</h2>", _evaluation(s, lang),
              f"<h2>{escape(_t('dept-table', lang))}</h2>", _departments(s, lang),
              f"<h2>{escape(_t('sys-table', lang))}</h2>", _systems(s, lang),
              f"<h2>{escape(_t('notes', lang))}</h2>",
              f"<p class=note>{escape(_t('note-formula', lang))}</p><p class=note>{escape(_t('note-round', lang))}</p>"]
    language = "en" if lang == "en" else "zh-CN"
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{escape(_t('title', lang, year=s.year))}</title><style>{CSS}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


# -- CSV for finance ----------------------------------------------------------------------------

_CSV_HEAD = {
    "departments": (["区域代码", "区域", "单位代码", "单位名称", "系统数", "用量费用（调整前，元）", "结算金额（元）"],
                    ["region code", "region", "department", "department name", "systems",
                     "usage cost before factors (yuan)", "fee (yuan)"]),
    "systems": (["区域代码", "单位代码", "系统代码", "系统名称", "用量费用（调整前，元）", "利用率", "利用率系数", "考核系数",
                 "结算金额（元）"],
                ["region code", "department", "system", "system name", "usage cost before factors (yuan)", "utilisation",
                 "utilisation factor", "evaluation factor", "fee (yuan)"]),
    "lines": (["系统", "资源", "月份", "阶段", "计量单位", "数量", "单价（元/计量单位）", "价格起始日", "金额（元）"],
              ["system", "resource", "month", "phase", "unit", "quantity", "unit price (yuan per unit)", "rate from",
               "amount (yuan)"]),
}


def _csv(kind: str, rows: list[list[str]], lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_CSV_HEAD[kind][1 if lang == "en" else 0])
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def csv_departments(s: Settlement, lang: str = "zh") -> str:
    return _csv("departments", [[r.region, region_name(r.region, lang), d.department, d.name, str(len(d.systems)),
                                 money.yuan(d.cost), money.yuan(d.fee)] for r in s.regions for d in r.departments], lang)


def csv_systems(s: Settlement, lang: str = "zh") -> str:
    return _csv("systems", [[b.region, b.department, b.system, b.name, money.yuan(b.cost),
                             money.ratio_shown(b.utilisation), money.factor(b.utilisation_factor),
                             money.factor(b.evaluation_factor), money.yuan(b.fee)] for b in s.systems()], lang)


def _line_rows(b: SystemBill, lang: str) -> list[list[str]]:
    return [[b.key, BY_KEY[line.kind].title(lang), line.month.strftime("%Y-%m"), _PHASE[line.phase][lang == "en"],
             unit_name(line.kind, line.per, lang), _quantity(line.quantity),
             "" if line.unit_price is None else str(line.unit_price),
             "" if line.rate_from is None else line.rate_from.isoformat(), money.yuan(line.amount)]
            for line in b.lines]


_UNITS = {"vCPU": ("vCPU", "vCPU"), "GiB": ("GiB", "GiB"), "IP": ("IP", "IP"), "instance": ("实例", "instance")}
_PERIODS = {"hour": ("h", "h"), "day": ("日", "day"), "month": ("月", "month"), "year": ("年", "year")}


def unit_name(kind: str, per: str, lang: str = "zh") -> str:
    """What a line's quantity counts, spelled out: vCPU·h, GiB·月 (GiB·month)."""
    english = lang == "en"
    return f"{_UNITS[BY_KEY[kind].unit][english]}·{_PERIODS[per][english]}"


def _quantity(value: Fraction) -> str:
    return f"{Decimal(money.shown(value)):,}"


_PHASE = {"trial": ("试用（免费，第十六条）", "trial (free, art16)"), "production": ("生产", "production")}


def csv_lines(s: Settlement, lang: str = "zh") -> str:
    return _csv("lines", [row for b in s.systems() for row in _line_rows(b, lang)], lang)
