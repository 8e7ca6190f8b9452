"""Values written into query text stay values: the hostile parameters of the hardening issue, on
memory and Oxigraph, and the lexer's view of strings, IRIs and comments."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from orggraph.errors import QueryError
from orggraph.graph.named_queries import run_named_query
from orggraph.store.sparql import run_query
from orggraph.store.sparql_text import bind_in_text, sparql_term

HOSTILE = [
    'x\n#"} SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } #',
    "x\\u0022 } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #",
    "x\r} SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #",
    "x' } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #",
    'x"""',
    "\\",
]


@pytest.fixture(scope="module")
def stores(bundled, tmp_path_factory):
    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path_factory.mktemp('text') / 'db'}"
    load_files(spec, data_files())
    return {"memory": bundled, "oxigraph": open_graph(spec)}


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_hostile_parameter_is_a_value_on_every_store(stores, store, value):
    # the value is searched for as text, never run: no SERVICE, no syntax error, no row
    assert list(run_named_query(stores[store], "responsible-for", {"topic": value})) == []
    echoed = run_query(stores[store], "SELECT ?v WHERE { BIND(?x AS ?v) }", {"x": Literal(value)})
    assert [str(row[0]) for row in echoed] == [value]


def test_bound_becomes_true_and_other_tokens_stay():
    org = {"org": URIRef("urn:o")}
    text = "SELECT ?x WHERE { ?x <urn:p?org> ?org FILTER(!BOUND(?org) || ?x != '?org') } # ?org"
    assert bind_in_text(text, org) == "SELECT ?x WHERE { ?x <urn:p?org> <urn:o> FILTER(!true || ?x != '?org') } # ?org"
    assert bind_in_text("SELECT ?a WHERE { ?a ?p ?org }", {"org": BNode()}) is None  # no text names it
    for fixed in (
        "SELECT ?org WHERE { ?org ?p ?o }",
        "SELECT ?s WHERE { BIND(1 AS ?org) ?s ?p ?o }",
        "SELECT ?s WHERE { VALUES ?org { <urn:a> } ?s ?p ?org }",
    ):
        assert bind_in_text(fixed, org) is None, fixed


def test_a_term_that_cannot_be_written_is_refused():
    with pytest.raises(QueryError, match="not an IRI"):
        sparql_term(URIRef("urn:a> } SERVICE <http://x/"))
    with pytest.raises(QueryError, match="not an IRI"):
        sparql_term(Literal("x", datatype=URIRef("urn:t> } SERVICE <http://x/")))
