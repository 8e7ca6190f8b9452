"""Property-based tests: name normalisation and resolution, and lossless export/re-import."""

from __future__ import annotations

import pytest

# hypothesis comes with the test extras: missing, this module fails to import rather than skip
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from orggraph.graph.resolution import resolve_organisation
from orggraph.rdf.readwrite import guess_format, parse_rdf, serialize_rdf
from orggraph.text.normalization import (
    normalize_name,
    normalize_names,
    strip_reading_annotations,
    to_simplified,
    to_simplified_all,
    to_traditional,
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TEXT = st.text(
    alphabet=st.one_of(
        CJK, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), st.sampled_from("\n\t\"'\\<>&")
    ),
    max_size=40,
)
SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(TEXT)
def test_normalisation_is_idempotent(text):
    once = normalize_name(text)
    assert normalize_name(once) == once


@SETTINGS
@given(st.lists(st.one_of(TEXT, st.text(alphabet=CJK, max_size=12).map(to_traditional)), max_size=12))
@example(["公安部三所檢測中心（認證中心）", "ＣＳＰＩＡ", "", "國家標準"])
@example(["两行\n名字", "國家"])
def test_names_convert_alike_one_by_one_and_all_at_once(names):
    # the one-pass conversion joins the names with newlines: no OpenCC phrase may span two names
    assert normalize_names(names) == [normalize_name(name) for name in names]
    assert to_simplified_all(names) == [to_simplified(name) for name in names]


@SETTINGS
@given(st.text(alphabet=CJK, min_size=1, max_size=20))
def test_both_scripts_normalise_alike(text):
    assert normalize_name(to_traditional(text)) == normalize_name(to_simplified(text))


@SETTINGS
@given(
    st.lists(
        st.tuples(st.text(alphabet=CJK, min_size=1, max_size=6), st.sampled_from(["kāi", "huì", "yì", "zhōng", "guó"])),
        min_size=1,
        max_size=8,
    )
)
def test_reading_removal_maps_back_into_the_raw_text(pieces):
    raw = "".join(f"{han}({reading})" for han, reading in pieces)
    clean = strip_reading_annotations(raw)
    assert clean.text == "".join(han for han, _ in pieces)
    for i, char in enumerate(clean.text):
        assert raw[clean.raw_offsets[i]] == char


@pytest.fixture(scope="module")
def organisation_names(bundled):
    from orggraph.store.sparql import select_rows

    rows = select_rows(
        bundled,
        """
        SELECT ?org ?name WHERE {
          VALUES ?class { org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration }
          ?org a ?class ; skos:prefLabel|skos:altLabel ?name }""",
    )
    names: dict[str, set] = {}
    for org, name in rows:
        names.setdefault(normalize_name(str(name)), set()).add(org)
    return [(org, str(name)) for org, name in rows if len(names[normalize_name(str(name))]) == 1]


@SETTINGS
@given(data=st.data())
def test_any_name_in_any_script_and_spacing_resolves(bundled, organisation_names, data):
    org, name = data.draw(st.sampled_from(organisation_names))
    variant = data.draw(st.sampled_from([name, to_simplified(name), to_traditional(name), name.upper()]))
    spaced = data.draw(st.sampled_from([variant, f" {variant} ", variant.replace("(", "（").replace(")", "）")]))
    assert resolve_organisation(bundled, spaced) == org


IRIS = st.builds(
    lambda s: URIRef(f"https://example.org/{s}"), st.text(alphabet="abcxyz0123456789-_", min_size=1, max_size=8)
)
LITERALS = st.one_of(
    st.builds(Literal, TEXT),
    st.builds(lambda t, lang: Literal(t, lang=lang), TEXT, st.sampled_from(["zh-Hans", "zh-Hant", "en"])),
    st.builds(lambda n: Literal(n, datatype=XSD.integer), st.integers(-(10**6), 10**6)),
    st.builds(lambda y: Literal(str(y), datatype=XSD.gYear), st.integers(1900, 2100)),
)
TRIPLES = st.lists(
    st.tuples(st.one_of(IRIS, st.just(BNode("b1"))), IRIS, st.one_of(IRIS, LITERALS)), min_size=1, max_size=15
)


def test_rdf_xml_refuses_what_it_cannot_express():
    from orggraph.errors import OrgGraphError

    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("https://example.org/0"), Literal("x")))
    with pytest.raises(OrgGraphError, match="cannot write the graph as xml"):
        serialize_rdf(graph, "xml")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nquads", "trig", "jsonld", "xml"])
@SETTINGS
@given(triples=TRIPLES)
def test_export_and_reimport_is_isomorphic(fmt, triples):
    graph = Graph()
    for subject, predicate, value in triples:
        if fmt == "xml":
            predicate = URIRef(str(predicate).replace("https://example.org/", "https://example.org/p"))
        graph.add((subject, predicate, value))
    text = serialize_rdf(graph, fmt)
    again = parse_rdf(text, guess_format("", fmt), graph_iri="urn:x-test:g")
    union = Graph()
    for triple in again.triples((None, None, None)):
        union.add(triple)
    assert isomorphic(graph, union), text


BLANKS = st.sampled_from([BNode("b1"), BNode("b2"), BNode("b3")])
ODD_IRIS = st.builds(
    lambda s: URIRef(f"https://w3id.org/orggraph/id/{s}"), st.text(alphabet="ab09-_.~:%#/é", min_size=1, max_size=6)
)
GRAPH_TRIPLES = st.lists(
    st.tuples(
        st.one_of(IRIS, ODD_IRIS, BLANKS),
        st.one_of(IRIS, st.just(RDF.type)),
        st.one_of(IRIS, ODD_IRIS, LITERALS, BLANKS),
    ),
    min_size=1,
    max_size=15,
)


@SETTINGS
@given(graphs=st.lists(GRAPH_TRIPLES, min_size=1, max_size=3))
@example(  # blank nodes used once, from each other or from themselves, and nested in place
    graphs=[
        [
            (BNode("b1"), URIRef("https://example.org/p"), BNode("b2")),
            (BNode("b2"), URIRef("https://example.org/p"), BNode("b1")),
            (BNode("b3"), URIRef("https://example.org/p"), BNode("b3")),
            (URIRef("https://example.org/s"), URIRef("https://example.org/q"), BNode("b4")),
            (BNode("b4"), RDF.type, URIRef("https://example.org/T")),
            (BNode("b4"), URIRef("https://example.org/r"), BNode("b5")),
            (BNode("b5"), URIRef("https://example.org/r"), Literal('a "quoted"\\ line\nand\ttab\x01', lang="en")),
        ]
    ]
)
def test_our_turtle_and_trig_read_back_as_the_same_graphs(graphs):
    from rdflib import Dataset

    from orggraph.namespaces import PREFIXES
    from orggraph.rdf.turtle import write_trig, write_turtle

    named = {URIRef(f"urn:x-test:g{number}"): triples for number, triples in enumerate(graphs)}
    trig = write_trig(named.items(), PREFIXES)
    again = Dataset()
    again.parse(data=trig, format="trig")
    for name, triples in named.items():
        assert isomorphic(Graph().__iadd__(triples), again.graph(name)), trig
    turtle = write_turtle(graphs[0], PREFIXES)
    assert isomorphic(Graph().__iadd__(graphs[0]), Graph().parse(data=turtle, format="turtle")), turtle
