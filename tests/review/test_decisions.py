"""Decisions at the review desk: each is one transaction recorded with PROV; accepted statements
enter the graph with their evidence; nothing is decided twice; rejections outlive re-extraction."""

from __future__ import annotations

import pytest
from conftest import QUEUED

from orggraph.errors import ResolutionError, ReviewConflict, UsageError
from orggraph.extract.candidates import to_dataset
from orggraph.extract.rules import extract_all
from orggraph.graph.named_queries import named_query_output
from orggraph.graph.quick import quick_named_query_output
from orggraph.resources import data_files
from orggraph.review.decisions import REVIEWED_BASE, REVIEWS, Edits, decide, decisions, without_rejected
from orggraph.review.desk import queue_for_review
from orggraph.review.items import review_items
from orggraph.review.queue import queue_folder, queued_documents, read_queued
from orggraph.store.loading import close_graph, load_files, load_graph
from orggraph.store.sparql import run_query
from orggraph.text.documents import read_document

COMMITTEE = "广东省视频监控标准化技术委员会"
BUREAU = "广东省质量技术监督局"
SHORT_BUREAU = "省质监局"
MEETING = "广东省视频监控标准化技术委员会成立大会暨第一届第一次全体工作会议"
DUTY = "全省视频监控领域的标准化技术工作"


def rows(graph, text: str) -> list[tuple[str, ...]]:
    result = run_query(graph, text, trusted=True)
    assert result is not None
    return [tuple(str(value) if value is not None else "" for value in row) for row in result]


def statement_count(graph) -> int:
    return int(rows(graph, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0][0])


def test_an_accepted_candidate_enters_the_graph_with_its_evidence_and_a_prov_record(desk):
    committee = desk.item(COMMITTEE)
    decision = decide(desk.graph, desk.queued, str(committee.iri), "accepted", "Ann Li")
    assert decision.outcome == "accepted" and decision.reviewer == "Ann Li"
    reviewed = REVIEWED_BASE + desk.queued.key
    passages = rows(
        desk.graph,
        f"""SELECT ?name ?start ?document WHERE {{ GRAPH <{reviewed}> {{
              <{committee.iri}> skos:prefLabel ?name ; prov:wasDerivedFrom ?evidence .
              ?evidence oa:hasSelector [ oa:start ?start ] ; oa:hasSource [ dcterms:identifier ?document ] .
              FILTER(langMatches(lang(?name), "zh-Hans")) }} }}""",
    )
    assert {(name, document) for name, _, document in passages} == {(COMMITTEE, QUEUED)}
    assert sorted(int(start) for _, start, _ in passages) == [start for start, _ in committee.passages]
    record = rows(
        desk.graph,
        f"""SELECT ?outcome ?who ?when WHERE {{ GRAPH <{REVIEWS}> {{
              ?decision a og:ReviewDecision ; prov:used <{committee.iri}> ; og:outcome ?outcome ;
                        prov:wasAssociatedWith [ rdfs:label ?who ] ; prov:endedAtTime ?when }} }}""",
    )
    assert record == [("https://w3id.org/orggraph/ns#accepted", "Ann Li", record[0][2])]
    assert record[0][2].startswith(decision.time[:16])


def test_a_second_decision_on_the_same_candidate_changes_nothing(desk):
    committee = str(desk.item(COMMITTEE).iri)
    decide(desk.graph, desk.queued, committee, "accepted", "Ann Li")
    before = statement_count(desk.graph)
    with pytest.raises(ReviewConflict, match="was accepted already, by Ann Li"):
        decide(desk.graph, desk.queued, committee, "accepted", "Ann Li")  # the form sent twice
    with pytest.raises(ReviewConflict):
        decide(desk.graph, desk.queued, committee, "rejected", "Bo Wang")
    assert statement_count(desk.graph) == before


def test_what_points_at_an_undecided_candidate_waits_for_it(desk):
    unit = desk.item("广东省质量技术监督局标准化处")
    before = statement_count(desk.graph)
    with pytest.raises(ReviewConflict, match=f"decide the organisation {BUREAU} first"):
        decide(desk.graph, desk.queued, str(unit.iri), "accepted", "Ann Li")
    assert statement_count(desk.graph) == before
    decide(desk.graph, desk.queued, str(desk.item(BUREAU).iri), "accepted", "Ann Li")
    decide(desk.graph, desk.queued, str(unit.iri), "accepted", "Ann Li")
    parent = rows(desk.graph, f"SELECT ?parent WHERE {{ <{unit.iri}> org:subOrganizationOf ?parent }}")
    assert parent == [(str(desk.item(BUREAU).iri),)]


