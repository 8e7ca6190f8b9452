"""What the web app's pages show, read from the graph as plain values (so that a worker process
can hand them back): the search over every label and alias, an organisation's page, a source
document with its cited passages, and the query page's answer and examples."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from orggraph.analysis.matrix import matrix
from orggraph.analysis.timeline import timeline_html
from orggraph.graph.named_queries import named_query_records
from orggraph.graph.passages import read_document
from orggraph.graph.query_files import get_named_query, list_named_queries
from orggraph.iris import shorten
from orggraph.network.projection import to_networkx
from orggraph.network.rendering import render_html
from orggraph.rdf.readwrite import serialize_rdf
from orggraph.rdf.terms import python_value, show_term
from orggraph.store.sparql import run_query
from orggraph.text.normalization import to_simplified, to_traditional

__all__ = [
    "document_page",
    "graph_view",
    "known",
    "matrix_view",
    "meeting_page",
    "named_examples",
    "organisation_page",
    "query_table",
    "search",
    "timeline_view",
]

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
SELECT DISTINCT ?property ?name (LANG(?name) AS ?language) WHERE {
  VALUES ?property { skos:prefLabel skos:altLabel rdfs:label skos:notation }
  ?org ?property ?name .
}
ORDER BY ?property ?language ?name
"""
_TYPES = "SELECT DISTINCT ?type WHERE { ?org a ?type } ORDER BY ?type"
# the meetings of one organisation, starting from it: the `meetings` named query reads every
# meeting and tests each (32 ms at 100,000 organisations, against well under 1 ms from here)
_MEETINGS_OF = """
SELECT ?meeting ?date ?name_zh_hans ?place ?role (SAMPLE(?source) AS ?document) WHERE {
  { ?meeting schema:organizer ?org . BIND("convener" AS ?role) }
  UNION
  { ?meeting schema:attendee ?org . FILTER NOT EXISTS { ?meeting schema:organizer ?org } BIND("attendee" AS ?role) }
  FILTER EXISTS { ?meeting a og:Meeting }  # a filter: as a pattern, Oxigraph joins every meeting first
  OPTIONAL { ?meeting schema:startDate ?date }
  OPTIONAL { ?meeting skos:prefLabel ?name_zh_hans FILTER(langMatches(lang(?name_zh_hans), "zh-Hans")) }
  OPTIONAL { ?meeting schema:location/skos:prefLabel ?place FILTER(langMatches(lang(?place), "zh-Hans")) }
  OPTIONAL { ?meeting prov:wasDerivedFrom/oa:hasSource/dcterms:identifier ?source }
}
GROUP BY ?meeting ?date ?name_zh_hans ?place ?role
ORDER BY ?date ?meeting
"""
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


def known(graph: Any, iri: str) -> bool:
    """Whether the graph has a statement about ``iri``.

    >>> from orggraph.store.loading import load_graph
    >>> known(load_graph(), "https://w3id.org/orggraph/id/cspia"), known(load_graph(), "urn:none")
    (True, False)
    """
    result = run_query(graph, "ASK { ?thing ?property ?value }", {"thing": URIRef(iri)}, trusted=True)
    return bool(result is not None and result.askAnswer)


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
        "meetings": _rows(graph, _MEETINGS_OF, {"org": org}),
        "sources": named_query_records(graph, "evidence", {"of": iri}),
    }


def _related(graph: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "relation": shorten(str(row["relation"]))} for row in rows]


_FACTS_IN = """
SELECT DISTINCT ?start ?end ?thing (SAMPLE(?zh) AS ?name) WHERE {
  ?doc dcterms:identifier ?document .
  ?evidence oa:hasSource ?doc ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
  { ?thing prov:wasDerivedFrom ?evidence } UNION { ?statement rdf:subject ?thing ; prov:wasDerivedFrom ?evidence }
  FILTER(isIRI(?thing))
  OPTIONAL { ?thing skos:prefLabel ?zh FILTER(langMatches(lang(?zh), "zh-Hans")) }
}
GROUP BY ?start ?end ?thing
ORDER BY ?start ?end ?thing
"""


