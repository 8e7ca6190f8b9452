"""``orggraph load``: files into a persistent store."""

from __future__ import annotations

import contextlib

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.options import allow_network_option, named_option, store_option, update_endpoint_option


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@named_option("Into the store")
@store_option
@update_endpoint_option
@click.option("--replace", is_flag=True, help="Swap the graph of a file that changed or whose load was interrupted.")
@allow_network_option
@click.option(
    "--optimize/--no-optimize",
    default=True,
    show_default=True,
    help="Compact an Oxigraph store the load changed: lookups about a quarter faster, twice the disk; "
    "skip it for frequent small loads.",
)
def load(
    files: tuple[str, ...],
    named: tuple[str, ...],
    store: str | None,
    update_endpoint: str | None,
    replace: bool,
    allow_network: bool,
    optimize: bool,
) -> None:
    """Load RDF files into a persistent store (--store, or $ORGGRAPH_STORE), one named graph per file.

    Loading the same file again adds nothing; a changed file needs --replace. The bundled
    ontology is loaded too. Read-only commands (query, run, render, …) then take the same --store.

    \b
    Example:
      orggraph load data/*.ttl --store oxigraph:./orggraph-db
      orggraph run duties-of -p org 中安协 --store oxigraph:./orggraph-db
    """
    from orggraph.cli.common import progress_callback
    from orggraph.store.loading import load_files

    if not files and not named:
        raise click.UsageError("give the files to load (or --named FILE)")
    with contextlib.ExitStack() as stack:
        advance = progress_callback(stack, "Loading", len(files) + len(named))
        report = load_files(
            store,
            files,
            replace=replace,
            allow_network=allow_network,
            update_endpoint=update_endpoint,
            progress=advance,
            optimize=optimize,
            named=named,
        )
    echo("\n".join(report.lines()))
    if report.optimized:
        echo("optimized the store for reading (--no-optimize skips this)")
