"""What is in a loaded graph: counts by class, source graphs and documents, label languages."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from orggraph.rdf.terms import show_term
from orggraph.store.backends import SYSTEM_GRAPH_FILTER
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

    def text(self) -> str:
        """Readable tables."""
        parts = [f"{self.triples} statements in {len(self.graphs)} named graph(s)", ""]
        parts.append(format_table(["class", "instances"], [[c, str(n)] for c, n in self.classes]))
        parts += ["", format_table(["graph", "triples"], [[g, str(n)] for g, n in self.graphs])]
        if self.documents:
            parts += ["", format_table(["source document", "date", "title"], [list(d) for d in self.documents])]
        parts += ["", format_table(["language", "literals"], [[lang, str(n)] for lang, n in self.languages])]
        return "\n".join(parts)


def summarize(graph: Graph) -> GraphSummary:
    """Summarise ``graph``.

    >>> from orggraph.store.loading import load_graph
    >>> summary = summarize(load_graph())
    >>> dict(summary.classes)["og:Duty"]
    28
    """

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
    return GraphSummary(triples, tuple(classes), tuple(graphs), tuple(documents), tuple(languages))
