from __future__ import annotations

import pytest

from orggraph.errors import UsageError
from orggraph.namespaces import OGR
from orggraph.network.projection import to_networkx
from orggraph.network.views import duties_as_edges, keep_kinds, keep_relations, neighbourhood, select_view


@pytest.fixture(scope="module")
def network(seed_graph):  # the curated graph, whose counts its gold file gives
    bundled = seed_graph
    return to_networkx(bundled)


def test_neighbourhood_depths(network):
    centre = str(OGR["mps-fri"])
    assert set(neighbourhood(network, centre, 1)) == {centre, str(OGR.mps), str(OGR["mps-fri-testing-center"])}
    assert len(neighbourhood(network, centre, 2)) > 3
    assert set(neighbourhood(network, centre, 0)) == {centre}
    with pytest.raises(UsageError, match="not in the graph"):
        neighbourhood(network, "urn:nowhere", 1)


def test_kinds_and_relations(network):
    chart = keep_kinds(network, ["government-agency", "internal-division", "research-institute", "testing-centre"])
    assert {kind for _, kind in chart.nodes(data="kind")} == {
        "government-agency",
        "internal-division",
        "research-institute",
        "testing-centre",
    }
    assert {r for *_, r in chart.edges(data="relation")} <= {"unit of", "part of"}
    only = keep_relations(network, ["unit of"])
    assert {r for *_, r in only.edges(data="relation")} == {"unit of"} and len(only) == len(network)
    with pytest.raises(UsageError, match="unknown node type 'lab'"):
        keep_kinds(network, ["lab"])
    with pytest.raises(UsageError, match="no relation 'owns'"):
        keep_relations(network, ["owns"])


def test_duties_as_edges_carry_the_duty(network):
    collapsed = duties_as_edges(network)
    assert not [n for n, kind in collapsed.nodes(data="kind") if kind == "duty"]
    duty_edges = [d for *_, d in collapsed.edges(data=True) if d["relation"] == "duty"]
    assert len(duty_edges) == 5
    third = next(d for d in duty_edges if d["labels"]["zh-Hans"] == "加强机制和制度建设")
    assert {s["zh-Hans"] for s in third["sub_duties"]} >= {"国家工程实验室验收", "完善管理制度体系"}
    assert third["year"] == "2019" and third["evidence"]


def test_select_view_checks_the_mode(network):
    with pytest.raises(UsageError, match="duties must be one of"):
        select_view(network, duties="arrows")
    view = select_view(network, focus=str(OGR["mps-sti-bureau"]), depth=1, duties="edges")
    assert str(OGR["security-industry-joint-meeting"]) in view
