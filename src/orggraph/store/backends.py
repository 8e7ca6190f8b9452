"""Opening a store, and telling what kind of store a graph lives in.

One store abstraction carries everything: an rdflib :class:`~rdflib.Dataset` whose default
graph is the union of its named graphs, one named graph per source file, over one of three
backends:

* ``memory`` — rdflib's in-memory store (the default; embedded, nothing persists);
* ``oxigraph:PATH`` — an on-disk Oxigraph database (:mod:`orggraph.store.oxigraph`); queries run
  natively in Oxigraph; read-only commands open it read-only, so several processes can read at once;
* ``http(s)://HOST/…/sparql`` — any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, QLever)
  through rdflib's SPARQLStore, or SPARQLUpdateStore when an update endpoint is given.

The spec comes from the argument, else ``$ORGGRAPH_STORE`` (:mod:`orggraph.settings`), else ``memory``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from rdflib import Dataset

from orggraph import settings
from orggraph.errors import UsageError
from orggraph.iris import GRAPH_BASE, META_GRAPH
from orggraph.rdf.readwrite import new_dataset
from orggraph.store import oxigraph
from orggraph.store.oxigraph import store_folder

__all__ = [
    "GRAPH_BASE",
    "META_GRAPH",
    "SYSTEM_GRAPH_FILTER",
    "SYSTEM_GRAPH_PREFIXES",
    "is_endpoint",
    "is_native",
    "open_graph",
    "store_folder",
    "store_spec",
]

logger = logging.getLogger(__name__)


# Graphs a server keeps for itself (Virtuoso's quad maps and system data), not user data.
SYSTEM_GRAPH_PREFIXES = ("http://www.openlinksw.com/", "http://localhost:8890/DAV", "http://www.w3.org/ns/ldp#")
SYSTEM_GRAPH_FILTER = " && ".join(f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in SYSTEM_GRAPH_PREFIXES)


def store_spec(spec: str | None = None) -> str:
    """The store spec in force: ``spec``, else ``$ORGGRAPH_STORE``, else ``memory``.

    >>> store_spec("oxigraph:/tmp/x")
    'oxigraph:/tmp/x'
    """
    return spec or settings.default_store()


def open_graph(spec: str | None = None, *, read_only: bool = True, update_endpoint: str | None = None) -> Dataset:
    """Open the store named by ``spec`` (see the module documentation).

    >>> len(open_graph("memory"))
    0
    """
    spec = store_spec(spec)
    logger.info("opening the store %s%s", spec, " read-only" if read_only and spec != "memory" else "")
    if spec == "memory":
        return new_dataset()
    if spec.startswith("oxigraph:"):
        return oxigraph.open_store(spec[len("oxigraph:") :], read_only)
    if spec.startswith(("http://", "https://")):
        return _open_endpoint(spec, update_endpoint)
    raise UsageError(f"unknown store {spec!r}; use memory, oxigraph:PATH or an http(s)://…/sparql endpoint")


def _open_endpoint(url: str, update_endpoint: str | None) -> Dataset:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore  # imports urllib machinery

    # Virtuoso never answers a direct-POST query; a form POST works everywhere.
    store: SPARQLStore
    if update_endpoint:
        store = SPARQLUpdateStore(
            query_endpoint=url,
            update_endpoint=update_endpoint,
            method="POST_FORM",
            returnFormat="json",
            autocommit=True,
        )
    else:
        store = SPARQLStore(query_endpoint=url, method="POST_FORM", returnFormat="json")
    dataset = Dataset(store=store, default_union=True)
    return dataset


def is_endpoint(graph: Any) -> bool:
    """Whether ``graph`` is a remote SPARQL endpoint (rdflib's SPARQLStore or SPARQLUpdateStore).

    >>> is_endpoint(open_graph("memory"))
    False
    """
    module = sys.modules.get("rdflib.plugins.stores.sparqlstore")  # never imported: no endpoint is open
    return module is not None and isinstance(getattr(graph, "store", None), module.SPARQLStore)


def is_native(graph: Any) -> bool:
    """True when the graph's store evaluates SPARQL itself (Oxigraph, a SPARQL endpoint).

    >>> is_native(open_graph("memory"))
    False
    """
    return oxigraph.is_oxigraph(graph) or is_endpoint(graph)
