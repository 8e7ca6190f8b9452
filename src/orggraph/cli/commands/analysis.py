"""``orggraph matrix``, ``orggraph diff`` and ``orggraph timeline``: questions across documents and years."""

from __future__ import annotations

import click

from orggraph.cli.app import cli, echo
from orggraph.cli.common import open_data
from orggraph.cli.options import corpus_option, data_options, output_option


@cli.command()
@click.option("--rows", type=click.Choice(["organisation", "type"]), default="organisation", show_default=True)
@click.option("--columns", type=click.Choice(["category", "year"]), default="category", show_default=True)
@click.option("--year", type=int, help="Only the duties of this year.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html"]),
    default="table",
    show_default=True,
    help="table: counts; csv: counts; json: counts and the duties behind each; html: an offline heatmap page "
    "(needs -o) where a click on a cell lists its duties and their passages.",
)
@output_option("File")
@corpus_option
@data_options
def matrix(
    rows: str,
    columns: str,
    year: int | None,
    fmt: str,
    output: str | None,
    corpus: tuple[str, ...],
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
) -> None:
    """The responsibility matrix: how many duties each organisation (or type) carries, per duty
    category (or per year); --format json lists the duties behind every count.

    \b
    Example:
      orggraph matrix --rows organisation --columns category
      orggraph matrix --columns year --format json -o matrix.json --store oxigraph:./corpus-db
      orggraph matrix --format html -o matrix.html --corpus ../shared/corpus
    """
    from orggraph.analysis.matrix import matrix as build_matrix

    if fmt == "html" and not output:
        raise click.UsageError("--format html writes a page: give -o FILE.html")
    graph = open_data(data, allow_network, store)
    result = build_matrix(graph, rows, columns, year=year)
    if fmt in ("html", "json"):
        from orggraph.graph.passages import corpus_folders

        result.add_passages(graph, corpus_folders(corpus))
    text = {"table": result.table, "csv": result.csv, "json": result.to_json, "html": result.html}[fmt]()
    _write(text, output)


@cli.command()
@click.argument("first")
@click.argument("second")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@output_option("File")
@data_options
def diff(
    first: str,
    second: str,
    fmt: str,
    output: str | None,
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
) -> None:
    """What changed from FIRST to SECOND — two meetings (IRI, prefixed name or label), two years, or
    two graph files: organisations that appear or disappear, people whose posts changed, and duties
    that are new, recurring (same organisation, similar wording; both texts shown) or dropped.

    \b
    Example:
      orggraph diff 2019 2023 --store oxigraph:./corpus-db
      orggraph diff last-month.trig this-month.trig
      orggraph diff ogr:meeting-2019-02-21-joint-meeting "2023 joint meeting label" --store oxigraph:./db
    """
    from pathlib import Path

    from orggraph.analysis.diff import diff as compare
    from orggraph.analysis.diff import diff_graphs

    if Path(first).is_file() and Path(second).is_file():  # two versions of a graph
        result = diff_graphs(open_data((first,), allow_network), open_data((second,), allow_network), first, second)
    else:
        result = compare(open_data(data, allow_network, store), first, second)
    _write(result.text() if fmt == "table" else result.to_json(), output)


@cli.command()
@click.argument("org")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "html"]),
    default="table",
    show_default=True,
    help="table: a row per meeting, post and duty, by year; json: the same rows by year; html: an offline "
    "page (needs -o) with the meetings on a time axis — a click shows who attended and what was assigned.",
)
@output_option("File")
@data_options
def timeline(
    org: str, fmt: str, output: str | None, data: tuple[str, ...], allow_network: bool, store: str | None
) -> None:
    """ORG through the years: meetings it convened or attended, posts in it and who held them, and the
    duties it received, each with its source document.

    \b
    Example:
      orggraph timeline 中安协 --store oxigraph:./corpus-db
      orggraph timeline 中安协 --format html -o timeline.html --store oxigraph:./corpus-db
    """
    import json

    from orggraph.analysis.timeline import timeline as rows_by_year
    from orggraph.analysis.timeline import timeline_html
    from orggraph.graph.named_queries import run_named_query
    from orggraph.graph.results import format_result

    if fmt == "html" and not output:
        raise click.UsageError("--format html writes a page: give -o FILE.html")
    graph = open_data(data, allow_network, store)
    if fmt == "html":
        text = timeline_html(graph, org)
    elif fmt == "json":
        text = json.dumps(rows_by_year(graph, org), ensure_ascii=False, indent=1, default=str)
    else:
        text = format_result(run_named_query(graph, "timeline", {"org": org}), "table")
    _write(text, output)


def _write(text: str, output: str | None) -> None:
    if output:
        from orggraph.files import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        echo(text)
