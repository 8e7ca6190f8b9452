"""Named queries: their headers, and their answers written in every format on every store."""

from __future__ import annotations

import csv
import io

import pytest

from orggraph.graph.named_queries import get_named_query, named_query_output, run_named_query
from orggraph.graph.results import format_result
from orggraph.store.sparql import run_query


def test_a_header_says_how_oxigraph_is_given_the_parameters():
    assert get_named_query("duties-of").values_block and get_named_query("evidence").values_block
    assert not get_named_query("timeline").values_block


@pytest.fixture(scope="module")
def oxigraph_graph(tmp_path_factory):
    from orggraph.resources import data_files
    from orggraph.store.backends import open_graph
    from orggraph.store.loading import load_files

    spec = f"oxigraph:{tmp_path_factory.mktemp('named') / 'db'}"
    load_files(spec, data_files())
    return open_graph(spec)


@pytest.mark.parametrize("name", ["duties-of", "evidence", "timeline", "meetings"])
def test_either_way_of_binding_gives_the_same_rows(oxigraph_graph, name):
    from orggraph.graph.named_queries import bind_parameters

    query = get_named_query(name)
    bindings = bind_parameters(oxigraph_graph, query, {query.parameters[0].name: "中安协"})
    rows = [
        sorted(tuple(map(str, row)) for row in run_query(oxigraph_graph, query.text, bindings, values_block=block))
        for block in (False, True)
    ]
    assert rows[0] == rows[1] and rows[0]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_named_query_output_is_the_formatted_result(bundled, oxigraph_graph, fmt):
    parameters = {"org": "中安协", "year": 2019}
    for graph in (bundled, oxigraph_graph):
        written = named_query_output(graph, "duties-of", parameters, fmt)
        formatted = format_result(run_named_query(graph, "duties-of", parameters), fmt)
        if fmt == "csv":  # the same rows; Oxigraph writes them itself
            assert list(csv.reader(io.StringIO(written))) == list(csv.reader(io.StringIO(formatted)))
        elif fmt != "json":
            assert written == formatted
        assert "2019" in written
