"""One module per command; importing them registers each on :data:`orggraph.cli.app.cli`."""

from orggraph.cli.commands import build, export, extract, inspect, load, query, render, run

__all__ = ["build", "export", "extract", "inspect", "load", "query", "render", "run"]
