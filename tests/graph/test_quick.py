"""The quick path answers exactly what the general path answers, or leaves the answer to it.

Each case runs on the two stores the quick path reads (the prebuilt copy of the bundled graph,
and an Oxigraph store filled by ``load_files``) and compares its output, byte for byte, with
the general path's on the same store. Through an endpoint (``orggraph serve`` on that store) the
quick path answers named queries byte for byte as on the store (``/run/NAME`` runs them there as
here), and ad-hoc queries as the general path does (which writes JSON and XML with other
spacing)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from helpers import NAMED_QUERY_SAMPLES, running
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.query import Result

from orggraph.errors import QueryError, UsageError
from orggraph.graph.inspection import summarize
from orggraph.graph.named_queries import named_query_output
from orggraph.graph.query_files import get_named_query
from orggraph.graph.quick import quick_named_query_output, quick_query_output, quick_summary
from orggraph.graph.results import query_output
from orggraph.resources import data_files
from orggraph.store.backends import open_graph
from orggraph.store.loading import load_files, load_graph
from orggraph.store.plans import NATIVE_PLANS

FORMATS = ("csv", "tsv", "json", "xml", "table")


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, object]:
    """Where each side reads: the quick path takes a spec (None: the bundled graph's copy), the
    general path the graph the commands open for it."""
    spec = f"oxigraph:{tmp_path_factory.mktemp('quick') / 'db'}"
    load_files(spec, data_files())
    return {"copy": (None, load_graph(prebuilt=True)), "store": (spec, open_graph(spec))}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(NAMED_QUERY_SAMPLES))
def test_a_named_query_answers_as_on_the_general_path(stores, name, fmt):
    for side, (spec, graph) in stores.items():
        quick = quick_named_query_output(name, NAMED_QUERY_SAMPLES[name], fmt, store=spec)
        assert quick is not None, side
        assert quick == named_query_output(graph, name, NAMED_QUERY_SAMPLES[name], fmt), side


@pytest.mark.parametrize(
    "parameters",
    [
        {"org": "中國安全防范產品行業協會"},  # Traditional: the label in the other script
        {"org": "ogr:cspia"},
        {"org": "https://w3id.org/orggraph/id/cspia", "year": "2019"},
        {"org": "中安协", "year": 2019},
    ],
)
def test_parameters_are_bound_as_on_the_general_path(stores, parameters):
    for side, (spec, graph) in stores.items():
        quick = quick_named_query_output("duties-of", parameters, "csv", store=spec)
        assert quick is not None and quick == named_query_output(graph, "duties-of", parameters, "csv"), side


@pytest.mark.parametrize(
    "parameters",
    [
        {"org": "不存在的机构"},  # unknown: the general path suggests names
        {"org": "中 安 协"},  # no exact label: the general path compares normalised names
        {"org": "ogr:no-such-thing"},
        {"org": "中安协", "year": "19"},
        {"org": "中安协", "colour": "red"},
        {},
    ],
)
def test_what_the_general_rules_decide_is_left_to_them(stores, parameters):
    for spec, _graph in stores.values():
        assert quick_named_query_output("duties-of", parameters, "csv", store=spec) is None


AD_HOC = [
    ("SELECT ?o ?name WHERE { ?o skos:prefLabel ?name } ORDER BY ?o ?name", {}),
    ("SELECT ?o ?name WHERE { ?o skos:prefLabel ?name } ORDER BY ?o ?name", {"limit": 3}),
    ("SELECT * WHERE { GRAPH ?g { ?s a org:FormalOrganization } } ORDER BY ?g ?s", {}),
    ("SELECT ?x ?y WHERE { OPTIONAL { ?x a <urn:nothing> } BIND(1.50 AS ?y) }", {}),
    ('SELECT ?o WHERE { ?o skos:altLabel "\\u4E2D安协"@zh-Hans }', {}),
    ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/orggraph/graph/data/seed-2019-02-21.ttl> WHERE { ?s ?p ?o }", {}),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?class a owl:Class }", {}),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?class a owl:Class }", {"ontology": False}),
    ("SELECT ?o ?name WHERE { ?o skos:prefLabel ?name } ORDER BY ?o ?name", {"ontology": False}),
    ("SELECT ?x WHERE { BIND(<relative> AS ?x) }", {"base": "file:///queries/q.rq"}),
    ('SELECT ?text WHERE { BIND("  line one\\n\\tline two  " AS ?text) }', {}),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("text", "options"), AD_HOC)
def test_an_ad_hoc_query_answers_as_on_the_general_path(stores, text, options, fmt):
    for side, (spec, graph) in stores.items():
        quick = quick_query_output(text, fmt, store=spec, **options)
        assert quick is not None, side
        assert quick == query_output(graph, text, fmt, **options), side


@pytest.mark.parametrize("fmt", ("json", "xml", "table"))
def test_yes_or_no_answers_as_on_the_general_path(stores, fmt):
    text = 'ASK { ?o skos:altLabel "中安协"@zh-Hans }'
    for spec, graph in stores.values():
        quick = quick_query_output(text, fmt, store=spec)
        assert quick is not None and quick == query_output(graph, text, fmt)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("ASK { ?s ?p ?o }", "csv"),  # the general path says CSV holds no yes or no
        ("CONSTRUCT WHERE { ?s a org:FormalOrganization }", "table"),
        ("CONSTRUCT WHERE { ?s a org:FormalOrganization }", "ttl"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "jsonl"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "table"),  # refused, or run, by the general path
        ('SELECT ?x WHERE { BIND("bell\\u0007" AS ?x) }', "xml"),  # refused by the general path
    ],
)
def test_answers_it_does_not_write_are_left_to_the_general_path(stores, text, fmt):
    for spec, _graph in stores.values():
        assert quick_query_output(text, fmt, store=spec) is None


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * WHERE {\n  ?s ?p\n}",
    ],
)
def test_refusals_and_syntax_errors_read_as_on_the_general_path(stores, text):
    for spec, graph in stores.values():
        with pytest.raises(QueryError) as general:
            query_output(graph, text, "csv")
        with pytest.raises(QueryError) as quick:
            quick_query_output(text, "csv", store=spec)
        assert str(quick.value) == str(general.value)


def test_a_negative_limit_is_refused_as_on_the_general_path(stores):
    spec, graph = stores["store"]
    with pytest.raises(UsageError) as general:
        query_output(graph, "SELECT * WHERE { ?s ?p ?o }", "csv", limit=-1)
    with pytest.raises(UsageError) as quick:
        quick_query_output("SELECT * WHERE { ?s ?p ?o }", "csv", store=spec, limit=-1)
    assert str(quick.value) == str(general.value)


def test_without_a_copy_or_a_store_it_leaves_the_answer_to_the_general_path(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "empty"))
    assert quick_query_output("ASK { ?s ?p ?o }", "json") is None  # no prebuilt copy yet
    assert quick_query_output("ASK { ?s ?p ?o }", "json", store=f"oxigraph:{tmp_path / 'none'}") is None
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", "off")
    assert quick_named_query_output("people", {}, "csv") is None
    assert quick_query_output("ASK { ?s ?p ?o }", "json", allow_network=True) is None


def test_files_given_with_a_store_are_left_to_the_general_path(stores):
    spec, _ = stores["store"]
    assert quick_query_output("ASK { ?s ?p ?o }", "json", sources=[str(data_files()[0])], store=spec) is None


def test_the_quick_path_knows_which_queries_have_a_hand_made_plan():
    planned = {name for name in NAMED_QUERY_SAMPLES if get_named_query(name).planned}
    assert planned == set(NATIVE_PLANS)


@pytest.mark.parametrize("ontology", [False, True])
def test_a_query_over_files_answers_as_on_the_general_path(ontology):
    files = [str(path) for path in data_files()[:2]]
    text = "SELECT ?s ?name WHERE { ?s skos:prefLabel ?name } ORDER BY ?s ?name"
    graph = load_graph(files, ontology=ontology, prebuilt=True)  # writes the copy the quick path reads
    quick = quick_query_output(text, "tsv", sources=files, ontology=ontology)
    assert quick is not None and quick == query_output(graph, text, "tsv", ontology=ontology)
    with_ontology = load_graph(files, prebuilt=True)  # as `run --data` reads them
    named = quick_named_query_output("people", {}, "csv", sources=files)
    assert named is not None and named == named_query_output(with_ontology, "people", {}, "csv")


def test_a_kept_summary_is_the_summary(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files()[:1])
    assert quick_summary(store=spec) is None  # nothing kept yet: the general path computes it
    assert summarize(open_graph(spec)) == quick_summary(store=spec)
    load_files(spec, data_files()[1:2])  # the store changed: what was kept is not its summary
    assert quick_summary(store=spec) is None
    copy = load_graph(prebuilt=True)
    assert summarize(copy) == quick_summary()
    assert quick_summary(allow_network=True) is None


@pytest.fixture(scope="module")
def served(stores) -> Iterator[str]:
    """``orggraph serve`` on the loaded store: its SPARQL endpoint."""
    spec, _ = stores["store"]
    with running("--store", spec) as (url, _process):
        yield f"{url}sparql"


def _same_answer(one: str, other: str, fmt: str, *, ordered: bool = True) -> bool:
    """The same answer: byte for byte, or the same variables and rows for JSON and XML; without
    ``ordered``, rows that ORDER BY leaves tied may come in another order."""
    if fmt not in ("json", "xml"):
        return one == other if ordered else sorted(one.splitlines()) == sorted(other.splitlines())

    def read(text: str) -> tuple[object, ...]:
        result = Result.parse(io.BytesIO(text.encode()), format=fmt)
        if result.type == "ASK":
            return (result.vars, result.askAnswer)
        rows = [tuple(row) for row in result]
        return (result.vars, rows if ordered else sorted(rows, key=repr))

    return read(one) == read(other)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(NAMED_QUERY_SAMPLES))
def test_a_named_query_through_an_endpoint_answers_as_on_the_store(stores, served, name, fmt):
    parameters = NAMED_QUERY_SAMPLES[name]
    quick = quick_named_query_output(name, parameters, fmt, store=served)
    assert quick is not None
    # the server's /run/NAME runs it as it runs on the store: the same bytes
    assert quick == quick_named_query_output(name, parameters, fmt, store=stores["store"][0])
    # SPARQL alone: the .rq on the server's dataset, where rows ORDER BY leaves tied may come otherwise
    general = named_query_output(open_graph(served), name, parameters, fmt)
    assert _same_answer(quick, general, fmt, ordered=False)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("text", "options"), [case for case in AD_HOC if set(case[1]) <= {"limit"}])
def test_an_ad_hoc_query_through_an_endpoint_answers_as_on_the_general_path(served, text, options, fmt):
    quick = quick_query_output(text, fmt, store=served, **options)
    assert quick is not None
    assert _same_answer(quick, query_output(open_graph(served), text, fmt, **options), fmt)


@pytest.mark.parametrize(
    ("parameters", "found"),
    [({"org": "中國安全防范產品行業協會"}, True), ({"org": "ogr:cspia"}, True), ({"org": "不存在的机构"}, False)],
)
def test_names_are_resolved_through_an_endpoint_as_on_the_store(stores, served, parameters, found):
    quick = quick_named_query_output("duties-of", parameters, "csv", store=served)
    assert (quick is not None) == found  # an unknown name: the general path suggests names
    assert quick == quick_named_query_output("duties-of", parameters, "csv", store=stores["store"][0])
    # with a row limit the SPARQL path answers: the names are resolved here, through the endpoint
    limited = quick_named_query_output("duties-of", parameters, "csv", store=served, limit=100)
    assert (limited is not None) == found
    assert limited == quick_named_query_output("duties-of", parameters, "csv", store=stores["store"][0], limit=100)


@pytest.mark.parametrize("name", sorted(NAMED_QUERY_SAMPLES))
def test_a_named_query_through_sparql_alone_gives_the_stores_rows(stores, served, name):
    parameters = NAMED_QUERY_SAMPLES[name]
    quick = quick_named_query_output(name, parameters, "csv", store=served, limit=10_000)  # not /run/NAME
    on_the_store = quick_named_query_output(name, parameters, "csv", store=stores["store"][0], limit=10_000)
    assert quick is not None and on_the_store is not None
    assert _same_answer(quick, on_the_store, "csv", ordered=False)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    ],
)
def test_refusals_through_an_endpoint_read_as_on_the_general_path(served, text):
    with pytest.raises(QueryError) as general:
        query_output(open_graph(served), text, "csv")
    with pytest.raises(QueryError) as quick:
        quick_query_output(text, "csv", store=served)
    assert str(quick.value) == str(general.value)


def test_graphs_and_syntax_errors_through_an_endpoint_are_left_to_the_general_path(stores, served):
    text = "CONSTRUCT WHERE { ?s a org:FormalOrganization ; skos:prefLabel ?name }"
    assert quick_query_output(text, "ttl", store=served) is None
    # the general path asks for the graph as a graph (rdflib's endpoint store asked for results: 406)
    through = Graph().parse(data=query_output(open_graph(served), text, "ttl"), format="turtle")
    on_the_store = Graph().parse(data=query_output(stores["store"][1], text, "ttl"), format="turtle")
    assert len(through) > 30 and isomorphic(through, on_the_store)
    assert quick_query_output("SELECT * WHERE {\n  ?s ?p\n}", "csv", store=served) is None  # it says where
