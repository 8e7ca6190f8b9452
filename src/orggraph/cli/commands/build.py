"""``orggraph build``: a store from a folder of documents."""

from __future__ import annotations

import contextlib

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.options import store_option, update_endpoint_option


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@store_option
@update_endpoint_option
@click.option(
    "--replace", is_flag=True, help="Replace the graphs of documents whose text changed since they were built."
)
@click.option("--encoding", help="The documents' encoding (default: detect UTF-8, GB18030/GBK or Big5).")
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Check the new candidates against the shapes (a tenth of a large build's time).",
)
def build(
    sources: tuple[str, ...],
    store: str | None,
    update_endpoint: str | None,
    replace: bool,
    encoding: str | None,
    validate: bool,
) -> None:
    """Extract every document (files, or every *.txt under a folder) and merge each into the
    --store as a named graph of its own, one organisation per name across documents.

    A document is known by its SHA-256: building again adds nothing, and a document whose text
    changed needs --replace. Each line of the report says what a document added; the last says
    what the shapes make of the new candidates (`orggraph validate --store …` lists them).

    \b
    Example:
      orggraph build ../shared/corpus --store oxigraph:./corpus-db
      orggraph run meetings --store oxigraph:./corpus-db
    """
    from orggraph.cli.common import progress_callback
    from orggraph.extract.building import build_store, document_paths

    with contextlib.ExitStack() as stack:
        advance = progress_callback(stack, "Building", len(document_paths(sources)))
        report = build_store(
            sources,
            store,
            replace=replace,
            encoding=encoding,
            update_endpoint=update_endpoint,
            progress=advance,
            validate_candidates=validate,
        )
    echo("\n".join(report.lines()))
