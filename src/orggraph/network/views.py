"""Choosing what to draw: a neighbourhood, some node kinds, some relations, duties as edges."""

from __future__ import annotations

from collections.abc import Collection, Hashable
from typing import TYPE_CHECKING

from rdflib import Graph

from orggraph.errors import UsageError
from orggraph.formats import DUTY_MODES
from orggraph.graph.resolution import resolve_name, resolve_organisation
from orggraph.namespaces import expand
from orggraph.network.neighbourhood import neighbourhood
from orggraph.network.projection import NODE_KINDS, count_nodes, to_networkx

if TYPE_CHECKING:  # networkx is imported by the projection, when a network is made
    import networkx as nx
from orggraph.text.normalization import normalize_name, to_simplified, to_traditional

__all__ = [
    "DUTY_MODES",
    "duties_as_edges",
    "keep_kinds",
    "keep_relations",
    "neighbourhood",
    "resolve_node",
    "select_view",
    "view_of",
]


def keep_kinds(network: nx.MultiDiGraph, kinds: Collection[str]) -> nx.MultiDiGraph:
    """Only nodes of the given kinds (keys of :data:`orggraph.network.projection.NODE_KINDS`)."""
    unknown = sorted(set(kinds) - set(NODE_KINDS))
    if unknown:
        raise UsageError(f"unknown node type {unknown[0]!r}; use any of: {', '.join(NODE_KINDS)}")
    return network.subgraph([n for n, kind in network.nodes(data="kind") if kind in kinds]).copy()


def keep_relations(network: nx.MultiDiGraph, relations: Collection[str]) -> nx.MultiDiGraph:
    """Only edges of the given relations (all nodes stay)."""
    present = {relation for *_, relation in network.edges(data="relation")}
    unknown = sorted(set(relations) - present)
    if unknown:
        raise UsageError(f"no relation {unknown[0]!r} in this graph; it has: {', '.join(sorted(present))}")
    view = network.copy()
    view.remove_edges_from(
        [(u, v, k) for u, v, k, r in network.edges(keys=True, data="relation") if r not in relations]
    )
    return view


