"""The report's charts and numbers read right: nice ticks on every axis, bars that end on the line
of their value, month labels that match the data, empty charts that say why, one money format,
units spelled out. Golden files (refresh with GOVCLOUD_UPDATE_GOLDEN=1 and review the diff) and
headless Chromium's rendering, measured in pixels."""

from __future__ import annotations

import csv
import io
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from provisioner.billing import charts, report
from provisioner.billing.settlement import Settlement
from tests.billing import report_cases
from tests.billing.conftest import screenshot

GOLDEN = Path(__file__).with_name("golden")
SVG = "{http://www.w3.org/2000/svg}"
MONEY = re.compile(r"-?\d{1,3}(,\d{3})*\.\d\d")
MARKS = [(0.5, "≥0.50 ×1.00"), (0.3, "≥0.30 ×0.95")]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Settlement]:
    folder = tmp_path_factory.mktemp("report-cases")
    return {"small": report_cases.small(folder), "trial-only": report_cases.trial_only(folder),
            "december-only": report_cases.december_only()}


def _svgs(page: str) -> dict[str, ET.Element]:
    found = {}
    for chunk in re.findall(r"<svg .*?</svg>", page, re.S):
        element = ET.fromstring(chunk)
        found[element.findtext(f"{SVG}title")] = element
    return found


def _ticks(svg: ET.Element) -> list[tuple[float, float]]:
    """(value, y) of the y axis' labels, top of the chart last."""
    return [(float(t.text.replace(",", "")), float(t.get("y")) - 4) for t in svg.iter(f"{SVG}text")
            if t.get("class") == "tick" and not t.text.endswith("%")]


# -- golden files -------------------------------------------------------------------------------

def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOVCLOUD_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {name}: run with GOVCLOUD_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")          # bytes: the CSV's CRLF is part of it


@pytest.mark.parametrize("case", ["small", "trial-only", "december-only"])
def test_the_report_is_its_golden_file(cases: dict[str, Settlement], case: str) -> None:
    _golden(f"report-{case}.html", report.html(cases[case], marks=MARKS))


def test_the_priced_lines_are_their_golden_file(cases: dict[str, Settlement]) -> None:
    _golden("lines-small.csv", report.csv_lines(cases["small"]))


# -- what the golden files must show ------------------------------------------------------------

@pytest.mark.parametrize("case", ["small", "december-only"])
def test_every_axis_has_distinct_evenly_spaced_nice_ticks(cases: dict[str, Settlement], case: str) -> None:
    for title, svg in _svgs(report.html(cases[case], marks=MARKS)).items():
        ticks = _ticks(svg)
        if "利用率" in title:
            continue                                    # percentages, checked below
        values = [v for v, _ in ticks]
        assert values[0] == 0 and len(values) >= 2, title
        steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
        assert len(steps) == 1, (title, values)         # "1, 1, 0, 0, 0" has no single step
        step = steps.pop()
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert round(mantissa, 9) in (1, 2, 5), (title, step)
        if "期限" in title:
            assert all(v == int(v) for v in values), values       # counts: whole numbers only


@pytest.mark.parametrize("case", ["small", "december-only"])
def test_a_bar_labelled_n_ends_on_the_height_of_n(cases: dict[str, Settlement], case: str) -> None:
    svg = next(s for t, s in _svgs(report.html(cases[case])).items() if "期限" in t)
    ticks = _ticks(svg)
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") in ("#3b9c5a", "#c0453b") and r.get("width") != "12"]
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]
    assert len(bars) == len(labels) > 0
    for bar, label in zip(bars, labels):
        value = int(label.text)          # read off the axis as printed, between the two labels around it
        (v0, y0), (v1, y1) = next((a, b) for a, b in zip(ticks, ticks[1:]) if a[0] <= value <= b[0])
        expected = y0 + (y1 - y0) * (value - v0) / (v1 - v0)
        assert float(bar.get("y")) == pytest.approx(expected, abs=0.1), (value, bar.get("y"), expected)
    assert {"3", "1"} <= {t.text for t in labels} or case != "small"


def test_month_labels_are_the_settled_months_and_bars_sit_on_their_month(cases: dict[str, Settlement]) -> None:
    svg = next(s for t, s in _svgs(report.html(cases["december-only"])).items() if "月度" in t)
    months = [t for t in svg.iter(f"{SVG}text") if t.text and t.text.endswith("月") and t.text[:-1].isdigit()]
    assert [t.text for t in months] == [f"{m}月" for m in range(1, 13)]
    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == charts.PALETTE[0] and r.get("height") != "12"]
    assert len(bars) == 12
    drawn = [b for b in bars if float(b.get("height")) > 0]
    assert len(drawn) == 1
    centre = float(drawn[0].get("x")) + float(drawn[0].get("width")) / 2
    assert centre == pytest.approx(float(months[-1].get("x")), abs=0.5)        # over 12月, not 1月
    provisional = Settlement(2026, cases["small"].regions, [], until=report_cases.AFTER_THE_YEAR.replace(year=2026, month=3))
    svg = next(s for t, s in _svgs(report.html(provisional)).items() if "月度" in t)
    assert [t.text for t in svg.iter(f"{SVG}text") if t.text and re.fullmatch(r"\d+月", t.text)] == ["1月", "2月", "3月"]


