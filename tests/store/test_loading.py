"""Stores: memory, an on-disk Oxigraph store, and a real SPARQL server (Virtuoso)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import NAMED_QUERY_SAMPLES as SAMPLES
from rdflib import BNode

import orggraph
from orggraph.cli import cli
from orggraph.errors import InputError, OrgGraphError, UsageError
from orggraph.graph.named_queries import list_named_queries, run_named_query
from orggraph.resources import data_files
from orggraph.store.backends import open_graph
from orggraph.store.loading import load_files, load_graph
from orggraph.store.oxigraph import is_oxigraph
from orggraph.store.sparql import run_query

_BUILT_ONLY = {"merges", "reviews"}  # rows only in a store that `orggraph build` or the review desk wrote


def _rows(result) -> list[tuple]:
    """Rows comparable across stores: language tags compare case-insensitively (BCP 47), the order
    inside a GROUP_CONCAT is unspecified, and xsd:string is a plain literal in RDF 1.1."""
    rows = []
    for row in result:
        cells = []
        for term in row:
            if term is None:
                cells.append(None)
                continue
            text = str(term)
            if ", " in text and result.vars and "types" in map(str, result.vars):
                text = ", ".join(sorted(text.split(", ")))
            cells.append((text, (getattr(term, "language", None) or "").lower()))
        rows.append(tuple(cells))
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def oxigraph_spec(tmp_path_factory) -> str:
    spec = f"oxigraph:{tmp_path_factory.mktemp('ox') / 'db'}"
    load_files(spec, data_files())
    return spec


@pytest.fixture(scope="module")
def virtuoso_spec(virtuoso) -> str:
    load_files(virtuoso.endpoint, data_files(), update_endpoint=virtuoso.endpoint)
    return virtuoso.endpoint


def _count(spec: str) -> int:
    result = run_query(open_graph(spec), "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(result))[0])


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory):
    """The bundled graph as commands read it: its prebuilt copy in the cache."""
    folder = tmp_path_factory.mktemp("prebuilt-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ORGGRAPH_CACHE_DIR", str(folder))
        graph = load_graph(prebuilt=True)
    assert is_oxigraph(graph)
    return graph


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_named_query_gives_the_same_rows_on_every_store(bundled, prebuilt, oxigraph_spec, virtuoso_spec, name):
    expected = _rows(run_named_query(bundled, name, SAMPLES[name]))
    assert expected or name in _BUILT_ONLY
    assert _rows(run_named_query(prebuilt, name, SAMPLES[name])) == expected, "prebuilt copy"
    for spec in (oxigraph_spec, virtuoso_spec):
        assert _rows(run_named_query(open_graph(spec), name, SAMPLES[name])) == expected, spec


def _texts(graph, sparql: str) -> list[tuple]:
    return sorted(tuple(str(term) for term in row) for row in run_query(graph, sparql))


def test_a_prebuilt_copy_is_written_once_and_read_after(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    first = load_graph(prebuilt=True)
    (entry,) = (tmp_path / "cache").glob("prebuilt-*")
    written = sorted((p.name, p.stat().st_mtime_ns) for p in entry.iterdir())
    second = load_graph(prebuilt=True)
    assert is_oxigraph(first) and is_oxigraph(second)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in entry.iterdir()) == written  # read, not written
    every = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) }"
    assert _texts(second, every) == _texts(load_graph(), every)


def test_a_statement_two_files_make_is_one_row_and_in_both_graphs(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    files = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    for path in files:
        path.write_text("<urn:x> <urn:p> 'same' .\n", encoding="utf-8")
    graph = load_graph(files, prebuilt=True, ontology=False)
    assert is_oxigraph(graph)
    assert len(list(run_query(graph, "SELECT * WHERE { ?s ?p ?o }"))) == 1
    assert len(list(graph.triples((None, None, None)))) == 1
    assert len(list(run_query(graph, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))) == 2
    (statement,) = graph.triples((None, None, None))
    named = {str(g.identifier) for g in graph.graphs(statement)} - {"urn:x-rdflib:default"}
    assert named == {path.resolve().as_uri() for path in files}


def test_a_prebuilt_copy_is_never_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.ttl"
    data.write_text("<urn:x> <urn:p> 'before' .\n", encoding="utf-8")
    ask = "SELECT ?o WHERE { ?s ?p ?o }"
    assert _texts(load_graph([data], prebuilt=True, ontology=False), ask) == [("before",)]
    data.write_text("<urn:x> <urn:p> 'after' .\n", encoding="utf-8")  # same size, same second
    assert _texts(load_graph([data], prebuilt=True, ontology=False), ask) == [("after",)]
    assert len(list((tmp_path / "cache").glob("prebuilt-*"))) == 2


def test_a_damaged_copy_is_written_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.ttl"
    data.write_text("<urn:x> <urn:p> 'kept' .\n", encoding="utf-8")
    load_graph([data], prebuilt=True, ontology=False)
    (entry,) = (tmp_path / "cache").glob("prebuilt-*")
    for part in entry.iterdir():
        if part.is_file():
            part.write_bytes(b"not a database")
    assert _texts(load_graph([data], prebuilt=True, ontology=False), "SELECT ?o WHERE { ?s ?p ?o }") == [("kept",)]


def test_without_a_writable_cache_the_files_are_parsed(tmp_path, monkeypatch):
    data = tmp_path / "data.ttl"
    data.write_text("<urn:x> <urn:p> 'parsed' .\n", encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    for setting in ("off", str(blocked / "cache")):
        monkeypatch.setenv("ORGGRAPH_CACHE_DIR", setting)
        graph = load_graph([data], prebuilt=True, ontology=False)
        assert not is_oxigraph(graph)
        assert _texts(graph, "SELECT ?o WHERE { ?s ?p ?o }") == [("parsed",)]
    assert not blocked.is_dir()


def test_a_bad_file_is_reported_as_without_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ORGGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:x> <urn:p> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl:1:"):
        load_graph([bad], prebuilt=True)
    assert not list((tmp_path / "cache").glob("prebuilt-*"))


def test_the_sample_table_covers_every_named_query():
    assert {q.name for q in list_named_queries()} == set(SAMPLES)


def test_loading_twice_adds_nothing(oxigraph_spec, virtuoso_spec):
    for spec, endpoint in ((oxigraph_spec, None), (virtuoso_spec, virtuoso_spec)):
        before = _count(spec)
        report = load_files(spec, data_files(), update_endpoint=endpoint)
        assert [outcome for *_, outcome in report.outcomes] == ["unchanged"] * len(data_files())
        assert _count(spec) == before


def test_only_a_load_that_changed_an_oxigraph_store_optimizes_it(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    source = tmp_path / "mine.ttl"
    source.write_text('<urn:a> <urn:b> "one" .\n', encoding="utf-8")
    assert load_files(spec, [source]).optimized
    assert not load_files(spec, [source]).optimized  # unchanged
    source.write_text('<urn:a> <urn:b> "two" .\n', encoding="utf-8")
    assert not load_files(spec, [source], replace=True, optimize=False).optimized
    assert load_files(spec, [source], replace=True).optimized
    assert [str(row[0]) for row in run_query(open_graph(spec), "SELECT ?o WHERE { <urn:a> <urn:b> ?o }")] == ["two"]


def test_changed_and_interrupted_loads_need_replace(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    source = tmp_path / "mine.ttl"
    source.write_text('<urn:a> <urn:b> "one" .\n', encoding="utf-8")
    assert load_files(spec, [source]).outcomes[0][2] == "loaded"
    source.write_text('<urn:a> <urn:b> "two" .\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"changed since it was loaded; pass replace=True"):
        load_files(spec, [source])
    assert load_files(spec, [source], replace=True).outcomes[0][2] == "replaced"
    values = {str(row[0]) for row in run_query(open_graph(spec), "SELECT ?o WHERE { <urn:a> <urn:b> ?o }")}
    assert values == {"two"}
    # an interrupted load: the graph is there but its record is not
    other = tmp_path / "other.ttl"
    other.write_text('<urn:x> <urn:y> "z" .\n', encoding="utf-8")
    graph = open_graph(spec, read_only=False)
    run_query(
        graph,
        f"INSERT DATA {{ GRAPH <{other.resolve().as_uri()}> {{ <urn:x> <urn:y> 'partial' }} }}",
        allow_update=True,
    )
    del graph
    import gc

    gc.collect()
    with pytest.raises(InputError, match=r"interrupted .* pass replace=True"):
        load_files(spec, [other])
    assert load_files(spec, [other], replace=True).outcomes[0][2] == "replaced"


TRIG = """<urn:x> <urn:p> "default" .
<urn:g1> { <urn:x> <urn:p> "one" . _:b <urn:p> "blank" . }
<urn:g2> { <urn:x> <urn:p> "two" . }
"""


def _quads(spec: str) -> list[tuple[str, ...]]:
    """Every statement outside orggraph's own record graph, blank nodes counted, not named."""
    rows = run_query(
        open_graph(spec),
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/orggraph/graph/meta>) }",
    )
    return sorted(tuple("_:" if isinstance(t, BNode) else str(t) for t in row) for row in rows)


