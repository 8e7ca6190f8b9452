"""Options shared by several commands, each defined once (as pip's ``cmdoptions`` and
sqlite-utils' option lists do). Choices come from :mod:`orggraph.formats`, the library's own lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

__all__ = [
    "allow_network_option",
    "corpus_option",
    "data_options",
    "format_option",
    "limit_options",
    "named_option",
    "output_option",
    "store_option",
    "update_endpoint_option",
]

Command = TypeVar("Command", bound=Callable[..., Any])


def _apply(doc: str, *decorators: Callable[[Command], Command]) -> Callable[[Command], Command]:
    """One decorator that applies ``decorators`` in the order given, documented by ``doc``."""

    def decorate(function: Command) -> Command:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    decorate.__doc__ = doc
    return decorate


store_option = _apply(
    "``--store SPEC``: memory, oxigraph:PATH or an http(s) endpoint.",
    click.option(
        "--store",
        "store",
        metavar="SPEC",
        help="Where the graph lives: memory (default: the bundled data, or --data files), "
        "oxigraph:PATH (an on-disk store filled by `orggraph load`), or an http(s)://…/sparql endpoint. "
        "Also $ORGGRAPH_STORE.",
    ),
)

allow_network_option = _apply(
    "``--allow-network``: off by default, nothing reaches the network.",
    click.option(
        "--allow-network",
        is_flag=True,
        help="Permit network access: SPARQL SERVICE, remote FROM/FROM NAMED and LOAD, remote JSON-LD "
        "contexts and XML external entities. Off by default.",
    ),
)

data_options = _apply(
    "``--data FILE…``, ``--store SPEC`` and ``--allow-network``: where a read-only command's graph comes from.",
    click.option(
        "--data",
        "data",
        multiple=True,
        metavar="FILE",
        help="RDF file to load (repeatable; Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML by suffix). "
        "Default: the bundled curated graph.",
    ),
    store_option,
    allow_network_option,
)

limit_options = _apply(
    "``--timeout SECONDS`` and ``--limit N`` for queries.",
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop the query after SECONDS."),
    click.option("--limit", type=click.IntRange(min=0), help="Return at most N rows."),
)

update_endpoint_option = _apply(
    "``--update-endpoint URL`` for an http(s) store that takes updates elsewhere.",
    click.option("--update-endpoint", metavar="URL", help="With an http(s) --store: its SPARQL Update endpoint."),
)

corpus_option = _apply(
    "``--corpus DIR…``: where source documents are found, to quote passages.",
    click.option(
        "--corpus",
        "corpus",
        multiple=True,
        metavar="DIR",
        help="Folder holding the source documents (repeatable; also $ORGGRAPH_CORPUS): rows with "
        "document/start/end columns get the quoted passage.",
    ),
)


def output_option(what: str, *, required: bool = False) -> Callable[[Command], Command]:
    """``-o/--output FILE``, written whole or not at all."""
    default = "" if required else " (default: stdout)"
    return click.option(
        "-o", "--output", required=required, type=click.Path(dir_okay=False), help=f"{what} to write{default}."
    )


def format_option(choices: Sequence[str], default: str, help: str) -> Callable[[Command], Command]:
    """``--format`` with the library's own list of formats."""
    return click.option(
        "--format", "fmt", default=default, show_default=True, type=click.Choice(list(choices)), help=help
    )


def named_option(where: str) -> Callable[[Command], Command]:
    """``--named FILE…``: files loaded as graphs reachable only by name (named data), ``where``
    saying which store they go to."""
    return click.option(
        "--named",
        "named",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help=f"{where}: load FILE as a graph reachable only by name (GRAPH <file:…>), outside the default "
        "graph, which the other files then make alone (Jena's --namedGraph). Repeatable.",
    )
