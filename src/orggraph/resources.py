"""Where the bundled ontology, shapes, data and named queries live.

In a wheel they sit inside the package (``orggraph/_bundled/…``, mapped from the top-level
``ontology/`` and ``data/`` folders by the build). In a source checkout they are read from
those top-level folders directly, so there is one copy of each file.
"""

from __future__ import annotations

from pathlib import Path

from orggraph.errors import OrgGraphError

__all__ = ["bundled_dir", "data_files", "ontology_files", "queries_dir", "shapes_file"]

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder of bundled ``ontology`` or ``data`` files.

    >>> bundled_dir("ontology").joinpath("orggraph.ttl").is_file()
    True
    """
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate

    raise OrgGraphError(f"bundled folder {name!r} is missing from the installation; reinstall orggraph")


def ontology_files() -> list[Path]:
    """The ontology and concept-scheme Turtle files (shapes excluded)."""
    return sorted(p for p in bundled_dir("ontology").glob("*.ttl") if p.name != "shapes.ttl")


def shapes_file() -> Path:
    """The SHACL shapes file."""
    return bundled_dir("ontology") / "shapes.ttl"


def data_files() -> list[Path]:
    """The curated data files (the bundled graph)."""
    return sorted(bundled_dir("data").glob("*.ttl"))


def queries_dir() -> Path:
    """The folder of named ``.rq`` queries."""
    return _PACKAGE / "graph" / "queries"