def test_a_trig_file_writes_only_graphs_it_owns(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    good = tmp_path / "good.ttl"
    good.write_text('<urn:z> <urn:p> "good" .\n', encoding="utf-8")
    forged = tmp_path / "forged.trig"
    forged.write_text(
        f"<https://w3id.org/orggraph/graph/meta> {{ <{good.resolve().as_uri()}> "
        '<https://w3id.org/orggraph/ns#sha256> "x" . }\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"forged\.trig: writes to the graph <https://w3id.org/orggraph/graph/meta>"):
        load_files(spec, [forged])
    assert load_files(spec, [good]).outcomes[0][2] == "loaded"  # not "unchanged": the forged record never went in
    ontology = tmp_path / "ontology.trig"
    ontology.write_text("<https://w3id.org/orggraph/graph/ontology/orggraph.ttl> { <urn:a> <urn:b> <urn:c> }\n")
    with pytest.raises(InputError, match=r"orggraph keeps for its own records"):
        load_files(spec, [ontology])
    mine, theirs = tmp_path / "mine.trig", tmp_path / "theirs.trig"
    mine.write_text(TRIG, encoding="utf-8")
    theirs.write_text('<urn:g1> { <urn:y> <urn:p> "theirs" . }\n', encoding="utf-8")
    load_files(spec, [mine])
    with pytest.raises(InputError, match=rf"writes to the graph <urn:g1>, which <{mine.resolve().as_uri()}> loaded"):
        load_files(spec, [theirs])
    assert load_files(spec, [good, mine]).outcomes[1][2] == "unchanged"


def test_replacing_an_edited_trig_file_replaces_its_named_graphs(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    source = tmp_path / "mine.trig"
    source.write_text(TRIG, encoding="utf-8")
    load_files(spec, [source])
    source.write_text(TRIG.replace('"two"', '"deux"').replace('<urn:g1> { <urn:x> <urn:p> "one" . ', "<urn:g1> { "))
    assert load_files(spec, [source], replace=True).outcomes[0][2] == "replaced"
    values = [row[3] for row in _quads(spec) if row[2] == "urn:p"]
    assert sorted(values) == ["blank", "default", "deux"]  # "one" deleted, "two" replaced, one blank node


class _Killed(BaseException):
    """A load stopped from outside, between two of its steps."""


def test_a_load_stopped_at_any_step_is_repaired(tmp_path, monkeypatch):
    from orggraph.store import loading, oxigraph

    mine, good = tmp_path / "mine.trig", tmp_path / "good.ttl"
    mine.write_text(TRIG, encoding="utf-8")
    good.write_text('<urn:z> <urn:p> "good" .\n', encoding="utf-8")
    reference = f"oxigraph:{tmp_path / 'reference'}"
    load_files(reference, [mine, good])
    expected = _quads(reference)
    real_update, real_bulk = loading._update, oxigraph.bulk_load
    steps = {"count": 0, "kill_at": 0}

    def step(real):
        def counted(*args, **kwargs):
            steps["count"] += 1
            if steps["count"] == steps["kill_at"]:
                raise _Killed
            return real(*args, **kwargs)

        return counted

    monkeypatch.setattr(loading, "_update", step(real_update))
    monkeypatch.setattr(oxigraph, "bulk_load", step(real_bulk))
    load_files(f"oxigraph:{tmp_path / 'count'}", [mine, good])
    total = steps["count"]
    assert total > 10
    for kill_at in range(1, total + 1):
        spec = f"oxigraph:{tmp_path / f'db{kill_at}'}"
        steps.update(count=0, kill_at=kill_at)
        with pytest.raises(_Killed):
            load_files(spec, [mine, good])
        steps.update(kill_at=0)
        try:
            load_files(spec, [mine, good])  # a stop inside the ontology, or before a file began, needs nothing more
        except InputError as error:
            assert "pass replace=True" in str(error)
            load_files(spec, [mine, good], replace=True)
        assert _quads(spec) == expected, kill_at
        assert {outcome for _, _, outcome in load_files(spec, [mine, good]).outcomes} == {"unchanged"}


def test_relative_iris_in_a_loaded_file_resolve_against_the_file(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    turtle, xml = tmp_path / "rel.ttl", tmp_path / "rel.rdf"
    turtle.write_text('<> <http://purl.org/dc/terms/title> "this file" .\n<#part> <urn:p> "a part" .\n')
    xml.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/terms/"><rdf:Description rdf:about=""><dc:title>xml</dc:title>'
        "</rdf:Description></rdf:RDF>\n"
    )
    load_files(spec, [turtle, xml])
    rows = run_query(open_graph(spec), "SELECT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'file:')) }")
    subjects = {str(row[0]) for row in rows}
    assert subjects == {turtle.resolve().as_uri(), turtle.resolve().as_uri() + "#part", xml.resolve().as_uri()}


def test_a_literal_ending_in_a_backslash_and_a_quote_goes_into_oxigraph_whole(tmp_path):
    from rdflib import Literal, URIRef

    from orggraph.store.loading import close_graph, merge_triples

    value = 'ends with \\"'
    source = tmp_path / "edge.ttl"
    source.write_text('<urn:a> <urn:p> "ends with \\\\\\"" .\n', encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [source])
    graph = open_graph(spec, read_only=False)
    merge_triples(graph, {"urn:g": [(URIRef("urn:b"), URIRef("urn:p"), Literal(value))]})
    close_graph(graph)
    rows = run_query(open_graph(spec), "SELECT ?o WHERE { ?s <urn:p> ?o }")
    assert [str(row[0]) for row in rows] == [value, value]


def test_bad_files_leave_the_store_usable(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files())
    before = _count(spec)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ttl:1:\d+: invalid turtle"):
        load_files(spec, [bad])
    assert _count(spec) == before
    assert list(run_named_query(open_graph(spec), "duties-of", {"org": "中安协"}))


def test_store_errors_are_clear(tmp_path):
    with pytest.raises(UsageError, match="needs a persistent store"):
        load_files("memory", data_files())
    with pytest.raises(InputError, match="no Oxigraph store there"):
        open_graph(f"oxigraph:{tmp_path / 'none'}")
    with pytest.raises(UsageError, match="unknown store"):
        open_graph("postgres://x")
    with pytest.raises(UsageError, match=r"use load_files\(\)"):
        orggraph.load_graph(data_files(), store=f"oxigraph:{tmp_path}")


def test_a_new_store_may_go_in_folders_that_do_not_exist_yet(tmp_path):
    spec = f"oxigraph:{tmp_path / 'new' / 'folders' / 'db'}"
    report = load_files(spec, data_files()[:1])
    assert [outcome for *_, outcome in report.outcomes] == ["loaded"]
    assert _count(spec) > 100
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(InputError, match="cannot open the Oxigraph store"):
        load_files(f"oxigraph:{blocked / 'db'}", data_files()[:1])


def test_two_processes_on_one_store(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files())
    reader = (
        "import sys, orggraph; g = orggraph.open_graph(sys.argv[1]); "
        "print(len(list(orggraph.run_named_query(g, 'duties-of', {'org': '中安协'}))))"
    )
    writer = (
        "import sys, time, orggraph; g = orggraph.open_graph(sys.argv[1], read_only=False); "
        "print('ready', flush=True); time.sleep(5)"
    )
    holder = subprocess.Popen([sys.executable, "-c", writer, spec], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        # readers work alongside the writer …
        results = [
            subprocess.run([sys.executable, "-c", reader, spec], capture_output=True, text=True, timeout=60)
            for _ in range(2)
        ]
        assert [r.stdout.strip() for r in results] == ["31", "31"], [r.stderr for r in results]
        # … a second writer gets a clear error, not a corrupted store
        with pytest.raises(OrgGraphError, match="being written by another process"):
            open_graph(spec, read_only=False)
    finally:
        holder.kill()
        holder.wait()
    assert list(run_named_query(open_graph(spec), "duties-of", {"org": "中安协"}))


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_every_command_works_on_every_store(oxigraph_spec, virtuoso_spec, tmp_path, store):
    spec = oxigraph_spec if store == "oxigraph" else virtuoso_spec
    runner = CliRunner()

    def call(*args: str):
        result = runner.invoke(cli, [*args, "--store", spec], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "(31 rows)" in call("run", "duties-of", "-p", "org", "中國安全防范產品行業協會")
    assert "ogr:cspia" in call("query", "SELECT ?o WHERE { ?o skos:altLabel '中安协'@zh-Hans }")
    assert "Wrote" in call("render", "-o", str(tmp_path / f"{store}.html"))
    assert call("validate").startswith("Conforms")
    assert "og:Duty" in call("info")
    assert call("export", "--format", "nt").count(" .\n") > 1900


@pytest.mark.parametrize("store", ["oxigraph", "virtuoso"])
def test_a_focused_view_is_fetched_alike_from_every_store(bundled, oxigraph_spec, virtuoso_spec, store):
    # around a focus, a store is asked hop by hop; the result must be what the memory graph gives
    from orggraph.network.views import view_of

    stored = open_graph(oxigraph_spec if store == "oxigraph" else virtuoso_spec)
    for focus, depth, duties in (("科信局", 2, "nodes"), ("中安协", 1, "edges"), ("公安部", 3, "nodes")):
        expected = view_of(bundled, focus=focus, depth=depth, duties=duties)
        fetched = view_of(stored, focus=focus, depth=depth, duties=duties)
        assert set(fetched.nodes) == set(expected.nodes) and len(expected) >= 3
        assert sorted(fetched.edges(keys=True)) == sorted(expected.edges(keys=True))
        for node, data in expected.nodes(data=True):
            assert fetched.nodes[node]["kind"] == data["kind"]
            assert fetched.nodes[node]["labels"] == data["labels"]
            assert sorted(fetched.nodes[node]["evidence"]) == sorted(data["evidence"])


def test_load_command(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    runner = CliRunner()
    seed = str(data_files()[0])
    first = runner.invoke(cli, ["load", seed, "--store", spec], catch_exceptions=False)
    second = runner.invoke(cli, ["load", seed, "--store", spec], catch_exceptions=False)
    assert first.exit_code == 0 and "loaded" in first.output and "optimized the store" in first.output
    assert second.exit_code == 0 and "unchanged" in second.output and "optimized" not in second.output
    missing = runner.invoke(cli, ["load", str(Path(tmp_path, "missing.ttl")), "--store", spec])
    assert missing.exit_code == 1 and "no such file" in missing.output