def test_a_merged_candidate_adds_its_names_and_evidence_to_the_thing_the_graph_has(desk):
    bureau, short = desk.item(BUREAU), desk.item(SHORT_BUREAU)
    decide(desk.graph, desk.queued, str(bureau.iri), "accepted", "Ann Li")
    decision = decide(desk.graph, desk.queued, str(short.iri), "merged", "Ann Li", target=BUREAU)
    assert decision.target == bureau.iri
    aliases = rows(
        desk.graph, f'SELECT ?n WHERE {{ <{bureau.iri}> skos:altLabel ?n FILTER(langMatches(lang(?n), "zh-Hans")) }}'
    )
    assert (SHORT_BUREAU,) in aliases
    assert not run_query(desk.graph, f"ASK {{ <{short.iri}> ?p ?o }}", trusted=True).askAnswer
    merged_into = rows(desk.graph, f"SELECT ?t WHERE {{ ?d prov:used <{short.iri}> ; og:mergedInto ?t }}")
    assert merged_into == [(str(bureau.iri),)]


def test_a_merge_target_must_be_something_the_graph_has(desk):
    before = statement_count(desk.graph)
    with pytest.raises(ResolutionError):
        decide(desk.graph, desk.queued, str(desk.item(SHORT_BUREAU).iri), "merged", "Ann Li", target=BUREAU)
    with pytest.raises(UsageError, match="only a new organisation or person"):
        decide(desk.graph, desk.queued, str(desk.item(DUTY).iri), "merged", "Ann Li", target="公安部")
    assert statement_count(desk.graph) == before


def test_an_edited_duty_enters_with_the_reviewers_assignee_year_and_category(desk):
    duty = desk.item(DUTY)
    decide(desk.graph, desk.queued, str(desk.item(MEETING).iri), "rejected", "Ann Li")
    edits = Edits(assignees=("公安部",), year="2017", category="coordination")
    decide(desk.graph, desk.queued, str(duty.iri), "edited", "Ann Li", edits=edits)
    found = rows(
        desk.graph,
        f"""SELECT ?assignee ?year ?category ?meeting WHERE {{ <{duty.iri}> og:assignedTo ?assignee ;
              og:period ?year ; og:category ?category OPTIONAL {{ <{duty.iri}> og:assignedAt ?meeting }} }}""",
    )
    assert found == [
        (
            "https://w3id.org/orggraph/id/mps",
            "2017",
            "https://w3id.org/orggraph/ns/duty-category/coordination",
            "",  # the meeting was rejected: the duty no longer points at it
        )
    ]


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (Edits(year="17"), "four digits"),
        (Edits(category="urgent"), "not a duty category"),
        (Edits(assignees=("没有这个单位",)), "organisation"),
        (Edits(names={"fr": "x"}), "names are edited in"),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(desk, edits, message):
    decide(desk.graph, desk.queued, str(desk.item(MEETING).iri), "rejected", "Ann Li")
    before = statement_count(desk.graph)
    with pytest.raises(UsageError, match=message):
        decide(desk.graph, desk.queued, str(desk.item(DUTY).iri), "edited", "Ann Li", edits=edits)
    assert statement_count(desk.graph) == before


def test_a_meeting_edited_with_its_convener_enters_with_it(desk):
    meeting = desk.item(MEETING)
    for item in desk.items.values():  # in the desk's order: what the meeting points at comes first
        if item.iri == meeting.iri:
            break
        decide(desk.graph, desk.queued, str(item.iri), "accepted", "Ann Li")
    decide(desk.graph, desk.queued, str(meeting.iri), "edited", "Ann Li", edits=Edits(assignees=("公安部",)))
    assert rows(desk.graph, f"SELECT ?by WHERE {{ <{meeting.iri}> schema:organizer ?by }}") == [
        ("https://w3id.org/orggraph/id/mps",)
    ]


@pytest.mark.parametrize(
    ("edits", "message"),
    [(Edits(category="coordination"), "category can be edited for a duty"), (Edits(year="2016"), "year")],
)
def test_what_a_meeting_does_not_have_is_not_edited(desk, edits, message):
    meeting = desk.item(MEETING)
    before = statement_count(desk.graph)
    with pytest.raises(UsageError, match=message):
        decide(desk.graph, desk.queued, str(meeting.iri), "edited", "Ann Li", edits=edits)
    assert statement_count(desk.graph) == before


def test_an_edited_name_replaces_the_extracted_one(desk):
    committee = desk.item(COMMITTEE)
    edits = Edits(names={"zh-Hans": "广东省视频监控标准化技术委员会(标委会)", "en": "Guangdong Video Surveillance TC"})
    decide(desk.graph, desk.queued, str(committee.iri), "edited", "Ann Li", edits=edits)
    names = rows(desk.graph, f"SELECT ?n (lang(?n) AS ?l) WHERE {{ <{committee.iri}> skos:prefLabel ?n }} ORDER BY ?l")
    assert ("Guangdong Video Surveillance TC", "en") in names
    assert [n for n, language in names if language == "zh-hans"] == ["广东省视频监控标准化技术委员会(标委会)"]


