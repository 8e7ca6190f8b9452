"""The named queries' files: each ``.rq`` file's header (title, description, parameters and how
they are bound) read once and kept until the file changes. Plain text only, no rdflib: the
command line's quick path reads them too."""

from __future__ import annotations

import contextlib
import difflib
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from orggraph.errors import QueryError, ResolutionError
from orggraph.iris import XSD_GYEAR, XSD_INTEGER
from orggraph.resources import queries_dir
from orggraph.store.sparql_text import LiteralText
from orggraph.text.normalization import to_simplified, to_traditional

__all__ = [
    "LITERAL_KINDS",
    "PARAMETER_KINDS",
    "NamedQuery",
    "Parameter",
    "get_named_query",
    "list_named_queries",
    "literal_bindings",
]

PARAMETER_KINDS = ("organisation", "meeting", "resource", "type", "keyword", "year", "string", "integer")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a named query: ``# param: NAME KIND required|optional  description``."""

    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A named ``.rq`` query with its declared title, description and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    text: str = ""  # the SPARQL text, read once with the header
    values_block: bool = False  # ``# bind: values``: Oxigraph starts its plan from a VALUES block
    planned: bool = False  # ``# plan: hand-made``: on Oxigraph a plan of orggraph.store.plans may answer


def _parse_header(path: Path) -> NamedQuery:
    title = description = ""
    parameters: list[Parameter] = []
    values_block = planned = False
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "bind":
            values_block = value == "values"
        elif key == "plan":
            planned = value == "hand-made"
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "param":
            name, kind, need, *rest = value.split(maxsplit=3)
            if kind not in PARAMETER_KINDS:
                raise QueryError(f"{path}: parameter {name} has unknown kind {kind!r}")
            parameters.append(Parameter(name, kind, need == "required", rest[0] if rest else ""))
    return NamedQuery(path.stem, path, title, description, tuple(parameters), text, values_block, planned)


def list_named_queries(folder: Path | None = None) -> list[NamedQuery]:
    """The named queries shipped with orggraph (or in ``folder``), by name.

    >>> [q.name for q in list_named_queries()][:3]
    ['attendees', 'duties-of', 'duties']
    """
    return [_cached_header(p, p.stat().st_mtime_ns) for p in sorted((folder or queries_dir()).glob("*.rq"))]


@functools.lru_cache(maxsize=256)
def _cached_header(path: Path, mtime_ns: int) -> NamedQuery:
    # keyed by modification time: an edited .rq file is read again
    return _parse_header(path)


@functools.lru_cache(maxsize=256)
def _query_path(folder: Path, name: str) -> Path | None:
    return folder / f"{name}.rq" if name and Path(name).name == name else None


def get_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """One named query; an unknown name raises :class:`ResolutionError` with suggestions."""
    path = _query_path(folder or queries_dir(), name)
    if path is not None:  # straight to the file: no directory listing per run
        with contextlib.suppress(OSError):
            return _cached_header(path, os.stat(path).st_mtime_ns)
    queries = {q.name: q for q in list_named_queries(folder)}
    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "{list_named_queries} lists them"
    raise ResolutionError(f"unknown named query {name!r}; {hint}", parameters="list_named_queries")


LITERAL_KINDS = ("keyword", "year", "string", "integer")  # the kinds bound to a literal, not to a thing


def literal_bindings(parameter: Parameter, raw: str) -> dict[str, LiteralText] | None:
    """The variables a parameter of a literal kind binds, and their values: a keyword also binds
    ``NAME_hans`` and ``NAME_hant`` to its two scripts; a year is an ``xsd:gYear`` of four digits,
    an integer an ``xsd:integer``. None when ``raw`` is not of the parameter's kind.

    >>> literal_bindings(Parameter("year", "year", False, ""), "2019")["year"].datatype
    'http://www.w3.org/2001/XMLSchema#gYear'
    >>> literal_bindings(Parameter("year", "year", False, ""), "19") is None
    True
    """
    name, kind = parameter.name, parameter.kind
    if kind == "keyword":
        return {
            name: LiteralText(raw),
            f"{name}_hans": LiteralText(to_simplified(raw)),
            f"{name}_hant": LiteralText(to_traditional(raw)),
        }
    if kind == "year":
        return {name: LiteralText(raw, datatype=XSD_GYEAR)} if re.fullmatch(r"\d{4}", raw) else None
    if kind == "integer":
        try:
            return {name: LiteralText(str(int(raw)), datatype=XSD_INTEGER)}
        except ValueError:
            return None
    return {name: LiteralText(raw)}
