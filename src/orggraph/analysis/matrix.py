"""The responsibility matrix: how many duties each organisation (or type of organisation) carries,
per category (or per year), with the duties behind every count."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orggraph.analysis.records import duty_records
from orggraph.errors import OrgGraphError, UsageError
from orggraph.graph.named_queries import named_query_records
from orggraph.graph.passages import read_passage
from orggraph.store.planned import duty_cells
from orggraph.store.sparql import select_rows
from orggraph.text.escaping import script_safe_json
from orggraph.text.tables import format_table

__all__ = ["MATRIX_COLUMNS", "MATRIX_ROWS", "Matrix", "matrix"]

MATRIX_ROWS = ("organisation", "type")
MATRIX_COLUMNS = ("category", "year")
_UNKNOWN = "–"
_TEMPLATE = Path(__file__).resolve().parent / "templates" / "heatmap.html"
_EVIDENCE = """
SELECT DISTINCT ?duty ?document ?start ?end WHERE {
  ?duty a og:Duty ; prov:wasDerivedFrom ?evidence .
  ?evidence oa:hasSource/dcterms:identifier ?document ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
}"""


@dataclass
class Matrix:
    """Counts of duties by row and column. ``members[(row, column)]`` holds the duties behind a
    count as (duty IRI, how the organisation carries it); :attr:`cells` adds each duty's task,
    assigner, meeting and document, read from the graph the first time a caller asks."""

    rows: list[str]
    columns: list[str]
    counted: dict[tuple[str, str], dict[Any, Any]] = field(default_factory=dict, repr=False)
    row_kind: str = "organisation"
    column_kind: str = "category"
    graph: Any = field(default=None, repr=False)
    year: int | str | None = None
    value: Callable[[Any], object] = field(default=lambda term: term, repr=False)
    _members: dict[tuple[str, str], list[tuple[str, str]]] | None = field(default=None, repr=False)
    _cells: dict[tuple[str, str], list[dict[str, object]]] | None = field(default=None, repr=False)

    @property
    def members(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """The duties behind each count as (duty IRI, how the organisation carries it), sorted."""
        if self._members is None:
            value = self.value
            self._members = {
                key: sorted({str(value(duty)): str(value(how)) for duty, how in duties.items()}.items())
                for key, duties in self.counted.items()
            }
        return self._members

    @property
    def cells(self) -> dict[tuple[str, str], list[dict[str, object]]]:
        """The duties behind each count with their details, as plain values (read once)."""
        if self._cells is None:
            details: dict[str, dict[str, object]] = {}
            if self.graph is not None and self.members:
                for record in duty_records(self.graph, year=self.year):
                    known = details.setdefault(str(record["duty"]), {})
                    for key, found in record.items():  # the least of several values, whatever the row order
                        if found is not None and (known.get(key) is None or str(found) < str(known[key])):
                            known[key] = found
            self._cells = {
                key: [_with_details(duty, carried_as, details.get(duty, {})) for duty, carried_as in duties]
                for key, duties in self.members.items()
            }
        return self._cells

    def count(self, row: str, column: str) -> int:
        return len(self.counted.get((row, column), ()))

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


def _with_details(duty: str, carried_as: str, record: dict[str, object]) -> dict[str, object]:
    return {
        "duty": duty,
        "task_zh_hans": record.get("task_zh_hans"),
        "carried_as": carried_as,
        **{key: record.get(key) for key in ("assigned_by", "meeting", "document")},
    }


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
    planned = duty_cells(graph, rows, columns, year)
    if planned is not None:
        by_cell, value = planned
    else:
        by_cell, value = _cells_from_query(graph, rows, columns, year), lambda term: term
    # Two terms with one text (a typed and a plain notation) share a cell; the duties' own terms
    # are converted only when a caller lists them.
    counted: dict[tuple[str, str], dict[Any, Any]] = {}
    for (row_term, column_term), duties in by_cell.items():
        key = (str(value(row_term) or _UNKNOWN), str(value(column_term) or _UNKNOWN))
        cell = counted.get(key)
        if cell is None:
            counted[key] = duties
        else:
            for duty, how in duties.items():
                _carried(cell, duty, how)
    totals: dict[str, int] = {}
    for (row, _), cell in counted.items():
        totals[row] = totals.get(row, 0) + len(cell)
    ordered_rows = sorted(totals, key=lambda r: (-totals[r], r))
    ordered_columns = sorted({c for _, c in counted})
    return Matrix(ordered_rows, ordered_columns, counted, rows, columns, graph=graph, year=year, value=value)


def _cells_from_query(
    graph: Any, rows: str, columns: str, year: int | str | None
) -> dict[tuple[Any, Any], dict[Any, Any]]:
    """The cells counted from the rows of ``duty-carriers.rq``, on stores that have no plan."""
    row_column = "organisation_zh_hans" if rows == "organisation" else "type"
    column_column = "category" if columns == "category" else "duty_year"
    records = named_query_records(graph, "duty-carriers", {} if year is None else {"year": year})
    cells: dict[tuple[Any, Any], dict[Any, Any]] = {}
    for record in records:
        row = record.get(row_column)
        if rows == "organisation" and row is None:
            row = record.get("organisation")  # no zh-Hans name: the organisation's IRI
        _carried(cells.setdefault((row, record.get(column_column)), {}), record.get("duty"), record.get("carried_as"))
    return cells


def _carried(cell: dict[Any, Any], duty: Any, how: Any) -> None:
    """Count ``duty`` in ``cell`` once, carried as an assignee rather than a member unit when it is both."""
    if duty not in cell or str(how) < str(cell[duty]):  # "assignee" < "member unit"
        cell[duty] = how
