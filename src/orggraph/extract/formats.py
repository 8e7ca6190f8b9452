"""Extraction results written out: ``facts`` (what ``shared/gold/score.py`` reads), ``jsonl``
(one finding per line with its span in the raw document), and candidate RDF as ``ttl`` or ``trig``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from orggraph.extract.candidates import candidate_graphs
from orggraph.extract.findings import Extraction, organisation_names
from orggraph.extract.rules import extract_all
from orggraph.formats import EXTRACTION_FORMATS
from orggraph.graph.resolution import OrganisationNames
from orggraph.namespaces import PREFIXES
from orggraph.rdf.turtle import write_trig, write_turtle
from orggraph.text.documents import Document
from orggraph.text.normalization import normalize_name

__all__ = ["EXTRACTION_FORMATS", "extract_documents", "format_extractions", "to_facts", "to_jsonl"]


def to_facts(results: Iterable[Extraction]) -> dict[str, list[dict[str, str]]]:
    """The ``{"entities": [...], "triples": [...]}`` form read by ``shared/gold/score.py``."""
    entities: dict[str, dict[str, str]] = {}
    triples: list[dict[str, str]] = []
    for result in results:
        for finding in result.findings:
            key = normalize_name(finding.name)
            if finding.attributes.get("alias_of"):
                continue  # a mention by a defined abbreviation is the same organisation
            if finding.kind in ("organisation", "person", "meeting") and key not in entities:
                entities[key] = {"name": finding.name, "type": finding.kind}
        holders: dict[str, int] = {}
        for _, relation, post in result.relations:
            if relation == "holdsPost":
                holders[post] = holders.get(post, 0) + 1
        for s, r, o in result.relations:
            # a post title held by several people (副组长) is a post of each: one postIn per holder
            copies = holders.get(s, 1) if r == "postIn" else 1
            triples += [{"s": s, "r": r, "o": o}] * max(1, copies)
    return {"entities": list(entities.values()), "triples": triples}


def to_jsonl(results: Iterable[Extraction]) -> str:
    """One JSON object per finding: document, kind, name, span in the raw document, attributes."""
    lines = []
    for result in results:
        for finding in result.findings:
            raw_start, raw_end = result.document.raw_span(finding.start, finding.end)
            lines.append(
                json.dumps(
                    {
                        "document": result.document.name,
                        "kind": finding.kind,
                        "name": finding.name,
                        "start": raw_start,
                        "end": raw_end,
                        **finding.attributes,
                    },
                    ensure_ascii=False,
                )
            )
    return "\n".join(lines)


def extract_documents(documents: Iterable[Document], fmt: str = "facts", graph: Any = None) -> str:
    """Extract every document and format the findings (see :func:`format_extractions`)."""
    names = organisation_names(graph)
    return format_extractions(extract_all(documents, names=names), fmt, graph, names=names)


def format_extractions(
    results: list[Extraction], fmt: str = "facts", graph: Any = None, *, names: OrganisationNames | None = None
) -> str:
    """The findings as ``facts`` (for score.py), ``jsonl``, or candidate RDF as ``ttl`` (all
    documents together) or ``trig`` (a named graph per document), reusing the IRIs of
    organisations already in ``graph`` (or in ``names``, see :func:`organisation_names`)."""
    if fmt == "jsonl":
        return to_jsonl(results)
    if fmt in ("ttl", "trig"):
        graphs = candidate_graphs(results, graph, names=names)
        if fmt == "trig":
            return write_trig(graphs.items(), PREFIXES)
        return write_turtle(dict.fromkeys(triple for triples in graphs.values() for triple in triples), PREFIXES)
    return json.dumps(to_facts(results), ensure_ascii=False, indent=1)
