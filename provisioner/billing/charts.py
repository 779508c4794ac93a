"""Inline SVG charts for the settlement report (pure; no network, no library, no script).

Each function returns one <svg> element sized in CSS pixels, with a <title> for screen
readers; text uses the CJK fonts the report's CSS names. Values are plain floats: charts
show money and ratios, they never compute them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#2f6db5", "#e08a2c", "#3b9c5a", "#c0453b", "#7b5ea7", "#8c6d46", "#d46fa8", "#6f7f8f", "#b5b23a",
           "#2fa3b5")
FONT = "font-family=\"'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif\""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _open(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" {FONT} font-size="12">',
            f"<title>{escape(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            f'<text x="{width / 2:.0f}" y="20" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>']


def _legend(names: Sequence[str], x: float, y: float, palette: Sequence[str] = PALETTE) -> list[str]:
    out = []
    for i, name in enumerate(names):
        yy = y + i * 18
        out.append(f'<rect x="{x:.0f}" y="{yy - 10:.0f}" width="12" height="12" fill="{palette[i % len(palette)]}"/>')
        out.append(f'<text x="{x + 18:.0f}" y="{yy:.0f}">{escape(name)}</text>')
    return out


def _y_axis(left: float, top: float, bottom: float, right: float, top_value: float,
            fmt: Callable[[float], str]) -> list[str]:
    out = []
    for i in range(5):
        value = top_value * i / 4
        y = bottom - (bottom - top) * i / 4
        out.append(f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{right:.0f}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{left - 6:.0f}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(value))}</text>')
    return out


def stacked_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], title: str,
                 fmt: Callable[[float], str] = lambda v: f"{v:,.0f}", width: int = 960, height: int = 400) -> str:
    left, top, legend_w = 90, 40, 220
    right, bottom = width - legend_w, height - 40
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    top_value = _nice_max(max(totals, default=0))
    out = _open(width, height, title) + _y_axis(left, top, bottom, right, top_value, fmt)
    slot = (right - left) / max(1, len(categories))
    for i, category in enumerate(categories):
        x, y = left + i * slot + slot * 0.15, bottom
        for j, (_, values) in enumerate(series):
            h = (bottom - top) * values[i] / top_value
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + slot * 0.35:.1f}" y="{bottom + 16:.0f}" text-anchor="middle">{escape(category)}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333333"/>')
    out += _legend([name for name, _ in series], right + 20, top + 10)
    return "\n".join(out + ["</svg>"])


def grouped_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], title: str,
                 fmt: Callable[[float], str] = lambda v: f"{v:,.0f}", width: int = 960, height: int = 340,
                 colors: Sequence[str] | None = None) -> str:
    left, top, legend_w = 70, 40, 160
    right, bottom = width - legend_w, height - 40
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    out = _open(width, height, title) + _y_axis(left, top, bottom, right, top_value, fmt)
    slot = (right - left) / max(1, len(categories))
    bar = slot * 0.8 / max(1, len(series))
    palette = colors or PALETTE
    for i, category in enumerate(categories):
        for j, (_, values) in enumerate(series):
            h = (bottom - top) * values[i] / top_value
            x = left + i * slot + slot * 0.1 + j * bar
            out.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                       f'fill="{palette[j % len(palette)]}"/>')
            out.append(f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle" font-size="11">'
                       f'{escape(fmt(values[i]))}</text>')
        out.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{bottom + 16:.0f}" text-anchor="middle">'
                   f'{escape(category)}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#333333"/>')
    out += _legend([name for name, _ in series], right + 20, top + 10, palette)
    return "\n".join(out + ["</svg>"])


def horizontal_bars(items: Sequence[tuple[str, float]], title: str, maximum: float,
                    fmt: Callable[[float], str], marks: Sequence[tuple[float, str]] = (),
                    width: int = 960) -> str:
    left, top, row = 260, 40, 22
    right = width - 80
    height = top + row * len(items) + 40
    out = _open(width, height, title)
    for value, label in marks:
        x = left + (right - left) * value / maximum
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 30}" stroke="#999999" '
                   f'stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" fill="#666666">{escape(label)}</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = (right - left) * min(value, maximum) / maximum
        color = PALETTE[0] if not marks or value >= marks[0][0] else PALETTE[3]
        out.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 15}">{escape(fmt(value))}</text>')
    return "\n".join(out + ["</svg>"])
