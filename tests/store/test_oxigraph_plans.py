from __future__ import annotations

import pytest
from helpers import turtle_prefixes

from orggraph.graph.named_queries import get_named_query, run_named_query
from orggraph.namespaces import ORG
from orggraph.store.backends import open_graph
from orggraph.store.loading import load_files
from orggraph.store.sparql import run_query

# units with two parents (one outside the chart), several labels or none, regional language
# tags, both relations, a cycle through the top, a literal where a parent belongs, a long chain
TRICKY = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix : <https://example.org/> .
:top a org:FormalOrganization ; skos:prefLabel "总部"@zh-Hans, "Top"@en .
:a org:subOrganizationOf :top ; skos:prefLabel "甲"@zh-Hans, "甲二"@zh-Hans, "A"@en-GB .
:b org:unitOf :top ; org:subOrganizationOf :elsewhere ; skos:prefLabel "乙"@zh-Hans-CN .
:elsewhere skos:prefLabel "别处"@zh-Hans .
:c org:unitOf :a , :b .
:d org:subOrganizationOf :c ; skos:prefLabel "丁"@zh-Hant, "D"@en .
:e org:subOrganizationOf :d ; org:unitOf "not a node" ; skos:prefLabel "戊"@zh-Hans .
:loop org:subOrganizationOf :e . :top org:unitOf :loop .
:f1 org:unitOf :top . :f2 org:unitOf :f1 . :f3 org:unitOf :f2 . :f4 org:unitOf :f3 ; skos:prefLabel "庚"@zh-hans .
:lonely a org:FormalOrganization .
"""


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    from orggraph.resources import data_files

    folder = tmp_path_factory.mktemp("plans")
    tricky, again = folder / "tricky.ttl", folder / "again.ttl"
    tricky.write_text(TRICKY, encoding="utf-8")
    # the same statements from a second source: a second named graph, so the union holds them twice
    again.write_text(TRICKY.split(":d org:")[0], encoding="utf-8")
    bundled_spec, tricky_spec = f"oxigraph:{folder / 'bundled'}", f"oxigraph:{folder / 'tricky'}"
    load_files(bundled_spec, data_files())
    load_files(tricky_spec, [tricky, again])
    return open_graph(bundled_spec), open_graph(tricky_spec)


def _planned_and_sparql(graph, organisation):
    query = get_named_query("org-chart")
    planned = list(run_named_query(graph, "org-chart", {"org": str(organisation)}))
    evaluated = list(run_query(graph, query.text, {"org": organisation}, trusted=True))
    return planned, evaluated


def _order(rows):
    # ORDER BY ?depth ?parent_name ?name_zh_hans: rows that tie may come in either order
    return [(int(row[0]), str(row[5] or ""), str(row[2] or "")) for row in rows]


def test_the_org_chart_plan_gives_the_rows_of_the_query_for_every_organisation(stores):
    from rdflib import URIRef

    bundled, tricky = stores
    tops = [(bundled, o) for o in {row[0] for row in bundled.query("SELECT ?o WHERE { ?o a ?type FILTER(isIRI(?o)) }")}]
    names = ("top", "a", "b", "c", "d", "e", "f1", "lonely")
    tops += [(tricky, URIRef(f"https://example.org/{name}")) for name in names]
    non_empty = 0
    for graph, organisation in tops:
        planned, evaluated = _planned_and_sparql(graph, organisation)
        assert sorted(map(tuple, planned)) == sorted(map(tuple, evaluated)), organisation
        assert _order(planned) == _order(evaluated), organisation
        non_empty += bool(planned)
    assert non_empty >= 10

    def depths(top: str) -> dict[str, int]:
        planned, _ = _planned_and_sparql(tricky, URIRef(f"https://example.org/{top}"))
        return {str(row[1]).rsplit("/", 1)[1]: int(row[0]) for row in planned}

    assert depths("f1") == {"f2": 1, "f3": 2, "f4": 3}
    assert "top" in depths("top")  # through the cycle, the top is a unit of itself


def test_a_chart_with_blank_nodes_is_left_to_the_query(tmp_path):
    data = tmp_path / "blank.ttl"
    data.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "<https://example.org/top> a org:FormalOrganization .\n"
        "[] org:unitOf <https://example.org/top> .\n",
        encoding="utf-8",
    )
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [data])
    graph = open_graph(spec)
    from orggraph.store.planned import plan

    assert plan(graph, "org-chart")({"org": "https://example.org/top"}, None) is None
    rows = list(run_named_query(graph, "org-chart", {"org": "https://example.org/top"}))
    assert len(rows) == 1 and rows[0][6] == ORG.unitOf


# a duty with no year, two periods, a meeting with no date, a collaboration by hasMember and by a
# membership, an assigner without a label, a category without a notation, evidence without a source
DUTIES = (
    turtle_prefixes()
    + """
