"""What is in a loaded graph: counts by class, source graphs and documents, label languages."""

from __future__ import annotations

from rdflib import Graph

from orggraph.graph.summary import GraphSummary, as_lists, from_lists, is_summary
from orggraph.rdf.terms import show_term
from orggraph.store.backends import SYSTEM_GRAPH_FILTER, store_folder
from orggraph.store.cache import cached
from orggraph.store.sparql import select_rows

__all__ = ["GraphSummary", "summarize"]


def summarize(graph: Graph) -> GraphSummary:
    """Summarise ``graph``. The summary of an on-disk Oxigraph store (one filled by ``orggraph
    load``, or the prebuilt copy of the bundled graph) is kept in the cache until the store
    changes (:func:`orggraph.store.cache.cached`).

    >>> from orggraph.store.loading import load_graph
    >>> summary = summarize(load_graph())
    >>> dict(summary.identities)["organisations"] > 50, dict(summary.identities)["source documents"]
    (True, 8)
    """
    folder = store_folder(graph)
    if folder is None:
        return _summarize(graph)
    stored = cached("summary", folder, lambda: as_lists(_summarize(graph)), valid=is_summary)
    return from_lists(stored)


def _summarize(graph: Graph) -> GraphSummary:
    in_graphs = f"FILTER({SYSTEM_GRAPH_FILTER})"
    classes = [
        (show_term(c), int(n))
        for c, n in select_rows(
            graph,
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {in_graphs} }}"
            " GROUP BY ?c ORDER BY DESC(?n) ?c",
        )
    ]
    languages = [
        (str(lang) or "(none)", int(n))
        for lang, n in select_rows(
            graph,
            f"SELECT ?lang (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(isLiteral(?o)) }} {in_graphs}"
            " BIND(LANG(?o) AS ?lang) } GROUP BY ?lang ORDER BY DESC(?n)",
        )
    ]
    documents = [
        (show_term(i or d), show_term(date), show_term(title))
        for d, i, date, title in select_rows(
            graph,
            "SELECT ?d (SAMPLE(?i) AS ?id) (SAMPLE(?date) AS ?dt) (SAMPLE(?t) AS ?title) WHERE {"
            " ?d a og:SourceDocument . OPTIONAL { ?d dcterms:identifier ?i } OPTIONAL { ?d dcterms:date ?date }"
            " OPTIONAL { ?d dcterms:title ?t FILTER(langMatches(lang(?t), 'zh-Hans')) } } GROUP BY ?d ORDER BY ?d",
        )
    ]
    graphs = [
        (str(g), int(n))
        for g, n in select_rows(
            graph, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {in_graphs} }} GROUP BY ?g ORDER BY ?g"
        )
    ]
    triples = sum(n for _, n in graphs)
    identities = [(str(kind), int(n)) for kind, n in select_rows(graph, _IDENTITIES)]
    shared = [
        (show_term(name), show_term(o), int(n), show_term(first), show_term(last))
        for o, name, n, first, last in select_rows(graph, _SHARED)
    ]
    return GraphSummary(
        triples, tuple(classes), tuple(graphs), tuple(documents), tuple(languages), tuple(identities), tuple(shared)
    )


_ORGANISATION_CLASSES = "org:Organization org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration"
# one node per identity: an organisation, person or meeting met in several documents counts once
_IDENTITIES = f"""
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  {{ VALUES ?c {{ {_ORGANISATION_CLASSES} }} ?x a ?c BIND("organisations" AS ?kind) }}
  UNION {{ ?x a foaf:Person BIND("people" AS ?kind) }}
  UNION {{ ?x a org:Post BIND("posts" AS ?kind) }}
  UNION {{ ?x a og:Meeting BIND("meetings" AS ?kind) }}
  UNION {{ ?x a og:Duty BIND("duties" AS ?kind) }}
  UNION {{ ?x a og:SourceDocument BIND("source documents" AS ?kind) }}
}} GROUP BY ?kind ORDER BY DESC(?n) ?kind"""
_SHARED = f"""
SELECT ?o (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?doc) AS ?n) (MIN(?date) AS ?first) (MAX(?date) AS ?last)
WHERE {{
  VALUES ?c {{ {_ORGANISATION_CLASSES} }}
  ?o a ?c ; prov:wasDerivedFrom/oa:hasSource ?doc .
  OPTIONAL {{ ?doc dcterms:date ?date }}
  OPTIONAL {{ ?o skos:prefLabel ?label FILTER(langMatches(lang(?label), "zh-Hans")) }}
}} GROUP BY ?o HAVING (COUNT(DISTINCT ?doc) > 1) ORDER BY DESC(?n) ?name"""