def document_page(graph: Any, name: str, folders: Sequence[Path]) -> dict[str, Any] | None:
    """The source document ``name`` (a file name the graph records) as pieces of text, each with
    the facts whose evidence covers it; None when the graph has no evidence in it. The text comes
    from ``folders``, checked against the graph's SHA-256 (:func:`~orggraph.graph.passages.read_document`).
    """
    facts = [row for row in _rows(graph, _FACTS_IN, {"document": Literal(name)}) if row["start"] is not None]
    if not facts:
        return None
    text = read_document(graph, name, folders)
    cuts = sorted(
        {
            0,
            len(text),
            *(min(max(int(f["start"]), 0), len(text)) for f in facts),
            *(min(max(int(f["end"]), 0), len(text)) for f in facts),
        }
    )
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [f for f in facts if int(f["start"]) <= start and end <= int(f["end"])]
        labels = sorted({str(f["name"] or shorten(str(f["thing"]))) for f in covering})
        pieces.append({"start": start, "end": end, "text": text[start:end], "facts": labels})
    return {"name": name, "pieces": pieces, "facts": len({(f["start"], f["end"], f["thing"]) for f in facts})}


def named_examples() -> list[dict[str, str]]:
    """The named queries as examples for the query page: name, title and SPARQL text (their
    parameters are variables there, left unbound).

    >>> [example["name"] for example in named_examples()][:2]
    ['attendees', 'duties-of']
    """
    return [{"name": q.name, "title": q.title, "text": q.text} for q in list_named_queries()]


def query_table(graph: Any, text: str, limit: int) -> dict[str, Any]:
    """An ad-hoc query's answer for the query page, read-only and without the network: the
    columns and at most ``limit`` rows as people read them (:func:`~orggraph.rdf.terms.show_term`),
    yes or no, or a graph as Turtle."""
    result = run_query(graph, text, limit=limit)
    assert result is not None  # a query, never an update: updates are refused
    if result.type == "ASK":
        return {"boolean": bool(result.askAnswer)}
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return {"graph": serialize_rdf(result.graph, "ttl") if result.graph is not None else ""}
    variables = list(result.vars or [])
    rows = [[show_term(binding.get(variable)) for variable in variables] for binding in result.bindings]
    return {"columns": [str(v) for v in variables], "rows": rows}


def graph_view(graph: Any, iri: str, radius: int) -> str:
    """The interactive graph page (:func:`~orggraph.network.rendering.render_html`) of what lies
    within ``radius`` steps of ``iri``, read from the store for that neighbourhood alone."""
    return render_html(to_networkx(graph, around=iri, radius=radius), title=f"orggraph: {shorten(iri)}", duties="edges")


def timeline_view(graph: Any, iri: str) -> str:
    """The timeline page of the organisation ``iri`` (:func:`~orggraph.analysis.timeline.timeline_html`)."""
    return timeline_html(graph, iri)


def matrix_view(graph: Any, rows: str, columns: str) -> str:
    """The responsibility matrix page (:func:`~orggraph.analysis.matrix.matrix`): duties counted
    by ``rows`` (organisation, type) and ``columns`` (category, year)."""
    return matrix(graph, rows, columns).html()


_DUTIES_AT = """
SELECT DISTINCT ?duty ?no ?task_zh_hans ?task_en ?assignee ?assignee_zh_hans ?category ?period WHERE {
  ?duty og:assignedAt ?meeting .
  OPTIONAL { ?duty og:ordinal ?no }
  OPTIONAL { ?duty skos:prefLabel ?task_zh_hans FILTER(langMatches(lang(?task_zh_hans), "zh-Hans")) }
  OPTIONAL { ?duty skos:prefLabel ?task_en FILTER(langMatches(lang(?task_en), "en")) }
  OPTIONAL {
    ?duty og:assignedTo ?assignee
    OPTIONAL { ?assignee skos:prefLabel ?assignee_zh_hans FILTER(langMatches(lang(?assignee_zh_hans), "zh-Hans")) }
  }
  OPTIONAL { ?duty og:category/skos:notation ?category }
  OPTIONAL { ?duty og:period ?period }
  FILTER NOT EXISTS { ?duty og:subDutyOf ?parent }
}
ORDER BY ?no ?duty
"""


def meeting_page(graph: Any, iri: str) -> dict[str, Any] | None:
    """What the meeting page of ``iri`` shows: when and where it was held, who convened and
    chaired it, who attended, what was assigned there and to whom, and its source documents; None
    when ``iri`` is not a meeting of the graph.

    >>> from orggraph.store.loading import load_graph
    >>> page = meeting_page(load_graph(), "https://w3id.org/orggraph/id/meeting-2019-02-21-joint-meeting")
    >>> str(page["about"][0]["date"]), len(page["duties"]) > 3
    ('2019-02-21', True)
    """
    about = _rows(graph, get_named_query("meetings").text, {"meeting": URIRef(iri)})
    if not about:
        return None
    return {
        "iri": iri,
        "about": about,
        "attendees": named_query_records(graph, "attendees", {"meeting": iri}),
        "duties": _rows(graph, _DUTIES_AT, {"meeting": URIRef(iri)}),
    }
