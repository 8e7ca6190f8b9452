"""Text for a terminal: how many columns a string takes (wide and full-width characters count
two) and aligned tables built on that."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "format_table"]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two.

    >>> display_width("abc"), display_width("公安部"), display_width("GA认证")
    (3, 6, 6)
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as an aligned text table, in the given order.

    >>> print(format_table(["name", "n"], [["公安部", "1"], ["MPS", "22"]]))
    name    n
    ------  --
    公安部  1
    MPS     22
    """
    widths = [display_width(h) for h in header]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
