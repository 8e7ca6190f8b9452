"""Build a store from many documents: extract each, give every organisation one identity across
them, and merge each document into a named graph of its own.

A document is known by its SHA-256: building twice adds nothing, and a document whose text changed
since it was built is replaced only when asked (``replace=True``) — otherwise nothing is written
and the error names the changed documents. Organisations keep the IRI the store already gives them
(curated ones win); an organisation first met in one document keeps its IRI in the next, under
any name the first defined for it (full name, abbreviation, either script), so a corpus makes one
node per organisation, not one per document.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from orggraph.errors import InputError, UsageError
from orggraph.extract.candidates import candidate_graphs
from orggraph.extract.findings import organisation_names
from orggraph.extract.lexicon import GENERIC_UNITS, SUFFIXES
from orggraph.extract.people import title_of
from orggraph.extract.rules import KnownNames, extract
from orggraph.graph.resolution import OrganisationNames
from orggraph.graph.validation import check_triples
from orggraph.namespaces import FOAF, OG, OGR, ORG, SCHEMA
from orggraph.store.backends import open_graph, store_spec
from orggraph.store.loading import close_graph, merge_triples
from orggraph.store.sparql import select_rows
from orggraph.text.documents import Document, read_document
from orggraph.text.normalization import normalize_name, to_simplified

__all__ = ["BuildReport", "DocumentReport", "build_store", "document_paths"]

_DOCUMENTS = """
SELECT ?g ?name ?sha WHERE {
  GRAPH ?g { ?doc a og:SourceDocument ; dcterms:identifier ?name ; og:sha256 ?sha }
}"""


@dataclass(frozen=True)
class DocumentReport:
    """What a build did with one document: ``status`` is added, replaced or unchanged."""

    path: str
    status: str
    triples: int = 0
    organisations: int = 0
    people: int = 0
    meetings: int = 0
    duties: int = 0

    def line(self) -> str:
        if self.status == "unchanged":
            return f"{self.path}: unchanged (already in the store)"
        return (
            f"{self.path}: {self.status}, {self.triples} triples — {self.organisations} organisation(s), "
            f"{self.people} people, {self.meetings} meeting(s), {self.duties} duties"
        )


@dataclass
class BuildReport:
    """What a build did: one line per document, and what validation says of the new candidates."""

    store: str
    documents: list[DocumentReport] = field(default_factory=list)
    violations: int = 0
    warnings: int = 0

    def lines(self) -> list[str]:
        lines = [document.line() for document in self.documents]
        added = [d for d in self.documents if d.status != "unchanged"]
        lines.append(f"{len(added)} document(s) built into {self.store}, {len(self.documents) - len(added)} unchanged")
        if added and self.violations < 0:
            lines.append("candidates not checked against the shapes: `orggraph validate` with this store does it")
        elif added:
            lines.append(
                f"candidates: {self.violations} violation(s), {self.warnings} warning(s) of the shapes"
                + (" — see `orggraph validate` with this store" if self.violations or self.warnings else "")
            )
        return lines


def document_paths(sources: Iterable[str | Path]) -> list[Path]:
    """The documents named: files as given, and every ``*.txt`` under a folder, in name order.

    >>> document_paths([])
    []
    """
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not found:
                raise InputError(f"{path}: no *.txt documents in this folder; give documents or a folder of them")
            paths += found
        elif path.is_file():
            paths.append(path)
        else:
            raise InputError(f"{path}: no such file or folder; give documents or a folder of them")
    return list(dict.fromkeys(paths))


_MEETINGS = """
SELECT ?meeting ?date ?convener WHERE { ?meeting a og:Meeting ; schema:startDate ?date ; schema:organizer ?convener }"""
_GENERIC = frozenset({*SUFFIXES, *GENERIC_UNITS})
_DIFFERENT = """
SELECT ?other ?name WHERE {
  { ?named owl:differentFrom ?other } UNION { ?other owl:differentFrom ?named }
  ?named skos:prefLabel|skos:altLabel ?name .
}"""
_PEOPLE = """
SELECT ?person ?name ?employer WHERE {
  ?person a foaf:Person ; skos:prefLabel|skos:altLabel ?name .
  OPTIONAL { ?person schema:worksFor ?employer }
}"""
_POSTS = """
SELECT ?post ?name ?organisation ?holder WHERE {
  ?post a org:Post ; skos:prefLabel|skos:altLabel ?name ; org:postIn ?organisation .
  OPTIONAL { ?post org:heldBy ?holder }
}"""


class _GrowingNames(OrganisationNames):
    """Who is who: the store's organisations, meetings and people, and those of the documents built
    so far in this run. An organisation is found by any of its names, or by a name that abbreviates
    part of one (交通部 + 科技司 = 交通部科学技术司 when 科技司 names it); a meeting by its date and
    a convener; a person by name among the people of an organisation they work for; a post by its
    title, organisation and holder."""

    def __init__(self, names: OrganisationNames | None, graph: Dataset) -> None:
        super().__init__(graph)
        self._stored_names = names
        self._found: dict[str, URIRef | None] = {}  # normalised name → IRI (None when shared)
        self._labels_found: dict[URIRef, set[str]] = {}
        self.known = KnownNames({} if names is None else names.gazetteer)
        self._meetings: dict[tuple[str, str], URIRef] = {}
        self._people: dict[str, list[tuple[URIRef, set[URIRef]]]] = {}
        self.decisions: dict[tuple[str, URIRef], str] = {}  # (name as written, thing) → rule, per document
        self._different: set[tuple[str, str]] = set()  # (normalised name, thing) a curator kept apart
        for thing, name in select_rows(graph, _DIFFERENT):
            self._different.add((normalize_name(str(name)), str(thing)))
        for meeting, date, convener in select_rows(graph, _MEETINGS):
            self._meetings[(str(date), str(convener))] = URIRef(str(meeting))
        employers: dict[tuple[str, str], set[URIRef]] = {}
        for person, name, employer in select_rows(graph, _PEOPLE):
            found = employers.setdefault((normalize_name(str(name)), str(person)), set())
            if employer is not None:
                found.add(URIRef(str(employer)))
        for (key, person), found in employers.items():
            self._people.setdefault(key, []).append((URIRef(person), found))
        self._posts: dict[tuple[str, str, str], URIRef] = {}  # (title, organisation, holder) → post
        for post, name, organisation, holder in select_rows(graph, _POSTS):
            self._posts.setdefault((title_of(str(name)), str(organisation), str(holder)), URIRef(str(post)))

    def _named(self, text: str) -> tuple[URIRef | None, str]:
        known = self._stored_names.find(text) if self._stored_names is not None else None
        if known is not None:
            return known, "a name the graph has"
        return self._found.get(normalize_name(text)), "a name an earlier document gave it"

    def _decide(self, text: str, thing: URIRef | None, rule: str) -> URIRef | None:
        """``thing``, unless a curator said that what ``text`` names is different from it."""
        if thing is None or (normalize_name(text), str(thing)) in self._different:
            return None
        self.decisions.setdefault((text, thing), rule)
        return thing

    def find(self, text: str) -> URIRef | None:
        found, rule = self._named(text)
        if found is not None:
            return self._decide(text, found, rule)
        name = to_simplified(text.strip())
        for split in range(2, len(name) - 1):  # 交通部|科技司: a parent's name, then an abbreviation
            head, rest = name[:split], name[split:]
            candidate = self._named(rest)[0]
            if candidate is None:
                continue
            labels = set(self._labels_found.get(candidate, ()))
            if self._stored_names is not None:
                labels |= set(self._stored_names.labels_of(candidate))
            if any(to_simplified(label).startswith(head) and len(label) > len(name) for label in labels):
                return self._decide(text, candidate, "a parent's name and an abbreviation of the thing")
        return None

    def meeting(self, name: str, date: str | None, conveners: list[URIRef]) -> URIRef | None:
        if date is None:
            return None
        found = next((self._meetings[(date, str(c))] for c in conveners if (date, str(c)) in self._meetings), None)
        return self._decide(name, found, "the same date and convener")

    def person(self, name: str, organisations: list[URIRef]) -> URIRef | None:
        matches = {p for p, employers in self._people.get(normalize_name(name), []) if employers & set(organisations)}
        return (
            self._decide(name, matches.pop(), "the same name at the same organisation") if len(matches) == 1 else None
        )

    def post(self, title: str, organisations: list[URIRef], holders: list[URIRef]) -> URIRef | None:
        found = {
            self._posts[key]
            for key in ((title, str(o), str(h)) for o in organisations for h in holders)
            if key in self._posts
        }
        return self._decide(title, found.pop(), "the same title, organisation and holder") if len(found) == 1 else None

    def learn(self, triples: Iterable[tuple[object, object, object]]) -> None:
        """Remember the organisations, meetings, people and posts of a document just built."""
        by_predicate: dict[object, list[tuple[object, object]]] = {}
        for subject, predicate, value in triples:  # one pass: a document's graph has thousands
            by_predicate.setdefault(predicate, []).append((subject, value))
        posts: dict[object, dict[URIRef, set[object]]] = {}
        for predicate in _POST_FACTS:
            for subject, value in by_predicate.get(predicate, ()):
                posts.setdefault(subject, {}).setdefault(predicate, set()).add(value)
        for post, found in posts.items():
            for name in found.get(_PREF_LABEL, ()):
                for organisation in found.get(_POST_IN, ()):
                    for holder in found.get(_HELD_BY, ()):
                        held = (title_of(str(name)), str(organisation), str(holder))
                        self._posts.setdefault(held, post)  # type: ignore[arg-type]
        types = by_predicate.get(_TYPE, [])
        organisations = {s for s, o in types if o in _ORGANISATION_TYPES}
        people = {s for s, o in types if o == _PERSON}
        dates = {s: str(o) for s, o in by_predicate.get(_START_DATE, ())}
        for subject, value in by_predicate.get(_ORGANIZER, ()):
            if subject in dates and isinstance(value, URIRef):
                self._meetings.setdefault((dates[subject], str(value)), subject)  # type: ignore[arg-type]
        employers: dict[object, set[URIRef]] = {}
        for subject, value in by_predicate.get(_WORKS_FOR, ()):
            if subject in people and isinstance(value, URIRef):
                employers.setdefault(subject, set()).add(value)
        labels = by_predicate.get(_PREF_LABEL, []) + by_predicate.get(_ALT_LABEL, [])
        for subject, label in labels:
            if subject not in people and subject not in organisations:
                continue
            if not isinstance(label, Literal) or not str(label.language or "").lower().startswith("zh"):
                continue
            key = normalize_name(str(label))
            if subject in people:
                entry = (subject, employers.get(subject, set()))
                known = self._people.setdefault(key, [])
                if all(p != subject for p, _ in known):
                    known.append(entry)  # type: ignore[arg-type]
                continue
            self._labels_found.setdefault(subject, set()).add(str(label))  # type: ignore[arg-type]
            simplified = to_simplified(str(label))
            if simplified in _GENERIC:
                continue  # 标委会, 领导小组: each document's own body, never another document's
            if key in self._found:
                if self._found[key] != subject:
                    self._found[key] = None  # two organisations share it: it names neither
                continue
            if self._stored_names is not None and self._stored_names.find(str(label)) is not None:
                continue  # a name the store knows keeps its meaning
            self._found[key] = subject  # type: ignore[assignment]
            if len(simplified) >= 3 and simplified not in self.known:
                self.known.add(simplified, str(label))


_TYPE, _PREF_LABEL, _ALT_LABEL = RDF.type, SKOS.prefLabel, SKOS.altLabel
_POST_IN, _HELD_BY, _WORKS_FOR = ORG.postIn, ORG.heldBy, SCHEMA.worksFor
_START_DATE, _ORGANIZER, _PERSON = SCHEMA.startDate, SCHEMA.organizer, FOAF.Person
_POST_FACTS = (_POST_IN, _HELD_BY, _PREF_LABEL)
_ORGANISATION_TYPES = frozenset((ORG.Organization, ORG.FormalOrganization))


def _decision_triples(decisions: dict[tuple[str, URIRef], str], digest: str) -> list[tuple[object, object, object]]:
    """Each merge decision of a document, as an og:MergeDecision for the document's graph."""
    source = OGR[f"doc-{digest[:12]}"]
    triples: list[tuple[object, object, object]] = []
    for (name, thing), rule in decisions.items():
        key = hashlib.sha256(f"{digest}|{name}|{thing}".encode()).hexdigest()[:16]
        decision = OGR[f"merge-{key}"]
        triples += [
            (decision, RDF.type, OG.MergeDecision),
            (decision, OG.mergedName, Literal(name)),
            (decision, OG.mergedInto, thing),
            (decision, OG.mergeRule, Literal(rule, lang="en")),
            (decision, PROV.wasDerivedFrom, source),
        ]
    return triples


