from __future__ import annotations

from collections import Counter

from orggraph.namespaces import OGR
from orggraph.projection import NODE_KINDS, to_networkx


def test_projection_has_every_kind_of_node_and_parallel_edges(bundled):
    network = to_networkx(bundled)
    kinds = Counter(kind for _, kind in network.nodes(data="kind"))
    assert kinds["duty"] == 28 and kinds["achievement"] == 4 and kinds["person"] == 1 and kinds["meeting"] == 1
    assert set(kinds) <= set(NODE_KINDS)
    assert network.nodes[str(OGR["mps-tri-testing-center"])]["kind"] == "testing-centre"
    # the bureau both convened the meeting and assigned duties: parallel relations are kept
    bureau = str(OGR["mps-sti-bureau"])
    relations = Counter(r for _, _, r in network.out_edges(bureau, data="relation"))
    assert relations["convened"] == 1 and relations["assigned"] == 28 and relations["unit of"] == 1


def test_nodes_carry_names_text_year_and_evidence(bundled):
    duty = to_networkx(bundled).nodes[str(OGR["duty-jm2019-3-3"])]
    assert duty["labels"]["zh-Hant"] == "國家工程實驗室驗收"
    assert duty["year"] == "2019" and duty["category"] == "Project delivery"
    assert duty["evidence"][0].startswith("2019-02-21-security-industry-joint-meeting.txt [")
