from __future__ import annotations

import io

import networkx as nx
import pytest

from orggraph.errors import UsageError
from orggraph.namespaces import OGR
from orggraph.network.exchange import serialize_network
from orggraph.network.projection import to_networkx


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_keep_nodes_parallel_edges_and_names(bundled, fmt):
    network = to_networkx(bundled)
    text = serialize_network(network, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    again = reader(io.BytesIO(text.encode("utf-8")))
    assert again.number_of_nodes() == network.number_of_nodes()
    assert again.number_of_edges() == network.number_of_edges()
    node = again.nodes[str(OGR.cspia)]
    assert node["label_zh_hant"] == "中國安全防範產品行業協會" and node["kind"] == "industry-association"
    assert "中安协" in node["aliases"]


def test_unknown_network_format(bundled):
    with pytest.raises(UsageError, match="unknown network format"):
        serialize_network(to_networkx(bundled), "dot")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_control_character_in_a_label_keeps_the_file_readable_xml(fmt):
    import xml.etree.ElementTree as ElementTree

    import networkx as nx

    network = nx.MultiDiGraph()
    network.add_node("urn:a\x01", labels={"zh-Hans": "公安部\x1b[2J\x07", "en": "MPS\x0c"}, kind="government-agency")
    network.add_edge("urn:a\x01", "urn:b", key="unit of", relation="unit of\x02")
    text = serialize_network(network, fmt)
    ElementTree.fromstring(text.encode("utf-8"))  # raises on a character XML cannot hold
    assert "公安部\\x1b[2J\\x07" in text
