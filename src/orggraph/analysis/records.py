"""The rows analysis works on, as plain dicts, from the named queries."""

from __future__ import annotations

from typing import Any

from orggraph.graph.named_queries import named_query_records

__all__ = ["duty_records"]


def duty_records(graph: Any, org: str | None = None, year: int | str | None = None) -> list[dict[str, object]]:
    """Every duty with the organisation that carries it (see the ``duties`` named query).

    >>> from orggraph.store.loading import load_graph
    >>> len(duty_records(load_graph(), "中安协", 2019))
    28
    """
    parameters: dict[str, object] = {}
    if org is not None:
        parameters["org"] = org
    if year is not None:
        parameters["year"] = year
    return named_query_records(graph, "duties", parameters)
