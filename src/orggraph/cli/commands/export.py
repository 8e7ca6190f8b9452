"""``orggraph export``: the whole graph as RDF, or its network projection."""

from __future__ import annotations

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data
from orggraph.cli.options import data_options, format_option, output_option
from orggraph.formats import DATASET_FORMATS, EXPORT_FORMATS, GRAPH_FORMATS, NETWORK_FORMATS


@cli.command()
@data_options
@format_option(
    EXPORT_FORMATS,
    "ttl",
    f"{'|'.join(GRAPH_FORMATS)} give the union of all graphs; {'|'.join(DATASET_FORMATS)} keep the named graphs; "
    f"{'|'.join(NETWORK_FORMATS)} give the network projection (for Gephi, Cytoscape).",
)
@output_option("File")
def export(data: tuple[str, ...], allow_network: bool, store: str | None, fmt: str, output: str | None) -> None:
    """Write the whole loaded graph in an RDF format, or its network projection.

    \b
    Example:
      orggraph export --format trig -o orggraph.trig
      orggraph export --format gexf -o orggraph.gexf
    """
    from orggraph.network.exchange import export_graph

    text = export_graph(open_data(data, allow_network, store), fmt)
    if output:
        from orggraph.files import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        echo(text)
