"""The fast SHACL checker gives pyshacl's results: on the corpus's candidates, on the bundled graph,
and on a graph built to break every constraint the bundled shapes use."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import turtle_prefixes
from rdflib import Graph
from rdflib.namespace import RDF, SH

from orggraph.extract.candidates import candidate_graphs
from orggraph.extract.rules import extract
from orggraph.graph.shape_check import Unsupported, check, compile_shapes
from orggraph.graph.validation import check_triples
from orggraph.rdf.readwrite import read_rdf
from orggraph.rdf.terms import show_term
from orggraph.resources import shapes_file
from orggraph.text.documents import read_document

BROKEN = (
    turtle_prefixes()
    + """
:Bureau rdfs:subClassOf org:Organization .  # an instance of a subclass is a target and a class value
:b a :Bureau ; skos:prefLabel "局"@zh-Hans-CN, "局一"@zh-hans, "局二"@ZH-HANS, "Bureau"@en ;
   org:classification "not a concept" ; org:subOrganizationOf :b2, "literal" ; skos:altLabel :iri .
[] a org:Organization ; skos:prefLabel "匿名"@zh .
:m a og:Meeting ; skos:prefLabel "会"@zh-Hans ; schema:organizer :b ;
   schema:startDate "2020-02-30"^^xsd:date, "2020-03-01" ; og:attendeeCount -1, "many" ;
   og:attendeeCountIsMinimum "yes"^^xsd:boolean ; schema:attendee :b, :nobody, "text" ;
   prov:wasDerivedFrom :e1 .
:e1 a og:Evidence ; oa:hasSource :doc ; oa:hasSelector :s1, :s2 .
:s1 a oa:TextPositionSelector ; oa:start 9 ; oa:end 3 .
:s2 oa:start "2" ; oa:end 5, 1 .
:s3 a oa:TextPositionSelector ; oa:start -4 .
:doc a og:SourceDocument ; dcterms:title "t" ; dcterms:date "2020" ; og:sha256 "ABC", :iri .
:d a og:Duty ; skos:prefLabel "甲"@zh-Hans ; og:assignedTo "x" ; og:period 2019 ;
   og:category :c1, :c2 ; prov:wasDerivedFrom :e1 .
:c1 skos:inScheme <https://w3id.org/orggraph/ns/duty-category/> .
:c2 skos:inScheme :elsewhere .
:post a org:Post ; org:postIn :b, :b ; org:heldBy :b .
"""
)


def findings_of_pyshacl(data: Graph) -> Counter:
    import pyshacl

    shapes = Graph()
    for triple in read_rdf(shapes_file()).triples((None, None, None)):
        shapes.add(triple)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True)
    return Counter(
        tuple(show_term(results.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.resultSeverity, SH.value))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    )


def findings_of_checker(data: Graph) -> Counter:
    found = check(data.triples((None, None, None)), compile_shapes(read_rdf(shapes_file())))
    return Counter((show_term(f.focus), show_term(f.path), show_term(f.severity), show_term(f.value)) for f in found)


def test_the_checker_finds_what_pyshacl_finds_in_the_corpus_candidates(corpus_dir):
    results = [extract(read_document(path)) for path in sorted(corpus_dir.glob("*.txt"))]
    data = Graph()
    for triples in candidate_graphs(results).values():
        for triple in triples:
            data.add(triple)
    expected = findings_of_pyshacl(data)
    assert sum(expected.values()) > 100  # candidates alone point at organisations they do not describe
    assert findings_of_checker(data) == expected


def test_the_checker_finds_what_pyshacl_finds_in_a_graph_that_breaks_every_constraint():
    data = Graph().parse(data=BROKEN, format="turtle")
    expected = findings_of_pyshacl(data)
    components = {row[1] for row in expected}
    assert {"og:attendeeCount", "oa:start", "og:sha256", "skos:inScheme", "schema:attendee"} <= components
    assert findings_of_checker(data) == expected


def test_the_bundled_graph_conforms_for_both(bundled):
    data = Graph()
    for triple in bundled.triples((None, None, None)):
        data.add(triple)
    assert findings_of_checker(data) == findings_of_pyshacl(data) == Counter()
    assert check_triples(data.triples((None, None, None))).conforms


def test_shapes_beyond_the_checker_are_left_to_pyshacl():
    sparql_shape = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/s> a sh:NodeShape ; sh:targetClass <https://example.org/C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { }" ] .""",
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(sparql_shape)
    inverse_path = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/s> a sh:NodeShape ; sh:targetClass <https://example.org/C> ;
            sh:property [ sh:path [ sh:inversePath <https://example.org/p> ] ; sh:minCount 1 ] .""",
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(inverse_path)
