from __future__ import annotations

import pytest
from helpers import TEST_DATA, Listener

import orggraph
from orggraph.errors import InputError
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


SPARQL_SHAPES = {
    "constraint": "<urn:s> a sh:NodeShape ; sh:targetClass org:Organization ; "
    'sh:sparql [ sh:select "SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ $this ?p ?o }} }}" ] .',
    "target": '<urn:s> a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE '
    '{{ SERVICE <http://127.0.0.1:{port}/> {{ ?this ?p ?o }} }}" ] ; '
    "sh:property [ sh:path org:name ; sh:minCount 1 ] .",
    "rule": "<urn:s> a sh:NodeShape ; sh:targetClass org:Organization ; sh:rule [ a sh:SPARQLRule ; "
    'sh:construct "CONSTRUCT {{ $this a <urn:x> }} WHERE '
    '{{ SERVICE <http://127.0.0.1:{port}/> {{ $this ?p ?o }} }}" ] .',
    "escaped": "<urn:s> a sh:NodeShape ; sh:targetClass org:Organization ; "
    'sh:sparql [ sh:select "SELECT $this WHERE {{ \\\\u0053ERVICE <http://127.0.0.1:{port}/> {{ $this ?p ?o }} }}" ] .',
}


@pytest.mark.parametrize("kind", sorted(SPARQL_SHAPES))
def test_a_sparql_shape_that_reaches_out_is_refused_and_nothing_connects(tmp_path, bundled, kind):
    with Listener() as listener:
        shapes = tmp_path / "shapes.ttl"
        prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix org: <http://www.w3.org/ns/org#> .\n"
        shapes.write_text(prefixes + SPARQL_SHAPES[kind].format(port=listener.port), encoding="utf-8")
        with pytest.raises(InputError, match=r"uses SERVICE, which can reach the network; pass allow_network=True"):
            validate(bundled, shapes)
        assert listener.connections == 0
        if kind == "constraint":  # allowed, pyshacl's own refusal is a clear error, not a crash
            with pytest.raises(InputError, match=r"the shapes cannot be evaluated: .*federated query"):
                validate(bundled, shapes, allow_network=True)


def test_a_report_on_an_unchanged_store_and_shapes_is_read_from_the_cache(tmp_path, monkeypatch):
    import pyshacl

    from orggraph.resources import shapes_file
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [TEST_DATA / "broken.ttl"])
    first = validate(open_graph(spec))
    assert not first.conforms and first.violations

    def refuse(*args, **kwargs):
        raise AssertionError("pyshacl ran again")

    monkeypatch.setattr(pyshacl, "validate", refuse)
    assert validate(open_graph(spec)) == first  # the same store, the same shapes: from the cache
    shapes = tmp_path / "shapes.ttl"
    shapes.write_bytes(shapes_file().read_bytes() + b"\n# edited\n")
    with pytest.raises(InputError, match="pyshacl ran again"):
        validate(open_graph(spec), shapes)  # other shapes: validated again
    other = tmp_path / "more.ttl"
    other.write_text("<urn:x> <urn:p> 'more' .\n", encoding="utf-8")
    load_files(spec, [other])
    with pytest.raises(InputError, match="pyshacl ran again"):
        validate(open_graph(spec))  # a changed store: validated again
