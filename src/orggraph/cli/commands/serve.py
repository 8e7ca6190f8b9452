"""``orggraph serve``: a local web app with a SPARQL endpoint."""

from __future__ import annotations

import click

from orggraph.cli.app import cli


@cli.command()
@click.option("--store", help="Serve this store (oxigraph:PATH); default: the bundled graph, or the --data files.")
@click.option("--data", multiple=True, type=click.Path(dir_okay=False), help="Serve these RDF files (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback unless told).")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port; 0 takes a free one."
)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update at /sparql (refused with 403 otherwise).")
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds a query may run."
)
@click.option(
    "--max-rows", default=10_000, show_default=True, type=click.IntRange(min=0), help="Rows an answer holds at most."
)
@click.option(
    "--request-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a request body may take to arrive (a slow client gets 408).",
)
@click.option(
    "--corpus",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Folder of the source documents, to show passages (repeatable; also $ORGGRAPH_CORPUS).",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
def serve(
    store: str | None,
    data: tuple[str, ...],
    host: str,
    port: int,
    allow_update: bool,
    timeout: float,
    max_rows: int,
    request_timeout: float,
    corpus: tuple[str, ...],
    workers: int,
) -> None:
    """Serve the graph on a local web app: a SPARQL 1.1 endpoint at /sparql and a home page.

    Read-only unless --allow-update; never reaches the network. Stop it with Ctrl-C.

    \b
    Example:
      orggraph serve
      orggraph serve --store oxigraph:./db --port 8080 --corpus ../shared/corpus
    """
    from orggraph.graph.passages import corpus_folders
    from orggraph.web.app import Limits
    from orggraph.web.server import serve as serve_graph
    from orggraph.web.workers import GraphSource

    source = GraphSource(store, tuple(data), allow_update)
    limits = Limits(timeout=timeout, max_rows=max_rows, body_timeout=request_timeout)

    def ready(url: str) -> None:
        click.echo(f"Serving on {url} (SPARQL endpoint: {url}sparql); Ctrl-C stops it.", err=True)

    serve_graph(
        source, host=host, port=port, limits=limits, workers=workers, on_ready=ready, corpus=corpus_folders(corpus)
    )
    click.echo("Stopped.", err=True)
