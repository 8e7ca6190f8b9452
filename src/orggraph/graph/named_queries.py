"""Named queries: ``.rq`` files in ``queries/`` with a header that declares their title,
description and parameters, run with parameters given as text (names and aliases resolved).

The ``.rq`` file is the definition. On an on-disk Oxigraph store a hand-made plan may answer
instead (:mod:`orggraph.store.oxigraph`); a test holds it to the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from orggraph.errors import ResolutionError, UsageError
from orggraph.graph.query_files import (
    PARAMETER_KINDS,
    NamedQuery,
    Parameter,
    get_named_query,
    list_named_queries,
    literal_bindings,
)
from orggraph.graph.resolution import resolve_organisation, resolve_resource
from orggraph.graph.results import format_answer, to_records
from orggraph.store.planned import plan_records
from orggraph.store.sparql import run_plan, run_query_written
from orggraph.store.sparql_text import LiteralText

__all__ = [
    "named_query_records",
    "NamedQuery",
    "PARAMETER_KINDS",
    "Parameter",
    "bind_parameters",
    "named_query_output",
    "get_named_query",
    "list_named_queries",
    "run_named_query",
]


def bind_parameters(graph: Graph, query: NamedQuery, values: Mapping[str, object]) -> dict[str, Any]:
    """Turn user-given parameter strings into RDF terms for ``initBindings``."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {allowed}")
    bindings: dict[str, Any] = {}
    for parameter in query.parameters:
        given = values.get(parameter.name)
        if given is None:
            if parameter.required:
                raise UsageError(
                    f"query {query.name!r} needs -p {parameter.name} VALUE ({parameter.kind}: {parameter.description})"
                )
            continue
        raw = given if isinstance(given, str) else str(given)  # 2019 as well as "2019", an IRI as itself
        kind = parameter.kind
        if kind == "organisation":
            bindings[parameter.name] = resolve_organisation(graph, raw)
        elif kind == "meeting":
            bindings[parameter.name] = resolve_resource(graph, raw, "og:Meeting")
        elif kind == "type":
            bindings[parameter.name] = resolve_resource(graph, raw, "skos:Concept")
        elif kind == "resource":
            bindings[parameter.name] = resolve_resource(graph, raw, None)
        else:  # a literal kind
            plain = literal_bindings(parameter, raw)
            if plain is None:
                what = "a year such as 2019" if kind == "year" else "a whole number"
                raise UsageError(f"parameter {parameter.name} must be {what}, not {raw!r}")
            bindings |= {key: _literal(value) for key, value in plain.items()}
    return bindings


def _literal(value: LiteralText) -> Literal:
    return Literal(value.value, datatype=None if value.datatype is None else URIRef(value.datatype))


def run_named_query(
    graph: Graph,
    name: str,
    parameters: Mapping[str, object] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
) -> Result:
    """Run a named query with parameters given as text (names and aliases are resolved; a year
    or a number may be given as an int).

    >>> from orggraph.store.loading import load_graph
    >>> graph = load_graph()
    >>> rows = list(run_named_query(graph, "duties-of", {"org": "中安协"}))
    >>> len(rows) > 20
    True
    >>> len(list(run_named_query(graph, "duties-of", {"org": "ogr:cspia", "year": 2019}))), len(rows)
    (28, 31)
    """
    result = _answer(graph, name, parameters, timeout=timeout, limit=limit, written_as=None)
    assert not isinstance(result, bytes)
    return result


def named_query_output(
    graph: Graph,
    name: str,
    parameters: Mapping[str, object] | None = None,
    fmt: str = "table",
    *,
    timeout: float | None = None,
    limit: int | None = None,
) -> str:
    """:func:`run_named_query` written in ``fmt`` (see :func:`orggraph.graph.results.format_result`);
    on Oxigraph the W3C formats are written by Oxigraph itself, as ``orggraph query`` writes them.

    >>> from orggraph.store.loading import load_graph
    >>> print(named_query_output(load_graph(), "duties-of", {"org": "中安协", "year": 2019}, "csv").splitlines()[0])
    no,duty,task_zh_hans,task_en,period,category,carried_as,assigned_by,meeting
    """
    return format_answer(_answer(graph, name, parameters, timeout=timeout, limit=limit, written_as=fmt), fmt)


def _answer(
    graph: Graph,
    name: str,
    parameters: Mapping[str, object] | None,
    *,
    timeout: float | None,
    limit: int | None,
    written_as: str | None,
) -> Result | bytes:
    """The named query's answer: its hand-made plan's for this store, else the ``.rq``'s (as the
    store writes it in ``written_as``, where it can)."""
    query = get_named_query(name)
    bindings = bind_parameters(graph, query, parameters or {})
    origin = query.path.name
    answer: Result | bytes | None = run_plan(
        graph, name, bindings, origin=origin, timeout=timeout, limit=limit, written_as=written_as
    )
    if answer is None:  # no hand-made plan for this store: the .rq answers
        answer = run_query_written(
            graph,
            query.text,
            written_as or "",
            bindings=bindings,
            origin=origin,
            timeout=timeout,
            limit=limit,
            trusted=True,
            values_block=query.values_block,
        )
    if answer is None:  # pragma: no cover - named queries are never updates
        raise ResolutionError(f"named query {name!r} is an update")
    return answer


def named_query_records(
    graph: Graph, name: str, parameters: Mapping[str, object] | None = None
) -> list[dict[str, object]]:
    """The rows of :func:`run_named_query` as dicts of plain Python values (what
    :func:`orggraph.graph.results.to_records` makes of them); on Oxigraph straight from the
    query's hand-made plan when it has one, without building rdflib terms for every value.

    >>> from orggraph.store.loading import load_graph
    >>> len(named_query_records(load_graph(), "duties", {"org": "中安协", "year": 2019}))
    28
    """
    query = get_named_query(name)
    bindings = bind_parameters(graph, query, parameters or {})
    rows = plan_records(graph, name, bindings)
    return rows if rows is not None else to_records(run_named_query(graph, name, parameters))