def _digest(document: Document) -> str:
    return document.sha256


def build_store(
    sources: Sequence[str | Path],
    spec: str | None,
    *,
    replace: bool = False,
    encoding: str | None = None,
    update_endpoint: str | None = None,
    progress: Callable[[str], None] | None = None,
    validate_candidates: bool = True,
) -> BuildReport:
    """Extract every document of ``sources`` (files, or folders of ``*.txt``) and merge each into
    the persistent store ``spec``, a named graph per document; see the module documentation.
    ``progress`` is called with each document's path as it is read; ``validate_candidates=False``
    skips checking the new candidates against the shapes.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("2020年5月6日,交通部科技司在南京召开联席会议。", encoding="utf-8")
    >>> [d.status for d in build_store([folder], f"oxigraph:{folder / 'db'}").documents]
    ['added']
    >>> [d.status for d in build_store([folder], f"oxigraph:{folder / 'db'}").documents]
    ['unchanged']
    """
    spec = store_spec(spec)
    if spec == "memory":
        raise UsageError("building needs a persistent store: {store} oxigraph:PATH or an endpoint", parameters="store")
    paths = document_paths(sources)
    graph = open_graph(spec, read_only=False, update_endpoint=update_endpoint)  # a new store is created
    try:
        return _build(
            graph, spec, paths, replace=replace, encoding=encoding, progress=progress, check=validate_candidates
        )
    finally:
        close_graph(graph)


