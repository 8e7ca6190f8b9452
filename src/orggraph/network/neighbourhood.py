"""A node's neighbourhood in a network: what a focused view keeps."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from orggraph.errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["neighbourhood"]


def neighbourhood(network: nx.MultiDiGraph, centre: Hashable, depth: int = 1) -> nx.MultiDiGraph:
    """The nodes within ``depth`` steps of ``centre`` (either direction) and the edges among them.

    >>> import networkx as nx
    >>> sorted(neighbourhood(nx.MultiDiGraph([(1, 2), (2, 3), (3, 4)]), 2, 1).nodes)
    [1, 2, 3]
    """
    if centre not in network:
        raise UsageError(f"{centre} is not in the graph; choose another {{focus}}", parameters="focus")
    if depth < 0:
        raise UsageError("{depth} must be 0 or more", parameters="depth")
    import networkx as nx  # imported with the first network, not at start

    lengths = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), centre, cutoff=depth)
    return network.subgraph(lengths).copy()
