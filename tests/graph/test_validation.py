from __future__ import annotations

from helpers import TEST_DATA

import orggraph
from orggraph.graph.validation import validate


def test_broken_data_does_not_conform_and_says_why():
    report = validate(orggraph.load_graph([TEST_DATA / "broken.ttl"]))
    assert not report.conforms
    problems = {(f.focus, f.path) for f in report.violations}
    assert ("<https://example.org/duty>", "og:assignedTo") in problems
    assert ("<https://example.org/duty>", "prov:wasDerivedFrom") in problems
    assert ("<https://example.org/meeting>", "schema:startDate") in problems
    text = report.text()
    assert text.startswith("Does not conform: 6 violation(s)")
    assert "a duty needs og:assignedTo" in text


def test_warnings_alone_still_conform(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix og: <https://w3id.org/orggraph/ns#> .\n"
        "@prefix ogr: <https://w3id.org/orggraph/id/> .\n"
        'ogr:topic-x a og:Topic ; skos:prefLabel "新议题"@zh-Hans ;'
        " <http://www.w3.org/ns/prov#wasDerivedFrom> ogr:ev-jm2019-s3 .\n",
        encoding="utf-8",
    )
    from orggraph.resources import data_files

    report = validate(orggraph.load_graph([*data_files(), extra]))
    assert report.conforms, report.text()


def test_every_class_the_data_uses_has_a_shape():
    from rdflib import Graph
    from rdflib.namespace import RDF, RDFS, SH

    from orggraph.resources import data_files, shapes_file

    data = Graph()
    for path in data_files():
        data.parse(path)
    ontology = orggraph.load_graph([])
    shapes = Graph().parse(shapes_file())
    targeted = set(shapes.objects(None, SH.targetClass))

    def covered(cls):
        return cls in targeted or any(covered(parent) for parent in ontology.objects(cls, RDFS.subClassOf))

    used = set(data.objects(None, RDF.type))
    assert used and all(covered(cls) for cls in used), sorted(str(c) for c in used if not covered(c))
