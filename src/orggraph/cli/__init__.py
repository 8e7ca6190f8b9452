"""The ``orggraph`` command: thin click commands over the library, one module per command in
``commands/``, options shared through :mod:`orggraph.cli.options`, and errors turned into one line
and an exit code in :mod:`orggraph.cli.app`. The only package that imports click; nothing imports it.
"""

import orggraph.cli.commands  # noqa: F401  (each command registers itself on the group)
from orggraph.cli.app import EXIT_CODES, cli, main

__all__ = ["EXIT_CODES", "cli", "main"]
