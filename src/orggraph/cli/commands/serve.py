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
@click.option(
    "--review",
    is_flag=True,
    help="Open the review desk at /review over the --store's queue (what `extract --review` put there); "
    "its decisions write to the store. One worker then serves every page.",
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
    review: bool,
    workers: int,
) -> None:
    """Serve the graph on a local web app: a SPARQL 1.1 endpoint at /sparql; search, organisation,
    meeting and document pages; graph, timeline, matrix and query pages; and with --review the
    review desk for extracted candidates.

    Read-only unless --allow-update (SPARQL Update) or --review (the desk's decisions); never
    reaches the network. Stop it with Ctrl-C.

    \b
    Example:
      orggraph serve
      orggraph serve --store oxigraph:./db --port 8080 --corpus ../shared/corpus
      orggraph serve --store oxigraph:./db --review
    """
    from orggraph.graph.passages import corpus_folders
    from orggraph.web.app import Limits
    from orggraph.web.server import serve as serve_graph
    from orggraph.web.workers import GraphSource

    queue = None
    if review:
        from orggraph.review.queue import queue_folder

        if data:
            raise click.UsageError("--review works on a --store, not on --data files")
        queue = queue_folder(store)
    source = GraphSource(store, tuple(data), allow_update or review)
    limits = Limits(timeout=timeout, max_rows=max_rows, body_timeout=request_timeout)

    def ready(url: str) -> None:
        desk = f"; review desk: {url}review" if review else ""
        click.echo(f"Serving on {url} (SPARQL endpoint: {url}sparql{desk}); Ctrl-C stops it.", err=True)

    serve_graph(
        source,
        host=host,
        port=port,
        limits=limits,
        workers=workers,
        on_ready=ready,
        corpus=corpus_folders(corpus),
        allow_update=allow_update,
        review=queue,
    )
    click.echo("Stopped.", err=True)
