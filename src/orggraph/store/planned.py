"""The hand-made plans of :mod:`orggraph.store.plans` for a graph on Oxigraph: their answers as
rdflib results, as the store writes them, or as plain Python values, and the responsibility
matrix's cells read the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rdflib.query import Result

from orggraph.rdf.terms import python_value
from orggraph.store.oxigraph import _native, _term_converter, is_oxigraph, select_result
from orggraph.store.oxigraph_direct import RESULT_FORMATS, cycle_collection_paused, pyoxigraph, written_rows
from orggraph.store.oxigraph_direct import term_from_text as _oxigraph_term
from orggraph.store.plans import (
    EMPTY_EDGES,
    NATIVE_PLANS,
    TEXT_PLANS,
    DutyGraph,
    duty_rows,
    duty_years,
    memoised,
)

__all__ = ["duty_cells", "plan", "plan_records"]

_OG, _ORG_NS, _SKOS = (
    "https://w3id.org/orggraph/ns#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
)


def plan(graph: Any, name: str) -> Callable[[dict[str, Any], int | None, str | None], Result | bytes | None] | None:
    """The hand-made plan for the named query ``name`` on ``graph``: a function of the bindings, a
    row limit and a format that gives the rows of the ``.rq`` as a Result, or written by Oxigraph
    in that format (one of the W3C result formats; as it writes the ``.rq``'s answer), or None
    when it cannot, and the ``.rq`` must answer; None when ``graph`` is not on Oxigraph or the
    query has no plan."""
    planned = NATIVE_PLANS.get(name)
    if planned is None or not is_oxigraph(graph):
        return None
    store = _native(graph)

    def run(bindings: dict[str, Any], limit: int | None, written_as: str | None = None) -> Result | bytes | None:
        answer = planned(store, {key: str(value) for key, value in bindings.items()})
        if answer is None:
            return None
        if written_as in RESULT_FORMATS:
            return written_rows(*answer, written_as, limit)
        return select_result(*answer, limit)

    return run


_PLAIN_TYPES = frozenset(
    ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
)


def _plain_values() -> Callable[[str | None], object]:
    """The plain Python value of a TSV term, as :func:`orggraph.graph.results.to_records` gives
    it: an IRI's or string's text, a typed literal's value; each distinct term converted once."""

    def value(text: str) -> object:
        if text.startswith("<"):
            return text[1:-1]
        term = _oxigraph_term(text)
        if not isinstance(term, pyoxigraph.Literal) or term.datatype.value in _PLAIN_TYPES:
            return term.value
        return python_value(_term_converter()(term))

    return memoised(value)


def plan_records(graph: Any, name: str, bindings: dict[str, Any]) -> list[dict[str, object]] | None:
    """The rows of the named query ``name``'s hand-made plan as dicts of plain values, as
    :func:`orggraph.graph.results.to_records` gives them, without rdflib terms in between (a
    hundred thousand rows of them take longer than the plan); None without a plan."""
    if not is_oxigraph(graph):
        return None
    names = TEXT_PLANS.get(name)
    if names is not None:
        return _records(names, duty_rows(_native(graph), bindings, names))
    planned = NATIVE_PLANS.get(name)
    answer = None if planned is None else planned(_native(graph), bindings)
    if answer is None:
        return None
    plain: dict[Any, object] = {}

    def value(term: Any) -> object:
        if term is None:
            return None
        found = plain.get(term)
        if found is None:
            if isinstance(term, pyoxigraph.Literal) and term.datatype.value not in _PLAIN_TYPES:
                found = python_value(_term_converter()(term))
            else:
                found = term.value
            plain[term] = found
        return found

    with cycle_collection_paused():
        return [dict(zip(answer[0], map(value, row), strict=True)) for row in answer[1]]


def _records(names: Sequence[str], rows: list[tuple[str | None, ...]]) -> list[dict[str, object]]:
    value = _plain_values()
    with cycle_collection_paused():
        return [dict(zip(names, map(value, row), strict=True)) for row in rows]


def duty_cells(
    graph: Any, rows: str, columns: str, year: int | str | None = None
) -> tuple[dict[tuple[Any, Any], dict[str, str]], Callable[[str | None], object]] | None:
    """The responsibility matrix's cells straight from Oxigraph's indexes: (row term, column
    term) → {duty: how it is carried}, a duty once per cell ("assignee" before "member unit"),
    with the function that gives a term's plain value; None when ``graph`` is not on Oxigraph.
    ``rows`` is "organisation" (its zh-Hans names, else its IRI) or "type"; ``columns`` is
    "category" or "year". The same cells as counting the rows of ``duty-carriers.rq`` — a test
    holds them equal — reading only the predicates the two axes need."""
    if not is_oxigraph(graph):
        return None
    data = DutyGraph(_native(graph))
    carriers_of = data.carriers()
    notation = data.edges(_SKOS + "notation")
    unbound: list[Any] = [None]
    if rows == "organisation":
        names = data.edges(_SKOS + "prefLabel", zh_hans=True)

        def row_terms(unit: str) -> list[Any]:
            return names.get(unit) or [unit]  # no zh-Hans name: the organisation's IRI
    else:
        classification = data.edges(_ORG_NS + "classification")

        def row_terms(unit: str) -> list[Any]:
            return [n for c in classification.get(unit, ()) for n in notation.get(c, ())] or unbound

    dated = columns == "year" or year is not None
    if dated:
        period, held_at = data.edges(_OG + "period"), data.edges(_OG + "assignedAt")
        start = data.edges("https://schema.org/startDate")
    category = data.edges(_OG + "category") if columns == "category" else EMPTY_EDGES
    years_seen: dict[str, str] = {}

    def years_of(duty: str) -> list[Any]:
        return list(dict.fromkeys(y for y, _ in duty_years(duty, held_at, start, period, year, years_seen)))

    rows_of: dict[str, list[Any]] = {}
    cells: dict[tuple[Any, Any], dict[str, str]] = {}
    for duty in data.duties():
        carriers = carriers_of(duty)
        if not carriers:
            continue
        years = years_of(duty) if dated else unbound
        if not years:
            continue
        if columns == "year":
            column_terms = years
        else:
            column_terms = [n for c in category.get(duty, ()) for n in notation.get(c, ())] or unbound
        for unit, how in carriers:
            found = rows_of.get(unit)
            if found is None:
                found = rows_of[unit] = row_terms(unit)
            for row in found:
                for column in column_terms:
                    cell = cells.get((row, column))
                    if cell is None:
                        cells[(row, column)] = {duty: how}
                    elif duty not in cell:
                        cell[duty] = how
    return cells, _plain_values()
