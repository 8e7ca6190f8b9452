"""The ``orggraph`` group and the one place where errors become messages and exit codes.

Exit codes: 0 success · 1 the operation failed · 2 usage error · 3 data does not conform ·
130 interrupted. Heavy libraries (rdflib, pyshacl, networkx) are imported inside the commands, so
``--help`` and ``--version`` answer quickly.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from orggraph import settings
from orggraph._version import __version__
from orggraph.errors import OrgGraphError

__all__ = ["EXIT_CODES", "OPTION_SPELLINGS", "cli", "echo", "main"]

EXIT_CODES = "Exit codes: 0 success, 1 failure, 2 usage error, 3 data does not conform (validate)."

# How the command line says what a library error names as a parameter (see orggraph.errors).
OPTION_SPELLINGS = {
    "allow_network": "--allow-network",
    "allow_update": "--allow-update",
    "replace": "--replace",
    "limit": "--limit",
    "timeout": "--timeout",
    "encoding": "--encoding",
    "fmt": "--format",
    "folders": "--corpus DIR",
    "radius": "--depth",
    "depth": "--depth",
    "focus": "--focus",
    "duties": "--duties",
    "max_nodes": "--max-nodes",
    "types": "--types",
    "sources": "--data",
    "store": "--store",
    "port": "--port",
    "merge": "--merge",
    "load_files": "`orggraph load`",
    "list_named_queries": "`orggraph queries`",
    "list_organisations": "`orggraph run organisations`",
}


class _Group(click.Group):
    """Turns library errors into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OrgGraphError as error:
            click.echo(f"Error: {error.render(OPTION_SPELLINGS)}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # a bug of ours: still one line, unless debugging
            if settings.debug():
                raise
            click.echo(
                f"Error: unexpected {type(error).__name__}: {error} (set ORGGRAPH_DEBUG=1 for a traceback "
                "and please report it)",
                err=True,
            )
            sys.exit(1)


def _show_decisions(verbosity: int) -> None:
    """Send the library's log (store opened, cache hit or miss, names read) to stderr."""
    if not verbosity:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("orggraph: %(message)s"))
    logger = logging.getLogger("orggraph")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}, epilog=EXIT_CODES
)
@click.version_option(__version__, "--version", prog_name="orggraph")
@click.option("-v", "--verbose", count=True, help="Say which store was opened, cache hits and misses (-vv: more).")
def cli(verbose: int) -> None:
    """Query and look at an evidence-backed knowledge graph of organisations, posts, meetings
    and the duties assigned to them.

    Without --data every command works on the bundled graph: the 2019 joint meeting of the
    security industry's organisations, intermediaries and laboratories.
    """
    _show_decisions(verbose)


def echo(text: str) -> None:
    """Print a command's result on stdout, without a doubled final newline."""
    click.echo(text.rstrip("\n"))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="orggraph")
