"""The one exception family of orggraph.

Every error the library raises on bad input is an :class:`OrgGraphError` whose message says
what failed, where, and how to fix it, in one line. The CLI prints it as ``Error: …`` and
exits with :attr:`OrgGraphError.exit_code`.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "NotConformingError",
    "OrgGraphError",
    "QueryError",
    "ResolutionError",
    "UsageError",
]


class OrgGraphError(Exception):
    """Base class: an operation failed (exit code 1).

    >>> str(OrgGraphError("cannot read x.ttl: no such file"))
    'cannot read x.ttl: no such file'
    """

    exit_code = 1


class UsageError(OrgGraphError):
    """The call itself is wrong: unknown query, missing parameter, bad option (exit code 2)."""

    exit_code = 2


class InputError(OrgGraphError):
    """An input file or text cannot be read or parsed (exit code 1)."""


class QueryError(OrgGraphError):
    """A SPARQL query is malformed or refused (exit code 1)."""


class ResolutionError(UsageError):
    """A name (organisation, query, parameter) matches nothing or too much (exit code 2)."""


class NotConformingError(OrgGraphError):
    """Data does not conform to the shapes (exit code 3)."""

    exit_code = 3
