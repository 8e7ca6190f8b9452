"""What several commands do the same way: open the graph their options name, quote passages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["open_data", "progress_callback", "split_list", "wants_passages", "with_passages"]


def open_data(data: tuple[str, ...], allow_network: bool = False, store: str | None = None, **options: Any) -> Any:
    """The graph of ``--data`` files (else the bundled one) or of ``--store``; files are read from
    their prebuilt copy in the cache unless the command may change the graph."""
    from orggraph.store.loading import load_graph

    options.setdefault("prebuilt", not options.get("writable"))
    return load_graph(list(data) if data else None, allow_network=allow_network, store=store, **options)


def wants_passages(corpus: tuple[str, ...]) -> bool:
    """Whether a folder of source documents is given (``--corpus`` or ``$ORGGRAPH_CORPUS``), so
    that rows with document offsets get their passage quoted."""
    from orggraph.settings import corpus_folders

    return bool(corpus or corpus_folders())


def with_passages(result: Any, graph: Any, corpus: tuple[str, ...]) -> Any:
    """The result, with the quoted passage added to rows that carry document offsets."""
    from orggraph.graph.passages import add_passages, corpus_folders

    folders = corpus_folders(corpus)
    return add_passages(result, graph, folders) if folders and result is not None else result


def split_list(value: str | None) -> list[str] | None:
    """``a, b,c`` → ``["a", "b", "c"]``; nothing → None."""
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def progress_callback(stack: Any, label: str, length: int) -> Callable[[str], None]:
    """A callback that advances a progress bar on stderr, drawn from the first call on (a refused
    call prints only its error) and only on a terminal; ``stack`` closes it."""
    import sys

    import click

    bars: list[Any] = []

    def advance(_: str) -> None:
        if not sys.stderr.isatty():
            return
        if not bars:
            bars.append(
                stack.enter_context(click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True))
            )
        bars[0].update(1)

    return advance
