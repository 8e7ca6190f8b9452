"""What the review desk works with, as plain values a worker process can hand back: putting
documents' candidates in the queue, the queue's documents with how many candidates wait, one
document's items with their passages and decisions, and a decision taken on a form's values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from orggraph.errors import ResolutionError, UsageError
from orggraph.extract.findings import Extraction, organisation_names
from orggraph.extract.rules import extract_all
from orggraph.graph.resolution import OrganisationNames
from orggraph.iris import shorten
from orggraph.namespaces import OG
from orggraph.review.checks import shape_problems
from orggraph.review.decisions import WHEN, WHO, Decision, Edits, decide, decisions, duty_categories
from orggraph.review.items import Item, review_items
from orggraph.review.queue import QueuedDocument, enqueue, queued_documents, read_queued
from orggraph.text.documents import Document, document_from_text

__all__ = [
    "QueueReport",
    "decide_on",
    "queue_extracted",
    "queue_for_review",
    "queue_pasted",
    "queued_text",
    "review_document",
    "review_overview",
]

_CONTEXT = 24  # characters shown either side of a passage


@dataclass(frozen=True)
class QueueReport:
    """What :func:`queue_for_review` queued: the queue folder and, per document, its name, the
    candidates waiting and those decided before (which stay decided)."""

    folder: Path
    documents: list[tuple[str, int, int]]

    def lines(self) -> list[str]:
        """One line per document, for people."""
        return [
            f"queued {name}: {waiting} candidate(s) to review" + (f", {done} decided before" if done else "")
            for name, waiting, done in self.documents
        ]


def queue_for_review(
    graph: Any, folder: Path, documents: Sequence[Document], published: Sequence[bytes]
) -> QueueReport:
    """Extract ``documents`` against ``graph`` (known organisations keep their IRIs) and put their
    candidates in the review queue ``folder``, with the bytes each was ``published`` as.

    >>> import tempfile
    >>> from orggraph.rdf.readwrite import new_dataset
    >>> from orggraph.text.documents import document_from_text
    >>> text = "2020年5月6日,交通部科技司在南京召开联席会议。"
    >>> document = document_from_text(text, "a.txt")
    >>> report = queue_for_review(new_dataset(), Path(tempfile.mkdtemp()), [document], [text.encode()])
    >>> report.lines()
    ['queued a.txt: 3 candidate(s) to review']
    """
    names = organisation_names(graph)
    return queue_extracted(graph, folder, extract_all(documents, names=names), published, names=names)


def queue_extracted(
    graph: Any,
    folder: Path,
    results: Sequence[Extraction],
    published: Sequence[bytes],
    *,
    names: OrganisationNames | None = None,
) -> QueueReport:
    """:func:`queue_for_review` for documents already extracted against ``graph`` (with the
    organisation ``names`` read from it, if at hand)."""
    queued = enqueue(folder, results, published, names=organisation_names(graph) if names is None else names)
    taken = decisions(graph)
    return QueueReport(folder, [(document.name, *_progress(document, taken)) for document in queued])


def _progress(document: QueuedDocument, taken: dict[URIRef, Decision]) -> tuple[int, int]:
    """How many of a queued document's candidates wait, and how many are decided."""
    items = review_items(read_queued(document).graph(document.graph))
    done = sum(item.iri in taken for item in items)
    return len(items) - done, done


def queue_pasted(graph: Any, folder: Path, name: str, text: str) -> dict[str, Any]:
    """Queue a document pasted at the desk: ``text`` as published, under file name ``name``.
    Returns its key and what :func:`queue_for_review` says of it.

    >>> import tempfile
    >>> from orggraph.rdf.readwrite import new_dataset
    >>> queued = queue_pasted(new_dataset(), Path(tempfile.mkdtemp()), "a.txt", "交通部科技司在南京召开联席会议。")
    >>> len(queued["key"]), queued["waiting"]
    (16, 3)
    """
    name = name.strip()
    if not name or Path(name).name != name or name in (".", "..") or "\\" in name or len(name) > 200:
        raise UsageError("name the document with a file name of at most 200 characters, without folders")
    if not text.strip():
        raise UsageError("paste the document's text: it is empty")
    document = document_from_text(text, name, "utf-8")
    report = queue_for_review(graph, folder, [document], [text.encode("utf-8")])
    _, waiting, decided = report.documents[0]
    return {"key": document.sha256[:16], "waiting": waiting, "decided": decided}


def review_overview(graph: Any, folder: Path) -> list[dict[str, Any]]:
    """The queued documents: key, name, and how many candidates wait and were decided."""
    taken = decisions(graph)
    overview = []
    for document in queued_documents(folder):
        waiting, done = _progress(document, taken)
        overview.append({"key": document.key, "name": document.name, "waiting": waiting, "decided": done})
    return overview


