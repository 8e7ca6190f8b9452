"""Values written into query text stay values: the hostile parameters of the hardening issue, on
memory and Oxigraph, and the lexer's view of strings, IRIs and comments."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from orggraph.errors import QueryError
from orggraph.graph.named_queries import run_named_query
from orggraph.store.sparql import run_query
from orggraph.store.sparql_text import bind_in_text, outline, sparql_term

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


OUTLINES = [
    # (text, update?, services, dataset)
    ("SELECT * WHERE { ?s ?p ?o }", False, (), ()),
    ("# INSERT DATA {}\nSELECT * WHERE { ?s ?p 'SERVICE <http://x/>' }", False, (), ()),
    ('SELECT * WHERE { ?service <urn:service> """\nSERVICE <http://x/> { }""" }', False, (), ()),
    ("PREFIX service: <urn:s#> SELECT * WHERE { ?s service:SERVICE ?o . _:service ?p ?o }", False, (), ()),
    ("select * { service silent <http://x/> { ?s ?p ?o } }", False, ("http://x/",), ()),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", False, ("?endpoint",), ()),
    ("PREFIX e: <http://e.org/> SELECT * { SERVICE e:sparql { } }", False, ("http://e.org/sparql",), ()),
    (
        "BASE <http://b.org/q/> SELECT * FROM <g> FROM NAMED <../n> { }",
        False,
        (),
        ("http://b.org/q/g", "http://b.org/n"),
    ),
    ("PREFIX : <urn:x:> SELECT * FROM :g WHERE { ?s :p :o. }", False, (), ("urn:x:g",)),
    ("# a comment ends at a carriage return\rSERVICE", True, ("",), ()),
    ("PREFIX ex: <urn:x>", True, (), ()),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True, (), ()),
    ("CLEAR ALL ; LOAD <http://x/data.ttl>", True, (), ()),
    ("DESCRIBE <urn:a>", False, (), ()),
]


@pytest.mark.parametrize(("text", "update", "services", "dataset"), OUTLINES)
def test_the_outline_reads_keywords_only_where_the_grammar_has_them(text, update, services, dataset):
    found = outline(text)
    assert (found.update, found.services, found.dataset) == (update, services, dataset)
    assert found.loads == ("LOAD" in text)
    assert found.has_dataset == bool(dataset)


@pytest.mark.parametrize(("text", "update", "services", "dataset"), OUTLINES)
def test_the_outline_agrees_with_rdflibs_parse(text, update, services, dataset):
    from orggraph.store.sparql import _outline_of, _parse

    if text.startswith("# a comment ends at a carriage return"):
        return  # rdflib reads a comment on to the line feed; the engine (Oxigraph) ends it at \r
    kind, tree = _parse(text, 0, "query")
    parsed = _outline_of(kind, tree)
    assert parsed.update == update and parsed.loads == outline(text).loads and parsed.form == outline(text).form
    assert len(parsed.services) == len(services) and len(parsed.dataset) == len(dataset)


def test_a_query_on_oxigraph_needs_no_sparql_parser_of_rdflib(stores, tmp_path):
    import subprocess
    import sys

    folder = stores["oxigraph"].store.orggraph_folder
    script = (
        "import sys\n"
        "from orggraph.graph.results import query_output\n"
        "from orggraph.store.backends import open_graph\n"
        f"graph = open_graph({'oxigraph:' + str(folder)!r})\n"
        "print(query_output(graph, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', 'csv'))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('rdflib.plugins.sparql', 'pyparsing'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines[0] == "n" and int(lines[1]) > 1000 and lines[2] == "[]"
