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
from provisioner.billing.messages import WORDS, region_name
from provisioner.billing.settlement import Settlement, SystemBill
from provisioner.calendar import SHANGHAI
from provisioner.metering.resources import BY_KEY

def _t(key: str, lang: str, **values: object) -> str:
    """A sentence of the report (its ids are the table's "report-" ones)."""
    return WORDS.say(f"report-{key}", lang, **values)


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
    categories = [_t("month", lang, month=m) for m in months]
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
    rows = [[region_name(r.region, lang),
             _t("response-count", lang, score=money.shown(r.evaluation.service_response, 2), met=r.evaluation.met,
                due=r.evaluation.met + r.evaluation.breached),
             money.shown(r.evaluation.satisfaction, 2),
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
        parts.append(f"<p class=warn>{escape(WORDS.say('provisional', lang, year=s.year, until=until))}</p>")
    if crosscheck is not None:
        checked = WORDS.say("crosscheck-ok", lang, compared=crosscheck.compared, periods=crosscheck.periods,
                       max_relative=f"{crosscheck.max_relative:.2e}")
    else:
        checked = WORDS.say("crosscheck-none", lang)
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

_CSV_HEAD = {       # each column's sentence in the table ("csv-" ids)
    "departments": ("region-code", "region", "department-code", "department-name", "systems", "cost", "fee"),
    "systems": ("region-code", "department-code", "system-code", "system-name", "cost", "utilisation", "ufactor",
                "efactor", "fee"),
    "lines": ("system", "resource", "month", "phase", "unit", "quantity", "unit-price", "rate-from", "amount"),
}


def _csv(kind: str, rows: list[list[str]], lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([WORDS.say(f"csv-{column}", lang) for column in _CSV_HEAD[kind]])
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
    return [[b.key, BY_KEY[line.kind].text(lang), line.month.strftime("%Y-%m"), WORDS.say(f"line-{line.phase}", lang),
             unit_name(line.kind, line.per, lang), _quantity(line.quantity),
             "" if line.unit_price is None else str(line.unit_price),
             "" if line.rate_from is None else line.rate_from.isoformat(), money.yuan(line.amount)]
            for line in b.lines]


def unit_name(kind: str, per: str, lang: str = "zh") -> str:
    """What a line's quantity counts, spelled out: vCPU·h, GiB·月 (GiB·month)."""
    return f"{WORDS.say(f'unit-{BY_KEY[kind].unit}', lang)}·{WORDS.say(f'per-{per}', lang)}"


def _quantity(value: Fraction) -> str:
    return f"{Decimal(money.shown(value)):,}"


def csv_lines(s: Settlement, lang: str = "zh") -> str:
    return _csv("lines", [row for b in s.systems() for row in _line_rows(b, lang)], lang)
