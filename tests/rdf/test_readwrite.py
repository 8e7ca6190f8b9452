from __future__ import annotations

import pytest
from helpers import TEST_DATA, watchdog

from orggraph.errors import InputError, UsageError
from orggraph.files import write_text_atomic
from orggraph.rdf.readwrite import guess_format, parse_rdf, read_rdf, serialize_rdf


def test_turtle_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl:3:\d+: invalid turtle"):
        read_rdf(bad)


def test_ntriples_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.nt:2:\d+: invalid nt"):
        read_rdf(bad)


def test_jsonld_error_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{"@id": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonld:1:\d+"):
        read_rdf(bad)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.ttl", None, "no such file"),
        ("empty.jsonld", "", "the file is empty"),
        ("latin1.ttl", b"\xff\xfe\x00junk", "not valid utf-8"),
        ("notes.txt", "x", "cannot tell the RDF format"),
    ],
)
def test_unreadable_inputs(tmp_path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_rdf(path)


def test_directory_instead_of_file(tmp_path):
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_rdf(folder)


def test_unknown_format_name():
    with pytest.raises(UsageError, match="unknown RDF format"):
        guess_format("x.ttl", "yaml")


def test_each_file_gets_its_own_named_graph():
    dataset = read_rdf(TEST_DATA / "broken.ttl")
    graphs = [g for g in dataset.graphs() if len(g)]
    assert len(graphs) == 1 and str(graphs[0].identifier).startswith("file://")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nquads", "xml"])
def test_export_reimport_is_isomorphic(seed_graph, fmt):
    # the seed has every kind of node the bundled graph has; rdflib's isomorphism test is
    # exponential in look-alike blank nodes, and the whole bundled graph has hundreds
    from rdflib import Graph
    from rdflib.compare import isomorphic

    bundled = seed_graph
    text = serialize_rdf(bundled, fmt)
    again = parse_rdf(text, guess_format("", fmt), graph_iri="urn:x-test:reimport")
    union_before, union_after = Graph(), Graph()
    for triple in bundled.triples((None, None, None)):
        union_before.add(triple)
    for triple in again.triples((None, None, None)):
        union_after.add(triple)
    assert isomorphic(union_before, union_after)


def test_atomic_write_keeps_old_file_when_folder_is_missing(tmp_path):
    target = tmp_path / "out.ttl"
    write_text_atomic(target, "old")
    with pytest.raises(InputError, match="does not exist"):
        write_text_atomic(tmp_path / "nope" / "out.ttl", "new")
    assert target.read_text(encoding="utf-8") == "old"
    write_text_atomic(target, "新的")
    assert target.read_text(encoding="utf-8") == "新的"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_an_empty_turtle_or_n_triples_file_is_an_empty_graph(tmp_path):
    # the grammar accepts a file with no statement: a valid empty graph, on every store
    from rdflib import URIRef

    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files
    from orggraph.store.sparql import run_query

    for name in ("empty.ttl", "empty.nt", "blank.trig"):
        path = tmp_path / name
        path.write_text("" if name.startswith("empty") else "  \n", encoding="utf-8")
        assert len(read_rdf(path)) == 0
    spec = f"oxigraph:{tmp_path / 'db'}"
    report = load_files(spec, [tmp_path / "empty.ttl"])
    assert [outcome for *_, outcome in report.outcomes] == ["loaded"]
    empty = (tmp_path / "empty.ttl").resolve().as_uri()
    assert not run_query(open_graph(spec), "ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(empty)}).askAnswer
    again = load_files(spec, [tmp_path / "empty.ttl"], optimize=False)
    assert [outcome for *_, outcome in again.outcomes] == ["unchanged"]  # recorded like any other file


@pytest.mark.parametrize("depth", [900, 100_000])
def test_json_ld_nested_too_deeply_is_a_clear_error(tmp_path, depth):
    nested = tmp_path / "deep.jsonld"
    nested.write_text('{"@id": "urn:a", "urn:p": ' * depth + '"x"' + "}" * depth, encoding="utf-8")
    with pytest.raises(InputError, match=r"deep\.jsonld: (JSON-LD|json-ld) nested too deeply to read"):
        read_rdf(nested)


LONG_LINES = [(".nt", '<urn:a> <urn:p> "{}" .'), (".nq", '<urn:a> <urn:p> "{}" <urn:g> .')]


@pytest.mark.parametrize(("suffix", "line"), LONG_LINES)
def test_a_long_literal_is_read_in_one_pass(tmp_path, suffix, line):
    """rdflib's own N-Triples and N-Quads readers copy the rest of the line at every step: a 4 MB
    literal took two minutes. Through the Turtle and TriG readers it comes back whole in seconds."""
    document = tmp_path / f"long{suffix}"
    document.write_text(line.format("长" * 4_000_000) + "\n", encoding="utf-8")
    with watchdog(60, f"reading a 4 MB literal from {suffix}"):
        graph = read_rdf(document)
    (value,) = {str(o) for _, _, o in graph.triples((None, None, None))}
    assert value == "长" * 4_000_000
