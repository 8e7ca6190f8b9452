"""What the graph's shapes would say of each item if it were accepted as extracted, so that a
reviewer sees it before deciding, not in ``orggraph validate`` afterwards.

The candidates are checked with what the shapes need to know of everything they point at that
the graph has already: its types and concept schemes, from the store and the ontology, and the
ontology's class hierarchy. Only violations are shown; warnings (a missing English name) do not
stand in the way of accepting.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from orggraph.graph.validation import check_triples
from orggraph.rdf.readwrite import bundled_ontology
from orggraph.rdf.terms import show_term
from orggraph.review.items import Item, is_candidate
from orggraph.store.sparql import run_query

__all__ = ["shape_problems"]

# what a shape without its own message says, by the constraint's name
_SAID = {
    "minCount": "missing",
    "maxCount": "more values than allowed",
    "class": "points at the wrong kind of thing",
    "datatype": "a value of the wrong type",
}
_WHAT_SHAPES_READ = "SELECT ?p ?o WHERE { ?node ?p ?o FILTER(?p = rdf:type || ?p = skos:inScheme) }"


def shape_problems(graph: Any, candidates: Graph, items: Sequence[Item]) -> dict[URIRef, list[str]]:
    """Each item's violations of the bundled shapes (``property: message``), by item IRI; an
    item without any is left out. ``candidates`` is the queued document's candidate graph,
    ``graph`` the store the accepted statements would join.

    >>> from orggraph.rdf.readwrite import new_dataset
    >>> shape_problems(new_dataset(), Graph(), [])
    {}
    """
    triples = list(candidates.triples((None, None, None)))
    pointed_at = {obj for _, _, obj in triples if isinstance(obj, URIRef) and not is_candidate(obj)}
    context = [triple for node in sorted(pointed_at) for triple in _what_shapes_read(graph, node)]
    report = check_triples([*triples, *context, *_class_hierarchy()])
    # a thing the graph has already is the graph's to check: the document only adds to it
    owner = {show_term(member): item.iri for item in items for member in item.members if is_candidate(member)}
    problems: dict[URIRef, list[str]] = {}
    for finding in report.violations:
        item = owner.get(finding.focus)
        if item is not None:
            message = _SAID.get(finding.message, finding.message)
            said = f"{finding.path}: {message}" if finding.path else message
            if said not in problems.setdefault(item, []):
                problems[item].append(said)
    return problems


def _what_shapes_read(graph: Any, node: URIRef) -> Iterable[tuple[Any, Any, Any]]:
    """The types and schemes the store (with the ontology) gives ``node``."""
    result = run_query(graph, _WHAT_SHAPES_READ, {"node": node})
    assert result is not None
    return [(node, row[0], row[1]) for row in result]  # type: ignore[index]


@functools.lru_cache(maxsize=1)
def _class_hierarchy() -> tuple[tuple[Any, Any, Any], ...]:
    """The ontology's subclass statements and concept schemes: what ``sh:class`` and the
    schemes' ``sh:hasValue`` look up."""
    ontology = bundled_ontology()
    wanted = (RDFS.subClassOf, SKOS.inScheme, RDF.type)
    return tuple(triple for predicate in wanted for triple in ontology.triples((None, predicate, None)))
