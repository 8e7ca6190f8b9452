"""RDF → networkx: organisations, people, posts, meetings, duties and achievements as nodes,
the relations between them as labelled edges of a directed multigraph (IRIs as node ids)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from orggraph.errors import UsageError
from orggraph.graph.resolution import resolve_organisation
from orggraph.namespaces import expand
from orggraph.network.neighbourhood import neighbourhood
from orggraph.rdf.terms import show_term
from orggraph.store.backends import is_native
from orggraph.store.sparql import select_rows

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NODE_KINDS", "count_nodes", "to_networkx"]

# kind → the class or organisation type that makes a node of that kind, in precedence order
NODE_KINDS: dict[str, str] = {
    "government-agency": "government agency",
    "internal-division": "internal division",
    "party-committee": "party committee",
    "industry-association": "industry association",
    "standards-committee": "standards committee",
    "testing-centre": "testing centre",
    "certification-body": "certification body",
    "national-engineering-laboratory": "national engineering laboratory",
    "ministry-key-laboratory": "ministry key laboratory",
    "research-institute": "research institute",
    "joint-meeting-mechanism": "joint-meeting mechanism",
    "government": "government",
    "leading-group": "leading group",
    "company": "company",
    "media": "media outlet",
    "group-of-units": "group of units",
    "other-organisation": "other organisation",
    "organisation": "organisation",
    "person": "person",
    "post": "post",
    "meeting": "meeting",
    "duty": "duty",
    "achievement": "achievement",
}

_ORGANISATION_CLASSES = "org:Organization org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration"


_KIND_OF_CLASS = {
    "foaf:Person": "person",
    "org:Post": "post",
    "og:Meeting": "meeting",
    "og:Duty": "duty",
    "og:Achievement": "achievement",
}


def _node_query(values: str = "") -> str:
    """Every node and its kind. Given ``values`` (a VALUES clause binding ?node), one branch
    whose node lookups find every class at once."""
    if values:
        classes = ", ".join([*_ORGANISATION_CLASSES.split(), *_KIND_OF_CLASS])
        others = " ".join(f'({c} "{kind}")' for c, kind in _KIND_OF_CLASS.items())
        return f"""
SELECT ?node ?kind WHERE {{
  {values}
  ?node a ?class . FILTER(?class IN ({classes}))
  OPTIONAL {{ VALUES (?class ?fixed) {{ {others} }} }}
  OPTIONAL {{ ?node org:classification/skos:notation ?notation }}
  BIND(COALESCE(?fixed, STR(?notation), "organisation") AS ?kind)
}}
"""
    branches = " UNION ".join(f'{{ ?node a {c} . BIND("{kind}" AS ?kind) }}' for c, kind in _KIND_OF_CLASS.items())
    return f"""
SELECT ?node ?kind WHERE {{
  {{
    VALUES ?class {{ {_ORGANISATION_CLASSES} }}
    ?node a ?class .
    OPTIONAL {{ ?node org:classification/skos:notation ?notation }}
    BIND(COALESCE(STR(?notation), "organisation") AS ?kind)
  }}
  UNION {branches}
}}
"""


_NODES = _node_query()

# relation → the pattern linking ?source to ?target (a membership is one edge, not two hops)
_EDGE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("unit of", "?source org:unitOf ?target"),
    ("part of", "?source org:subOrganizationOf ?target"),
    ("designated by", "?source og:designatedBy ?target"),
    ("member of", "?m org:member ?source ; org:organization ?target"),
    ("holds", "?source org:holds ?target"),
    ("post in", "?source org:postIn ?target"),
    ("convened", "?target schema:organizer ?source"),
    ("attended", "?target schema:attendee ?source"),
    ("spoke at", "?target og:speaker ?source"),
    ("session of", "?source og:meetingOf ?target"),
    ("assigned to", "?source og:assignedTo ?target"),
    ("assigned", "?target og:assignedBy ?source"),
    ("assigned at", "?source og:assignedAt ?target"),
    ("sub-duty of", "?source og:subDutyOf ?target"),
    ("concerns", "?source og:concerns ?target"),
    ("credited to", "?source og:creditedTo ?target"),
)


def _edge_query() -> str:
    """Every edge, one UNION branch per relation: each branch scans one predicate."""
    branches = " UNION ".join(
        f'{{ {pattern} . BIND("{relation}" AS ?relation) }}' for relation, pattern in _EDGE_PATTERNS
    )
    return f"SELECT ?source ?relation ?target WHERE {{ {branches} }}"


def _edges_at_query(values: str) -> str:
    """The edges at the nodes that ``values`` binds (to ?source or ?target), as (source, predicate
    or None, target, relation or None): three branches, each one index lookup per node."""
    forward = ", ".join(_FORWARD.values())
    inverse = ", ".join(_INVERSE.values())
    return f"""
