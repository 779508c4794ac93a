"""The bill's word on what runs unbilled (art27-28): the list, a CSV for finance, the report's banner (pure).

A year is settled only when everything that runs in the cloud belongs to a system the ledger
holds (provisioner.metering.inventory). While any resource is unaccounted the bill is still
written, so finance sees the amounts, but it says "not settled" with the list, in the report
and on stderr, and `govcloud bill` exits NOT_SETTLED.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from provisioner.metering import inventory
from provisioner.metering.inventory import NOT_IN_LEDGER, NOT_LIVE, UNLABELLED, Unaccounted

NOT_SETTLED = 5     # exit status of `govcloud bill`: written, but resources run that no ledger system accounts for

_REASON = {
    UNLABELLED: ("没有 govcloud 标签，系手工创建", "no govcloud labels: made by hand"),
    NOT_IN_LEDGER: ("标签所指系统 {system} 不在台账中", "its labels name {system}, which the ledger does not hold"),
    NOT_LIVE: ("台账中的系统 {system} 现不应占用资源（未受理、未通过或已终止）",
               "the ledger's {system} holds nothing now (not accepted, rejected or terminated)"),
}
_TEXTS = {
    "item": ("未入台账的资源：项目 {project}（{region}/{department}）{kind} {name}（{id}）：{reason}",
             "unaccounted resource: project {project} ({region}/{department}) {kind} {name} ({id}): {reason}"),
    "not-settled": ("年度未结清：云平台中有 {count} 项资源不属于台账中的任何系统，计费不完整（第二十七、二十八条）。"
                    "结算报告已生成但不作为结清依据；请纳管（govcloud adopt）或删除这些资源后重新运行 govcloud bill。",
                    "not settled: {count} resource(s) in the cloud belong to no system in the ledger, so the bill is "
                    "incomplete (art27-28). The report is written but does not settle the year; bring them under "
                    "govcloud (govcloud adopt) or delete them, then run govcloud bill again."),
    "checked": ("已与云平台核对：{resources} 项资源均属于台账中的系统", "checked against the cloud: all {resources} "
                "resource(s) belong to systems in the ledger"),
    "unchecked": ("未与云平台核对（--inventory none）：不能确认没有未计费的资源",
                  "not checked against the cloud (--inventory none): nothing shows that everything running is billed"),
    "title": ("未结清：未入台账的资源", "Not settled: resources outside the ledger"),
}
_HEAD = (["项目", "区域", "单位", "类型", "名称", "ID", "标签所指系统", "原因"],
         ["project", "region", "department", "kind", "name", "id", "system named by its labels", "reason"])


@dataclass(frozen=True)
class CloudCheck:
    unaccounted: list[Unaccounted]
    resources: int                  # how many resources were compared

    @property
    def settled(self) -> bool:
        return not self.unaccounted


def check(found: inventory.Inventory, systems: Iterable[tuple[str, str]]) -> CloudCheck:
    """The cloud's resources against the ledger's systems, given as (system key, state) pairs."""
    rows = list(systems)
    return CloudCheck(inventory.unaccounted(found, inventory.holding_keys(rows), frozenset(k for k, _ in rows)),
                      len(found.resources))


def text(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = _TEXTS[key]
    return (en if lang == "en" else zh).format(**values)


def reason(item: Unaccounted, lang: str = "zh") -> str:
    zh, en = _REASON[item.reason]
    return (en if lang == "en" else zh).format(system=item.system)


def lines(found: list[Unaccounted], lang: str = "zh") -> list[str]:
    return [text("item", lang, project=item.project, region=item.region or "-", department=item.department or "-",
                 kind=item.kind, name=item.name or "-", id=item.id, reason=reason(item, lang)) for item in found]


def csv_unaccounted(found: list[Unaccounted], lang: str = "zh") -> str:
    """UTF-8 with BOM, as the settlement's other CSV files."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_HEAD[1 if lang == "en" else 0])
    writer.writerows([i.project, i.region, i.department, i.kind, i.name, i.id, i.system, reason(i, lang)] for i in found)
    return "\ufeff" + buffer.getvalue()


def mark_not_settled(report: str, found: list[Unaccounted], lang: str = "zh") -> str:
    """The report with a "not settled" section and the list at the top of its body."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines(found, lang))
    banner = (f'<section id="not-settled"><h2 class=warn>{escape(text("title", lang))}</h2>'
              f"<p class=warn>{escape(text('not-settled', lang, count=len(found)))}</p><ul>{items}</ul></section>")
    head, sep, rest = report.partition("<body>")
    if not sep:
        raise ValueError("the report has no <body>")
    title_end = rest.find("</h1>")
    at = title_end + len("</h1>") if title_end >= 0 else 0
    return head + sep + rest[:at] + banner + rest[at:]
