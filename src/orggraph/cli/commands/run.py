"""``orggraph queries`` and ``orggraph run``: the named queries."""

from __future__ import annotations

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data, wants_passages, with_passages
from orggraph.cli.options import corpus_option, data_options, format_option, limit_options
from orggraph.formats import ROW_FORMATS, W3C_RESULT_FORMATS


@cli.command()
def queries() -> None:
    """List the named queries and their parameters.

    \b
    Example:
      orggraph queries
    """
    from orggraph.graph.named_queries import list_named_queries

    for named in list_named_queries():
        click.echo(f"{named.name}: {named.title}")
        click.echo(f"    {named.description}")
        for parameter in named.parameters:
            need = "required" if parameter.required else "optional"
            click.echo(f"    -p {parameter.name} ({parameter.kind}, {need}): {parameter.description}")


@cli.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="KEY VALUE",
    help="A parameter of the named query (repeatable).",
)
@data_options
@format_option(ROW_FORMATS, "table", "Output format.")
@limit_options
@corpus_option
def run(
    name: str,
    params: tuple[tuple[str, str], ...],
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
    fmt: str,
    timeout: float | None,
    limit: int | None,
    corpus: tuple[str, ...],
) -> None:
    """Run the named query NAME (see `orggraph queries`).

    Organisation parameters take an IRI, a prefixed name, or any label or alias in Simplified
    or Traditional Chinese or English.

    \b
    Example:
      orggraph run duties-of -p org 中安协
      orggraph run org-chart -p org 公安部
      orggraph run responsible-for -p topic 标准化 --format csv
      orggraph run evidence -p of 国家工程实验室验收 --corpus ../shared/corpus
    """
    from orggraph.graph.quick import quick_named_query_output

    if not (timeout or wants_passages(corpus)):
        # read-only, written by Oxigraph from a store or a prebuilt copy: no rdflib to import
        quick = quick_named_query_output(
            name, dict(params), fmt, sources=data or None, store=store, limit=limit, allow_network=allow_network
        )
        if quick is not None:
            _print(quick, fmt)
            return
    from orggraph.graph.named_queries import named_query_output, run_named_query
    from orggraph.graph.results import format_result

    graph = open_data(data, allow_network, store)
    if wants_passages(corpus):  # rows with document offsets get their passage quoted
        result = run_named_query(graph, name, dict(params), timeout=timeout, limit=limit)
        echo(format_result(with_passages(result, graph, corpus), fmt))
        return
    _print(named_query_output(graph, name, dict(params), fmt, timeout=timeout, limit=limit), fmt)


def _print(output: str, fmt: str) -> None:
    if fmt in W3C_RESULT_FORMATS:
        click.echo(output, nl=False)  # as the format's writer wrote it, byte for byte
    else:
        echo(output)
