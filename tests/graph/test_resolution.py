from __future__ import annotations

import pytest
from rdflib.namespace import RDF

from orggraph.errors import ResolutionError
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.resolution import _exact_matches, resolve_organisation, resolve_resource
from orggraph.namespaces import OGR, ORG


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("科技信息化局", "mps-sti-bureau"),
        ("科信局", "mps-sti-bureau"),
        ("公安部一所", "mps-fri"),
        ("公安部第一研究所", "mps-fri"),
        ("公安部三所检测中心(认证中心)", "mps-tri-testing-center"),
        ("公安部三所檢測中心（認證中心）", "mps-tri-testing-center"),
        ("技防處", "mps-sti-bureau-tech-prevention-division"),
        ("China Security & Protection Industry Association", "cspia"),
        ("cspia", "cspia"),
        ("<https://w3id.org/orggraph/id/mps>", "mps"),
    ],
)
def test_names_aliases_and_scripts_resolve(bundled, name, key):
    assert resolve_organisation(bundled, name) == OGR[key]


def test_unknown_names_get_suggestions(bundled):
    with pytest.raises(ResolutionError, match="did you mean"):
        resolve_organisation(bundled, "公安部第一研究")


def test_people_are_not_organisations(bundled):
    with pytest.raises(ResolutionError):
        resolve_organisation(bundled, "陈敬华")
    assert resolve_resource(bundled, "陳敬華") == OGR["chen-jinghua"]


@pytest.fixture(scope="module")
def oxigraph_graph(tmp_path_factory):
    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path_factory.mktemp('ox') / 'db'}"
    load_files(spec, data_files())
    return open_graph(spec)


def test_oxigraph_lookup_agrees_with_memory_for_every_label(bundled, oxigraph_graph):
    # the Oxigraph store resolves untyped names through its object index, not SPARQL
    from rdflib.namespace import RDFS, SKOS

    labels = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label) for o in bundled.objects(None, p)}
    assert len(labels) > 100
    # an even sample of ~150 labels across every document (each costs rdflib several queries)
    for label in sorted(labels)[:: max(1, len(labels) // 150)]:
        # the exact lookup itself, not the normalised fallback behind it
        native = _exact_matches(oxigraph_graph, label, None)
        assert native and native == _exact_matches(bundled, label, None), label
        organisations = _exact_matches(oxigraph_graph, label, ORG.Organization)
        assert organisations == _exact_matches(bundled, label, ORG.Organization), label
        try:
            expected = resolve_resource(bundled, label)
        except ResolutionError as error:
            with pytest.raises(ResolutionError, match=r"names several things|unknown"):
                resolve_resource(oxigraph_graph, label)
            assert "several" in str(error) or "unknown" in str(error)
            continue
        assert resolve_resource(oxigraph_graph, label) == expected, label


def test_organisation_names_match_as_resolution_does_on_every_store(bundled, oxigraph_graph):
    # extraction matches names through OrganisationNames (one read of all names), the CLI through
    # resolve_organisation: both must mean the same organisation by every name of every organisation
    from rdflib.namespace import RDFS, SKOS

    from orggraph.graph.resolution import OrganisationNames

    in_memory, on_disk = OrganisationNames(bundled), OrganisationNames(oxigraph_graph)
    organisations = set(bundled.subjects(RDF.type, ORG.FormalOrganization)) | set(
        bundled.subjects(RDF.type, ORG.OrganizationalUnit)
    )
    checked = 0
    for organisation in sorted(organisations):
        for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
            for label in bundled.objects(organisation, prop):
                try:
                    expected = resolve_organisation(bundled, str(label))
                except ResolutionError:
                    expected = None
                # the label as written, then spaced and bracketed as text may write it
                for spelling in (str(label), f" {label}（） "):
                    assert in_memory.find(spelling) == on_disk.find(spelling) == expected, spelling
                    checked += 1
    assert checked > 100
    assert set(in_memory.gazetteer) == set(on_disk.gazetteer)
    assert {"中国安全防范产品行业协会", "中安协", "科技信息化局"} <= set(in_memory.gazetteer)


def test_a_shared_name_finds_no_organisation_fresh_or_from_the_cache(tmp_path, own_cache_folder):
    from rdflib import URIRef

    from orggraph.graph.resolution import OrganisationNames
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    source = tmp_path / "shared.ttl"
    source.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:x-test:a> a org:FormalOrganization ; skos:prefLabel "联合办公室"@zh-Hans, "甲单位"@zh-Hans .\n'
        '<urn:x-test:b> a org:FormalOrganization ; skos:prefLabel "联合办公室"@zh-Hans, "乙 单位"@zh-Hans .\n',
        encoding="utf-8",
    )
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [source])
    answers = []
    for _ in ("read from the store", "read from the cache"):
        names = OrganisationNames(open_graph(spec))
        answers.append([names.find(text) for text in ("联合办公室", "甲单位", "乙单位", "乙 單位", "丙单位")])
    assert list(own_cache_folder.glob("organisation-index-*.json"))
    a, b = URIRef("urn:x-test:a"), URIRef("urn:x-test:b")
    assert answers[0] == answers[1] == [None, a, b, b, None]


