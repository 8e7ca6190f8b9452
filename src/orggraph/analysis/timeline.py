"""An organisation's timeline as plain rows (see the ``timeline`` named query)."""

from __future__ import annotations

from typing import Any

from orggraph.graph.named_queries import run_named_query
from orggraph.graph.results import to_records

__all__ = ["timeline"]


def timeline(graph: Any, org: str) -> dict[str, list[dict[str, object]]]:
    """Year → the meetings, posts and duties of ``org`` that year, in date order.

    >>> from orggraph.store.loading import load_graph
    >>> years = timeline(load_graph(), "中安协")
    >>> list(years), [row["kind"] for row in years["2019"]].count("duty")
    (['2019'], 28)
    """
    years: dict[str, list[dict[str, object]]] = {}
    for row in to_records(run_named_query(graph, "timeline", {"org": org})):
        years.setdefault(str(row.get("year") or "–"), []).append(row)
    return years