def duties_as_edges(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Collapse each top-level duty into edges assigner → assignee labelled with the duty.

    The edge keeps the duty's names, text, year, category and evidence; the texts of its
    sub-duties are listed in its ``sub_duties``. Duty nodes disappear.

    >>> from orggraph.store.loading import load_graph
    >>> from orggraph.network.projection import to_networkx
    >>> collapsed = duties_as_edges(to_networkx(load_graph()))
    >>> sum(1 for *_, r in collapsed.edges(data="relation") if r == "duty")
    34
    """
    view = network.copy()
    duties = [n for n, kind in network.nodes(data="kind") if kind == "duty"]
    for duty in duties:
        out = {
            relation: [t for _, t, r in network.out_edges(duty, data="relation") if r == relation]
            for relation in ("assigned to", "sub-duty of", "assigned at")
        }
        if out["sub-duty of"]:
            continue
        assigners = [s for s, _, r in network.in_edges(duty, data="relation") if r == "assigned"]
        sources = assigners or out["assigned at"] or [duty]
        data = network.nodes[duty]
        children = sorted(s for s, _, r in network.in_edges(duty, data="relation") if r == "sub-duty of")
        sub_duties = [network.nodes[c].get("labels", {}) for c in children]
        for source in sources:
            for assignee in out["assigned to"]:
                view.add_edge(
                    source,
                    assignee,
                    key=f"duty {duty}",  # one edge per duty, the same whatever order they are met in
                    relation="duty",
                    labels=data.get("labels", {}),
                    text=data.get("text", {}),
                    year=data.get("year", ""),
                    category=data.get("category", ""),
                    evidence=data.get("evidence", []),
                    sub_duties=sub_duties,
                    duty=duty,
                )
    view.remove_nodes_from(duties)
    return view


def select_view(
    network: nx.MultiDiGraph,
    *,
    focus: Hashable | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    duties: str = "nodes",
) -> nx.MultiDiGraph:
    """Apply the drawing choices in order: duties mode, focus/depth, types, relations."""
    _check_duties(duties)
    view = duties_as_edges(network) if duties == "edges" else network
    if focus is not None:
        view = neighbourhood(view, focus if focus in view else resolve_node(view, str(focus)), depth)
    if types:
        view = keep_kinds(view, types)
    if relations:
        view = keep_relations(view, relations)
    return view


def view_of(
    graph: Graph,
    *,
    focus: str | None = None,
    depth: int = 1,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    duties: str = "nodes",
    max_nodes: int | None = None,
) -> nx.MultiDiGraph:
    """What ``orggraph render`` draws: the graph projected and cut as :func:`select_view` does.

    ``focus`` is any name or IRI of an organisation; around it only the neighbourhood is
    fetched, so a big store is never projected whole. A view with more than ``max_nodes``
    nodes raises :class:`~orggraph.errors.UsageError`.

    >>> from orggraph.store.loading import load_graph
    >>> view = view_of(load_graph(), focus="科信局", depth=1)
    >>> "https://w3id.org/orggraph/id/mps-sti-bureau" in view
    True
    """
    _check_duties(duties)
    centre = str(resolve_organisation(graph, focus)) if focus else None
    # collapsing duties shortens paths: a drawn step may be two steps in the graph, and whether a
    # duty is a sub-duty (then not drawn) is decided one step further out
    radius = depth if duties == "nodes" else 2 * depth + 2
    if centre is None and not types and max_nodes:
        # a whole big store would be projected only to be refused: count first
        _refuse_above(count_nodes(graph, duties=duties == "nodes"), max_nodes)
    network = to_networkx(graph, around=centre, radius=radius) if centre else to_networkx(graph)
    view = select_view(network, focus=centre, depth=depth, types=types, relations=relations, duties=duties)
    if max_nodes:
        _refuse_above(view.number_of_nodes(), max_nodes)
    return view


def _refuse_above(nodes: int, max_nodes: int) -> None:
    if nodes > max_nodes:
        raise UsageError(
            f"the view has {nodes:,} nodes, more than {{max_nodes}} {max_nodes:,}; "
            "narrow it with {focus}/{depth} or {types}, or raise {max_nodes}",
            parameters=("max_nodes", "focus", "depth", "types"),
        )


def _check_duties(duties: str) -> None:
    if duties not in DUTY_MODES:
        raise UsageError(f"{{duties}} must be one of {', '.join(DUTY_MODES)}, not {duties!r}", parameters="duties")


def resolve_node(network: nx.MultiDiGraph, text: str) -> str:
    """The node of a projected network that ``text`` names: an IRI, a prefixed name, or any of its
    labels or aliases in either script, by the same rules as
    :func:`orggraph.graph.resolution.resolve_organisation` applies to a graph.

    >>> from orggraph.store.loading import load_graph
    >>> network = to_networkx(load_graph())
    >>> resolve_node(network, "科信局") == resolve_node(network, "ogr:mps-sti-bureau")
    True
    """
    names: dict[str, set[str]] = {}
    for node, data in network.nodes(data=True):
        for name in (*data.get("labels", {}).values(), *data.get("aliases", ())):
            names.setdefault(name, set()).add(str(node))

    def exact(candidate: str) -> set[str]:
        spellings = {candidate, to_simplified(candidate), to_traditional(candidate)}
        return {node for spelling in spellings for node in names.get(spelling, ())}

    def normalised() -> dict[str, set[str]]:
        table: dict[str, set[str]] = {}
        for name, nodes in names.items():
            table.setdefault(normalize_name(name), set()).update(nodes)
        return table

    return resolve_name(
        text,
        known=lambda iri: iri in network or (expand(iri) or iri) in network,
        exact=exact,
        names=normalised,
        what="node",
        listing="check the spelling or use an IRI",
    )
