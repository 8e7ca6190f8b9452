from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

import orggraph
from orggraph.errors import UsageError
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.results import format_result
from orggraph.store.sparql import run_query
from orggraph.text.tables import display_width


def test_table_aligns_cjk_by_display_width_and_keeps_order(bundled):
    text = format_result(run_named_query(bundled, "org-chart", {"org": "公安部"}), "table")
    lines = text.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    # every column starts at the same display column on every line
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in body:
        for start in starts[1:]:
            prefix = ""
            for ch in line:
                if display_width(prefix) >= start:
                    break
                prefix += ch
            assert display_width(prefix) == start and line[len(prefix) - 1] == " ", line
    depths = [int(line.split()[0]) for line in body]
    assert depths == sorted(depths)
    assert "ogr:mps-sti-bureau" in text and "org:unitOf" in text
    assert lines[-1] == "(8 rows)"  # the curated seven and the 2023 release's division
    units = [line.split()[1] for line in body]
    assert units.count("ogr:mps-sti-bureau") == 1  # one row for the bureau, though two graphs relate it
    assert header.startswith("depth")


def test_csv_tsv_json_xml_jsonl_carry_the_same_rows(bundled):
    result = run_named_query(bundled, "attendees")
    count = len(list(result))
    rows_csv = list(csv.DictReader(io.StringIO(format_result(result, "csv"))))
    assert len(rows_csv) == count and rows_csv[0]["attendee"].startswith("https://")
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].startswith("?meeting\t?meeting_zh_hans\t?date") and len(tsv) == count + 1
    assert '"陈敬华"@zh-Hans' in "\n".join(tsv)
    data = json.loads(format_result(result, "json"))
    assert len(data["results"]["bindings"]) == count and "meeting" in data["head"]["vars"]
    tree = ET.fromstring(format_result(result, "xml").encode("utf-8"))
    assert len(tree.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == count
    lines = [json.loads(line) for line in format_result(result, "jsonl").splitlines()]
    assert len(lines) == count and {line["kind"] for line in lines} == {"person", "organisation"}


def test_ask_and_construct(bundled):
    assert format_result(run_query(bundled, "ASK { ogr:cspia a org:FormalOrganization }"), "table") == "yes"
    assert json.loads(format_result(run_query(bundled, "ASK { ogr:cspia a og:Duty }"), "json"))["boolean"] is False
    graph = run_query(bundled, "CONSTRUCT { ogr:cspia skos:prefLabel ?l } WHERE { ogr:cspia skos:prefLabel ?l }")
    assert "ogr:cspia" in format_result(graph, "ttl")
    assert format_result(graph, "nt").count("\n") == 3
    with pytest.raises(UsageError, match="gives a graph"):
        format_result(graph, "table")
    with pytest.raises(UsageError, match="gives rows"):
        format_result(run_named_query(bundled, "people"), "ttl")


def test_rows_as_records_of_python_values(bundled):
    from orggraph.graph.results import to_records

    rows = to_records(orggraph.run_named_query(bundled, "duties-of", {"org": "中安协"}))
    assert len(rows) == 31  # 28 of 2019, 3 of 2023
    assert {type(row["period"]) for row in rows} == {int}  # a gYear becomes a year
    assert all(isinstance(row["duty"], str) and row["duty"].startswith("https://") for row in rows)
    with pytest.raises(orggraph.OrgGraphError, match="records come from SELECT"):
        to_records(orggraph.run_query(bundled, "ASK { ?s ?p ?o }"))


def test_rows_as_a_dataframe(bundled):
    frame = orggraph.to_dataframe(orggraph.run_named_query(bundled, "duties-of", {"org": "中安协"}))
    assert frame.shape == (31, len(frame.columns)) and list(frame.columns)[:2] == ["no", "duty"]
    assert frame["period"].tolist() == [2019] * 28 + [2023] * 3


def _echo(values):
    from rdflib import Graph, URIRef

    graph = Graph()
    for number, value in enumerate(values):
        graph.add((URIRef(f"urn:row:{number}"), URIRef("urn:p"), value))
    return run_query(graph, "SELECT ?v WHERE { ?s <urn:p> ?v } ORDER BY ?s")


def test_tsv_keeps_tabs_and_newlines_inside_their_field_and_abbreviates_as_the_w3c_format():
    from rdflib import Literal
    from rdflib.namespace import XSD

    hostile = Literal('a\tb\nc"d\\')
    text = format_result(_echo([hostile, Literal(4), Literal("bar", datatype=XSD.string), Literal(True)]), "tsv")
    lines = text.rstrip("\n").split("\n")
    assert lines == ["?v", '"a\\tb\\nc\\"d\\\\"', "4", '"bar"', "true"]  # one line per row, nothing forged


def test_a_label_cannot_drive_the_terminal():
    from rdflib import Literal

    text = format_result(_echo([Literal("公安部\x1b[2J\x1b]0;title\x07\u202eevil\r")]), "table")
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text and "\x07" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text


def test_xml_results_keep_zero_false_and_unbound_values():
    import xml.etree.ElementTree as ElementTree

    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    graph.add((URIRef("urn:a"), URIRef("urn:n"), Literal(0)))
    graph.add((URIRef("urn:b"), URIRef("urn:n"), Literal(False)))
    graph.add((URIRef("urn:c"), URIRef("urn:other"), Literal("x", lang="zh-Hans")))
    result = run_query(graph, "SELECT ?s ?n WHERE { ?s ?p ?o OPTIONAL { ?s <urn:n> ?n } } ORDER BY ?s")
    root = ElementTree.fromstring(format_result(result, "xml").encode("utf-8"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    values = [
        [b.find(f"{ns}literal").text for b in r.findall(f"{ns}binding") if b.get("name") == "n"]
        for r in root.iter(f"{ns}result")
    ]
    assert values == [["0"], ["false"], []]  # the third row leaves ?n unbound
    assert "<boolean>true</boolean>" in format_result(run_query(graph, "ASK { ?s ?p ?o }"), "xml")


@pytest.fixture(scope="module")
def awkward_store(tmp_path_factory):
    """An Oxigraph store whose values rdflib's writers would change: a zero duration, a double
    written as an integer, zero and false, a control character."""
    from orggraph.store.loading import load_files

    folder = tmp_path_factory.mktemp("written")
    data = folder / "awkward.ttl"
    data.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:a> <urn:v> "PT0S"^^xsd:dayTimeDuration, "1050"^^xsd:double, 0, false, "zh"@zh-Hant .\n'
        '<urn:b> <urn:v> "bell\\u0007"  .\n',
        encoding="utf-8",
    )
    spec = f"oxigraph:{folder / 'db'}"
    load_files(spec, [data])
    return spec, data


QUERY = "SELECT ?s ?v WHERE { ?s <urn:v> ?v FILTER(!CONTAINS(STR(?v), 'bell')) } ORDER BY ?s STR(?v)"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
@pytest.mark.parametrize("limit", [None, 2])
def test_rows_on_oxigraph_are_written_as_oxigraph_writes_them(awkward_store, fmt, limit):
    import pyoxigraph

    from orggraph.graph.results import query_output
    from orggraph.store.backends import open_graph

    spec, data = awkward_store
    ours = query_output(open_graph(spec), QUERY, fmt, limit=limit)
    store = pyoxigraph.Store.read_only(spec.removeprefix("oxigraph:"))
    text = QUERY + ("" if limit is None else f" LIMIT {limit}")
    answer = store.query(text, default_graph=[pyoxigraph.DefaultGraph(), pyoxigraph.NamedNode(data.as_uri())])
    member = getattr(pyoxigraph.QueryResultsFormat, fmt.upper())
    assert ours == answer.serialize(format=member).decode("utf-8")
    assert "1050" in ours and "1050.0" not in ours and "P0D" not in ours
    assert ("PT0S" in ours) == (limit is None)


def test_table_and_jsonl_on_oxigraph_show_the_stored_lexical_forms(awkward_store):
    from orggraph.graph.results import query_output
    from orggraph.store.backends import open_graph

    spec, _ = awkward_store
    table = query_output(open_graph(spec), QUERY, "table")
    assert "PT0S" in table and "1050" in table and "1050.0" not in table
    rows = [json.loads(line) for line in query_output(open_graph(spec), QUERY, "jsonl").splitlines()]
    assert [row["v"] for row in rows] == [0, 1050, "PT0S", False, "zh"]
    assert '"v": 1050}' in query_output(open_graph(spec), QUERY, "jsonl")  # the double as stored, not 1050.0


def test_what_a_w3c_format_cannot_hold_is_refused_on_oxigraph_too(awkward_store):
    from orggraph.graph.results import query_output
    from orggraph.store.backends import open_graph

    spec, _ = awkward_store
    with pytest.raises(UsageError, match="control character"):
        query_output(open_graph(spec), "SELECT ?v WHERE { ?s <urn:v> ?v }", "xml")
    for fmt in ("csv", "tsv"):
        with pytest.raises(UsageError, match="yes or no"):
            query_output(open_graph(spec), "ASK { ?s ?p ?o }", fmt)
    assert "<boolean>true</boolean>" in query_output(open_graph(spec), "ASK { ?s ?p ?o }", "xml")
