"""What is in a loaded graph: counts by class, source graphs and documents, label languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from orggraph.rdf.terms import show_term
from orggraph.store.backends import SYSTEM_GRAPH_FILTER, store_folder
from orggraph.store.cache import cached
from orggraph.store.sparql import select_rows
from orggraph.text.tables import format_table

__all__ = ["GraphSummary", "summarize"]


@dataclass(frozen=True)
class GraphSummary:
    """Counts describing a graph; :meth:`text` renders them for people."""

    triples: int
    classes: tuple[tuple[str, int], ...]
    graphs: tuple[tuple[str, int], ...]
    documents: tuple[tuple[str, str, str], ...]
    languages: tuple[tuple[str, int], ...]
    identities: tuple[tuple[str, int], ...] = ()
    shared: tuple[tuple[str, str, int, str, str], ...] = ()

    def text(self) -> str:
        """Readable tables."""
        parts = [f"{self.triples} statements in {len(self.graphs)} named graph(s)", ""]
        if self.identities:
            parts += [format_table(["kind", "distinct"], [[k, str(n)] for k, n in self.identities]), ""]
        if self.shared:
            parts += [
                format_table(
                    ["organisation in several documents", "IRI", "documents", "first", "last"],
                    [[name, iri, str(n), first, last] for name, iri, n, first, last in self.shared],
                ),
                "",
            ]
        parts.append(format_table(["class", "instances"], [[c, str(n)] for c, n in self.classes]))
        parts += ["", format_table(["graph", "triples"], [[g, str(n)] for g, n in self.graphs])]
        if self.documents:
            parts += ["", format_table(["source document", "date", "title"], [list(d) for d in self.documents])]
        parts += ["", format_table(["language", "literals"], [[lang, str(n)] for lang, n in self.languages])]
        return "\n".join(parts)


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
    stored = cached("summary", folder, lambda: _as_lists(_summarize(graph)), valid=_is_summary)
    return GraphSummary(stored[0], *(tuple(tuple(row) for row in rows) for rows in stored[1:]))


def _as_lists(summary: GraphSummary) -> list[Any]:
    rows = (summary.classes, summary.graphs, summary.documents, summary.languages, summary.identities, summary.shared)
    return [summary.triples, *([list(row) for row in part] for part in rows)]


def _is_summary(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 7
        and isinstance(value[0], int)
        and all(isinstance(part, list) and all(isinstance(row, list) for row in part) for part in value[1:])
    )


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
