"""The responsibility matrix: how many duties each organisation (or type of organisation) carries,
per category (or per year), with the duties behind every count."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orggraph.analysis.records import duty_records
from orggraph.errors import OrgGraphError, UsageError
from orggraph.graph.passages import read_passage
from orggraph.store.sparql import select_rows
from orggraph.text.escaping import script_safe_json
from orggraph.text.tables import format_table

__all__ = ["MATRIX_COLUMNS", "MATRIX_ROWS", "Matrix", "matrix"]

MATRIX_ROWS = ("organisation", "type")
MATRIX_COLUMNS = ("category", "year")
_UNKNOWN = "–"
_TEMPLATE = Path(__file__).resolve().parent / "templates" / "heatmap.html"
_EVIDENCE = """
SELECT ?duty ?document ?start ?end WHERE {
  ?duty a og:Duty ; prov:wasDerivedFrom ?evidence .
  ?evidence oa:hasSource/dcterms:identifier ?document ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
}"""


@dataclass
class Matrix:
    """Counts of duties by row and column; ``cells[(row, column)]`` holds the duties behind a count."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], list[dict[str, object]]] = field(default_factory=dict)
    row_kind: str = "organisation"
    column_kind: str = "category"

    def count(self, row: str, column: str) -> int:
        return len(self.cells.get((row, column), []))

    def table(self) -> str:
        """An aligned text table of the counts, with a total per row."""
        body = [
            [row, *(str(self.count(row, c) or "") for c in self.columns), str(self.total(row))] for row in self.rows
        ]
        return format_table([self.row_kind, *self.columns, "total"], body)

    def total(self, row: str) -> int:
        return sum(self.count(row, column) for column in self.columns)

    def csv(self) -> str:
        """The counts as CSV: a header row, then one row per organisation or type."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.row_kind, *self.columns])
        for row in self.rows:
            writer.writerow([row, *(self.count(row, column) for column in self.columns)])
        return out.getvalue()

    def html(self) -> str:
        """A self-contained, offline heatmap page: a colour scale with its legend, and a click on a
        cell lists its duties (with their source passages when the matrix has them)."""
        return _TEMPLATE.read_text(encoding="utf-8").replace("/*MATRIX_JSON*/", script_safe_json(self.payload()), 1)

    def payload(self) -> dict[str, object]:
        """Rows, columns and every non-empty cell with its count and its duties, as plain values."""
        cells = [
            {"row": row, "column": column, "count": len(duties), "duties": duties}
            for (row, column), duties in sorted(self.cells.items())
        ]
        return {"rows": self.rows, "columns": self.columns, "by": [self.row_kind, self.column_kind], "cells": cells}

    def add_passages(self, graph: Any, folders: Sequence[Path]) -> None:
        """Quote each duty's source passage from the documents in ``folders`` (see
        :func:`orggraph.graph.passages.read_passage`); a duty whose document is not there keeps none."""
        offsets: dict[str, tuple[str, int, int]] = {}
        for row in select_rows(graph, _EVIDENCE):
            offsets.setdefault(str(row[0]), (str(row[1]), int(row[2]), int(row[3])))
        for duties in self.cells.values():
            for duty in duties:
                found = offsets.get(str(duty["duty"]))
                if found is None:
                    continue
                try:
                    duty["passage"] = read_passage(graph, *found, folders)
                except OrgGraphError:
                    continue

    def to_json(self) -> str:
        """:meth:`payload` as JSON."""
        return json.dumps(self.payload(), ensure_ascii=False, indent=1, default=str)


def matrix(
    graph: Any, rows: str = "organisation", columns: str = "category", *, year: int | str | None = None
) -> Matrix:
    """Count the duties in ``graph`` by ``rows`` (organisation or type) and ``columns`` (category or
    year), keeping the duties behind each count.

    >>> from orggraph.store.loading import load_graph
    >>> m = matrix(load_graph(), "organisation", "year")
    >>> m.count(m.rows[0], "2019"), m.total(m.rows[0])  # the busiest organisation first
    (28, 31)
    """
    if rows not in MATRIX_ROWS:
        raise UsageError(f"rows must be one of {', '.join(MATRIX_ROWS)}, not {rows!r}")
    if columns not in MATRIX_COLUMNS:
        raise UsageError(f"columns must be one of {', '.join(MATRIX_COLUMNS)}, not {columns!r}")
    result = Matrix([], [], row_kind=rows, column_kind=columns)
    seen: set[tuple[str, str, object]] = set()  # a duty counts once per cell, whatever rows repeat it
    totals: dict[str, int] = {}
    for record in duty_records(graph, year=year):
        row = record.get("organisation_zh_hans") or record.get("organisation") if rows == "organisation" else None
        if rows == "type":
            row = record.get("type")
        column = record.get("category") if columns == "category" else record.get("duty_year")
        key = (str(row or _UNKNOWN), str(column or _UNKNOWN))
        if (*key, record.get("duty")) in seen:
            continue
        seen.add((*key, record.get("duty")))
        duty = {k: record.get(k) for k in ("duty", "task_zh_hans", "carried_as", "assigned_by", "meeting", "document")}
        result.cells.setdefault(key, []).append(duty)
        totals[key[0]] = totals.get(key[0], 0) + 1
    result.rows = sorted(totals, key=lambda r: (-totals[r], r))
    result.columns = sorted({c for _, c in result.cells})
    return result