def test_an_empty_chart_says_why(cases: dict[str, Settlement]) -> None:
    page = report.html(cases["trial-only"])
    svgs = _svgs(page)
    usage = next(s for t, s in svgs.items() if "月度" in t)
    util = next(s for t, s in svgs.items() if "利用率" in t)
    assert [t.text for t in usage.iter(f"{SVG}text") if t.get("class") == "empty"] == \
        ["2026 年没有生产期用量：试用期免费（第十六条），尚无系统转入生产"]
    assert not [t for t in usage.iter(f"{SVG}text") if t.text and t.text.endswith("月") and t.text[:-1].isdigit()]
    assert [t.text for t in util.iter(f"{SVG}text") if t.get("class") == "empty"] == \
        ["2026 年没有可计算的利用率：利用率按生产期费用加权（第三十条），尚无生产期费用"]
    english = _svgs(report.html(cases["trial-only"], "en"))
    assert any(t.text == "no production use in 2026: trial time is free (art16) and no system went live"
               for s in english.values() for t in s.iter(f"{SVG}text"))


@pytest.mark.parametrize("case", ["small", "december-only"])
def test_every_amount_of_money_has_two_places_and_thousands_separators(cases: dict[str, Settlement],
                                                                       case: str) -> None:
    s = cases[case]
    page = report.html(s)
    tables = re.findall(r"<table>.*?</table>", page, re.S)
    money_columns = {0: (3, 6), 2: (4, 5), 3: (4, 8)}                # summary, departments, systems
    for index, columns in money_columns.items():
        for row in re.findall(r"<tr>(.*?)</tr>", tables[index])[1:]:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
            for column in columns:
                assert MONEY.fullmatch(cells[column]), (index, cells)
    for text, columns in ((report.csv_departments(s), (5, 6)), (report.csv_systems(s), (4, 8))):
        for row in list(csv.reader(io.StringIO(text[1:])))[1:]:
            assert all(MONEY.fullmatch(row[c]) for c in columns), row
    if case == "december-only":
        assert "1,587.53" in page and "1587.5348" not in page


def test_csv_units_are_spelled_out_and_one_per_kind(cases: dict[str, Settlement]) -> None:
    for lang, expected in (("zh", {"vCPU·h", "GiB·h", "GiB·月", "IP·月", "实例·月"}),
                           ("en", {"vCPU·h", "GiB·h", "GiB·month", "IP·month", "instance·month"})):
        rows = list(csv.reader(io.StringIO(report.csv_lines(cases["small"], lang)[1:])))
        units: dict[str, set[str]] = {}
        for row in rows[1:]:
            units.setdefault(row[1], set()).add(row[4])
            assert MONEY.fullmatch(row[8]), row
        assert all(len(found) == 1 for found in units.values()), units     # trial and production alike
        assert set().union(*units.values()) == expected


# -- what a person sees: Chromium's rendering, measured ------------------------------------------

def _render_charts(page: str, folder: Path, name: str) -> tuple[Image.Image, dict[str, tuple[int, ET.Element]]]:
    """Each chart of the page rendered by Chromium, one below the other; title -> (top, svg)."""
    chunks = re.findall(r"<svg .*?</svg>", page, re.S)
    offsets, top = {}, 0
    for chunk in chunks:
        svg = ET.fromstring(chunk)
        offsets[svg.findtext(f"{SVG}title")] = (top, svg)
        top += int(svg.get("height"))
    html = folder / f"{name}.html"
    html.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>body{margin:0}'
                    f'svg{{display:block}}</style></head><body>{"".join(chunks)}</body></html>', encoding="utf-8")
    png = folder / f"{name}.png"
    screenshot(html, png, 960, top, folder / f"profile-{name}")
    return Image.open(png).convert("RGB"), offsets


def _rows_of(image: Image.Image, colour: tuple[int, int, int], box: tuple[int, int, int, int]) -> list[tuple[int, int]]:
    left, top, right, bottom = box
    pixels = image.load()
    return [(x, y) for y in range(top, bottom) for x in range(left, right) if pixels[x, y] == colour]


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_chromium_draws_bars_to_their_tick_months_in_place_and_empty_charts_with_words(
        cases: dict[str, Settlement], tmp_path: Path) -> None:
    image, charts_at = _render_charts(report.html(cases["small"]), tmp_path, "small")
    top, svg = next(v for t, v in charts_at.items() if "期限" in t)
    met = _rows_of(image, _hex("#3b9c5a"), (70, top + 30, 800, top + 310))
    highest = min(y for _, y in met)
    (_, tick_y), = [(v, y) for v, y in _ticks(svg) if v == 3]
    assert abs(highest - (top + tick_y)) <= 1            # the bar of 3 reaches the line labelled 3
    grid = [y for y in range(top + 30, top + 310) if image.getpixel((795, y))[0] < 250]
    assert any(abs(y - highest) <= 1 for y in grid)      # and that line is drawn there

    image, charts_at = _render_charts(report.html(cases["december-only"]), tmp_path, "december")
    top, svg = next(v for t, v in charts_at.items() if "月度" in t)
    blue = _rows_of(image, _hex(charts.PALETTE[0]), (90, top + 40, 740, top + 360))
    plot_left, plot_right = 90, 960 - 220
    assert min(x for x, _ in blue) > plot_left + 11 * (plot_right - plot_left) / 12     # December's slot

    image, charts_at = _render_charts(report.html(cases["trial-only"]), tmp_path, "trial")
    for title in ("月度", "利用率"):
        top, svg = next(v for t, v in charts_at.items() if title in t)
        height = int(svg.get("height"))
        area = image.crop((0, top + 28, 960, top + height)).convert("L")
        ink = sum(area.histogram()[:160])
        assert ink > 200, title                          # words where the bars would be
        colours = {c for _, c in area.convert("RGB").getcolors(1 << 20) or []}
        assert not colours & {_hex(c) for c in charts.PALETTE[:4]}, title          # and no bar
