"""Review decisions: accept, edit, merge or reject a queued candidate, recorded with PROV.

A decision is one transaction (:func:`orggraph.store.loading.add_statements`): the accepted
statements with their evidence go into the document's ``graph/reviewed/<digest>`` graph, and the
decision itself into ``graph/reviews``, as an ``og:ReviewDecision`` (a ``prov:Activity``) that
``prov:used`` the candidate, ``prov:wasAssociatedWith`` the reviewer, ended at
``prov:endedAtTime`` and, for a merge, names what it was merged into (``og:mergedInto``). A
candidate is decided once: a second decision on it (a form sent twice) is a
:class:`~orggraph.errors.ReviewConflict` and changes nothing. Rejections are kept like the rest,
so a candidate extracted again stays rejected.

Statements that point at another candidate of the document follow that candidate's decision:
kept when it was accepted, pointed at the thing it was merged into, dropped when it was
rejected. So those others are decided first; the desk lists them first.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from orggraph.errors import ReviewConflict, UsageError
from orggraph.graph.resolution import resolve_organisation, resolve_resource
from orggraph.namespaces import OA, OG, OGC, OGR, ORG, SCHEMA
from orggraph.rdf.readwrite import bundled_ontology
from orggraph.review.items import Item, is_candidate, review_items
from orggraph.review.queue import QueuedDocument, read_queued
from orggraph.store.loading import add_statements
from orggraph.store.sparql import run_query

__all__ = [
    "OUTCOMES",
    "REVIEWED_BASE",
    "REVIEWS",
    "Decision",
    "Edits",
    "decide",
    "decisions",
    "duty_categories",
    "rejected_candidates",
    "without_rejected",
]

REVIEWS = "https://w3id.org/orggraph/graph/reviews"
REVIEWED_BASE = "https://w3id.org/orggraph/graph/reviewed/"
OUTCOMES = ("accepted", "edited", "merged", "rejected")
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
_MAX_NAME = 300


@dataclass(frozen=True)
class Decision:
    """What was decided on a candidate, by whom, when (ISO 8601), and for a merge into what."""

    candidate: URIRef
    outcome: str
    reviewer: str
    time: str
    target: URIRef | None = None


@dataclass(frozen=True)
class Edits:
    """What a reviewer changed before accepting: preferred names by language (``zh-Hans``,
    ``zh-Hant``, ``en``; an empty one is dropped); the organisations (names or IRIs) a duty is
    assigned to, a meeting convened by or an achievement credited to (:data:`WHO`); a duty's or
    an achievement's year (``""`` drops it); a duty's category (a concept of the duty-category
    scheme)."""

    names: Mapping[str, str] = field(default_factory=dict)
    assignees: tuple[str, ...] | None = None
    year: str | None = None
    category: str | None = None


# the organisations a kind of item names, and its year, as an edit changes them
WHO = {"duty": OG.assignedTo, "meeting": SCHEMA.organizer, "achievement": OG.creditedTo}
WHEN = {"duty": OG.period, "achievement": OG.year}

_DECISIONS = """
SELECT ?candidate ?outcome ?reviewer ?time ?target WHERE {
  ?decision a og:ReviewDecision ; og:outcome ?outcome ; prov:used ?candidate ;
            prov:wasAssociatedWith ?agent ; prov:endedAtTime ?time .
  ?agent rdfs:label ?reviewer .
  OPTIONAL { ?decision og:mergedInto ?target }
}
"""


def decisions(graph: Any) -> dict[URIRef, Decision]:
    """Every review decision in the store, by candidate IRI.

    >>> from orggraph.rdf.readwrite import new_dataset
    >>> decisions(new_dataset())
    {}
    """
    result = run_query(graph, _DECISIONS, trusted=True)
    assert result is not None
    found = {}
    for row in result.bindings:
        outcome = str(row[Variable("outcome")]).rsplit("#", 1)[-1]
        candidate = URIRef(row[Variable("candidate")])
        target = row.get(Variable("target"))
        found[candidate] = Decision(
            candidate,
            outcome,
            str(row[Variable("reviewer")]),
            str(row[Variable("time")]),
            URIRef(target) if target else None,
        )
    return found


def rejected_candidates(graph: Any) -> set[URIRef]:
    """The candidates a reviewer rejected: what a re-extraction leaves out."""
    return {iri for iri, decision in decisions(graph).items() if decision.outcome == "rejected"}


def without_rejected(candidates: Dataset, graph: Any) -> Dataset:
    """``candidates`` (graphs of :func:`orggraph.extract.candidates.to_dataset`) without any
    statement about or pointing at a candidate a reviewer of ``graph`` rejected."""
    rejected = rejected_candidates(graph)
    if rejected:
        for named in list(candidates.graphs()):
            for triple in list(named):
                if triple[0] in rejected or triple[2] in rejected:
                    named.remove(triple)
    return candidates


@functools.cache  # the bundled ontology does not change while a desk runs
def duty_categories() -> tuple[tuple[URIRef, str], ...]:
    """The concepts of the duty-category scheme with their English labels.

    >>> any(str(iri).endswith("general-requirement") for iri, _ in duty_categories())
    True
    """
    schemes = bundled_ontology()
    scheme = URIRef(str(OGC))
    found = []
    concepts: list[Any] = list(schemes.subjects(SKOS.inScheme, scheme))
    for concept in concepts:
        english = [
            label for label in schemes.objects(concept, SKOS.prefLabel) if getattr(label, "language", None) == "en"
        ]
        found.append((URIRef(concept), str(english[0]) if english else str(concept).rsplit("/", 1)[-1]))
    return tuple(sorted(found, key=lambda pair: str(pair[0])))


def decide(
    graph: Any,
    queued: QueuedDocument,
    candidate: str,
    outcome: str,
    reviewer: str,
    *,
    edits: Edits | None = None,
    target: str | None = None,
    now: datetime.datetime | None = None,
) -> Decision:
    """Decide on ``candidate`` (an item IRI of the queued document) and record it in ``graph``,
    a store open for writing, in one transaction (see the module documentation). ``outcome`` is
    one of :data:`OUTCOMES`; ``edited`` takes ``edits``, ``merged`` the ``target`` (a name or IRI
    of an organisation or person the graph has) the candidate is the same as."""
    if outcome not in OUTCOMES:
        raise UsageError(f"{outcome!r} is not a review decision; use one of {', '.join(OUTCOMES)}")
    reviewer = " ".join(reviewer.split())
    if not reviewer or len(reviewer) > _MAX_NAME:
        raise UsageError("say who decides: a reviewer name of 1 to 300 characters")
    candidates = _document_graph(queued)
    items = {item.iri: item for item in review_items(candidates)}
    item = items.get(URIRef(candidate))
    if item is None:
        raise UsageError(f"{candidate} is not a candidate of {queued.name}; reload the review page")
    taken = decisions(graph)
    if item.iri in taken:
        before = taken[item.iri]
        raise ReviewConflict(f"{item.name} was {before.outcome} already, by {before.reviewer} at {before.time}")
    merged_into = None
    if outcome == "merged":
        merged_into = _merge_target(graph, item, target or "")
    elif target:
        raise UsageError("only a merge names a target")
    if outcome == "edited" and edits is None:
        raise UsageError("an edit needs the edited values")
    statements: list[tuple[Any, Any, Any]] = []
    if outcome != "rejected":
        statements = _statements(candidates, item, taken, merged_into)
        if outcome == "edited" and edits is not None:
            statements = _edited(graph, statements, item, edits, items)
        _refuse_undecided(statements, item, items, taken)
    when = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0).isoformat()
    record = _record(item, outcome, reviewer, when, merged_into, candidates)
    graphs = {REVIEWS: record}
    if statements:
        graphs[REVIEWED_BASE + queued.key] = statements
    add_statements(graph, graphs)
    return Decision(item.iri, outcome, reviewer, when, merged_into)


def _document_graph(queued: QueuedDocument) -> Graph:
    dataset = read_queued(queued)
    graph = dataset.graph(queued.graph)
    if not len(graph):
        raise UsageError(f"{queued.name}: the queue holds no candidates for it; extract it again with review on")
    return graph


def _merge_target(graph: Any, item: Item, target: str) -> URIRef:
    """The organisation or person the graph has that ``target`` names."""
    if item.kind not in ("organisation", "person") or not item.candidate:
        raise UsageError(
            "only a new organisation or person merges into one the graph has, "
            f"and this candidate is of kind {item.kind}"
        )
    if not target.strip():
        raise UsageError(f"say which {item.kind} {item.name} is: its name or IRI")
    found = (
        resolve_organisation(graph, target)
        if item.kind == "organisation"
        else resolve_resource(graph, target, "foaf:Person")
    )
    return found


def _statements(
    candidates: Graph, item: Item, taken: Mapping[URIRef, Decision], merged_into: URIRef | None
) -> list[tuple[Any, Any, Any]]:
    """The item's statements with their evidence, pointing where the decisions so far say."""
    members = set(item.members)
    moved = {
        iri: decision.target for iri, decision in taken.items() if decision.outcome == "merged" and decision.target
    }
    dropped = {iri for iri, decision in taken.items() if decision.outcome == "rejected"}
    if merged_into is not None:
        moved[item.iri] = merged_into
    out: list[tuple[Any, Any, Any]] = []
    cited: set[Any] = set()
    for member in item.members:
        pairs: list[tuple[Any, Any]] = list(candidates.predicate_objects(member))
        for prop, value in pairs:
            if value in dropped and value not in members:
                continue
            if prop == PROV.wasDerivedFrom:
                cited.add(value)
            if member == item.iri and merged_into is not None:
                if prop in (RDF.type, ORG.classification):
                    continue  # the thing merged into keeps its own kind
                if prop == SKOS.prefLabel:
                    prop = SKOS.altLabel  # …and its own names; the document's become aliases
            out.append((moved.get(member, member), prop, moved.get(value, value)))
    for evidence in sorted(cited):
        out += _evidence(candidates, evidence)
    return out


