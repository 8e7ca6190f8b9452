"""The one exception family of orggraph::

    OrgGraphError            an operation failed (exit code 1)
    ├── InputError           a file or text cannot be read or parsed
    ├── QueryError           a SPARQL query is malformed or refused
    │   └── QueryTimeout     a query ran out of time
    ├── NotConformingError   data does not conform to the shapes (exit code 3)
    ├── ReviewConflict       a review decision cannot be taken now
    └── UsageError           the call itself is wrong (exit code 2)
        └── ResolutionError  a name matches nothing, or too much

Every error the library raises on bad input says what failed, where, and how to fix it, in one
line, in the library's own terms. Where the fix is a parameter (or a function), the message
writes it as ``{name}`` and lists it in ``parameters``: ``str(error)`` spells it as a Python
caller writes it (``allow_network=True``), and the CLI spells it as its option
(``--allow-network``) with :meth:`OrgGraphError.render`. The CLI prints ``Error: …`` and exits with
:attr:`OrgGraphError.exit_code`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "InputError",
    "NotConformingError",
    "OrgGraphError",
    "QueryError",
    "QueryTimeout",
    "ResolutionError",
    "ReviewConflict",
    "UsageError",
]


class OrgGraphError(Exception):
    """Base class: an operation failed (exit code 1).

    >>> str(OrgGraphError("cannot read x.ttl: no such file"))
    'cannot read x.ttl: no such file'
    >>> error = OrgGraphError("SERVICE reaches the network; pass {allow_network} to permit it",
    ...                       parameters="allow_network")
    >>> str(error)
    'SERVICE reaches the network; pass allow_network=True to permit it'
    >>> error.render({"allow_network": "--allow-network"})
    'SERVICE reaches the network; pass --allow-network to permit it'
    """

    exit_code = 1

    def __init__(self, message: str, *, parameters: str | tuple[str, ...] = ()) -> None:
        self.template = message
        # the library parameters (or functions) that fix it, each written {name} in the message
        self.parameters = (parameters,) if isinstance(parameters, str) else tuple(parameters)
        super().__init__(self.render({}))

    def render(self, spellings: Mapping[str, str]) -> str:
        """The message with each parameter spelt as ``spellings`` say, else as a Python caller writes it."""
        text = self.template
        for name in self.parameters:
            text = text.replace("{" + name + "}", spellings.get(name) or _python_spelling(name))
        return text


# parameters that are switches, which a caller turns on
_SWITCHES = frozenset({"allow_network", "allow_update", "replace"})
# fixes that are functions rather than parameters
_FUNCTIONS = {
    "load_files": "load_files()",
    "merge": "merge_dataset()",
    "list_named_queries": "list_named_queries()",
    "list_organisations": 'run_named_query(graph, "organisations")',
}


def _python_spelling(name: str) -> str:
    if name in _SWITCHES:
        return f"{name}=True"
    return _FUNCTIONS.get(name, name)


class UsageError(OrgGraphError):
    """The call itself is wrong: unknown query, missing parameter, bad option (exit code 2)."""

    exit_code = 2


class InputError(OrgGraphError):
    """An input file or text cannot be read or parsed (exit code 1)."""


class QueryError(OrgGraphError):
    """A SPARQL query is malformed or refused (exit code 1)."""


class QueryTimeout(QueryError):
    """A query ran longer than its timeout and was stopped (exit code 1)."""


class ResolutionError(UsageError):
    """A name (organisation, query, parameter) matches nothing or too much (exit code 2)."""


class NotConformingError(OrgGraphError):
    """Data does not conform to the shapes (exit code 3)."""

    exit_code = 3


class ReviewConflict(OrgGraphError):
    """A review decision cannot be taken now: the candidate is decided already, or one it points
    at is not decided yet (exit code 1)."""