@pytest.mark.parametrize(
    "index",
    [
        {"things": ["urn:a"], "exact": [["甲"], [0]], "normalised": [["甲"], [0]]},
        {"things": ["urn:a", "urn:b"], "exact": [["甲"], [[0, 1]]], "normalised": [[], []]},
    ],
)
def test_the_index_shape_check_accepts_what_the_index_holds(index):
    from orggraph.graph.resolution import _is_index

    assert _is_index(index)


@pytest.mark.parametrize(
    "index",
    [
        {"things": ["urn:a"], "exact": [["甲", "乙"], [0]], "normalised": [[], []]},  # lengths differ
        {"things": ["urn:a"], "exact": [["甲"], [1]], "normalised": [[], []]},  # no organisation 1
        {"things": ["urn:a"], "exact": [["甲"], [[]]], "normalised": [[], []]},  # a name of nobody
        {"things": ["urn:a"], "exact": [[7], [0]], "normalised": [[], []]},  # not a name
        {"things": ["urn:a"], "exact": [["甲"], [True]], "normalised": [[], []]},  # not a number
        {"things": ["urn:a"], "exact": {"甲": [0]}, "normalised": [[], []]},  # the former layout
        {"things": [3], "exact": [[], []], "normalised": [[], []]},
        ["urn:a"],
    ],
)
def test_the_index_shape_check_refuses_damaged_entries(index):
    from orggraph.graph.resolution import _is_index

    assert not _is_index(index)


def test_named_query_parameters_take_ints_and_prefixed_names(bundled):
    by_text = list(run_named_query(bundled, "duties-of", {"org": "中安协", "year": "2019"}))
    by_values = list(run_named_query(bundled, "duties-of", {"org": "ogr:cspia", "year": 2019}))
    assert by_text == by_values and len(by_text) == 28


def test_a_curated_thing_wins_and_an_ambiguous_name_lists_its_candidates():
    from orggraph.graph.resolution import resolve_name

    things = {
        "https://w3id.org/orggraph/id/cspia": ["中安协"],
        "https://w3id.org/orggraph/id/candidate-organisation-1": ["中安协"],
        "https://w3id.org/orggraph/id/candidate-organisation-2": ["某协会"],
        "https://w3id.org/orggraph/id/candidate-organisation-3": ["某协会"],
    }

    def resolve(text):
        return resolve_name(
            text,
            known=things.__contains__,
            exact=lambda name: [t for t, labels in things.items() if name in labels],
            names=lambda: {
                label: [t for t, ls in things.items() if label in ls] for ls in things.values() for label in ls
            },
        )

    assert resolve("中安协") == "https://w3id.org/orggraph/id/cspia"
    with pytest.raises(ResolutionError, match=r"names several things: .*candidate-organisation-2 \(某协会\)"):
        resolve("某协会")
