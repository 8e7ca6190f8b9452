"""orggraph: organisations, posts, meetings and assigned duties from public documents, as an
evidence-backed RDF knowledge graph to query (SPARQL) and look at (interactive HTML).

``import orggraph`` is light: the functions below are imported on first use.

>>> import orggraph
>>> graph = orggraph.load_graph()
>>> rows = orggraph.run_named_query(graph, "duties-of", {"org": "中安协"})
>>> len(list(rows)) > 0
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import OrgGraphError

__version__ = "0.1.0"

_EXPORTS = {
    "open_graph": "store",
    "load_graph": "store",
    "read_rdf": "readwrite",
    "parse_rdf": "readwrite",
    "serialize_rdf": "readwrite",
    "run_query": "query",
    "run_named_query": "query",
    "list_named_queries": "query",
    "get_named_query": "query",
    "format_result": "output",
    "resolve_organisation": "resolution",
    "validate": "validation",
    "summarize": "inspection",
    "to_networkx": "projection",
    "render_html": "rendering",
    "write_html": "rendering",
    "display_html": "rendering",
    "select_view": "views",
    "view_of": "views",
    "strip_reading_annotations": "normalization",
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
]

if TYPE_CHECKING:
    from .inspection import summarize
    from .normalization import strip_reading_annotations
    from .output import format_result
    from .projection import to_networkx
    from .query import get_named_query, list_named_queries, run_named_query, run_query
    from .readwrite import parse_rdf, read_rdf, serialize_rdf
    from .rendering import display_html, render_html, write_html
    from .resolution import resolve_organisation
    from .store import load_graph, open_graph
    from .validation import validate
    from .views import select_view, view_of


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'orggraph' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
