"""A graph's summary (what ``orggraph info`` prints) as plain data, and as the lists the cache
keeps it in: no rdflib, so a summary kept for an unchanged store is printed without it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orggraph.text.tables import format_table

__all__ = ["GraphSummary", "as_lists", "from_lists", "is_summary"]


@dataclass(frozen=True)
class GraphSummary:
    """Counts describing a graph; :meth:`text` renders them for people."""

    triples: int
    classes: tuple[tuple[str, int], ...]
    graphs: tuple[tuple[str, int], ...]
    documents: tuple[tuple[str, str, str], ...]
    languages: tuple[tuple[str, int], ...]
    identities: tuple[tuple[str, int], ...] = ()
    shared: tuple[tuple[str, str, int, str, str], ...] = ()

    def text(self) -> str:
        """Readable tables."""
        parts = [f"{self.triples} statements in {len(self.graphs)} named graph(s)", ""]
        if self.identities:
            parts += [format_table(["kind", "distinct"], [[k, str(n)] for k, n in self.identities]), ""]
        if self.shared:
            parts += [
                format_table(
                    ["organisation in several documents", "IRI", "documents", "first", "last"],
                    [[name, iri, str(n), first, last] for name, iri, n, first, last in self.shared],
                ),
                "",
            ]
        parts.append(format_table(["class", "instances"], [[c, str(n)] for c, n in self.classes]))
        parts += ["", format_table(["graph", "triples"], [[g, str(n)] for g, n in self.graphs])]
        if self.documents:
            parts += ["", format_table(["source document", "date", "title"], [list(d) for d in self.documents])]
        parts += ["", format_table(["language", "literals"], [[lang, str(n)] for lang, n in self.languages])]
        return "\n".join(parts)


def as_lists(summary: GraphSummary) -> list[Any]:
    """The summary as JSON keeps it."""
    rows = (summary.classes, summary.graphs, summary.documents, summary.languages, summary.identities, summary.shared)
    return [summary.triples, *([list(row) for row in part] for part in rows)]


def is_summary(value: Any) -> bool:
    """Whether ``value`` is a summary as :func:`as_lists` writes it."""
    return (
        isinstance(value, list)
        and len(value) == 7
        and isinstance(value[0], int)
        and all(isinstance(part, list) and all(isinstance(row, list) for row in part) for part in value[1:])
    )


def from_lists(stored: list[Any]) -> GraphSummary:
    """The summary :func:`as_lists` wrote."""
    return GraphSummary(stored[0], *(tuple(tuple(row) for row in rows) for rows in stored[1:]))
