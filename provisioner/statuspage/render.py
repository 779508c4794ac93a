"""The status page set as HTML (pure: (path, text) pairs out): jinja2 templates with autoescape, the
settlement report's CSS and inline SVG chart helpers (provisioner.billing.report, .charts); no script,
no external asset, so the pages open from disk or any static web server alike."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from provisioner.billing import charts
from provisioner.billing.report import CSS as REPORT_CSS
from provisioner.statuspage.messages import WORDS
from provisioner.statuspage.model import DUE_SOON, Site

TEMPLATES = Path(__file__).with_name("templates")
CSS = REPORT_CSS + """
nav{font-size:14px;margin-bottom:4px}nav a{color:#2f6db5}a{color:#2f6db5;text-decoration:none}a:hover{text-decoration:underline}
h1 .code,.code{color:#777;font-size:12px;font-weight:normal}tr.total td{font-weight:bold;background:#f6f6f6}
td.soon,tr.soon td.days{color:#9a5b00;font-weight:bold}tr.due td.days{color:#c0453b;font-weight:bold}
td.overdue,tr.overdue td.days{color:#c0453b;font-weight:bold}tr.overdue{background:#fdf0ef}
table.systems td,table.systems th{white-space:nowrap;vertical-align:top}table.systems td.links{font-size:12px;line-height:1.45}
.missing{color:#999;text-decoration:line-through}"""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def pages(site: Site) -> Iterator[tuple[str, str]]:
    """Every page: its path in the set (posix) and its HTML."""
    env = _environment()

    def text(key: str, **values: Any) -> str:
        return WORDS.say(key, site.lang, **values)

    common = {"site": site, "t": text, "css": Markup(CSS), "days": DUE_SOON}
    top = {**common, "up": ""}
    below = {**common, "up": "../"}
    yield "index.html", env.get_template("index.html.j2").render(top, chart=_chart(site))
    region, department, system = (env.get_template(f"{n}.html.j2") for n in ("region", "department", "system"))
    for r in site.regions:
        if r.summary.systems:
            yield r.href, region.render(below, region=r)
        for d in r.departments:
            yield d.href, department.render(below, dept=d)
    for page in site.systems:
        yield page.row.history, system.render(below, page=page)


def _chart(site: Site) -> Markup:
    lang = site.lang
    names = [name for name, _ in site.chart]
    return Markup(charts.stacked_bars(names, [(WORDS.say("chart-series", lang), [v for _, v in site.chart])],
                                      WORDS.say("chart", lang), empty=WORDS.say("chart-empty", lang), height=320,
                                      width=max(520, min(960, 300 + 90 * len(names)))))   # a bar per region, not a wall
