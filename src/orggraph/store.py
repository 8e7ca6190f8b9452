"""Opening a store and loading graphs into it.

One store abstraction carries everything: an rdflib :class:`~rdflib.Dataset` whose default
graph is the union of its named graphs, one named graph per source file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from rdflib import Dataset

from .errors import UsageError
from .readwrite import new_dataset, read_rdf
from .resources import data_files, ontology_files

__all__ = ["GRAPH_BASE", "bundled_graph_iri", "load_graph", "open_graph"]

GRAPH_BASE = "https://w3id.org/orggraph/graph/"


def open_graph(spec: str = "memory") -> Dataset:
    """Open the store named by ``spec``; ``memory`` is an embedded, empty in-memory store.

    >>> len(open_graph("memory"))
    0
    """
    if spec == "memory":
        return new_dataset()
    raise UsageError(f"unknown store {spec!r}; this version supports only 'memory'")


def bundled_graph_iri(kind: str, name: str) -> str:
    """The named-graph IRI of a bundled file.

    >>> bundled_graph_iri("data", "seed-2019-02-21.ttl")
    'https://w3id.org/orggraph/graph/data/seed-2019-02-21.ttl'
    """
    return f"{GRAPH_BASE}{kind}/{name}"


def load_graph(
    sources: Iterable[str | os.PathLike[str]] | None = None,
    *,
    store: str = "memory",
    ontology: bool = True,
    allow_network: bool = False,
) -> Dataset:
    """Load RDF files into a store; without ``sources``, the bundled curated graph.

    The bundled ontology and concept schemes are loaded too unless ``ontology=False``, so
    that types, categories and their labels can be queried alongside the data. Remote JSON-LD
    contexts and XML external entities are refused unless ``allow_network``.

    >>> graph = load_graph()
    >>> from orggraph.namespaces import OGR, SKOS
    >>> from rdflib import Literal
    >>> (OGR.cspia, SKOS.altLabel, Literal("中安协", lang="zh-Hans")) in graph
    True
    """
    dataset = open_graph(store)
    if ontology:
        for path in ontology_files():
            read_rdf(path, into=dataset, graph_iri=bundled_graph_iri("ontology", path.name))
    if sources is None:
        for path in data_files():
            read_rdf(path, into=dataset, graph_iri=bundled_graph_iri("data", path.name))
    else:
        for source in sources:
            read_rdf(source, into=dataset, allow_network=allow_network)
    return dataset
