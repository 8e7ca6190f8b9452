"""An organisation's timeline as plain rows (see the ``timeline`` named query)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orggraph.analysis.records import duty_records
from orggraph.graph.named_queries import run_named_query
from orggraph.graph.resolution import resolve_organisation
from orggraph.graph.results import to_records
from orggraph.store.sparql import select_rows
from orggraph.text.escaping import script_safe_json

__all__ = ["timeline", "timeline_html", "timeline_payload"]

_TEMPLATE = Path(__file__).resolve().parent / "templates" / "timeline.html"


def timeline(graph: Any, org: str) -> dict[str, list[dict[str, object]]]:
    """Year → the meetings, posts and duties of ``org`` that year, in date order.

    >>> from orggraph.store.loading import load_graph
    >>> years = timeline(load_graph(), "中安协")
    >>> list(years), [row["kind"] for row in years["2019"]].count("duty")
    (['2018', '2019', '2023'], 28)
    """
    years: dict[str, list[dict[str, object]]] = {}
    for row in to_records(run_named_query(graph, "timeline", {"org": org})):
        years.setdefault(str(row.get("year") or "–"), []).append(row)
    return years


def timeline_payload(graph: Any, org: str) -> dict[str, object]:
    """What the timeline page shows: the organisation, its meetings (date, role, place, who attended,
    what was assigned there) and per year the count of each kind of row.

    >>> from orggraph.store.loading import load_graph
    >>> payload = timeline_payload(load_graph(), "中安协")
    >>> [m["date"] for m in payload["meetings"]], len(payload["meetings"][1]["duties"]) > 20
    (['2018-05-03', '2019-02-21', '2023-02-07'], True)
    """
    iri = resolve_organisation(graph, org)
    years = timeline(graph, str(iri))
    duties = duty_records(graph)
    meetings: list[dict[str, Any]] = []
    for row in to_records(run_named_query(graph, "meetings", {"org": str(iri)})):
        meeting = str(row["meeting"])
        if any(m["meeting"] == meeting for m in meetings):
            continue
        attendees = [
            {"name": str(a.get("name_zh_hans") or a["attendee"]), "role": str(a.get("role") or "")}
            for a in to_records(run_named_query(graph, "attendees", {"meeting": meeting}))
        ]
        assigned = {
            (str(d.get("organisation_zh_hans") or d["organisation"]), str(d.get("task_zh_hans") or d["duty"]))
            for d in duties
            if str(d.get("meeting")) == meeting
        }
        meetings.append(
            {
                "meeting": meeting,
                "name": str(row.get("name_zh_hans") or meeting),
                "date": str(row.get("date") or ""),
                "role": str(row.get("role") or ""),
                "place": str(row.get("place") or ""),
                "document": str(row.get("document") or ""),
                "attendees": attendees,
                "duties": [{"organisation": o, "task": t} for o, t in sorted(assigned)],
            }
        )
    counts = {year: _count_kinds(rows) for year, rows in years.items()}
    label = f'SELECT ?name WHERE {{ {iri.n3()} skos:prefLabel ?name FILTER(langMatches(lang(?name), "zh-Hans")) }}'
    names = [str(row[0]) for row in select_rows(graph, label)]
    return {"organisation": names[0] if names else org, "meetings": meetings, "years": counts}


def _count_kinds(rows: list[dict[str, object]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["kind"])] = counts.get(str(row["kind"]), 0) + 1
    return counts


def timeline_html(graph: Any, org: str) -> str:
    """A self-contained, offline timeline page of ``org``: its meetings on a time axis; a click on
    one shows who attended and what was assigned there."""
    payload = script_safe_json(timeline_payload(graph, org))
    return _TEMPLATE.read_text(encoding="utf-8").replace("/*TIMELINE_JSON*/", payload, 1)
