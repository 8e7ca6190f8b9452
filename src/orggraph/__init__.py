"""orggraph: organisations, posts, meetings and assigned duties from public documents, as an
evidence-backed RDF knowledge graph to query (SPARQL) and look at (interactive HTML).

``import orggraph`` is light: the functions below are imported on first use. The package is
layered, each layer importing only from those below it (``docs/architecture.md``)::

    cli/                          the ``orggraph`` command line
    network/   extract/           projection, views, HTML pages │ rules, candidates, formats
    graph/                        names, named queries, results, validation, passages
    store/                        backends, SPARQL engine, loading, cache, Oxigraph
    rdf/   text/                  RDF files and terms │ Chinese text and documents
    errors settings namespaces resources files

>>> import orggraph
>>> graph = orggraph.load_graph()
>>> rows = orggraph.run_named_query(graph, "duties-of", {"org": "中安协"})
>>> len(list(rows)) > 0
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from orggraph._version import __version__
from orggraph.errors import OrgGraphError

_EXPORTS = {
    "open_graph": "store.backends",
    "load_graph": "store.loading",
    "read_rdf": "rdf.readwrite",
    "parse_rdf": "rdf.readwrite",
    "serialize_rdf": "rdf.readwrite",
    "run_query": "store.sparql",
    "run_named_query": "graph.named_queries",
    "list_named_queries": "graph.named_queries",
    "get_named_query": "graph.named_queries",
    "format_result": "graph.results",
    "to_records": "graph.results",
    "to_dataframe": "graph.results",
    "resolve_organisation": "graph.resolution",
    "validate": "graph.validation",
    "summarize": "graph.inspection",
    "to_networkx": "network.projection",
    "render_html": "network.rendering",
    "write_html": "network.rendering",
    "display_html": "network.rendering",
    "select_view": "network.views",
    "view_of": "network.views",
    "strip_reading_annotations": "text.normalization",
    "timeline": "analysis.timeline",
    "matrix": "analysis.matrix",
    "diff": "analysis.diff",
    "build_store": "extract.building",
}

__all__ = [
    "OrgGraphError",
    "__version__",
    "open_graph",
    "load_graph",
    "read_rdf",
    "parse_rdf",
    "serialize_rdf",
    "run_query",
    "run_named_query",
    "list_named_queries",
    "get_named_query",
    "format_result",
    "to_records",
    "to_dataframe",
    "resolve_organisation",
    "validate",
    "summarize",
    "to_networkx",
    "render_html",
    "write_html",
    "display_html",
    "select_view",
    "view_of",
    "strip_reading_annotations",
    "timeline",
    "matrix",
    "diff",
    "build_store",
]

if TYPE_CHECKING:
    from orggraph.analysis.diff import diff
    from orggraph.analysis.matrix import matrix
    from orggraph.analysis.timeline import timeline
    from orggraph.extract.building import build_store
    from orggraph.graph.inspection import summarize
    from orggraph.graph.named_queries import get_named_query, list_named_queries, run_named_query
    from orggraph.graph.resolution import resolve_organisation
    from orggraph.graph.results import format_result, to_dataframe, to_records
    from orggraph.graph.validation import validate
    from orggraph.network.projection import to_networkx
    from orggraph.network.rendering import display_html, render_html, write_html
    from orggraph.network.views import select_view, view_of
    from orggraph.rdf.readwrite import parse_rdf, read_rdf, serialize_rdf
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_graph
    from orggraph.store.sparql import run_query
    from orggraph.text.normalization import strip_reading_annotations


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'orggraph' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