def _build(
    graph: Dataset,
    spec: str,
    paths: list[Path],
    *,
    replace: bool,
    encoding: str | None,
    progress: Callable[[str], None] | None,
    check: bool = True,
) -> BuildReport:
    stored: dict[str, list[tuple[str, str]]] = {}
    for row in select_rows(graph, _DOCUMENTS):
        stored.setdefault(str(row[1]), []).append((str(row[0]), str(row[2])))
    documents = [read_document(path, encoding) for path in paths]
    changed = []
    for path, document in zip(paths, documents, strict=True):
        versions = stored.get(document.name, [])
        if versions and _digest(document) not in {sha for _, sha in versions} and not replace:
            changed.append(str(path))
    if changed:
        raise UsageError(
            f"{len(changed)} document(s) changed since they were built ({', '.join(changed[:3])}"
            f"{' …' if len(changed) > 3 else ''}); pass {{replace}} to replace them",
            parameters="replace",
        )
    names = _GrowingNames(organisation_names(graph), graph)
    report = BuildReport(spec)
    candidates: dict[str, list[tuple[object, object, object]]] = {}
    drop: list[str] = []
    built: set[str] = set()  # digests built in this run: the same text under two names is one document
    for path, document in zip(paths, documents, strict=True):
        if progress is not None:
            progress(str(path))
        digest = _digest(document)
        versions = stored.get(document.name, [])
        if digest in {sha for _, sha in versions} or digest in built:
            report.documents.append(DocumentReport(str(path), "unchanged"))
            continue
        built.add(digest)
        drop += [iri for iri, _ in versions]
        result = extract(document, known_names=names.known)
        names.decisions.clear()
        for iri, triples in candidate_graphs([result], names=names, identities=names).items():
            triples = list(triples) + _decision_triples(names.decisions, digest)
            candidates[str(iri)] = triples
            names.learn(triples)
            kinds = [f.kind for f in result.findings]
            report.documents.append(
                DocumentReport(
                    str(path),
                    "replaced" if versions else "added",
                    len(triples),
                    len({f.name for f in result.findings if f.kind == "organisation"}),
                    len({f.name for f in result.findings if f.kind == "person"}),
                    kinds.count("meeting"),
                    kinds.count("duty"),
                )
            )
    if any(d.status != "unchanged" for d in report.documents):
        if check:
            with _checked_beside(candidates) as counted:
                merge_triples(graph, candidates, drop=drop, new=True)
            report.violations, report.warnings = counted()
        else:
            merge_triples(graph, candidates, drop=drop, new=True)
            report.violations = report.warnings = -1
    return report


