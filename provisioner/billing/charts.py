"""Inline SVG charts for the settlement report (pure; no network, no library, no script).

Each function returns one <svg> element sized in CSS pixels, with a <title> for screen
readers; text uses the CJK fonts the report's CSS names. Values are plain floats: charts
show money, counts and ratios, they never compute them.

Axes are drawn on "nice" ticks (1, 2 or 5 x 10^k; whole numbers for counts), the top of
the axis is the last tick, and every label is its tick's exact value, so a bar of 3 ends on
the line labelled 3. A chart with nothing to draw says why (`empty`) instead of showing a
bare axis.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2f6db5", "#e08a2c", "#3b9c5a", "#c0453b", "#7b5ea7", "#8c6d46", "#d46fa8", "#6f7f8f", "#b5b23a",
           "#2fa3b5")
FONT = "font-family=\"'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif\""
INTERVALS = 5          # about this many steps between 0 and the top of an axis


@dataclass(frozen=True)
class Axis:
    step: float
    top: float
    decimals: int       # places a tick label needs to show its value exactly

    @property
    def ticks(self) -> list[float]:
        return [float(f"{self.step * i:.12g}") for i in range(round(self.top / self.step) + 1)]

    def label(self, value: float, unit: str = "") -> str:
        return f"{value:,.{self.decimals}f}{unit}"


def nice_axis(maximum: float, *, integer: bool = False, intervals: int = INTERVALS) -> Axis:
    """0 to the first multiple of a 1-2-5 step at or above `maximum`, in about `intervals` steps.

    `integer` axes (counts) never step below 1, so no tick falls between two whole numbers."""
    if maximum <= 0 or not math.isfinite(maximum):
        return Axis(1.0, 1.0, 0)
    raw = maximum / intervals
    power = math.floor(math.log10(raw))
    step = next(m * 10.0 ** power for m in (1, 2, 5, 10) if m * 10.0 ** power >= raw * (1 - 1e-9))
    if integer:
        step = max(1.0, step)
    step = float(f"{step:.12g}")                       # 0.30000000000000004 -> 0.3
    top = float(f"{math.ceil(maximum / step - 1e-9) * step:.12g}")
    return Axis(step, top, max(0, -math.floor(math.log10(step) + 1e-9)))


def _open(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" {FONT} font-size="12">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>']


def _empty(out: list[str], why: str, x: float, y: float) -> str:
    """The chart's frame with the reason it has nothing to show, where the bars would be."""
    out.append(f'<text class="empty" x="{x:.0f}" y="{y:.0f}" text-anchor="middle" font-size="14" '
               f'fill="#555555">{escape(why)}</text>')
    return "\n".join(out + ["</svg>"])


def _legend(names: Sequence[str], x: float, y: float, palette: Sequence[str] = PALETTE) -> list[str]:
    out = []
    for i, name in enumerate(names):
        yy = y + i * 18
        out.append(f'<rect x="{x:.0f}" y="{yy - 10:.0f}" width="12" height="12" fill="{palette[i % len(palette)]}"/>')
        out.append(f'<text x="{x + 18:.0f}" y="{yy:.0f}">{escape(name)}</text>')
    return out


def _y_axis(left: float, top: float, bottom: float, right: float, axis: Axis) -> list[str]:
    out = []
    for value in axis.ticks:
        y = bottom - (bottom - top) * value / axis.top
        out.append(f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{right:.0f}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text class="tick" x="{left - 6:.0f}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(axis.label(value))}</text>')
    return out


def _x_labels(categories: Sequence[str], left: float, slot: float, bottom: float) -> list[str]:
    return [f'<text x="{left + (i + 0.5) * slot:.1f}" y="{bottom + 16:.0f}" text-anchor="middle">{escape(c)}</text>'
            for i, c in enumerate(categories)]


def stacked_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], title: str, *,
                 empty: str, width: int = 960, height: int = 400) -> str:
    """Money per category, stacked by series (axis in yuan, whole or to the step's places)."""
    left, top, legend_w = 90, 40, 220
    right, bottom = width - legend_w, height - 40
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    out = _open(width, height, title)
    if not any(t > 0 for t in totals):
        return _empty(out, empty, width / 2, (top + bottom) / 2)
    axis = nice_axis(max(totals))
    out += _y_axis(left, top, bottom, right, axis)
    slot = (right - left) / len(categories)
    for i in range(len(categories)):
        x, y = left + i * slot + slot * 0.15, bottom
        for j, (_, values) in enumerate(series):
            h = (bottom - top) * values[i] / axis.top
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"/>')
    out += _x_labels(categories, left, slot, bottom)
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333333"/>')
    out += _legend([name for name, _ in series], right + 20, top + 10)
    return "\n".join(out + ["</svg>"])


def grouped_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str, *,
                 empty: str, width: int = 960, height: int = 340, colors: Sequence[str] | None = None) -> str:
    """Counts per category, side by side per series: whole-number ticks, each bar labelled with its count."""
    left, top, legend_w = 70, 40, 160
    right, bottom = width - legend_w, height - 40
    out = _open(width, height, title)
    if not categories or not any(v > 0 for _, values in series for v in values):
        return _empty(out, empty, width / 2, (top + bottom) / 2)
    axis = nice_axis(max(v for _, values in series for v in values), integer=True)
    out += _y_axis(left, top, bottom, right, axis)
    slot = (right - left) / len(categories)
    bar = slot * 0.8 / max(1, len(series))
    palette = colors or PALETTE
    for i in range(len(categories)):
        for j, (_, values) in enumerate(series):
            h = (bottom - top) * values[i] / axis.top
            x = left + i * slot + slot * 0.1 + j * bar
            out.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                       f'fill="{palette[j % len(palette)]}"/>')
            out.append(f'<text class="value" x="{x + bar / 2:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle" '
                       f'font-size="11">{values[i]:,d}</text>')
    out += _x_labels(categories, left, slot, bottom)
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333333"/>')
    out += _legend([name for name, _ in series], right + 20, top + 10, palette)
    return "\n".join(out + ["</svg>"])


def horizontal_bars(items: Sequence[tuple[str, float]], title: str, fmt: Callable[[float], str], *, empty: str,
                    marks: Sequence[tuple[float, str]] = (), width: int = 960) -> str:
    """Ratios from 0 to 1 (100%), one bar each, on an axis ticked every 20%; `marks` are dashed band lines."""
    left, top, row = 260, 40, 22
    right = width - 80
    height = top + row * len(items) + 56 if items else top + row * 2
    axis_y = height - 44
    out = _open(width, height, title)
    if not items:
        return _empty(out, empty, width / 2, top + row)
    for value in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        x = left + (right - left) * value
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#eeeeee"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle">{value * 100:.0f}%</text>')
    for value, label in marks:
        x = left + (right - left) * value
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#999999" '
                   f'stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="#666666">{escape(label)}</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = (right - left) * min(value, 1.0)
        color = PALETTE[0] if not marks or value >= marks[0][0] else PALETTE[3]
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 15}">{escape(fmt(value))}</text>')
    return "\n".join(out + ["</svg>"])
