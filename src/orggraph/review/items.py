"""A queued document's candidates as review items: each thing a reviewer decides on once, with
what goes with it, the passages that say it and the other candidates it points at.

A person comes with the posts they hold, a meeting with its agenda items, topics and place: they
mean nothing apart. Everything else the extraction proposes (an organisation, a post nobody is
named to, an achievement, a duty) is an item of its own; so is what the document adds to a thing
the graph already has (an alias, evidence, a parent), as a *known* item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, SKOS

from orggraph.iris import shorten
from orggraph.namespaces import OA, OG, OGR, ORG, SCHEMA

__all__ = ["KINDS", "Item", "review_items"]

# the order a reviewer meets them in: what others point at first
KINDS: dict[str, tuple[URIRef, ...]] = {
    "organisation": (ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration),
    "person": (FOAF.Person,),
    "post": (ORG.Post,),
    "meeting": (OG.Meeting,),
    "agenda": (OG.AgendaItem,),
    "topic": (OG.Topic,),
    "achievement": (OG.Achievement,),
    "duty": (OG.Duty,),
}
_OWNED_BY = {  # property from an owner to what goes with it
    ORG.holds: "person",
    OG.agendaItem: "meeting",
    OG.discussedTopic: "meeting",
    SCHEMA.location: "meeting",
}
_CANDIDATE = str(OGR["candidate-"])


@dataclass
class Item:
    """One thing to decide on: its IRI and kind, whether the extraction minted it (a candidate)
    or the graph already has it, the members that go with it, its preferred names and aliases by
    language, the passages that say it (raw-document offsets), the candidates it points at, and
    its statements as ``(property, value)`` for showing."""

    iri: URIRef
    kind: str
    candidate: bool
    members: list[URIRef] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    passages: list[tuple[int, int]] = field(default_factory=list)
    depends: list[URIRef] = field(default_factory=list)
    statements: list[tuple[URIRef, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name to show: Simplified Chinese first, else any preferred name, else an alias, else the IRI."""
        for language in ("zh-hans", "zh-hant", "en", ""):
            if language in self.names:
                return self.names[language]
        return self.aliases[0] if self.aliases else shorten(str(self.iri))

    @property
    def anchor(self) -> str:
        """The item's id on a page: its IRI's last part."""
        return str(self.iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def value(self, prop: URIRef) -> list[Any]:
        """The item's own values of ``prop``."""
        return [value for p, value in self.statements if p == prop]


def is_candidate(iri: Any) -> bool:
    """Whether ``iri`` was minted by the extraction (a thing the graph does not have yet)."""
    return isinstance(iri, URIRef) and str(iri).startswith(_CANDIDATE)


def review_items(candidates: Graph) -> list[Item]:
    """The review items of one document's candidate graph, in the order a reviewer decides them:
    organisations, people, posts, meetings, agenda items, topics, achievements, duties; within a
    kind by where the document first says it.

    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.rules import extract
    >>> from orggraph.extract.candidates import to_dataset
    >>> dataset = to_dataset([extract(document_from_text("2020年5月6日,交通部科技司在南京召开联席会议。"))])
    >>> graph = next(g for g in dataset.graphs() if len(g))
    >>> [(item.kind, item.name) for item in review_items(graph)]
    [('organisation', '交通部'), ('organisation', '交通部科技司'), ('meeting', '联席会议')]
    """
    kind_of: dict[URIRef, str] = {}
    for kind, classes in KINDS.items():
        for cls in classes:
            for subject in candidates.subjects(RDF.type, cls):
                if isinstance(subject, URIRef):
                    kind_of.setdefault(subject, kind)
    owner: dict[URIRef, URIRef] = {}
    for prop, owner_kind in _OWNED_BY.items():
        pairs: list[tuple[Any, Any]] = sorted(candidates.subject_objects(prop))
        for subject, value in pairs:
            if kind_of.get(subject) == owner_kind and isinstance(value, URIRef) and value not in owner:
                owner[value] = subject
    items = {iri: Item(iri, kind, is_candidate(iri), [iri]) for iri, kind in kind_of.items() if iri not in owner}
    for member, whose in sorted(owner.items()):
        while whose in owner:  # a topic of an agenda item of a meeting goes with the meeting
            whose = owner[whose]
        if whose in items:
            items[whose].members.append(member)
    for item in items.values():
        _describe(candidates, item, items)
    in_text = sorted(items.values(), key=lambda i: (list(KINDS).index(i.kind), i.passages[:1] or [(1 << 40, 0)], i.iri))
    return _dependencies_first(in_text)


def _dependencies_first(items: list[Item]) -> list[Item]:
    """The items in their order, except that each comes after the candidates it points at (a
    unit after its parent), as far as no cycle prevents it."""
    by_iri = {item.iri: item for item in items}
    ordered: list[Item] = []
    placed: set[URIRef] = set()

    def place(item: Item, visiting: set[URIRef]) -> None:
        if item.iri in placed or item.iri in visiting:
            return
        visiting.add(item.iri)
        for needed in item.depends:
            if needed in by_iri:
                place(by_iri[needed], visiting)
        placed.add(item.iri)
        ordered.append(item)

    for item in items:
        place(item, set())
    return ordered


def _describe(candidates: Graph, item: Item, items: dict[URIRef, Item]) -> None:
    members = set(item.members)
    spans: set[tuple[int, int]] = set()
    for member in item.members:
        statements: list[tuple[Any, Any]] = list(candidates.predicate_objects(member))
        for prop, value in statements:
            if prop == PROV.wasDerivedFrom:
                spans.update(_spans(candidates, value))
            elif member == item.iri and prop in (SKOS.prefLabel, SKOS.altLabel) and isinstance(value, Literal):
                language = (value.language or "").lower()
                if prop == SKOS.prefLabel:
                    item.names.setdefault(language, str(value))
                elif str(value) not in item.aliases:
                    item.aliases.append(str(value))
            elif member == item.iri:
                item.statements.append((prop, value))
            if value in items and value not in members and is_candidate(value) and value not in item.depends:
                item.depends.append(value)
    item.statements.sort(key=lambda pair: (str(pair[0]), str(pair[1])))
    item.passages = sorted(spans)


def _spans(candidates: Graph, evidence: Any) -> Iterable[tuple[int, int]]:
    for selector in candidates.objects(evidence, OA.hasSelector):
        start: Any = candidates.value(selector, OA.start)
        end: Any = candidates.value(selector, OA.end)
        if start is not None and end is not None:
            yield int(start), int(end)
