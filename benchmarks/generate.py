"""A deterministic generator of organisation graphs in the orggraph ontology, for benchmarks.

Per organisation (≈16 statements): type, names in three scripts and an alias, a parent in an
8-ary hierarchy, one duty (assignee, assigner, meeting, year 2015–2023, category, sometimes a parent duty)
and evidence with a character span. Every 10th organisation has a person holding a post; every
100 form a joint-meeting mechanism of 10 member units; every 50 hold a meeting with 5 attendees.

Run:  python benchmarks/generate.py COUNT OUT.nt
"""

from __future__ import annotations

import sys
from pathlib import Path

OG = "https://w3id.org/orggraph/ns#"
OGR = "https://w3id.org/orggraph/id/bench-"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
FOAF = "http://xmlns.com/foaf/0.1/"
TYPES = [
    "government-agency",
    "internal-division",
    "industry-association",
    "standards-committee",
    "certification-body",
    "testing-centre",
    "national-engineering-laboratory",
    "ministry-key-laboratory",
    "research-institute",
]
CATEGORIES = [
    "political-guidance",
    "work-planning",
    "key-business-task",
    "coordination",
    "institution-building",
    "project-delivery",
    "talent-capacity",
    "general-requirement",
]
YEARS = range(2015, 2024)  # nine years of meetings and duties, as a corpus gathered over time gives
TASKS = [
    ("推进标准化工作", "推進標準化工作", "Advance standardisation"),
    ("加强实验室建设", "加強實驗室建設", "Strengthen laboratory building"),
    ("完善管理制度体系", "完善管理制度體系", "Improve management rules"),
    ("推广认证", "推廣認證", "Promote certification"),
    ("加强沟通协作", "加強溝通協作", "Strengthen communication"),
]


def org_name(i: int) -> tuple[str, str, str]:
    """Names of organisation ``i`` in Simplified, Traditional and English."""
    return f"单位{i:06d}", f"單位{i:06d}", f"Unit {i:06d}"


def generate(count: int, out: Path) -> int:
    """Write ``count`` organisations (and their people, meetings, duties) as N-Triples; return statements."""
    written = 0
    with out.open("w", encoding="utf-8") as stream:

        def emit(s: str, p: str, o: str) -> None:
            nonlocal written
            stream.write(f"<{s}> <{p}> {o} .\n")
            written += 1

        def iri(value: str) -> str:
            return f"<{value}>"

        def text(value: str, lang: str | None = None) -> str:
            return f'"{value}"@{lang}' if lang else f'"{value}"'

        def typed(value: object, datatype: str) -> str:
            return f'"{value}"^^<{XSD}{datatype}>'

        for d in range(count // 1000 + 1):
            doc = f"{OGR}doc-{d}"
            emit(doc, RDF_TYPE, iri(OG + "SourceDocument"))
            emit(doc, "http://purl.org/dc/terms/identifier", text(f"bench-{d}.txt"))
            emit(doc, "http://purl.org/dc/terms/title", text(f"文件{d}", "zh-Hans"))
            emit(doc, "http://purl.org/dc/terms/date", typed("2019-01-01", "date"))
            emit(doc, "http://purl.org/dc/terms/publisher", text("benchmark"))
        meetings = max(1, count // 50)
        for i in range(count):
            org = f"{OGR}org-{i}"
            hans, hant, en = org_name(i)
            emit(org, RDF_TYPE, iri(ORG + ("OrganizationalUnit" if i % 3 else "FormalOrganization")))
            emit(org, ORG + "classification", iri(f"https://w3id.org/orggraph/ns/org-type/{TYPES[i % len(TYPES)]}"))
            emit(org, SKOS + "prefLabel", text(hans, "zh-Hans"))
            emit(org, SKOS + "prefLabel", text(hant, "zh-Hant"))
            emit(org, SKOS + "prefLabel", text(en, "en"))
            emit(org, SKOS + "altLabel", text(f"U{i}", "en"))
            if i:
                emit(org, ORG + "subOrganizationOf", iri(f"{OGR}org-{(i - 1) // 8}"))
            evidence = f"{OGR}ev-{i // 10}"  # one passage names ten organisations
            emit(org, PROV + "wasDerivedFrom", iri(evidence))
            if i % 10 == 0:
                emit(evidence, RDF_TYPE, iri(OG + "Evidence"))
                emit(evidence, OA + "hasSource", iri(f"{OGR}doc-{i // 1000}"))
                emit(evidence, OA + "hasSelector", iri(f"{OGR}sel-{i}"))
                emit(f"{OGR}sel-{i}", OA + "start", typed(i % 900, "integer"))
                emit(f"{OGR}sel-{i}", OA + "end", typed(i % 900 + 120, "integer"))
            duty = f"{OGR}duty-{i}"
            task = TASKS[i % len(TASKS)]
            emit(duty, RDF_TYPE, iri(OG + "Duty"))
            emit(duty, SKOS + "prefLabel", text(f"{task[0]}{i}", "zh-Hans"))
            assignee = f"{OGR}collab-{i // 100}" if i % 5 == 0 and count >= 100 else org
            emit(duty, OG + "assignedTo", iri(assignee))
            emit(duty, OG + "assignedBy", iri(f"{OGR}org-{max(0, (i - 1) // 8)}"))
            emit(duty, OG + "assignedAt", iri(f"{OGR}meeting-{i % meetings}"))
            emit(duty, OG + "period", typed(YEARS[0] + i % len(YEARS), "gYear"))
            emit(duty, OG + "category", iri(f"https://w3id.org/orggraph/ns/duty-category/{CATEGORIES[i % 8]}"))
            emit(duty, PROV + "wasDerivedFrom", iri(evidence))
            if i % 3 == 2:
                emit(duty, OG + "subDutyOf", iri(f"{OGR}duty-{i - 1}"))
            if i % 10 == 0:
                person, post = f"{OGR}person-{i}", f"{OGR}post-{i}"
                emit(person, RDF_TYPE, iri(FOAF + "Person"))
                emit(person, SKOS + "prefLabel", text(f"人员{i}", "zh-Hans"))
                emit(person, ORG + "holds", iri(post))
                emit(post, RDF_TYPE, iri(ORG + "Post"))
                emit(post, SKOS + "prefLabel", text(f"{hans}主任", "zh-Hans"))
                emit(post, ORG + "postIn", iri(org))
                emit(post, ORG + "heldBy", iri(person))
        for c in range(count // 100):
            collab = f"{OGR}collab-{c}"
            emit(collab, RDF_TYPE, iri(ORG + "OrganizationalCollaboration"))
            emit(collab, SKOS + "prefLabel", text(f"联席会议{c}", "zh-Hans"))
            for k in range(10):
                member = f"{OGR}org-{c * 100 + k * 10 + 1}"
                emit(collab, ORG + "hasMember", iri(member))
        for m in range(meetings):
            meeting = f"{OGR}meeting-{m}"
            emit(meeting, RDF_TYPE, iri(OG + "Meeting"))
            emit(meeting, SKOS + "prefLabel", text(f"会议{m}", "zh-Hans"))
            emit(meeting, SCHEMA + "organizer", iri(f"{OGR}org-{m * 50 % count}"))
            emit(meeting, SCHEMA + "startDate", typed(f"{YEARS[0] + m % len(YEARS)}-0{1 + m % 9}-1{m % 10}", "date"))
            for k in range(5):
                emit(meeting, SCHEMA + "attendee", iri(f"{OGR}org-{(m * 50 + k * 7 + 3) % count}"))
    return written


if __name__ == "__main__":
    total = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{total} statements", file=sys.stderr)
