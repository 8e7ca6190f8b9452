"""Hostile input and untrusted queries: clear one-line errors, nothing fetched, nothing lost."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from helpers import Listener
from rdflib import URIRef

import orggraph
from orggraph.cli import cli
from orggraph.errors import InputError, QueryTimeout
from orggraph.store.sparql import run_query

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_remote_jsonld_context_is_refused_and_nothing_is_fetched(tmp_path):
    with Listener() as listener:
        document = tmp_path / "remote.jsonld"
        document.write_text(
            json.dumps(
                {
                    "@context": f"http://127.0.0.1:{listener.port}/context.jsonld",
                    "@id": "https://example.org/x",
                    "name": "x",
                }
            ),
            encoding="utf-8",
        )
        with pytest.raises(InputError, match=r"@context .* would be fetched.*allow_network=True"):
            orggraph.load_graph([document])
        nested = tmp_path / "nested.jsonld"
        nested.write_text(
            json.dumps(
                {
                    "@graph": [
                        {"@context": {"@import": f"http://127.0.0.1:{listener.port}/c"}, "@id": "https://example.org/y"}
                    ]
                }
            ),
            encoding="utf-8",
        )
        result = _cli("info", "--data", str(nested))
        assert result.exit_code == 1 and "would be fetched" in result.output
    assert listener.connections == 0


def test_allow_network_really_reaches_out(tmp_path):
    # the listener is a real endpoint: with the flag, the parser connects (and fails on the reply)
    with Listener() as listener:
        document = tmp_path / "remote.jsonld"
        document.write_text(
            json.dumps({"@context": f"http://127.0.0.1:{listener.port}/c.jsonld", "@id": "https://example.org/x"}),
            encoding="utf-8",
        )
        with pytest.raises(InputError):
            orggraph.load_graph([document], allow_network=True)
    assert listener.connections >= 1


def test_xml_external_entities_are_refused(tmp_path):
    with Listener() as listener:
        document = tmp_path / "xxe.rdf"
        document.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf [<!ENTITY e SYSTEM "http://127.0.0.1:{listener.port}/x">]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:s="http://www.w3.org/2004/02/skos/core#"><rdf:Description rdf:about="urn:x">'
            "<s:prefLabel>&e;</s:prefLabel></rdf:Description></rdf:RDF>\n",
            encoding="utf-8",
        )
        result = _cli("info", "--data", str(document))
        assert result.exit_code == 1 and "external entity" in result.output
    assert listener.connections == 0


def test_xml_entity_expansion_is_bounded(tmp_path):
    levels = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    laughs = tmp_path / "laughs.rdf"
    laughs.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">{levels}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/a"><ex:p>&l9;</ex:p></rdf:Description></rdf:RDF>\n',
        encoding="utf-8",
    )
    assert laughs.stat().st_size < 1200
    for command in (("info", "--data", str(laughs)), ("load", "--store", f"oxigraph:{tmp_path / 'db'}", str(laughs))):
        result = _cli(*command)
        assert result.exit_code == 1 and "XML entities would expand to" in result.output, result.output
    # the usual namespace abbreviations of an OWL file still load
    owl = tmp_path / "owl.rdf"
    owl.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="&ex;a"><rdf:type rdf:resource="&ex;B"/></rdf:Description></rdf:RDF>\n',
        encoding="utf-8",
    )
    assert (URIRef("http://example.org/a"), None, URIRef("http://example.org/B")) in orggraph.load_graph([owl])


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".rdf", ".trig"])
def test_binary_junk_gives_one_line_and_no_traceback(tmp_path, suffix):
    junk = tmp_path / f"junk{suffix}"
    junk.write_bytes(os.urandom(4096))
    result = _cli("validate", "--data", str(junk))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {junk}") and len(result.output.strip().splitlines()) == 1


def test_nul_bytes_are_binary(tmp_path):
    junk = tmp_path / "nul.ttl"
    junk.write_text("<urn:a> <urn:b> <urn:c> .\x00\n", encoding="utf-8")
    with pytest.raises(InputError, match="NUL bytes"):
        orggraph.load_graph([junk])


def test_timeout_stops_a_cartesian_product(bundled):
    with pytest.raises(QueryTimeout, match=r"stopped after 0.5 s \(timeout\)"):
        run_query(bundled, CARTESIAN, timeout=0.5)
    result = _cli("query", CARTESIAN, "--timeout", "0.5")
    assert result.exit_code == 1 and "stopped after 0.5 s (--timeout)" in result.output


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }",  # one call that never yields
        "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d } ORDER BY ?d ?b",  # sorts before its first row
    ],
)
def test_timeout_stops_oxigraph_inside_an_aggregate_or_a_sort(tmp_path, query):
    import time

    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files())
    graph = open_graph(spec)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"stopped after 1 s \(timeout\)"):
        run_query(graph, query, timeout=1)
    assert time.monotonic() - started < 30  # it stopped: unstopped, either runs for hours
    # within the deadline the answer is Oxigraph's own
    rows = run_query(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?s a og:Duty } LIMIT 1", timeout=30)
    assert int(next(iter(rows))[0]) == 58
    result = _cli("query", "--store", spec, query, "--timeout", "1")
    assert result.exit_code == 1 and "stopped after 1 s (--timeout)" in result.output


def test_limit_caps_rows(bundled):
    assert len(list(run_query(bundled, "SELECT * WHERE { ?s ?p ?o }", limit=7))) == 7
    result = _cli("run", "duties-of", "-p", "org", "中安协", "--limit", "3")
    assert result.exit_code == 0 and "(3 rows)" in result.output


def test_update_with_allow_update_does_not_touch_files(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    before = data.read_bytes()
    result = _cli("query", "--data", str(data), "--allow-update", "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 0 and "nothing is saved" in result.output
    assert data.read_bytes() == before


def test_failed_export_leaves_the_existing_file(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("precious", encoding="utf-8")
    result = _cli("export", "--data", str(tmp_path / "missing.ttl"), "-o", str(target))
    assert result.exit_code == 1 and target.read_text(encoding="utf-8") == "precious"
    result = _cli("render", "--data", str(tmp_path / "missing.ttl"), "-o", str(target))
    assert result.exit_code == 1 and target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_failed_extract_leaves_the_existing_output(tmp_path):
    target = tmp_path / "pred.json"
    target.write_text("precious", encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = _cli("extract", str(junk), "-o", str(target))
    assert result.exit_code == 1 and "binary" in result.output
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.txt", "pred.json"]


def test_unreadable_file_says_so(tmp_path, monkeypatch):
    # as root every file is readable, so the refusal is simulated where the operating system would raise it
    from pathlib import Path

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    data = tmp_path / "secret.ttl"
    data.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = _cli("info", "--data", str(data))
    assert result.exit_code == 1 and "permission denied; make the file readable" in result.output


def test_output_to_a_fifo_or_a_link_keeps_what_is_there(tmp_path):
    # renaming a temporary file over a special file replaces it (as root, even /dev/null)
    import os
    import stat
    import threading

    from orggraph.files import write_text_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    write_text_atomic(fifo, "公安部\n")
    reader.join(timeout=10)
    assert received == ["公安部\n"] and stat.S_ISFIFO(fifo.stat().st_mode)
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_ask_as_csv_or_tsv_is_refused_with_the_formats_that_hold_a_boolean():
    from click.testing import CliRunner

    from orggraph.cli import cli

    result = CliRunner().invoke(cli, ["query", "ASK { ?s ?p ?o }", "--format", "tsv"])
    assert result.exit_code == 2 and "use --format table, json or xml" in result.output


def test_a_limit_beyond_any_count_is_a_usage_error_not_a_crash():
    from click.testing import CliRunner

    from orggraph.cli import cli

    result = CliRunner().invoke(cli, ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", str(10**23)])
    assert result.exit_code == 2 and "--limit must be at most" in result.output