Candidates = dict[str, list[tuple[object, object, object]]]  # graph IRI → its triples


def _counts(candidates: Candidates) -> tuple[int, int]:
    checked = check_triples(triple for triples in candidates.values() for triple in triples)
    return len(checked.violations), len(checked.warnings)


@contextlib.contextmanager
def _checked_beside(candidates: Candidates) -> Iterator[Callable[[], tuple[int, int]]]:
    """The shapes check of the candidates (violations, warnings), run in a forked process while
    the body merges them into the store: the check is pure Python and the merge mostly holds the
    interpreter, so on two cores they take the time of the longer one. Where a process cannot be
    forked, the check runs here after the body."""
    try:
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=_send_counts, args=(candidates, sending), daemon=True)
        child.start()
        sending.close()
    except (ValueError, OSError):  # no fork here (another platform, no processes left)
        yield lambda: _counts(candidates)
        return
    try:
        yield lambda: _received(receiving, child, candidates)
    except BaseException:
        child.kill()  # the merge failed: its check is of no use
        child.join()
        raise


def _send_counts(candidates: Candidates, sending: Any) -> None:
    sending.send(_counts(candidates))


def _received(receiving: Any, child: Any, candidates: Candidates) -> tuple[int, int]:
    try:
        counts = receiving.recv()
    except (EOFError, OSError):  # the child died: check here
        counts = None
    finally:
        receiving.close()
        child.join()
    return _counts(candidates) if counts is None else (int(counts[0]), int(counts[1]))
