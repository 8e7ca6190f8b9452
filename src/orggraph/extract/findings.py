"""What extraction finds in a document: findings with their spans, and the relations between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from orggraph.graph.resolution import OrganisationNames
from orggraph.text.documents import Document

__all__ = ["Extraction", "Finding", "gazetteer_of", "organisation_names"]


@dataclass
class Finding:
    """Something the document says, with its span in the cleaned text (``start``, ``end``)."""

    kind: str  # organisation | person | post | meeting
    name: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extraction:
    """Findings and relations (subject name, relation, object name or literal) of one document."""

    document: Document
    findings: list[Finding] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # defined abbreviation → full name
    people: list[Any] = field(default_factory=list)  # people.Person, where each is mentioned

    def add_relation(self, subject: str, relation: str, value: str) -> None:
        triple = (subject, relation, value)
        if triple not in self.relations:
            self.relations.append(triple)


def organisation_names(graph: Graph | None) -> OrganisationNames | None:
    """The names of the organisations in ``graph`` (None for no graph), read once for a whole run
    of :func:`extract_all` and :func:`format_extractions`.

    >>> from orggraph.store.loading import load_graph
    >>> names = organisation_names(load_graph())
    >>> names.find(next(iter(names.gazetteer))) is not None
    True
    """
    return None if graph is None else OrganisationNames(graph)


def gazetteer_of(graph: Graph | None) -> dict[str, str]:
    """Simplified organisation name or alias (3+ characters) → the name as written, from the graph."""
    names = organisation_names(graph)
    return {} if names is None else names.gazetteer
