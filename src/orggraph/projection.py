"""RDF → networkx: organisations, people, posts, meetings, duties and achievements as nodes,
the relations between them as labelled edges of a directed multigraph (IRIs as node ids)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

from .output import show_term

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NODE_KINDS", "to_networkx"]

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
    "organisation": "organisation",
    "person": "person",
    "post": "post",
    "meeting": "meeting",
    "duty": "duty",
    "achievement": "achievement",
}

_NODES = """
SELECT ?node ?kind WHERE {
  {
    VALUES ?class { org:Organization org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration }
    ?node a ?class .
    OPTIONAL { ?node org:classification/skos:notation ?notation }
    BIND(COALESCE(STR(?notation), "organisation") AS ?kind)
  }
  UNION { ?node a foaf:Person . BIND("person" AS ?kind) }
  UNION { ?node a org:Post . BIND("post" AS ?kind) }
  UNION { ?node a og:Meeting . BIND("meeting" AS ?kind) }
  UNION { ?node a og:Duty . BIND("duty" AS ?kind) }
  UNION { ?node a og:Achievement . BIND("achievement" AS ?kind) }
}
"""

_EDGES = """
SELECT ?source ?relation ?target WHERE {
  { ?source org:unitOf ?target . BIND("unit of" AS ?relation) }
  UNION { ?source org:subOrganizationOf ?target . BIND("part of" AS ?relation) }
  UNION { ?source og:designatedBy ?target . BIND("designated by" AS ?relation) }
  UNION { ?m org:member ?source ; org:organization ?target . BIND("member of" AS ?relation) }
  UNION { ?source org:holds ?target . BIND("holds" AS ?relation) }
  UNION { ?source org:postIn ?target . BIND("post in" AS ?relation) }
  UNION { ?target schema:organizer ?source . BIND("convened" AS ?relation) }
  UNION { ?target schema:attendee ?source . BIND("attended" AS ?relation) }
  UNION { ?target og:speaker ?source . BIND("spoke at" AS ?relation) }
  UNION { ?source og:meetingOf ?target . BIND("session of" AS ?relation) }
  UNION { ?source og:assignedTo ?target . BIND("assigned to" AS ?relation) }
  UNION { ?target og:assignedBy ?source . BIND("assigned" AS ?relation) }
  UNION { ?source og:assignedAt ?target . BIND("assigned at" AS ?relation) }
  UNION { ?source og:subDutyOf ?target . BIND("sub-duty of" AS ?relation) }
  UNION { ?source og:concerns ?target . BIND("concerns" AS ?relation) }
  UNION { ?source og:creditedTo ?target . BIND("credited to" AS ?relation) }
}
"""

_LABELS = """
SELECT ?node ?property ?value WHERE {
  VALUES ?property { skos:prefLabel skos:altLabel dcterms:description og:period og:year }
  ?node ?property ?value .
}
"""

_DETAILS = """
SELECT ?node ?document ?start ?end ?category WHERE {
  { ?node prov:wasDerivedFrom ?evidence .
    ?evidence oa:hasSource ?doc ; oa:hasSelector [ oa:start ?start ; oa:end ?end ] .
    OPTIONAL { ?doc dcterms:identifier ?document } }
  UNION { ?node og:category/skos:prefLabel ?category FILTER(langMatches(lang(?category), "en")) }
}
"""


def _language_key(lang: str | None) -> str:
    if not lang:
        return "none"
    lowered = lang.lower()
    return {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(lowered, lowered)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Project ``graph`` onto a :class:`networkx.MultiDiGraph`.

    Node attributes: ``kind`` (a key of :data:`NODE_KINDS`), ``labels`` (language → name),
    ``aliases``, ``text`` (language → full duty text), ``year``, ``category``, ``evidence``
    (list of "document [start–end)"). Edge attributes: ``relation``.

    >>> from orggraph.store import load_graph
    >>> network = to_networkx(load_graph())
    >>> network.nodes["https://w3id.org/orggraph/id/cspia"]["kind"]
    'industry-association'
    >>> sum(1 for *_, d in network.edges(data=True) if d["relation"] == "assigned to")
    28
    """
    import networkx as nx

    from .query import select_rows

    network = nx.MultiDiGraph()
    for node, kind in select_rows(graph, _NODES):
        key = str(node)
        current = network.nodes.get(key, {}).get("kind")
        # an organisation with two types keeps the first in NODE_KINDS order
        if current is None or list(NODE_KINDS).index(str(kind)) < list(NODE_KINDS).index(current):
            known = str(kind) if str(kind) in NODE_KINDS else "organisation"
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
    for node, prop, value in select_rows(graph, _LABELS):
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
    for node, document, start, end, category in select_rows(graph, _DETAILS):
        data = network.nodes.get(str(node))
        if data is None:
            continue
        if category is not None:
            data["category"] = str(category)
        if start is not None:
            data["evidence"].append(f"{document or 'document'} [{start}–{end})")
    for source, relation, target in select_rows(graph, _EDGES):
        if str(source) in network and str(target) in network:
            network.add_edge(str(source), str(target), key=str(relation), relation=str(relation))
    for data in network.nodes.values():
        data["aliases"].sort()
        data["evidence"].sort()
    return network
