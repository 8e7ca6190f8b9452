"""One module per command; importing them registers each on :data:`orggraph.cli.app.cli`."""

from orggraph.cli.commands import analysis, build, export, extract, inspect, load, query, render, run, serve

__all__ = ["analysis", "build", "export", "extract", "inspect", "load", "query", "render", "run", "serve"]
