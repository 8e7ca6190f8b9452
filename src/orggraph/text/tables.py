"""Text for a terminal: how many columns a string takes (wide and full-width characters count
two) and aligned tables built on that."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "format_table", "visible"]


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


def visible(text: str) -> str:
    r"""``text`` with control and direction-override characters shown as escapes, so that a
    label cannot clear the screen, recolour it, set the window title or reorder what follows.

    >>> visible("公安部\x1b[2J\u202eabc\n")
    '公安部\\x1b[2J\\u202eabc\\n'
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " ":
            out.append(char)
        elif char in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


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
    header = [visible(h) for h in header]
    rows = [[visible(c) for c in row] for row in rows]
    widths = [display_width(h) for h in header]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
