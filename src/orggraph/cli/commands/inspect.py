"""``orggraph validate`` and ``orggraph info``: what the data is and whether it conforms."""

from __future__ import annotations

import sys

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data
from orggraph.cli.options import data_options


@cli.command()
@data_options
@click.option("--shapes", type=click.Path(dir_okay=False), help="SHACL shapes file (default: the bundled shapes).")
def validate(data: tuple[str, ...], allow_network: bool, store: str | None, shapes: str | None) -> None:
    """Check the data against the SHACL shapes; exit 3 when it does not conform.

    \b
    Example:
      orggraph validate
      orggraph validate --data mine.ttl
    """
    from orggraph.graph.validation import validate as validate_graph

    report = validate_graph(open_data(data, allow_network, store), shapes, allow_network=allow_network)
    echo(report.text())
    if not report.conforms:
        sys.exit(3)


@cli.command()
@data_options
def info(data: tuple[str, ...], allow_network: bool, store: str | None) -> None:
    """Show counts by class, the source graphs and documents, and label languages.

    \b
    Example:
      orggraph info
    """
    from orggraph.graph.quick import quick_summary

    summary = quick_summary(data or None, store=store, allow_network=allow_network)  # kept: no rdflib to import
    if summary is None:
        from orggraph.graph.inspection import summarize

        summary = summarize(open_data(data, allow_network, store))
    echo(summary.text())
