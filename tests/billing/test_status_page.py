"""`govcloud status --html DIR`: the page model (pure, exact texts), the page set of a small ledger as
golden files (GOVCLOUD_UPDATE_GOLDEN=1 refreshes them; review the diff), and headless Chromium's
rendering (a screenshot checked in the test, a known system's row in the rendered DOM, no console
message at all: the pages hold no script)."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from provisioner import cli
from provisioner.calendar import WorkCalendar
from provisioner.ledger import Ledger
from provisioner.lifecycle.duty import Duty
from provisioner.metering.utilisation import StaticUtilisation
from provisioner.policy.model import Agreement
from provisioner.app.status import Status, SystemStatus
from provisioner.statuspage import model, render, site
from tests.billing.conftest import CHROMIUM, ROOT
from tests.billing.helpers import Clock, local
from tests.billing.test_exposition import TRIAL_SYSTEM, exporter_for
from tests.billing.test_status import city  # noqa: F401 - the small ledger, reused as a fixture

GOLDEN = Path(__file__).with_name("golden") / "status-page"
PORTAL = "city.jj-xzspj.zwfw-portal"
CALENDAR = WorkCalendar({})
NOW = local(2026, 12, 10, 10)          # a Thursday


# -- the model (pure) ---------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "due", "left"), [
    (date(2026, 12, 10), date(2026, 12, 10), 0),       # due today
    (date(2026, 12, 10), date(2026, 12, 11), 1),       # Friday
    (date(2026, 12, 10), date(2026, 12, 14), 2),       # over a weekend: Friday, Monday
    (date(2026, 12, 14), date(2026, 12, 10), -2),      # passed on Thursday: Friday and Monday since
        (date(2026, 9, 30), date(2026, 10, 8), 1),         # National Day, 1-7 October: none of them counts
])
def test_working_days_left_count_the_due_day_not_today(today: date, due: date, left: int) -> None:
    assert model.working_days_left(CALENDAR, today, due) == left


def _system(key: str = PORTAL, state: str = "trial", duty: Duty | None = None, **changes: object) -> SystemStatus:
    region, department, system = key.split(".")
    values: dict[str, object] = {"trial_end": None, "month_cost": Decimal("0.00"), "year_cost": Decimal("1587.5348")}
    values.update(changes)
    return SystemStatus(key, region, department, system, state, 1, duty, **values)  # type: ignore[arg-type]


def _inputs(*systems: SystemStatus, lang: str = "zh", **changes: object) -> model.Inputs:
    values: dict[str, object] = {"department_names": {"jj-xzspj": "九江市行政审批局"},
                                 "files": frozenset({"request_specs/jj-xzspj/zwfw-portal.yaml",
                                                     "stacks/Pulumi.city.jj-xzspj.zwfw-portal.yaml"})}
    values.update(changes)
    return model.Inputs(Status(NOW, date(2026, 12, 1), list(systems), True), CALENDAR, lang, "../repo/",
                        **values)  # type: ignore[arg-type]


def test_a_system_row_says_who_owes_what_by_when_and_links_what_exists() -> None:
    duty = Duty("art16-trial", local(2026, 12, 14, 23, 59, 59), False, ("department", "provider"))
    row = model.system_row(_system(duty=duty, trial_end=local(2026, 12, 14, 23, 59, 59)), _inputs(), NOW.date())
    assert (row.phase_label, row.deadline, row.owed_by) == ("试用", "2026-12-14 art16-trial", "使用单位、云服务商")
    assert (row.days_left, row.days_text, row.urgency) == (4, "剩 4 天", "")    # the trial: calendar days (art16)
    assert (row.year_cost, row.utilisation, row.department_name) == ("1,587.53", "无数据", "九江市行政审批局")
    assert row.spec == model.Link("zwfw-portal.yaml", "../repo/request_specs/jj-xzspj/zwfw-portal.yaml",
                                  "request_specs/jj-xzspj/zwfw-portal.yaml")
    assert row.stacks == (model.Link("city.jj-xzspj", None, "stacks/Pulumi.city.jj-xzspj.yaml"),
                          model.Link(PORTAL, "../repo/stacks/Pulumi.city.jj-xzspj.zwfw-portal.yaml",
                                     "stacks/Pulumi.city.jj-xzspj.zwfw-portal.yaml"))
    assert (row.history, row.department_href) == (f"s/{PORTAL}.html", "d/city.jj-xzspj.html")


@pytest.mark.parametrize(("at", "left", "text", "urgency"), [
    (local(2026, 12, 10, 23, 59, 59), 0, "due today", "due"),
    (local(2026, 12, 11, 23, 59, 59), 1, "1 working day(s) left", "due"),
    (local(2026, 12, 9, 23, 59, 59), -1, "1 working day(s) overdue", "overdue"),
    (local(2026, 12, 10, 9, 0), 0, "passed today", "overdue"),
    (local(2026, 12, 21, 23, 59, 59), 7, "7 working day(s) left", ""),
])
def test_how_close_a_deadline_is(at: datetime, left: int, text: str, urgency: str) -> None:
    row = model.system_row(_system(duty=Duty("art15", at, False, ("office",))), _inputs(lang="en"), NOW.date())
    assert (row.days_left, row.days_text, row.urgency) == (left, text, urgency)


@pytest.mark.parametrize(("rule", "at", "left", "text", "urgency"), [
    # rules.md: the 15-day trial is in calendar days (art16). On 30 September a trial ending 7 October has
    # 7 days left, although none of them is a working day (National Day): not "due today".
    ("art16-trial", local(2026, 10, 7, 23, 59, 59), 7, "7 day(s) left", ""),
    ("art17", local(2026, 10, 2, 23, 59, 59), 2, "2 day(s) left", "soon"),
    ("art16-trial", local(2026, 9, 26, 23, 59, 59), -4, "4 day(s) overdue", "overdue"),
    ("art15", local(2026, 10, 9, 23, 59, 59), 2, "2 working day(s) left", "soon"),   # 8, 9 October
])
def test_a_trial_counts_calendar_days_left_working_day_rules_working_days(
        rule: str, at: datetime, left: int, text: str, urgency: str) -> None:
    inputs = model.Inputs(Status(local(2026, 9, 30, 10), date(2026, 9, 1), [], True), CALENDAR, "en", "../repo/",
                          department_names={}, files=frozenset())
    row = model.system_row(_system(duty=Duty(rule, at, False, ("department",))), inputs, date(2026, 9, 30))
    assert (row.days_left, row.days_text, row.urgency) == (left, text, urgency)


def test_utilisation_is_the_mean_of_used_over_granted_and_says_when_there_is_none() -> None:
    used = {PORTAL: {"compute/cores": [100.0, 50.0], "compute/ram": [100.0, 25.0], "block/gb": [0.0, 0.0]}}
    assert model.utilisation_text(used, PORTAL, "zh") == "37.5%"
    assert model.utilisation_text(used, "city.x.y", "en") == "no data"
    assert model.utilisation_text(None, PORTAL, "zh") == "无数据"
    assert model.utilisation_text({PORTAL: {"compute/cores": [10.0, 30.0]}}, PORTAL, "zh") == "100.0%"


def test_the_site_groups_the_city_and_every_county_and_lists_what_needs_attention() -> None:
    late = _system("duchang.dc-scjgj.spzs", "submitted", Duty("art15", local(2026, 12, 8, 23, 59, 59), False, ("office",)),
                   year_cost=Decimal("0.00"))
    held = _system("city.jj-xzspj.zwfw-app", "trial", None, held=True, breached=("art16-trial",),
                   year_cost=Decimal("0.00"))
    calm = _system(state="production", year_cost=Decimal("1000.10"))
    agreement = Agreement(id="DCSCJGJ-FW-2026-01", content="基础设施服务", starts=date(2026, 1, 1), ends=date(2026, 12, 31),
                          rights_and_duties="双方权利义务", liability="违约责任", filed_on=date(2026, 1, 1),
                          services=["hosts"], document="dms://x/y")
    found = model.build(_inputs(calm, late, held, expiring=[("dc-scjgj", agreement, 21)]))
    assert [r.code for r in found.regions][:2] == ["city", "lianxi"] and len(found.regions) == 14
    city_page = found.regions[0]
    assert (city_page.summary.systems, city_page.summary.phases, city_page.summary.held) == (2, "试用 1、生产 1", 1)
    assert found.total.year_cost == "1,000.10" and found.total.overdue == 1
    assert [r.key for r in found.attention] == ["duchang.dc-scjgj.spzs", "city.jj-xzspj.zwfw-app"]
    assert found.attention[0].days_text == "已超期 2 个工作日"
    assert [(a.agreement, a.days_left, a.department_href) for a in found.agreements] == \
        [("DCSCJGJ-FW-2026-01", "剩 21 天", "d/duchang.dc-scjgj.html")]
    assert found.chart == (("市本级", 1000.10), ("都昌县", 0.0))


def test_a_missing_price_is_said_not_counted_as_zero() -> None:
    found = model.build(_inputs(_system(year_cost=None), _system("city.jj-xzspj.b", year_cost=Decimal(5))))
    assert found.regions[0].summary.year_cost == "无单价" and found.regions[0].departments[0].systems[0].year_cost == "无单价"


def test_names_are_escaped_and_pages_fetch_nothing() -> None:
    names = {"jj-xzspj": "<script>alert(1)</script>&"}
    pages = dict(render.pages(model.build(_inputs(_system(), department_names=names))))
    assert sorted(pages) == ["d/city.jj-xzspj.html", "index.html", "r/city.html", f"s/{PORTAL}.html"]
    for path, html in pages.items():
        assert "<script" not in html and not re.search(r"(src|href)=\"?(https?:)?//", html), path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in pages["d/city.jj-xzspj.html"]


# -- the page set of a small ledger: golden files -------------------------------------------------

@pytest.fixture()
def pages(city: Ledger, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    """The city's page set as of 31 December 10:01; zwfw-portal and zwfw-app metered for a minute."""
    clock = Clock(local(2026, 12, 31, 10))
    exporter = exporter_for(city, clock,
                            StaticUtilisation({PORTAL: {"compute/cores": 0.5, "compute/ram": 0.25},
                                               TRIAL_SYSTEM: {"compute/cores": 1.0}}))
    exporter.collect_once()
    clock.at(local(2026, 12, 31, 10, 1))
    exporter.collect_once()
    out = tmp_path / "site"
    assert cli.main(["status", "--html", str(out)]) == 0
    assert capsys.readouterr().out == f"已生成状态页 {out / 'index.html'}（共 6 页）\n"
    return out


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with GOVCLOUD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_the_page_set_is_its_golden_files(pages: Path) -> None:
    repo = site.repository_href(ROOT, pages)
    written = sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html"))
    assert written == sorted(["d/city.jj-xzspj.html", "index.html", "r/city.html", "s/city.jj-xzspj.zwfw-app.html",
                              "s/city.jj-xzspj.zwfw-late.html", f"s/{PORTAL}.html"])      # zwfw-old ended: not listed
    for name in ("index.html", "d/city.jj-xzspj.html", f"s/{PORTAL}.html"):
        _golden(name.replace("/", "_"), (pages / name).read_text(encoding="utf-8").replace(repo, "REPO/"))


