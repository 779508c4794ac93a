"""The report as people and machines read it: a self-contained page (checked in headless Chromium:
it renders, a known system's row and a finding are there, the console stays quiet) and JSON with
stable keys (a golden file: GOVCLOUD_UPDATE_GOLDEN=1 refreshes it; review the diff)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from provisioner.inspection.render import as_json, html
from provisioner.inspection.report import Report
from provisioner.policy import PolicySet
from tests.billing.conftest import screenshot
from tests.inspection.browser import dom_and_console
from tests.inspection.world import World, rule

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture()
def report(policies: PolicySet) -> Report:
    """The portal with SSH opened by hand, one volume never backed up, and a system nobody asked for."""
    world = World()
    world.rules.append(rule("ssh", "tcp", 22, "0.0.0.0/0"))
    world.backups.pop(0)
    stray = {"region": "city", "department": "jj-xzspj", "system": "old-portal", "phase": "production"}
    world.volumes.append(type(world.volumes[0])("vol-old", "old-portal-data", 20, "p-xzspj", stray))
    return world.report(policies)


def test_json_keeps_its_keys_and_values(report: Report) -> None:
    text = as_json(report)
    golden = GOLDEN / "report.json"
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["summary"]["findings"] == {"mandatory": 3, "expert-review": 0, "advisory": 1}
    assert as_json(report, "en") != text and json.loads(as_json(report, "en"))["systems"][1]["findings"][0]["message"] \
        == document["systems"][1]["findings"][0]["message_en"]


def test_the_page_is_self_contained_in_chinese_and_in_english(report: Report) -> None:
    page = html(report)
    assert '<html lang="zh-CN">' in page and "九江市政务云安全检查报告" in page
    assert not re.search(r"(src|href)=\"?(https?:)?//", page) and "<script" not in page
    assert "inspect-admin-port-exposed" in page and "对互联网来源 0.0.0.0/0 开放了 SSH 端口 22" in page
    english = html(report, "en")
    assert '<html lang="en">' in english and "opens SSH port 22 to the internet source 0.0.0.0/0" in english
    # Only names written by people stay Chinese: systems' and departments' names.
    for name in [s.name for s in report.systems] + [d.name for d in report.departments]:
        english = english.replace(name, "") if name else english
    assert not re.findall(r"[\u4e00-\u9fff]{2,}", english)


def test_the_console_check_sees_a_console_error(tmp_path: Path) -> None:
    page = tmp_path / "noisy.html"
    page.write_text('<html><body><script>console.error("boom")</script></body></html>', encoding="utf-8")
    _, console = dom_and_console(page, tmp_path / "profile")
    assert any('"boom"' in line for line in console)


def test_chromium_renders_the_report(report: Report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html(report), encoding="utf-8")
    dom, console = dom_and_console(page, tmp_path / "profile")
    assert console == []
    row = re.search(r'<tr id="row-city\.jj-xzspj\.zwfw-portal">(.*?)</tr>', dom, re.S)
    assert row and "九江市政务服务网上办事大厅" in row.group(1) and "203.0.113.7:tcp/22" in row.group(1)
    assert re.search(r'<tr class="finding mandatory" data-rule="inspect-admin-port-exposed">', dom)
    png = tmp_path / "report.png"
    screenshot(page, png, 1200, 1600, tmp_path / "profile-shot")
    image = Image.open(png)
    assert image.size == (1200, 1600) and ImageStat.Stat(image.convert("L")).stddev[0] > 20
    colours = {c for _, c in image.convert("RGB").getcolors(1 << 20) or []}
    assert (0xC0, 0x45, 0x3B) in colours          # the mandatory badges are drawn
