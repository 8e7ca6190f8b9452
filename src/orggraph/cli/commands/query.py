"""``orggraph query``: ad hoc SPARQL."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data, wants_passages, with_passages
from orggraph.cli.options import (
    corpus_option,
    data_options,
    format_option,
    limit_options,
    named_option,
    update_endpoint_option,
)
from orggraph.formats import GRAPH_FORMATS, ROW_FORMATS, W3C_RESULT_FORMATS


@cli.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False), help="Read the query from FILE.")
@data_options
@format_option(
    ROW_FORMATS + GRAPH_FORMATS,
    "table",
    f"Rows: {'|'.join(ROW_FORMATS)}. Graphs (CONSTRUCT/DESCRIBE): {'|'.join(GRAPH_FORMATS)}.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Permit SPARQL Update: on the memory store it changes only the in-memory copy; on a persistent "
    "store (--store) it changes the store.",
)
@named_option("With the memory store")
@click.option(
    "--ontology",
    is_flag=True,
    help="Put orggraph's ontology and concept schemes in the default graph beside --data files or a "
    "store's data (the bundled graph always has them; by name they are always reachable on a store).",
)
@update_endpoint_option
@limit_options
@corpus_option
def query(
    sparql: str | None,
    query_file: str | None,
    data: tuple[str, ...],
    fmt: str,
    allow_update: bool,
    allow_network: bool,
    store: str | None,
    update_endpoint: str | None,
    named: tuple[str, ...],
    ontology: bool,
    timeout: float | None,
    limit: int | None,
    corpus: tuple[str, ...],
) -> None:
    """Run a SPARQL query given as an argument, with -f FILE, or on stdin (-).

    The prefixes og ogt ogc ogr org prov oa schema skos foaf dcterms owl rdf rdfs sh xsd are
    predeclared.

    \b
    Example:
      orggraph query 'SELECT ?o ?name WHERE { ?o a org:FormalOrganization ; skos:prefLabel ?name }'
      orggraph query -f my.rq --format csv
    """
    from orggraph.files import read_text

    if query_file and sparql:
        raise click.UsageError("give the query as an argument or with -f, not both")
    base = Path.cwd().as_uri() + "/"  # as Jena's sparql does: relative IRIs name files here
    if query_file:
        text, origin = read_text(query_file), query_file
        base = Path(query_file).resolve().as_uri()
    elif sparql in (None, "-"):
        if sparql is None and sys.stdin.isatty():
            raise click.UsageError("give a query as an argument, with -f FILE, or on stdin with -")
        text, origin = sys.stdin.read(), "<stdin>"
    else:
        text, origin = sparql, "query"
    if not text.strip():
        raise click.UsageError("the query is empty")
    from orggraph.graph.quick import quick_query_output

    if not (allow_update or named or update_endpoint or timeout or wants_passages(corpus)):
        # read-only, written by Oxigraph from a store or a prebuilt copy: no rdflib to import
        quick = quick_query_output(
            text,
            fmt,
            sources=data or None,
            store=store,
            ontology=ontology,
            origin=origin,
            base=base,
            limit=limit,
            allow_network=allow_network,
        )
        if quick is not None:
            _print(quick, fmt)
            return
    from orggraph.graph.results import format_result, query_output
    from orggraph.store.backends import store_spec
    from orggraph.store.sparql import run_query

    # an ad-hoc query over --data sees exactly those files, as Jena's `sparql --data` does
    loaded: dict[str, Any] = {"ontology": ontology} if data or named else {}
    if named:
        loaded["named"] = named
    graph = open_data(data, allow_network, store, writable=allow_update, update_endpoint=update_endpoint, **loaded)
    options: dict[str, Any] = {
        "allow_update": allow_update,
        "allow_network": allow_network,
        "origin": origin,
        "timeout": timeout,
        "limit": limit,
        "base": base,
        "ontology": ontology,
    }
    if wants_passages(corpus):  # rows with document offsets get their passage quoted
        result = run_query(graph, text, **options)
        output = None if result is None else format_result(with_passages(result, graph, corpus), fmt)
    else:
        output = query_output(graph, text, fmt, **options)
    if output is None:
        saved = "the store" if store_spec(store) != "memory" else "the in-memory graph (nothing is saved)"
        click.echo(f"Update applied to {saved}.", err=True)
    else:
        _print(output, fmt)


def _print(output: str, fmt: str) -> None:
    if fmt in W3C_RESULT_FORMATS:
        click.echo(output, nl=False)  # as the format's writer wrote it, byte for byte
    else:
        echo(output)
