from __future__ import annotations

import pytest
from helpers import Listener
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from orggraph.errors import QueryError, ResolutionError, UsageError
from orggraph.graph.named_queries import get_named_query, list_named_queries, run_named_query
from orggraph.namespaces import OGR
from orggraph.store.sparql import run_query

REQUIRED_QUERIES = {
    "organisations",
    "org-chart",
    "duties-of",
    "responsible-for",
    "attendees",
    "people",
    "evidence",
    "meetings",
    "timeline",
}


def test_bindings_are_bound_not_pasted(bundled):
    hostile = 'x" } ; DROP ALL ; { "'
    result = run_query(bundled, "SELECT ?o WHERE { ?o skos:altLabel ?name }", {"name": hostile})
    assert list(result) == []
    result = run_query(bundled, "SELECT ?o WHERE { ?o skos:prefLabel ?name }", {"name": None})
    assert len(list(result)) > 50


def test_syntax_error_gives_line_and_column(bundled):
    with pytest.raises(QueryError, match=r"^query:2:\d+: SPARQL syntax error"):
        run_query(bundled, "SELECT ?x\nWHERE { ?x ?y }")


def test_an_error_oxigraph_finds_points_at_the_users_line(tmp_path):
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    data = tmp_path / "d.ttl"
    data.write_text("<urn:a> <urn:p> <urn:b> .\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [data])
    # rdflib's parser takes it; Oxigraph refuses BIND to a variable already bound
    query = "SELECT ?x\nWHERE {\n  ?x ?p ?o .\n  BIND(1 AS ?x) }\n"
    import re

    import pyoxigraph

    with pytest.raises(SyntaxError) as raw:
        pyoxigraph.Store().query(query)
    line, column = re.search(r"error at (\d+):(\d+)", str(raw.value)).groups()
    for timeout in (None, 20):
        with pytest.raises(QueryError, match=rf"^query:{line}:{column}: SPARQL syntax error: "):
            run_query(open_graph(spec), query, timeout=timeout)


def test_updates_are_refused_unless_allowed(bundled):
    before = len(bundled)
    with pytest.raises(QueryError, match=r"read-only.*allow_update=True"):
        run_query(bundled, "DELETE WHERE { ?s ?p ?o }")
    assert len(bundled) == before


def test_allowed_update_changes_a_copy():
    import orggraph

    graph = orggraph.load_graph()
    run_query(graph, "INSERT DATA { GRAPH <urn:x-test:g> { ogr:x skos:prefLabel 'x' } }", allow_update=True)
    assert (OGR.x, None, None) in graph


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_network_is_refused_and_no_socket_is_opened(bundled, template):
    with Listener() as listener, pytest.raises(QueryError, match="allow_network=True"):
        run_query(bundled, template.format(port=listener.port))
    assert listener.connections == 0


@pytest.mark.parametrize(
    "template",
    [
        # a comment that Oxigraph ends at the carriage return, rdflib's parser at the next line feed
        "SELECT * WHERE {{ # note\rSERVICE <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }}\n}}",
        # an escaped quote that SPARQL decodes before parsing: the string ends there
        'SELECT * WHERE {{ ?s ?p "a\\u0022 . SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} ?s ?p \\u0022" }}',
        # rdflib reads eight hex digits after \\u where SPARQL reads four: a quote, then a comment
        'SELECT * WHERE {{ ?s ?p "a\\u00000022 # " . SERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }}\n}}',
    ],
)
def test_the_network_check_reads_the_query_as_oxigraph_does(tmp_path, template):
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    data = tmp_path / "one.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [data])
    graph = open_graph(spec)
    with Listener() as listener, pytest.raises(QueryError, match=r"SERVICE .* reaches the network|syntax error"):
        run_query(graph, template.format(port=listener.port))
    assert listener.connections == 0
    # what the check lets through still runs, with its escapes decoded as the engine decodes them
    rows = list(run_query(graph, 'SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) } # done\r'))
    assert [str(row[0]) for row in rows] == ["café"]


def test_updates_on_oxigraph_do_what_they_say(tmp_path):
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    data = tmp_path / "d.ttl"
    data.write_text('<urn:a> <urn:p> "1" .\n<urn:b> <urn:p> "2" .\n', encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [data])
    graph = open_graph(spec, read_only=False)
    run_query(graph, "DELETE WHERE { GRAPH ?g { <urn:a> ?p ?o } }", allow_update=True)
    run_query(graph, 'INSERT DATA { <urn:c> <urn:p> "3" }', allow_update=True)
    run_query(graph, "DELETE WHERE { ?s <urn:p> ?value }", {"value": "3"}, allow_update=True)
    run_query(graph, 'INSERT DATA { <urn:d> <urn:p> "4" }', allow_update=True)
    del graph
    import gc

    gc.collect()
    rows = run_query(open_graph(spec), "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY ?s")
    assert [str(row[0]) for row in rows] == ["urn:b", "urn:d"]  # kept in the store, as SECURITY.md says


def test_load_is_refused_even_with_updates_allowed(bundled):
    with pytest.raises(QueryError, match="LOAD reaches the network"):
        run_query(bundled, "LOAD <http://127.0.0.1:9/x.ttl>", allow_update=True)


def test_the_required_named_queries_exist_with_parameters():
    queries = {q.name: q for q in list_named_queries()}
    assert set(queries) >= REQUIRED_QUERIES
    assert queries["duties-of"].parameters[0].name == "org"
    assert queries["responsible-for"].parameters[0].kind == "keyword"
    for named in queries.values():
        assert named.title and named.description


@pytest.mark.parametrize("name", sorted(REQUIRED_QUERIES))
def test_every_named_query_runs_and_returns_rows(bundled, name):
    samples = {
        "org-chart": {"org": "公安部"},
        "duties-of": {"org": "中安协"},
        "responsible-for": {"topic": "标准"},
        "evidence": {"of": "中安协"},
        "timeline": {"org": "中安协"},
    }
    params = samples.get(name, {})
    assert {p.name for p in get_named_query(name).parameters if p.required} <= set(params)
    rows = list(run_named_query(bundled, name, params))
    assert rows, f"{name} returned nothing"


def test_duties_of_is_the_same_in_every_script_and_alias(bundled):
    answers = [
        sorted(map(tuple, run_named_query(bundled, "duties-of", {"org": name})))
        for name in ("中國安全防范產品行業協會", "中国安全防范产品行业协会", "中安协", "ogr:cspia", str(OGR.cspia))
    ]
    assert answers[0] and all(answer == answers[0] for answer in answers)
    duty_iris = {row[1] for row in answers[0]}
    assert OGR["duty-jm2019-2-2"] in duty_iris and len(duty_iris) == 31  # 28 of 2019, 3 of 2023


def test_duties_of_filters_by_year(bundled):
    assert list(run_named_query(bundled, "duties-of", {"org": "中安协", "year": "2019"}))
    assert not list(run_named_query(bundled, "duties-of", {"org": "中安协", "year": "2018"}))
    with pytest.raises(UsageError, match="must be a year"):
        run_named_query(bundled, "duties-of", {"org": "中安协", "year": "last"})


def test_duties_of_a_non_member_is_empty(bundled):
    assert not list(run_named_query(bundled, "duties-of", {"org": "公安部"}))


def test_org_chart_puts_the_division_under_the_bureau(bundled):
    rows = {(row.unit, row.parent): int(row.depth) for row in run_named_query(bundled, "org-chart", {"org": "公安部"})}
    assert rows[(OGR["mps-sti-bureau-tech-prevention-division"], OGR["mps-sti-bureau"])] == 2
    assert rows[(OGR["mps-sti-bureau"], OGR.mps)] == 1
    assert rows[(OGR["mps-fri-testing-center"], OGR["mps-fri"])] == 2


def test_responsible_for_matches_either_script(bundled):
    simplified = set(map(tuple, run_named_query(bundled, "responsible-for", {"topic": "标准化"})))
    traditional = set(map(tuple, run_named_query(bundled, "responsible-for", {"topic": "標準化"})))
    assert simplified and simplified == traditional
    assert OGR["sac-tc100"] in {row[0] for row in simplified}


def test_organisations_filtered_by_type(bundled):
    rows = list(run_named_query(bundled, "organisations", {"type": "检测中心"}))
    assert {row[0] for row in rows} == {OGR["mps-fri-testing-center"], OGR["mps-tri-testing-center"]}


def test_attendees_and_people(bundled):
    joint = OGR["meeting-2019-02-21-joint-meeting"]
    rows = list(run_named_query(bundled, "attendees", {"meeting": joint}))
    attendees = {row.attendee: row.role for row in rows}
    assert attendees[OGR["chen-jinghua"]].toPython() == "speaker"
    assert attendees[OGR["mps-sti-bureau"]].toPython() == "convener"  # the convener is listed too
    assert len(attendees) == 11
    assert {str(row.meeting_zh_hans) for row in rows} == {"2019年度安防行业组织、中介机构和实验室联席会议"}
    every = {str(row.meeting) for row in run_named_query(bundled, "attendees")}
    assert len(every) == 6  # every meeting of the corpus


def test_timeline_of_an_organisation(bundled):
    rows = list(run_named_query(bundled, "timeline", {"org": "中安协"}))
    kinds = [str(row.kind) for row in rows]
    # attended 2019, convened 2018 and 2023; 28 duties of 2019 and 3 of 2023
    assert kinds.count("attended") == 1 and kinds.count("convened") == 2 and kinds.count("duty") == 31
    assert {str(row.year) for row in rows} == {"2018", "2019", "2023"}
    assert all(str(row.document).endswith(".txt") for row in rows)


def test_meetings_with_date_place_convener_and_source(bundled):
    (row,) = run_named_query(bundled, "meetings", {"org": "中安协", "year": 2019})
    assert (str(row.date), str(row.place), str(row.convener), int(row.attendee_count)) == (
        "2019-02-21",
        "北京",
        "公安部科技信息化局",
        16,
    )
    assert str(row.role) == "attendee" and str(row.document).endswith(".txt")
    early = list(run_named_query(bundled, "meetings", {"year": 2011}))
    assert [str(r.date) for r in early] == ["2011-10-29", "2011-12-15"]
    # 150余人: more than 150, as the text says
    assert int(early[0].attendee_count) == 150 and early[0].count_is_minimum.toPython() is True
    assert early[1].count_is_minimum is None and str(early[1].chair) == "方锡江"
    people = list(run_named_query(bundled, "people"))
    assert OGR["post-mps-sti-bureau-deputy-director-general"] in {row.post for row in people}


def test_evidence_of_a_duty_points_at_its_passage(bundled):
    rows = list(run_named_query(bundled, "evidence", {"of": "国家工程实验室验收"}))
    assert len(rows) == 1
    assert int(rows[0].start) < int(rows[0].end)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda g: run_named_query(g, "duty-of", {"org": "x"}), ResolutionError, "did you mean duties-of"),
        (lambda g: run_named_query(g, "duties-of", {}), UsageError, "needs -p org"),
        (lambda g: run_named_query(g, "duties-of", {"org": "中安协", "colour": "x"}), UsageError, "no parameter"),
        (lambda g: run_named_query(g, "duties-of", {"org": "中安鞋"}), ResolutionError, "unknown organisation"),
    ],
)
def test_named_query_errors(bundled, call, error, message):
    with pytest.raises(error, match=message):
        call(bundled)