def _evidence(candidates: Graph, evidence: Any) -> list[tuple[Any, Any, Any]]:
    """An evidence node, its selector (named after it, so that two decisions citing one passage
    add one selector) and its source document."""
    out: list[tuple[Any, Any, Any]] = []
    for prop, value in candidates.predicate_objects(evidence):
        if prop == OA.hasSelector and isinstance(value, BNode):
            selector = URIRef(f"{evidence}-selector")
            out.append((evidence, prop, selector))
            out += [(selector, p, v) for p, v in candidates.predicate_objects(value)]
        else:
            out.append((evidence, prop, value))
        if prop == OA.hasSource:
            out += [(value, p, v) for p, v in candidates.predicate_objects(value)]
    return out


_YEAR = re.compile(r"(?:19|20)\d\d")


def _edited(
    graph: Any, statements: list[tuple[Any, Any, Any]], item: Item, edits: Edits, items: Mapping[URIRef, Item]
) -> list[tuple[Any, Any, Any]]:
    """The statements with the reviewer's changes: names, the organisations named (:data:`WHO`), year and category."""
    replaced: set[Any] = set()
    added: list[tuple[Any, Any, Any]] = []
    if edits.names and not item.candidate:
        raise UsageError(f"the graph names {item.name} already: change its names in the data, not at the desk")
    for language, text in edits.names.items():
        if language not in LANGUAGES:
            raise UsageError(f"names are edited in {', '.join(LANGUAGES)}, not {language!r}")
        text = " ".join(text.split())
        if len(text) > _MAX_NAME:
            raise UsageError(f"a name has at most {_MAX_NAME} characters")
        replaced.add((SKOS.prefLabel, language.lower()))
        if text:
            added.append((item.iri, SKOS.prefLabel, Literal(text, lang=language)))
    for edited, kinds, what in (
        (edits.assignees, WHO, "the organisations named can be edited for a duty, a meeting or an achievement"),
        (edits.year, WHEN, "a year can be edited for a duty or an achievement"),
        (edits.category, ("duty",), "a category can be edited for a duty"),
    ):
        if edited is not None and item.kind not in kinds:
            raise UsageError(f"{what}, not for this {item.kind}")
    if edits.assignees is not None:
        who = WHO[item.kind]
        replaced.add(who)
        for assignee in edits.assignees:
            added.append((item.iri, who, _assignee(graph, assignee, items)))
    if edits.year is not None:
        when = WHEN[item.kind]
        replaced.add(when)
        if edits.year.strip():
            if not _YEAR.fullmatch(edits.year.strip()):
                raise UsageError(f"the year is four digits such as 2019, not {edits.year!r}")
            added.append((item.iri, when, Literal(edits.year.strip(), datatype=XSD.gYear)))
    if edits.category is not None:
        categories = {str(iri) for iri, _ in duty_categories()}
        chosen = edits.category if edits.category in categories else str(OGC[edits.category])
        if chosen not in categories:
            raise UsageError(f"{edits.category!r} is not a duty category; choose one of the list")
        replaced.add(OG.category)
        added.append((item.iri, OG.category, URIRef(chosen)))

    def kept(statement: tuple[Any, Any, Any]) -> bool:
        subject, prop, value = statement
        if subject != item.iri:
            return True
        language = (value.language or "").lower() if isinstance(value, Literal) else None
        return prop not in replaced and (prop, language) not in replaced

    return [statement for statement in statements if kept(statement)] + added


