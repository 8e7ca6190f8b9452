"""Exporting a graph: as RDF in any format rdflib writes, or its network projection as GraphML or
GEXF, for Gephi, Cytoscape and yEd.

Nested attributes (names per language, aliases, evidence) become flat string attributes:
``label`` (Simplified Chinese, else English), ``label_zh_hans``, ``label_zh_hant``, ``label_en``,
``aliases``, ``text_zh_hans``, ``evidence`` … Parallel edges are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Graph

from orggraph.errors import UsageError
from orggraph.formats import NETWORK_FORMATS
from orggraph.network.projection import to_networkx
from orggraph.rdf.readwrite import serialize_rdf
from orggraph.store.loading import local_copy
from orggraph.text.escaping import NOT_XML

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["export_graph", "flatten", "serialize_network"]


def _flat(data: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for lang, text in value.items():
                flat[f"{key.rstrip('s')}_{lang.lower().replace('-', '_')}"] = str(text)
        elif isinstance(value, (list, tuple)):
            flat[key] = "; ".join(
                str(v) if not isinstance(v, dict) else " / ".join(map(str, v.values())) for v in value
            )
        elif value is not None:
            flat[key] = str(value)
    labels = data.get("labels") or {}
    flat["label"] = labels.get("zh-Hans") or labels.get("en") or flat.get("relation") or flat.get("curie", "")
    return flat


def _xml_safe(text: str) -> str:
    r"""``text`` with the characters XML cannot hold shown as escapes (``\x1b``).

    >>> _xml_safe("公安部\x1b[2J")
    '公安部\\x1b[2J'
    """
    return NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", text)


def flatten(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only string attributes (what GraphML and GEXF can hold)."""
    import networkx as nx

    flat = nx.MultiDiGraph()

    def safe(data: dict[str, Any]) -> dict[str, str]:
        return {k: _xml_safe(v) for k, v in _flat(data).items()}

    for node, data in network.nodes(data=True):
        flat.add_node(_xml_safe(str(node)), **safe(data))
    for source, target, key, data in network.edges(keys=True, data=True):
        flat.add_edge(_xml_safe(str(source)), _xml_safe(str(target)), key=_xml_safe(str(key)), **safe(data))
    return flat


def serialize_network(network: nx.MultiDiGraph, fmt: str) -> str:
    """GraphML or GEXF text of ``network``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:a", labels={"zh-Hans": "公安部"}, kind="government-agency")
    >>> "公安部" in serialize_network(g, "graphml")
    True
    """
    import io

    import networkx as nx

    writers = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}
    if fmt in writers:
        # the write_* functions keep Chinese as UTF-8; generate_* would turn it into &#…; references
        buffer = io.BytesIO()
        writers[fmt](flatten(network), buffer, encoding="utf-8")
        return buffer.getvalue().decode("utf-8")
    raise UsageError(f"unknown network format {fmt!r}; use one of {', '.join(NETWORK_FORMATS)}")


def export_graph(graph: Graph, fmt: str) -> str:
    """The whole graph as text: ``ttl``, ``nt`` or ``jsonld`` give the union of its graphs, ``trig`` and
    ``nquads`` keep the named graphs, ``graphml`` and ``gexf`` give its network projection. A
    SPARQL endpoint's user graphs are copied first.

    >>> from orggraph.store.loading import load_graph
    >>> "公安部" in export_graph(load_graph(), "gexf") and "公安部" in export_graph(load_graph(), "trig")
    True
    """
    if fmt in NETWORK_FORMATS:
        return serialize_network(to_networkx(graph), fmt)
    return serialize_rdf(local_copy(graph), fmt)
