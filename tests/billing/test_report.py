"""The settlement report: HTML in Chinese (English on request) with three inline SVG charts and no
external resource, CSV files for finance that add up, and a real headless-Chromium rendering."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from provisioner.billing import report, sources
from provisioner.billing.settlement import Settlement, settle
from provisioner.policy import Policies
from provisioner.ledger import Ledger
from tests.billing import synthetic
from tests.billing.conftest import ROOT, screenshot

AFTER_THE_YEAR = datetime(2027, 1, 5, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def settlement(tmp_path_factory: pytest.TempPathFactory) -> Settlement:
    from provisioner.ledger.metering_schema import migrate_metering
    ledger = Ledger.open(f"sqlite:///{tmp_path_factory.mktemp('report') / 'ledger.sqlite3'}")
    migrate_metering(ledger.engine)
    synthetic.fill(ledger, 80, 2026, AFTER_THE_YEAR)
    synthetic.fill_utilisation(ledger, 2026, AFTER_THE_YEAR)
    found = settle(sources.inputs(ledger, Policies(ROOT), 2026, AFTER_THE_YEAR))
    ledger.close()
    assert found.complete, found.missing
    return found


def test_the_html_is_chinese_self_contained_and_has_the_three_charts(settlement: Settlement) -> None:
    page = report.html(settlement)
    assert '<html lang="zh-CN">' in page and "九江市政务云 2026 年度服务费用结算报告" in page
    assert page.count("<svg ") == 3
    for title in ("各单位月度用量费用（元，调整前）", "各单位资源利用率（按费用加权）", "各区域服务商期限：按期 / 超期"):
        assert f"<title>{title}</title>" in page
    assert not re.search(r"(src|href)=\"?(https?:)?//", page) and "<script" not in page    # nothing to fetch
    assert f"{settlement.fee:,}" in page and "四舍五入（ROUND_HALF_UP）" in page
    english = report.html(settlement, "en")
    assert '<html lang="en">' in english and "Jiujiang government cloud: settlement of 2026" in english
    assert not re.search(r"[\u4e00-\u9fff]{6,}", re.sub(r"<td[^>]*>[^<]*</td>", "", english))   # only names stay


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")             # a BOM, so spreadsheet software reads UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_files_add_up_to_the_cent(settlement: Settlement) -> None:
    departments = _rows(report.csv_departments(settlement))
    systems = _rows(report.csv_systems(settlement))
    lines = _rows(report.csv_lines(settlement, "en"))
    assert departments[0] == ["区域代码", "区域", "单位代码", "单位名称", "系统数", "用量费用（调整前，元）", "结算金额（元）"]
    assert sum(_yuan(r[-1]) for r in departments[1:]) == sum(_yuan(r[-1]) for r in systems[1:]) == settlement.fee
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", r[-1]) for r in systems[1:])
    assert lines[0][-1] == "amount (yuan)"
    trial = [r for r in lines[1:] if r[3].startswith("trial")]
    assert trial and all(_yuan(r[-1]) == 0 and r[6] == "" for r in trial)


def _yuan(shown: str) -> Decimal:
    return Decimal(shown.replace(",", ""))


def test_chromium_renders_the_report_with_its_charts(settlement: Settlement, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report.html(settlement, marks=[(0.5, "≥0.50 ×1.00"), (0.3, "≥0.30 ×0.95")]), encoding="utf-8")
    png = tmp_path / "report.png"
    screenshot(page, png, 1200, 1600, tmp_path / "chromium-profile")
    image = Image.open(png)
    assert image.format == "PNG" and image.size == (1200, 1600)
    stat = ImageStat.Stat(image.convert("L"))
    assert stat.stddev[0] > 20                       # not a blank page: text, tables, bars
    colours = {c for _, c in image.convert("RGB").getcolors(1 << 20) or []}
    assert {(0x2F, 0x6D, 0xB5), (0x3B, 0x9C, 0x5A), (0xC0, 0x45, 0x3B)} <= colours   # the charts' bars are drawn


def test_every_kind_a_request_can_allocate_has_its_unit_spelled_out_in_both_languages() -> None:
    from provisioner.allocation.kinds import KINDS
    from provisioner.billing.report import unit_name

    for kind in KINDS:
        assert unit_name(kind.key, "month", "zh").endswith("·月") and unit_name(kind.key, "month", "en")
    assert unit_name("security/waf", "month", "zh") == "项·月"
    assert unit_name("network/bandwidth", "month", "en") == "Mbps·month"