def _assignee(graph: Any, text: str, items: Mapping[URIRef, Item]) -> URIRef:
    """An organisation that ``text`` names: a candidate organisation of the document, or one the graph has."""
    for item in items.values():
        if item.kind == "organisation" and text in (str(item.iri), item.name):
            return item.iri
    return resolve_organisation(graph, text)


def _refuse_undecided(
    statements: list[tuple[Any, Any, Any]], item: Item, items: Mapping[URIRef, Item], taken: Mapping[URIRef, Decision]
) -> None:
    """Refuse to accept statements that point at a candidate nobody has decided on yet, unless
    that candidate points back (a cycle is accepted from either end)."""
    members = set(item.members)
    for _, _, value in statements:
        pending = value in items and value not in members and value not in taken and is_candidate(value)
        if pending and not _reaches(items, URIRef(value), item.iri):
            other = items[URIRef(value)]
            raise ReviewConflict(f"decide the {other.kind} {other.name} first: this {item.kind} points at it")


def _reaches(items: Mapping[URIRef, Item], start: URIRef, goal: URIRef) -> bool:
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        for next_iri in items[current].depends if current in items else []:
            if next_iri == goal:
                return True
            if next_iri not in seen:
                seen.add(next_iri)
                todo.append(next_iri)
    return False


def _record(
    item: Item, outcome: str, reviewer: str, when: str, merged_into: URIRef | None, candidates: Graph
) -> list[tuple[Any, Any, Any]]:
    """The decision as PROV: what was decided, by whom, when, on which candidate of which document."""
    decision = OGR[f"review-{hashlib.sha256(str(item.iri).encode()).hexdigest()[:16]}"]
    agent = OGR[f"reviewer-{hashlib.sha256(reviewer.encode()).hexdigest()[:12]}"]
    record: list[tuple[Any, Any, Any]] = [
        (decision, RDF.type, OG.ReviewDecision),
        (decision, OG.outcome, OG[outcome]),
        (decision, PROV.used, item.iri),
        (decision, PROV.wasAssociatedWith, agent),
        (decision, PROV.endedAtTime, Literal(when, datatype=XSD.dateTime)),
        (decision, RDFS.label, Literal(f"{outcome}: {item.name}")),
        (agent, RDF.type, PROV.Agent),
        (agent, RDFS.label, Literal(reviewer)),
    ]
    for document in candidates.subjects(RDF.type, OG.SourceDocument):
        record.append((decision, DCTERMS.source, document))
    if merged_into is not None:
        record.append((decision, OG.mergedInto, merged_into))
    return record