def test_a_rejected_candidate_stays_rejected_when_the_document_is_extracted_again(desk, corpus_dir):
    rejected = desk.item("标委会")
    decide(desk.graph, desk.queued, str(rejected.iri), "rejected", "Ann Li")
    assert not run_query(desk.graph, f"ASK {{ <{rejected.iri}> ?p ?o }}", trusted=True).askAnswer
    desk.queue_again(corpus_dir / QUEUED)
    assert decisions(desk.graph)[rejected.iri].outcome == "rejected"
    # …and a merge of the document straight into the store leaves it out too
    results = extract_all([read_document(corpus_dir / QUEUED)])
    merged = without_rejected(to_dataset(results), desk.graph)
    assert not any(rejected.iri in (s, o) for s, _, o, _ in merged.quads((None, None, None, None)))
    assert any(rejected.iri == s for s, _, _, _ in to_dataset(results).quads((None, None, None, None)))


def test_a_decision_needs_a_reviewer_and_a_known_outcome_and_candidate(desk):
    committee = str(desk.item(COMMITTEE).iri)
    with pytest.raises(UsageError, match="who decides"):
        decide(desk.graph, desk.queued, committee, "accepted", "  ")
    with pytest.raises(UsageError, match="not a review decision"):
        decide(desk.graph, desk.queued, committee, "approved", "Ann Li")
    with pytest.raises(UsageError, match="not a candidate of"):
        decide(desk.graph, desk.queued, "https://w3id.org/orggraph/id/mps", "accepted", "Ann Li")
    assert decisions(desk.graph) == {}


def test_the_reviews_named_query_lists_who_decided_what_and_when(desk):
    decide(desk.graph, desk.queued, str(desk.item(COMMITTEE).iri), "accepted", "Ann Li")
    decide(desk.graph, desk.queued, str(desk.item(BUREAU).iri), "rejected", "Bo Wang")
    listed = named_query_output(desk.graph, "reviews", {"by": "Bo Wang"}, "csv").splitlines()
    assert listed[0] == "when,reviewer,outcome,candidate,what,merged_into,document"
    assert len(listed) == 2 and f",Bo Wang,https://w3id.org/orggraph/ns#rejected,{desk.item(BUREAU).iri}," in listed[1]
    assert listed[1].endswith(f",rejected: {BUREAU},,{QUEUED}")
    assert len(named_query_output(desk.graph, "reviews", {}, "csv").splitlines()) == 3


def test_each_decision_is_listed_once_when_several_graphs_describe_its_document(tmp_path, corpus_dir):
    spec = f"oxigraph:{tmp_path / 'db'}"
    curated = [path for path in data_files() if path.stem == QUEUED.removesuffix(".txt")]
    assert curated
    load_files(spec, curated, optimize=False)  # the curated graph describes the document too
    graph = load_graph(store=spec, writable=True)
    try:
        path = corpus_dir / QUEUED
        queue_for_review(graph, queue_folder(spec), [read_document(path)], [path.read_bytes()])
        (queued,) = queued_documents(queue_folder(spec))
        first = review_items(read_queued(queued).graph(queued.graph))[0]
        decide(graph, queued, str(first.iri), "accepted", "Ann Li")
    finally:
        close_graph(graph)
    # as `orggraph run reviews --store` reads it: Oxigraph's union of graphs repeats what two say
    answer = quick_named_query_output("reviews", {}, "csv", store=spec)
    assert answer is not None and len(answer.splitlines()) == 2, answer


def test_names_of_a_thing_the_graph_has_are_not_edited_at_the_desk(tmp_path, corpus_dir):
    from conftest import Desk  # noqa: F401 - the fixture's type, for readers

    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [p for p in data_files() if p.name.startswith("seed-")], optimize=False)
    graph = load_graph(store=spec, writable=True)
    try:
        path = corpus_dir / "kxj-cspia-joint-2023-02-07.txt"  # names organisations the seed graph has
        queue_for_review(graph, queue_folder(spec), [read_document(path)], [path.read_bytes()])
        (queued,) = queued_documents(queue_folder(spec))
        known = next(i for i in review_items(read_queued(queued).graph(queued.graph)) if not i.candidate)
        with pytest.raises(UsageError, match=r"names .* already"):
            decide(graph, queued, str(known.iri), "edited", "Ann Li", edits=Edits(names={"zh-Hans": "别名"}))
        decide(graph, queued, str(known.iri), "accepted", "Ann Li")  # what the document adds to it
        assert decisions(graph)[known.iri].outcome == "accepted"
    finally:
        close_graph(graph)