def test_unknown_iri_is_reported(bundled):
    with pytest.raises(ResolutionError, match="no organisation"):
        run_named_query(bundled, "duties-of", {"org": str(URIRef("https://example.org/none"))})


_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, language=st.sampled_from(["en", "zh-hans", "zh-hant-tw", "de-ch-1996", "x-private", "EN-gb"]))
@example(text="", language="en")
@example(text='单位"\\\n', language="zh-hans")
def test_oxigraph_strings_become_the_literals_rdflib_builds(text, language):
    import pickle

    import pyoxigraph
    from rdflib import Literal
    from rdflib.namespace import XSD

    from orggraph.store.oxigraph import rdflib_term

    for native, expected in (
        (pyoxigraph.Literal(text, language=language), Literal(text, lang=language.lower())),
        (pyoxigraph.Literal(text), Literal(text, datatype=XSD.string)),
    ):
        converted = rdflib_term(native)
        assert type(converted) is Literal
        assert converted == expected and hash(converted) == hash(expected) and converted.eq(expected)
        assert str(converted) == str(expected) and converted.n3() == expected.n3()
        for slot in Literal.__slots__:
            assert getattr(converted, slot) == getattr(expected, slot), slot
        assert pickle.loads(pickle.dumps(converted)) == expected


def test_other_oxigraph_terms_convert_asrdflib_terms():
    import pyoxigraph
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    from orggraph.store.oxigraph import rdflib_term

    assert rdflib_term(pyoxigraph.NamedNode("https://example.org/a")) == URIRef("https://example.org/a")
    assert isinstance(rdflib_term(pyoxigraph.BlankNode("b1")), BNode)
    number = rdflib_term(pyoxigraph.Literal("12", datatype=pyoxigraph.NamedNode(str(XSD.integer))))
    assert number == Literal(12) and number.value == 12
    assert rdflib_term(None) is None


def test_converting_rows_leaves_the_cycle_collector_as_it_was(tmp_path):
    import gc

    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path / 'db'}"
    source = tmp_path / "mine.ttl"
    source.write_text('<urn:a> <urn:b> "one"@en, "two" .\n', encoding="utf-8")
    load_files(spec, [source])
    graph = open_graph(spec)
    assert gc.isenabled()
    assert len(list(run_query(graph, "SELECT ?o WHERE { <urn:a> <urn:b> ?o }"))) == 2
    assert gc.isenabled()
    gc.disable()
    try:
        assert len(list(run_query(graph, "SELECT ?o WHERE { <urn:a> <urn:b> ?o }"))) == 2
        assert not gc.isenabled()
    finally:
        gc.enable()
