"""Task tables (任务分解表) flattened to text: a header row naming the columns, then one row per
line, cells separated by tabs or runs of spaces. An empty cell inherits the value of the row above
(a merged cell); when cells were lost in copying, text cells are aligned to the right of the text
columns, so the leading ones (category, main task) are the ones inherited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from orggraph.extract.lexicon import TABLE_COLUMNS
from orggraph.text.documents import Document

__all__ = ["Cell", "Row", "find_tables"]

_SEPARATOR = re.compile(r"\t|[ \u3000]{2,}")
_DEADLINE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|年底|月底|长期|持续|常态|前$")
_INDEX = re.compile(r"^[\d一二三四五六七八九十]+[.、．]?$")
_TEXT_ROLES = ("category", "task", "measure", "target")
_UNIT_ROLES = ("lead", "responsible", "participant")


@dataclass(frozen=True)
class Cell:
    """A cell's text and its span in the document's matching text (empty cells have none)."""

    text: str
    start: int
    end: int


Row = dict[str, Cell]  # column role → cell


def _role(heading: str) -> str | None:
    return next((role for key, role in TABLE_COLUMNS if key in heading), None)


def _cells(line: str, offset: int, keep_empty: bool) -> list[Cell]:
    bounds, cursor = [], 0
    for match in _SEPARATOR.finditer(line):
        bounds.append((cursor, match.start()))
        cursor = match.end()
    bounds.append((cursor, len(line)))
    cells = []
    for a, b in bounds:
        piece = line[a:b]
        lead, kept = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if piece.strip() or keep_empty:
            cells.append(Cell(piece.strip(), offset + a + lead, offset + a + max(kept, lead)))
    return cells


def _is_units(text: str, is_unit: Callable[[str], bool]) -> bool:
    items = [item for item in re.split("[、,，;；]", text) if item]
    return bool(items) and all(is_unit(item) for item in items)


def find_tables(doc: Document, is_unit: Callable[[str], bool]) -> list[list[Row]]:
    """The task tables of ``doc``: rows of cells by column role, merged cells filled in.
    ``is_unit(text)`` says whether a cell item names an organisation or a collective."""
    text = doc.simplified
    tables: list[list[Row]] = []
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((position, line))
        position += len(line) + 1
    index = 0
    while index < len(lines):
        offset, line = lines[index]
        headings = _cells(line, offset, keep_empty=False)
        roles = [_role(c.text) for c in headings]
        known = [r for r in roles if r]
        if len(headings) < 3 or len(known) < 2 or not any(r in _UNIT_ROLES or r == "task" for r in known):
            index += 1
            continue
        keep_empty = "\t" in line
        rows: list[Row] = []
        previous: Row = {}
        index += 1
        while index < len(lines):
            offset, line = lines[index]
            cells = _cells(line, offset, keep_empty)
            if sum(1 for c in cells if c.text) < 2:
                break
            placed = _align(cells, roles, is_unit) if len(cells) != len(roles) else dict(zip(roles, cells, strict=True))
            row: Row = {role: cell for role, cell in placed.items() if role}
            for role in _TEXT_ROLES:  # a merged cell inherits the row above
                if role in roles and not (row.get(role) and row[role].text) and previous.get(role):
                    row[role] = previous[role]
            rows.append(row)
            previous = row
            index += 1
        if rows:
            tables.append(rows)
    return tables


def _align(cells: list[Cell], roles: list[str | None], is_unit: Callable[[str], bool]) -> dict[str | None, Cell]:
    """Cells to columns when some were lost: by what each cell looks like."""
    row: dict[str | None, Cell] = {}
    texts, units = [], []
    for cell in cells:
        if not cell.text:
            continue
        if _INDEX.match(cell.text) and "index" in roles and "index" not in row:
            row["index"] = cell
        elif _DEADLINE.search(cell.text) and "deadline" in roles and len(cell.text) <= 16:
            row["deadline"] = cell
        elif _is_units(cell.text, is_unit):
            units.append(cell)
        else:
            texts.append(cell)
    text_roles = [r for r in roles if r in _TEXT_ROLES]
    for role, cell in zip(text_roles[len(text_roles) - len(texts) :], texts, strict=False):
        row[role] = cell
    unit_roles = [r for r in roles if r in _UNIT_ROLES]
    for role, cell in zip(unit_roles, units, strict=False):
        row[role] = cell
    return row
