"""What the web app's pages show, read from the graph as plain values (so that a worker process
can hand them back): the search over every label and alias, and an organisation's page."""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from orggraph.graph.named_queries import named_query_records
from orggraph.iris import shorten
from orggraph.rdf.terms import python_value
from orggraph.store.sparql import run_query
from orggraph.text.normalization import to_simplified, to_traditional

__all__ = ["organisation_page", "search"]

_SEARCH = """
SELECT ?thing (SAMPLE(?found) AS ?label) (SAMPLE(?zh) AS ?name) (SAMPLE(?english) AS ?name_en) WHERE {
  VALUES ?property { skos:prefLabel skos:altLabel rdfs:label }
  ?thing ?property ?found .
  FILTER(isIRI(?thing))
  FILTER(CONTAINS(LCASE(STR(?found)), ?text) || CONTAINS(STR(?found), ?hans) || CONTAINS(STR(?found), ?hant))
  ?thing a/rdfs:subClassOf* org:Organization .
  OPTIONAL { ?thing skos:prefLabel ?zh FILTER(langMatches(lang(?zh), "zh-Hans")) }
  OPTIONAL { ?thing skos:prefLabel ?english FILTER(langMatches(lang(?english), "en")) }
}
GROUP BY ?thing
ORDER BY STRLEN(STR(?label)) ?label ?thing
LIMIT 50
"""
_NAMES = """
SELECT ?property ?name (LANG(?name) AS ?language) WHERE {
  VALUES ?property { skos:prefLabel skos:altLabel rdfs:label skos:notation }
  ?org ?property ?name .
}
ORDER BY ?property ?language ?name
"""
_TYPES = "SELECT DISTINCT ?type WHERE { ?org a ?type } ORDER BY ?type"
_RELATED = """
SELECT DISTINCT ?other (SAMPLE(?zh) AS ?name) ?relation WHERE {
  VALUES ?relation { org:subOrganizationOf org:unitOf }
  %s
  OPTIONAL { ?other skos:prefLabel ?zh FILTER(langMatches(lang(?zh), "zh-Hans")) }
}
GROUP BY ?other ?relation
ORDER BY ?name ?other
"""


def _rows(graph: Any, text: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    result = run_query(graph, text, bindings, trusted=True)
    assert result is not None
    names = [str(v) for v in result.vars or []]
    return [
        {name: python_value(binding.get(variable)) for name, variable in zip(names, result.vars or [], strict=True)}
        for binding in result.bindings
    ]


def search(graph: Any, text: str) -> list[dict[str, Any]]:
    """Organisations with a label or alias that holds ``text`` (either script, any case), the
    shortest labels first, at most 50: each with its IRI, the label that matched and its names.

    >>> from orggraph.store.loading import load_graph
    >>> search(load_graph(), "中安协")[0]["thing"]
    'https://w3id.org/orggraph/id/cspia'
    """
    wanted = text.strip()
    if not wanted:
        return []
    bindings = {
        "text": Literal(wanted.lower()),
        "hans": Literal(to_simplified(wanted)),
        "hant": Literal(to_traditional(wanted)),
    }
    return _rows(graph, _SEARCH, bindings)


def organisation_page(graph: Any, iri: str) -> dict[str, Any] | None:
    """What the organisation page of ``iri`` shows: its names and types, the organisations it is
    part of and its units, its timeline (meetings, posts and their holders, duties), its duties by
    year with category and assigner, and its meetings; None when the graph says nothing of it.

    >>> from orggraph.store.loading import load_graph
    >>> page = organisation_page(load_graph(), "https://w3id.org/orggraph/id/cspia")
    >>> page["names"][0]["name"], len(page["duties"]) > 20
    ('CSPIA', True)
    """
    org = URIRef(iri)
    names = _rows(graph, _NAMES, {"org": org})
    types = [shorten(str(row["type"])) for row in _rows(graph, _TYPES, {"org": org})]
    if not names and not types:
        return None
    return {
        "iri": iri,
        "short": shorten(iri),
        "names": [{**row, "property": shorten(str(row["property"]))} for row in names],
        "types": types,
        "parents": _related(graph, _rows(graph, _RELATED % "?org ?relation ?other .", {"org": org})),
        "units": _related(graph, _rows(graph, _RELATED % "?other ?relation ?org .", {"org": org})),
        "timeline": named_query_records(graph, "timeline", {"org": iri}),
        "duties": named_query_records(graph, "duties-of", {"org": iri}),
        "meetings": named_query_records(graph, "meetings", {"org": iri}),
    }


def _related(graph: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "relation": shorten(str(row["relation"]))} for row in rows]