def queued_text(folder: Path, key: str) -> dict[str, str] | None:
    """The name and raw text of queued document ``key``; None when the queue has none."""
    document = _find(folder, key)
    return None if document is None else {"key": document.key, "name": document.name, "text": document.text()}


def _find(folder: Path, key: str) -> QueuedDocument | None:
    return next((document for document in queued_documents(folder) if document.key == key), None)


def review_document(graph: Any, folder: Path, key: str) -> dict[str, Any] | None:
    """One queued document for the desk: its name, and each item with its names, statements,
    passages (quoted with their context), the shapes' violations it would bring (see
    :func:`~orggraph.review.checks.shape_problems`) and decision; the document's organisations,
    which a duty may be given to (a meeting convened by, an achievement credited to), and the
    duty categories. None when the queue has no document ``key``."""
    document = _find(folder, key)
    if document is None:
        return None
    candidates = read_queued(document).graph(document.graph)
    items = review_items(candidates)
    problems = shape_problems(graph, candidates, items)
    taken = decisions(graph)
    text = document.text()
    named = {item.iri: item.name for item in items}
    for decision in taken.values():
        if decision.target is not None:
            named.setdefault(decision.target, shorten(str(decision.target)))
    shown = [_shown(item, taken.get(item.iri), named, text, problems.get(item.iri, [])) for item in items]
    organisations = [{"iri": str(item.iri), "name": item.name} for item in items if item.kind == "organisation"]
    offered = {organisation["iri"] for organisation in organisations}
    for item in shown:  # what an item names now stays selected in its edit form, even if not the document's
        others = [iri for iri in item["assignees"] if iri not in offered]
        item["others"] = [{"iri": iri, "name": named.get(URIRef(iri)) or shorten(iri)} for iri in others]
    return {
        "key": document.key,
        "name": document.name,
        "items": shown,
        "waiting": sum(item["decision"] is None for item in shown),
        "organisations": organisations,
        "categories": [{"iri": str(iri), "name": name} for iri, name in duty_categories()],
    }


def _shown(
    item: Item, decision: Decision | None, named: dict[URIRef, str], text: str, problems: list[str]
) -> dict[str, Any]:
    def value(term: Any) -> str:
        if isinstance(term, Literal):
            return str(term)
        return named.get(term) or shorten(str(term))

    passages = [
        {
            "start": start,
            "end": end,
            "before": text[max(0, start - _CONTEXT) : start],
            "text": text[start:end],
            "after": text[end : end + _CONTEXT],
        }
        for start, end in item.passages
    ]
    return {
        "iri": str(item.iri),
        "anchor": item.anchor,
        "kind": item.kind,
        "candidate": item.candidate,
        "name": item.name,
        "names": {language: item.names.get(language.lower(), "") for language in ("zh-Hans", "zh-Hant", "en")},
        "aliases": item.aliases,
        "statements": [(shorten(str(prop)), value(term)) for prop, term in item.statements],
        "passages": passages,
        "depends": [named.get(iri, shorten(str(iri))) for iri in item.depends],
        "problems": problems,
        "assignees": [str(term) for term in item.value(WHO[item.kind])] if item.kind in WHO else [],
        "year": next((str(term) for term in item.value(WHEN[item.kind])), "") if item.kind in WHEN else "",
        "category": next((str(term) for term in item.value(OG.category)), ""),
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "reviewer": decision.reviewer,
            "time": decision.time,
            "target": value(decision.target) if decision.target is not None else "",
        },
    }


def decide_on(graph: Any, folder: Path, key: str, form: dict[str, Any]) -> dict[str, str]:
    """Take the decision a desk form says (``candidate``, ``outcome``, ``reviewer``; names
    ``name_zh-Hans`` …, ``assignee`` (a list: who a duty is assigned to, a meeting convened by,
    an achievement credited to), ``year``, ``category`` for an edit; ``target``
    for a merge) on a candidate of queued document ``key``; returns the decision and the
    item's anchor."""
    document = _find(folder, key)
    if document is None:
        raise ResolutionError(f"the review queue has no document {key}; reload the review page")
    outcome = str(form.get("outcome", ""))
    edits = None
    if outcome == "edited":
        names = {
            language: str(form[f"name_{language}"])
            for language in ("zh-Hans", "zh-Hant", "en")
            if f"name_{language}" in form
        }
        assignees = form.get("assignee")
        edits = Edits(
            names=names,
            assignees=tuple(str(a) for a in assignees if str(a).strip()) if assignees is not None else None,
            year=str(form["year"]) if "year" in form else None,
            category=str(form["category"]) if "category" in form else None,
        )
    target = str(form["target"]) if outcome == "merged" else None
    decision = decide(
        graph,
        document,
        str(form.get("candidate", "")),
        outcome,
        str(form.get("reviewer", "")),
        edits=edits,
        target=target,
    )
    return {"outcome": decision.outcome, "anchor": str(decision.candidate).rsplit("/", 1)[-1], "time": decision.time}