:d1 a og:Duty ; skos:prefLabel "甲"@zh-Hans, "A"@en ; og:assignedTo :u1 ;
    og:period "2020"^^xsd:gYear, "2021"^^xsd:gYear ; og:category :c1 ; og:assignedBy :boss ;
    prov:wasDerivedFrom :e1, :e2 .
:d2 a og:Duty ; og:assignedTo :club ; og:assignedAt :m1 ; og:category :c2 ; og:assignedBy :nameless .
:d3 a og:Duty ; og:assignedTo :u2 ; og:assignedAt :m2 .
:d4 og:assignedTo :u1 .
:club org:hasMember :u1 . :ms org:member :u2 ; org:organization :club .
:u1 a org:Organization ; skos:prefLabel "单位一"@zh-Hans ; org:classification :t1 . :u2 org:classification :t2 .
:t1 skos:notation "agency" . :c1 skos:notation "coordination" .
:boss skos:prefLabel "上级"@zh-hans .
:m1 schema:startDate "2022-05-01"^^xsd:date .
:e1 oa:hasSource :doc . :doc dcterms:identifier "a.txt" .
"""
)


def test_the_duty_plans_give_the_rows_of_their_queries(stores, tmp_path):
    from rdflib import Literal, URIRef

    bundled, _ = stores
    tricky = tmp_path / "duties.ttl"
    tricky.write_text(DUTIES, encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [tricky])
    cases = [(bundled, "https://w3id.org/orggraph/id/cspia"), (open_graph(spec), "https://example.org/u1")]
    for name, year_column in (("duties", 7), ("duty-carriers", 6)):
        query = get_named_query(name)
        seen: dict[str, int] = {}
        for graph, organisation in cases:
            for bindings in ({}, {"year": Literal("2019")}, {"year": Literal("2021")}, {"org": URIRef(organisation)}):
                planned = [tuple(map(str, row)) for row in run_named_query(graph, name, dict(bindings))]
                evaluated = [tuple(map(str, row)) for row in run_query(graph, query.text, bindings, trusted=True)]
                assert sorted(planned) == sorted(evaluated), (name, bindings)
                seen[organisation] = seen.get(organisation, 0) + len(planned)
                # ORDER BY ?duty_year first
                assert [row[year_column] for row in planned] == [row[year_column] for row in evaluated]
        assert all(count > 3 for count in seen.values())


def test_the_matrix_counts_the_same_on_oxigraph_as_in_memory(stores, tmp_path):
    """The matrix reads only the columns it counts straight from Oxigraph's indexes; on every
    other store it runs ``duty-carriers.rq``. Both give the same cells and the same duties."""
    from orggraph.analysis.matrix import matrix
    from orggraph.store.loading import load_graph

    bundled, _ = stores
    tricky = tmp_path / "duties.ttl"
    # a typed notation beside a plain one; a duty its assignee also carries as a member unit
    extra = ':t2 skos:notation "agency"^^xsd:token .\n:d5 a og:Duty ; og:assignedTo :club, :u1 ; og:category :c1 .\n'
    tricky.write_text(DUTIES + extra, encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [tricky])
    cases = [(bundled, load_graph()), (open_graph(spec), load_graph([tricky]))]
    for on_oxigraph, in_memory in cases:
        for rows, columns, year in (
            ("organisation", "category", None),
            ("type", "year", None),
            ("type", "category", 2019),
        ):
            native, evaluated = (
                matrix(on_oxigraph, rows, columns, year=year),
                matrix(in_memory, rows, columns, year=year),
            )
            assert native.members == evaluated.members
            assert native.members or year is not None
            assert (native.rows, native.columns) == (evaluated.rows, evaluated.columns)
            assert native.cells == evaluated.cells
    carried = dict(matrix(open_graph(spec)).members[("单位一", "coordination")])
    assert carried["https://example.org/d5"] == "assignee"
