"""Plain-text tables for terminals: columns aligned with CJK characters taking two columns (pure)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def grid(head: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()) -> str:
    """Head, a rule, the rows; columns in `right` aligned right (numbers). The last column is not padded
    unless it is aligned right, and its rule is at most 40 wide."""
    last = len(head) - 1
    widths = [max(width(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def cell(i: int, text: str) -> str:
        pad = " " * (widths[i] - width(text))
        if i in right:
            return pad + text
        return text if i == last else text + pad

    def line(cells: list[str]) -> str:
        return "  ".join(cell(i, c) for i, c in enumerate(cells)).rstrip()

    rule = "  ".join("-" * (w if i < last or i in right else min(40, w)) for i, w in enumerate(widths))
    return "\n".join([line(head), rule, *(line(row) for row in rows)])
