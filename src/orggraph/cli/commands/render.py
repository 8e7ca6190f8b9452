"""``orggraph render``: the interactive HTML network."""

from __future__ import annotations

import click

from orggraph.cli.app import cli
from orggraph.cli.common import open_data, split_list
from orggraph.cli.options import data_options, output_option
from orggraph.formats import DUTY_MODES, LANGUAGES


@cli.command()
@output_option("HTML file", required=True)
@data_options
@click.option("--title", default="orggraph", show_default=True, help="Page title and heading.")
@click.option(
    "--lang",
    "language",
    default=LANGUAGES[0],
    show_default=True,
    type=click.Choice(list(LANGUAGES)),
    help="Label language shown first.",
)
@click.option("--focus", metavar="ORG", help="Only this organisation's neighbourhood (IRI, prefixed name or any name).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20), help="Steps around --focus.")
@click.option("--types", metavar="KIND,…", help="Only these node types, e.g. testing-centre,duty,meeting.")
@click.option("--relations", metavar="REL,…", help="Only these relations, e.g. 'unit of,part of'.")
@click.option(
    "--duties",
    default=DUTY_MODES[0],
    show_default=True,
    type=click.Choice(list(DUTY_MODES)),
    help="Draw duties as nodes, or collapse each into labelled edges assigner → assignee.",
)
@click.option(
    "--max-nodes",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    help="Refuse a bigger view (0: no limit); a page stays fluid up to about 10,000 nodes.",
)
def render(
    output: str,
    data: tuple[str, ...],
    allow_network: bool,
    store: str | None,
    title: str,
    language: str,
    focus: str | None,
    depth: int,
    types: str | None,
    relations: str | None,
    duties: str,
    max_nodes: int,
) -> None:
    """Write an interactive network of organisations, people, meetings and duties as one
    self-contained HTML file (works offline, from file://).

    \b
    Example:
      orggraph render -o seed.html --title "2019 联席会议"
      orggraph render -o bureau.html --focus 科信局 --depth 2 --duties edges --lang en
      orggraph render -o chart.html --types government-agency,internal-division,research-institute,testing-centre
    """
    from orggraph.files import write_text_atomic
    from orggraph.network.rendering import network_page

    page = network_page(
        open_data(data, allow_network, store),
        title=title,
        language=language,
        focus=focus,
        depth=depth,
        types=split_list(types),
        relations=split_list(relations),
        duties=duties,
        max_nodes=max_nodes or None,
    )
    path = write_text_atomic(output, page.text)
    click.echo(f"Wrote {path} ({page.nodes} nodes, {page.edges} edges)", err=True)
