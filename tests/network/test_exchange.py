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
