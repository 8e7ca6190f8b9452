from __future__ import annotations

from collections import Counter

import pytest

from orggraph.errors import UsageError
from orggraph.namespaces import OGR
from orggraph.network.projection import NODE_KINDS, to_networkx


def test_projection_has_every_kind_of_node_and_parallel_edges(seed_graph):
    network = to_networkx(seed_graph)  # the curated graph, whose counts its gold file gives
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


def _canonical(value):
    if isinstance(value, dict):
        return sorted((k, _canonical(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _as_comparable(network):
    nodes = {node: repr(_canonical(data)) for node, data in network.nodes(data=True)}
    edges = sorted((u, v, k, repr(_canonical(d))) for u, v, k, d in network.edges(keys=True, data=True))
    return nodes, edges


def test_a_neighbourhood_fetched_from_a_store_equals_the_one_cut_from_the_whole(bundled, tmp_path_factory):
    # Oxigraph is asked hop by hop; the memory graph is projected whole and cut
    from orggraph.graph.resolution import resolve_organisation
    from orggraph.network.views import select_view, view_of
    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path_factory.mktemp('ox') / 'db'}"
    load_files(spec, data_files())
    stored = open_graph(spec)
    whole = to_networkx(bundled)
    centres = ["mps-sti-bureau", "cspia", "mps-tri-testing-center", "meeting-2019-02-21-joint-meeting"]
    for key in [*centres, "duty-jm2019-3-3"]:
        centre = str(OGR[key])
        for radius in (0, 1, 2, 3):
            fetched = to_networkx(stored, around=centre, radius=radius)
            assert 0 < fetched.number_of_nodes() <= whole.number_of_nodes()
            assert _as_comparable(fetched) == _as_comparable(to_networkx(bundled, around=centre, radius=radius))
    sizes = set()
    for name in ("科信局", "中安协", "公安部"):
        for depth in (1, 2):
            for duties in ("nodes", "edges"):
                # the whole graph projected, then cut: what a small graph in memory always allowed
                centre = str(resolve_organisation(bundled, name))
                expected = select_view(whole, focus=centre, depth=depth, duties=duties)
                for graph in (bundled, stored):
                    view = view_of(graph, focus=name, depth=depth, duties=duties)
                    assert _as_comparable(view) == _as_comparable(expected)
                sizes.add(expected.number_of_nodes())
    assert len(sizes) > 3  # the cases differ from each other


def test_around_takes_any_name_as_named_queries_do(bundled):
    by_iri = to_networkx(bundled, around="https://w3id.org/orggraph/id/cspia")
    assert len(by_iri) > 1
    for name in ("ogr:cspia", "中安协", "中國安全防范產品行業協會", "CSPIA"):
        assert sorted(to_networkx(bundled, around=name)) == sorted(by_iri), name
    with pytest.raises(UsageError, match="radius must be 0 or more"):
        to_networkx(bundled, around="中安协", radius=-1)


def test_an_organisation_of_two_unknown_types_is_drawn_as_an_organisation(tmp_path):
    from orggraph.store.loading import load_graph

    data = tmp_path / "types.ttl"
    data.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:o> a org:Organization ; skos:prefLabel "单位"@zh-Hans ; org:classification <urn:t1>, <urn:t2> .\n'
        '<urn:t1> skos:notation "alien-one" . <urn:t2> skos:notation "alien-two" .\n',
        encoding="utf-8",
    )
    network = to_networkx(load_graph([data]))
    assert network.nodes["urn:o"]["kind"] == "organisation"