def test_links_from_a_system_reach_its_spec_stacks_and_history(pages: Path) -> None:
    department = (pages / "d/city.jj-xzspj.html").read_text(encoding="utf-8")
    row = re.search(rf'<tr id="{re.escape(PORTAL)}".*?</tr>', department, re.S)
    assert row is not None
    targets = [(pages / "d" / href).resolve() for href in re.findall(r'href="([^"]+)"', row.group(0))]
    assert {t.relative_to(ROOT).as_posix() if t.is_relative_to(ROOT) else t.relative_to(pages).as_posix()
            for t in targets} == {"request_specs/jj-xzspj/zwfw-portal.yaml", "stacks/Pulumi.city.jj-xzspj.yaml",
                                  "stacks/Pulumi.city.jj-xzspj.zwfw-portal.yaml", f"s/{PORTAL}.html"}
    assert all(t.exists() for t in targets)
    history = (pages / f"s/{PORTAL}.html").read_text(encoding="utf-8")
    assert "试用环境已转为生产环境（第十七条）" in history and "变更已完成（第十八条）" in history


def test_english_on_request(city: Ledger, tmp_path: Path) -> None:  # noqa: F811
    assert cli.main(["status", "--html", str(tmp_path), "--lang", "en"]) == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "Needs attention" in index
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<td[^>]*>.*?</td>", "", index, flags=re.S))


