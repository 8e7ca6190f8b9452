"""What the shapes would report of each item once accepted, shown before the decision."""

from __future__ import annotations

from rdflib import URIRef

from orggraph.graph.validation import check_triples
from orggraph.namespaces import OG
from orggraph.review.checks import shape_problems
from orggraph.review.desk import review_document
from orggraph.review.queue import read_queued
from orggraph.store.sparql import run_query


def candidates_of(desk):
    return read_queued(desk.queued).graph(desk.queued.graph)


def test_a_meeting_without_its_convener_is_flagged_and_nothing_else(desk):
    problems = shape_problems(desk.graph, candidates_of(desk), list(desk.items.values()))
    kinds = {desk_item.iri: desk_item.kind for desk_item in desk.items.values()}
    assert {kinds[iri] for iri in problems} == {"meeting"}
    (said,) = next(iter(problems.values()))
    assert said.startswith("schema:organizer:") and "convener" in said


def test_what_a_candidate_points_at_in_the_graph_is_read_from_the_graph(desk):
    candidates = candidates_of(desk)
    # alone, a duty's category (a concept of the ontology's scheme) looks unknown to the shapes
    alone = check_triples(candidates.triples((None, None, None)))
    assert any(finding.path == "og:category" for finding in alone.violations)
    duties = [item for item in desk.items.values() if item.kind == "duty"]
    assert duties and not set(shape_problems(desk.graph, candidates, duties))

    # a duty given to a person the graph has: the person's type comes from the store
    person = run_query(desk.graph, "SELECT ?p WHERE { ?p a foaf:Person } LIMIT 1")
    someone = URIRef(next(iter(person))[0])  # type: ignore[index]
    candidates.add((duties[0].iri, OG.assignedTo, someone))
    problems = shape_problems(desk.graph, candidates, duties)
    assert problems[duties[0].iri] == ["og:assignedTo: a duty needs og:assignedTo an organisation or collaboration"]


def test_the_desk_shows_each_item_its_problems(desk):
    page = review_document(desk.graph, desk.folder, desk.queued.key)
    assert page is not None
    flagged = [item for item in page["items"] if item["problems"]]
    assert [item["kind"] for item in flagged] == ["meeting"]