SELECT ?source ?predicate ?target ?relation WHERE {{
  {{ {values} ?source ?predicate ?target . FILTER(?predicate IN ({forward})) }}
  UNION {{ {values} ?target ?predicate ?source . FILTER(?predicate IN ({inverse})) }}
  UNION {{ {values} ?m org:member ?source ; org:organization ?target . BIND("member of" AS ?relation) }}
}}
"""


def _relation_of(predicate: Any, relation: Any) -> str:
    return str(relation) if relation is not None else _RELATION_OF_PREDICATE[str(predicate)]


_EDGES = _edge_query()
# the same relations by predicate, for lookups around given nodes
_FORWARD = {r: p.split()[1] for r, p in _EDGE_PATTERNS if p.startswith("?source") and p.endswith("?target")}
_INVERSE = {r: p.split()[1] for r, p in _EDGE_PATTERNS if p.startswith("?target") and p.endswith("?source")}
_RELATION_OF_PREDICATE = {expand(p): r for r, p in (*_FORWARD.items(), *_INVERSE.items())}
_LABEL_PROPERTIES = ("skos:prefLabel", "skos:altLabel", "dcterms:description", "og:period", "og:year")


def _label_query(values: str = "") -> str:
    """Names, texts and years. Given the nodes, the properties are a filter after a lookup of
    each node; otherwise VALUES, so that the store scans each property."""
    if values:
        restricted = f"?node ?property ?value . FILTER(?property IN ({', '.join(_LABEL_PROPERTIES)}))"
    else:
        restricted = f"VALUES ?property {{ {' '.join(_LABEL_PROPERTIES)} }} ?node ?property ?value ."
    return f"SELECT ?node ?property ?value WHERE {{ {values} {restricted} }}"


def _detail_query(values: str = "") -> str:
    return f"""