def test_a_second_run_removes_pages_of_systems_gone(pages: Path) -> None:
    stale = pages / "s" / "city.gone.system.html"
    stale.write_text("old", encoding="utf-8")
    assert cli.main(["status", "--html", str(pages)]) == 0
    assert not stale.exists() and (pages / f"s/{PORTAL}.html").exists()


# -- what a person sees: headless Chromium ------------------------------------------------------

def chromium(page: Path, png: Path, width: int, height: int, profile: Path) -> tuple[str, list[str]]:
    """Screenshot the page; return the DOM Chromium built and every console message it logged."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install -y chromium (scripts/test-packages.txt)")
    common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
              "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
    shot = subprocess.run([*common, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
                          check=True, capture_output=True, text=True, timeout=120)
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True,
                         timeout=120)
    console = [line for line in (shot.stderr + dom.stderr).splitlines() if ":CONSOLE" in line]
    return dom.stdout, console


def test_the_console_check_would_see_an_error(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p id="x">x</p><script>console.error("status-page-broken")</script>',
                    encoding="utf-8")
    dom, console = chromium(page, tmp_path / "bad.png", 400, 300, tmp_path / "profile")
    assert 'id="x"' in dom and any("status-page-broken" in line for line in console)


def test_chromium_renders_the_pages_with_the_known_system_and_no_console_message(pages: Path, tmp_path: Path) -> None:
    for name, width, height in (("index.html", 1280, 1100), ("d/city.jj-xzspj.html", 1280, 500),
                                (f"s/{PORTAL}.html", 1280, 900)):
        png = tmp_path / (name.replace("/", "_") + ".png")
        dom, console = chromium(pages / name, png, width, height, tmp_path / "profile")
        assert console == [], (name, console)
        image = Image.open(png)
        assert image.format == "PNG" and image.size == (width, height)
        assert ImageStat.Stat(image.convert("L")).stddev[0] > 20, name        # text and tables, not a blank page
        if name.startswith("d/"):
            row = re.search(rf'<tr id="{re.escape(PORTAL)}"[^>]*>(.*?)</tr>', dom, re.S)
            assert row is not None, dom[:2000]
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
            assert cells[:2] == [f'<a href="../s/{PORTAL}.html">zwfw-portal</a>', "生产"]
    index = Image.open(tmp_path / "index.html.png").convert("RGB")
    colours = {c for _, c in index.getcolors(1 << 20) or []}
    assert (0x2F, 0x6D, 0xB5) in colours                                     # the cost chart's bars are drawn


def test_the_page_set_imports_neither_pulumi_nor_openstacksdk(city: Ledger, tmp_path: Path) -> None:  # noqa: F811
    code = (f"import sys, io; from provisioner import cli; sys.stdout = io.StringIO(); "
            f"cli.main(['status', '--html', {str(tmp_path)!r}]); sys.stdout = sys.__stdout__; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pulumi', 'pulumi_openstack', 'openstack', 'boto3'}))")
    result = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], capture_output=True, text=True,
                            env={**os.environ}, cwd=ROOT, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr
    assert (tmp_path / "index.html").exists()