SELECT ?node ?document ?start ?end ?category WHERE {{
  {{ {values} ?node prov:wasDerivedFrom ?evidence .
    ?evidence oa:hasSource ?doc ; oa:hasSelector [ oa:start ?start ; oa:end ?end ] .
    OPTIONAL {{ ?doc dcterms:identifier ?document }} }}
  UNION {{ {values} ?node og:category/skos:prefLabel ?category FILTER(langMatches(lang(?category), "en")) }}
}}
"""


_LABELS = _label_query()
_DETAILS = _detail_query()
# IRIs per VALUES clause when a neighbourhood is fetched from a store
_BATCH = 256


def _language_key(lang: str | None) -> str:
    if not lang:
        return "none"
    lowered = lang.lower()
    return {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(lowered, lowered)


def count_nodes(graph: Graph, *, duties: bool = True) -> int:
    """How many nodes :func:`to_networkx` would make (without duty nodes when ``duties`` is False),
    counted by the store: a cheap check before projecting a big graph.

    >>> from orggraph.store.loading import load_graph
    >>> count_nodes(load_graph()) == len(to_networkx(load_graph()))
    True
    """

    condition = "" if duties else 'FILTER(?kind != "duty")'
    rows = select_rows(graph, f"SELECT (COUNT(DISTINCT ?node) AS ?count) WHERE {{ {{ {_NODES} }} {condition} }}")
    return int(rows[0][0]) if rows else 0


def to_networkx(graph: Graph, *, around: str | None = None, radius: int = 1) -> nx.MultiDiGraph:
    """Project ``graph`` onto a :class:`networkx.MultiDiGraph`.

    Node attributes: ``kind`` (a key of :data:`NODE_KINDS`), ``labels`` (language → name),
    ``aliases``, ``text`` (language → full duty text), ``year``, ``category``, ``evidence``
    (list of "document [start–end)"). Edge attributes: ``relation``.

    With ``around`` (an organisation's IRI, prefixed name, or any label or alias, resolved as
    :func:`~orggraph.graph.resolution.resolve_organisation` does) only the nodes within
    ``radius`` steps of it (either direction) and the edges among them, as
    :func:`orggraph.network.neighbourhood.neighbourhood` would keep: a store
    that evaluates SPARQL itself (Oxigraph, an endpoint) is asked for that neighbourhood hop
    by hop, so a large graph is never projected whole.

    >>> from orggraph.store.loading import load_graph
    >>> network = to_networkx(load_graph())
    >>> network.nodes["https://w3id.org/orggraph/id/cspia"]["kind"]
    'industry-association'
    >>> sum(1 for *_, d in network.edges(data=True) if d["relation"] == "assigned to")
    59
    >>> len(to_networkx(load_graph(), around="https://w3id.org/orggraph/id/cspia", radius=1)) < len(network)
    True
    >>> sorted(to_networkx(load_graph(), around="ogr:cspia")) == sorted(to_networkx(load_graph(), around="中安协"))
    True
    """
    if around is None:
        everything = (_NODES, _LABELS, _DETAILS, _EDGES)
        return _assemble(*(select_rows(graph, query) for query in everything))
    if radius < 0:
        raise UsageError("{radius} must be 0 or more", parameters="radius")
    centre = str(resolve_organisation(graph, around))
    if not is_native(graph):
        # the graph is in this process already: project it and cut the neighbourhood out
        network = to_networkx(graph)
        return neighbourhood(network, centre, radius) if centre in network else network.subgraph([]).copy()
    return _neighbourhood_from_store(graph, URIRef(centre), radius)


def _neighbourhood_from_store(graph: Graph, centre: URIRef, radius: int) -> nx.MultiDiGraph:
    def rows(make_query: Callable[[str], str], variable: str, nodes: Collection[URIRef]) -> Iterator[tuple[Any, ...]]:
        ordered = sorted(nodes, key=str)  # str order: rdflib compares terms slowly
        for start in range(0, len(ordered), _BATCH):
            values = f"VALUES ?{variable} {{ {' '.join(n.n3() for n in ordered[start : start + _BATCH])} }}"
            yield from select_rows(graph, make_query(values))

    node_rows = list(rows(_node_query, "node", [centre]))
    ball = {centre} if node_rows else set()
    frontier = set(ball)
    for _ in range(radius):
        reached: set[URIRef] = set()
        reached.update(target for _source, _predicate, target, _relation in rows(_edges_at_query, "source", frontier))
        reached.update(source for source, _predicate, _target, _relation in rows(_edges_at_query, "target", frontier))
        # blank nodes cannot be named in a later query: a neighbourhood holds named nodes only
        candidates = {node for node in reached if isinstance(node, URIRef)} - ball
        found = list(rows(_node_query, "node", candidates))
        node_rows += found
        frontier = {URIRef(node) for node, _kind in found}
        ball |= frontier
        if not frontier:
            break
    edges = [
        (source, _relation_of(predicate, relation), target)
        for source, predicate, target, relation in rows(_edges_at_query, "source", ball)
        if target in ball
    ]
    return _assemble(node_rows, rows(_label_query, "node", ball), rows(_detail_query, "node", ball), edges)


def _assemble(
    node_rows: Iterable[tuple[Any, ...]],
    label_rows: Iterable[tuple[Any, ...]],
    detail_rows: Iterable[tuple[Any, ...]],
    edge_rows: Iterable[tuple[Any, ...]],
) -> nx.MultiDiGraph:
    import networkx as nx

    network = nx.MultiDiGraph()
    for node, kind in node_rows:
        key = str(node)
        current = network.nodes.get(key, {}).get("kind")
        # an organisation with two types keeps the first in NODE_KINDS order; a type orggraph does
        # not know is drawn as an organisation
        known = str(kind) if str(kind) in NODE_KINDS else "organisation"
        if current is None or list(NODE_KINDS).index(known) < list(NODE_KINDS).index(current):
            network.add_node(
                key,
                kind=known,
                iri=key,
                curie=show_term(node),
                labels={},
                aliases=[],
                text={},
                year="",
                category="",
                evidence=[],
            )
    for node, prop, value in label_rows:
        data = network.nodes.get(str(node))
        if data is None:
            continue
        local = str(prop).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        language = _language_key(getattr(value, "language", None))
        if local == "prefLabel":
            data["labels"][language] = str(value)
        elif local == "altLabel":
            data["aliases"].append(str(value))
        elif local == "description":
            data["text"][language] = str(value)
        else:
            data["year"] = str(value)
    for node, document, start, end, category in detail_rows:
        data = network.nodes.get(str(node))
        if data is None:
            continue
        if category is not None:
            data["category"] = str(category)
        if start is not None:
            data["evidence"].append(f"{document or 'document'} [{start}–{end})")
    for source, relation, target in edge_rows:
        if str(source) in network and str(target) in network:
            network.add_edge(str(source), str(target), key=str(relation), relation=str(relation))
    for data in network.nodes.values():
        # a store's union view repeats a statement once per named graph that makes it
        data["aliases"] = sorted(set(data["aliases"]))
        data["evidence"] = sorted(set(data["evidence"]))
    return network
