"""Draft the bundled graph of a corpus document for review: what ``orggraph build`` extracts from
it, next to the curated graphs already in ``data/``, written as one Turtle file per document.

The draft is where a review starts; what ships is the draft with the reviewer's corrections, which
live in ``tools/review/<document>.yaml`` (read against the source text by a person; see
docs/data.md): nodes merged, edges added or removed, organisation types, duty categories, English
names, the document's title and publisher. Each correction names things by their Chinese name, so
it survives a new draft. Documents are drafted in date order into ``data/``, each next to those
before it, so that an organisation or person met before keeps its IRI:

    python tools/draft_corpus_data.py ../shared/corpus/*.txt --review tools/review -o data

What the draft adds to the build's candidates, because reviewed data needs it:
- plain edges (attendee, organizer, worksFor, …) get an rdf:Statement with the evidence of the
  sentence that states them (the smallest sentence holding evidence of both ends);
- ``candidate-`` drops out of the IRIs, and text selectors become blank nodes;
- the source document gets its headline as its title.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

import orggraph
from orggraph.extract.building import build_store
from orggraph.namespaces import OA, OG, OGC, OGR, OGT, ORG, PREFIXES, SCHEMA
from orggraph.resources import data_files
from orggraph.store.backends import open_graph
from orggraph.store.loading import close_graph, load_files
from orggraph.text.documents import Document, read_document
from orggraph.text.normalization import normalize_name, to_simplified, to_traditional

PLAIN_EDGES = (
    ORG.subOrganizationOf,
    ORG.unitOf,
    OG.designatedBy,
    SCHEMA.organizer,
    SCHEMA.attendee,
    SCHEMA.startDate,
    SCHEMA.location,
    OG.attendeeCount,
    OG.speaker,
    OG.chair,
    SCHEMA.worksFor,
)
_SENTENCE_END = re.compile(r"[。;;!?!?\n]")


def _sentences(raw: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(raw):
        if raw[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if raw[start:].strip():
        spans.append((start, len(raw)))
    return spans


def _rename(term: object) -> object:
    if isinstance(term, URIRef):
        text = str(term)
        if "/genid/" in text:
            return BNode(text.rsplit("/", 1)[-1])
        return URIRef(text.replace("/id/candidate-", "/id/"))
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))  # a store's round trip types plain strings
    return term


class _Draft:
    """The draft graph of one document, and the corrections a review makes to it."""

    def __init__(self, graph: Graph, document: Document, digest: str, before: set[URIRef]) -> None:
        self.graph, self.document, self.digest = graph, document, digest
        self.before = before  # what the curated graphs or earlier documents already define
        self.doc = next(graph.subjects(RDF.type, OG.SourceDocument))
        self.sentences = _sentences(document.raw)

    # ---- evidence ----------------------------------------------------------------------------
    def spans(self, thing: object) -> list[tuple[int, int]]:
        found = []
        for evidence in self.graph.objects(thing, PROV.wasDerivedFrom):  # type: ignore[arg-type]
            for selector in self.graph.objects(evidence, OA.hasSelector):
                found.append((int(self.graph.value(selector, OA.start)), int(self.graph.value(selector, OA.end))))  # type: ignore[arg-type]
        return sorted(found)

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return next(((a, b) for a, b in self.sentences if a <= offset < b), (offset, offset + 1))

    def evidence(self, start: int, end: int) -> URIRef:
        node = OGR[f"ev-{self.digest[:12]}-{start}-{end}"]
        if (node, RDF.type, OG.Evidence) not in self.graph:
            selector = BNode()
            self.graph.add((node, RDF.type, OG.Evidence))
            self.graph.add((node, OA.hasSource, self.doc))
            self.graph.add((node, OA.hasSelector, selector))
            self.graph.add((selector, RDF.type, OA.TextPositionSelector))
            self.graph.add((selector, OA.start, Literal(start)))
            self.graph.add((selector, OA.end, Literal(end)))
        return node

    def text_span(self, text: str) -> tuple[int, int]:
        """Where ``text`` (either script) is written in the document, as raw offsets."""
        at = self.document.simplified.find(to_simplified(text))
        if at < 0:
            raise SystemExit(f"review of {self.document.name}: {text!r} is not in the text")
        return self.document.raw_span(at, at + len(text))

    def statement(self, subject: object, predicate: URIRef, value: object) -> None:
        """Evidence for a plain edge: the sentence holding evidence of both ends, else of one."""
        ends = [self.sentence_of(a) for a, _ in self.spans(subject)]
        others = [self.sentence_of(a) for a, _ in self.spans(value)] if isinstance(value, URIRef) else []
        shared = [s for s in ends if s in others]
        chosen = (shared or others or ends or [None])[0]
        if chosen is None:
            return
        for old in self.graph.subjects(RDF.subject, subject):  # type: ignore[arg-type]
            if (old, RDF.predicate, predicate) in self.graph and (old, RDF.object, value) in self.graph:
                return
        statement = BNode()
        self.graph.add((statement, RDF.type, RDF.Statement))
        self.graph.add((statement, RDF.subject, subject))  # type: ignore[arg-type]
        self.graph.add((statement, RDF.predicate, predicate))
        self.graph.add((statement, RDF.object, value))  # type: ignore[arg-type]
        self.graph.add((statement, PROV.wasDerivedFrom, self.evidence(*chosen)))

    # ---- names ---------------------------------------------------------------------------------
    def labels(self, thing: object) -> set[str]:
        return {normalize_name(str(v)) for v in self.graph.objects(thing, SKOS.prefLabel | SKOS.altLabel)}  # type: ignore[arg-type]

    def find(self, name: str) -> URIRef:
        """A node by its name (``holder/title`` for a post, ``ogr:…`` for a curated IRI)."""
        if name.startswith("ogr:"):
            return OGR[name[4:]]
        if "/" in name and not name.isascii():  # holder/title, or holder/title/organisation
            holder, title, *within = name.split("/")
            holds = self.graph.objects(self.find(holder), ORG.holds)
            posts = [p for p in holds if normalize_name(title) in self.labels(p)]
            if within:
                posts = [p for p in posts if (p, ORG.postIn, self.find(within[0])) in self.graph]
            if len(posts) != 1:
                raise SystemExit(f"review of {self.document.name}: {len(posts)} posts {name!r}")
            return posts[0]  # type: ignore[return-value]
        key = normalize_name(name)
        found = {
            s
            for s, o in self.graph.subject_objects(SKOS.prefLabel | SKOS.altLabel)
            if normalize_name(str(o)) == key and isinstance(s, URIRef)
        }
        if len(found) != 1:
            raise SystemExit(f"review of {self.document.name}: {name!r} names {len(found)} things: {found}")
        return found.pop()

    def value(self, predicate: URIRef, text: Any) -> Any:
        literal = {SCHEMA.startDate: XSD.date, OG.attendeeCount: XSD.integer, OG.period: XSD.gYear, OG.year: XSD.gYear}
        if predicate in literal:
            return Literal(str(text), datatype=literal[predicate])
        return self.find(str(text))

    # ---- corrections ----------------------------------------------------------------------------
    def merge(self, into: URIRef, other: URIRef) -> None:
        graph = self.graph
        languages = {v.language for v in graph.objects(into, SKOS.prefLabel)}  # type: ignore[union-attr]
        for _, predicate, value in list(graph.triples((other, None, None))):
            graph.remove((other, predicate, value))
            if predicate == SKOS.prefLabel and (value.language in languages or into in self.before):  # type: ignore[union-attr]
                predicate = SKOS.altLabel
            graph.add((into, predicate, value))
        for subject, predicate, _ in list(graph.triples((None, None, other))):
            graph.remove((subject, predicate, other))
            graph.add((subject, predicate, into))
        for predicate in (ORG.subOrganizationOf, ORG.unitOf):
            graph.remove((into, predicate, into))

    def rename(self, thing: URIRef, name: str) -> None:
        for label in list(self.graph.objects(thing, SKOS.prefLabel)):
            if label.language and label.language.lower().startswith("zh"):  # type: ignore[union-attr]
                self.graph.remove((thing, SKOS.prefLabel, label))
                self.graph.add((thing, SKOS.altLabel, label))
        self.graph.add((thing, SKOS.prefLabel, Literal(to_simplified(name), lang="zh-Hans")))
        self.graph.add((thing, SKOS.prefLabel, Literal(to_traditional(name), lang="zh-Hant")))

    def drop(self, thing: URIRef) -> None:
        for triple in list(self.graph.triples((thing, None, None))) + list(self.graph.triples((None, None, thing))):
            self.graph.remove(triple)

    def apply(self, review: dict[str, Any]) -> None:
        graph = self.graph
        for new in review.get("new") or []:  # a thing the extraction missed, where the text names it
            kind = {"organisation": ORG.Organization, "achievement": OG.Achievement, "duty": OG.Duty}[new["kind"]]
            node = OGR[f"{new['kind']}-{hashlib.sha256(normalize_name(new['name']).encode()).hexdigest()[:12]}"]
            graph.add((node, RDF.type, kind))
            graph.add((node, SKOS.prefLabel, Literal(to_simplified(new["name"]), lang="zh-Hans")))
            graph.add((node, SKOS.prefLabel, Literal(to_traditional(new["name"]), lang="zh-Hant")))
            graph.add((node, PROV.wasDerivedFrom, self.evidence(*self.text_span(new.get("text", new["name"])))))
        for into, other in review.get("merge") or []:
            self.merge(self.find(into), self.find(other))
        for old, name in review.get("rename") or []:
            self.rename(self.find(old), name)
        for name in review.get("drop") or []:
            self.drop(self.find(name))
        for subject, predicate, value in review.get("remove") or []:
            prop = _curie(predicate)
            graph.remove((self.find(subject), prop, self.value(prop, value)))
        for subject, predicate, value in review.get("add") or []:
            prop, node = _curie(predicate), self.find(subject)
            target = self.value(prop, value)
            graph.add((node, prop, target))
            if prop == ORG.holds:
                graph.add((target, ORG.heldBy, node))
            if prop in PLAIN_EDGES:
                self.statement(node, prop, target)
        for name, concept in (review.get("type") or {}).items():
            node = self.find(name)
            graph.remove((node, ORG.classification, None))
            graph.add((node, ORG.classification, OGT[concept]))
        for name, concept in (review.get("category") or {}).items():
            node = self.find(name)
            graph.remove((node, OG.category, None))
            graph.add((node, OG.category, OGC[concept]))
        for name, names in (review.get("aliases") or {}).items():
            for alias in names:
                graph.add((self.find(name), SKOS.altLabel, Literal(to_simplified(alias), lang="zh-Hans")))
        for name, english in (review.get("en") or {}).items():
            graph.add((self.find(name), SKOS.prefLabel, Literal(english, lang="en")))
        document = review.get("document") or {}
        if document:
            graph.remove((self.doc, DCTERMS.title, None))
            graph.remove((self.doc, DCTERMS.publisher, None))
            graph.add((self.doc, DCTERMS.title, Literal(document["title"], lang="zh-Hans")))
            graph.add((self.doc, DCTERMS.title, Literal(document["title_en"], lang="en")))
            graph.add((self.doc, DCTERMS.publisher, Literal(document["publisher"], lang="en")))
            if document.get("source"):
                graph.add((self.doc, DCTERMS.source, URIRef(document["source"])))

    def tidy(self) -> None:
        """What earlier graphs define stays theirs; statements and passages nothing uses go."""
        graph = self.graph
        for thing in self.before:
            graph.remove((thing, ORG.classification, None))
            for label in list(graph.objects(thing, SKOS.prefLabel)):
                graph.remove((thing, SKOS.prefLabel, label))
                if not label.language or not label.language.lower().startswith("en"):  # type: ignore[union-attr]
                    graph.add((thing, SKOS.altLabel, label))
        for thing, label in list(graph.subject_objects(SKOS.altLabel)):
            if (thing, SKOS.prefLabel, label) in graph:
                graph.remove((thing, SKOS.altLabel, label))
        seen = set()
        for statement in list(graph.subjects(RDF.type, RDF.Statement)):
            triple = tuple(graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if triple in seen or triple not in graph:  # type: ignore[operator]
                self.drop(statement)  # type: ignore[arg-type]
            seen.add(triple)
        used = set(graph.objects(None, PROV.wasDerivedFrom))
        for evidence in list(graph.subjects(RDF.type, OG.Evidence)):
            if evidence not in used:
                for selector in list(graph.objects(evidence, OA.hasSelector)):
                    self.drop(selector)  # type: ignore[arg-type]
                self.drop(evidence)  # type: ignore[arg-type]


def _curie(text: str) -> URIRef:
    prefix, local = text.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def draft(document_path: Path, out: Path, review: Path | None = None) -> Path:
    """Build the corpus document into a scratch store holding ``data/`` and write its draft,
    with the corrections of ``review/<document>.yaml`` when there is one."""
    document = read_document(document_path)
    target = out / (document_path.stem + ".ttl")
    before: set[URIRef] = set()
    with tempfile.TemporaryDirectory() as scratch:
        spec = f"oxigraph:{scratch}/db"
        others = [p for p in data_files() if p.name != target.name]
        load_files(spec, others)
        build_store([document_path], spec, validate_candidates=False)
        store = open_graph(spec, read_only=True)
        try:
            digest = next(
                str(sha)
                for doc, sha in store.subject_objects(OG.sha256)
                if str(store.value(doc, DCTERMS.identifier)) == document.name
            )
            graph_iri = URIRef(f"https://w3id.org/orggraph/graph/candidates/{digest[:16]}")
            triples = list(store.triples((None, None, None, graph_iri)))  # type: ignore[arg-type]
            before = {
                s  # type: ignore[misc]
                for s, _, _, g in store.quads((None, RDF.type, None, None))  # type: ignore[arg-type]
                if isinstance(s, URIRef) and str(getattr(g, "identifier", g)) != str(graph_iri)
            }
        finally:
            close_graph(store)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for s, p, o in triples:
        graph.add((_rename(s), p, _rename(o)))  # type: ignore[arg-type]
    before = {_rename(b) for b in before}  # type: ignore[misc]
    drafted = _Draft(graph, document, digest, before)
    for predicate in PLAIN_EDGES:
        for subject, value in list(graph.subject_objects(predicate)):
            drafted.statement(subject, predicate, value)
    headline = next((line.strip() for line in document.clean.text.splitlines() if len(line.strip()) > 8), None)
    if headline:
        graph.remove((drafted.doc, DCTERMS.title, None))
        graph.add((drafted.doc, DCTERMS.title, Literal(headline, lang="zh-Hans")))
    corrections = review / f"{document_path.stem}.yaml" if review is not None else None
    if corrections is not None and corrections.is_file():
        drafted.apply(yaml.safe_load(corrections.read_text(encoding="utf-8")) or {})
    drafted.tidy()
    out.mkdir(parents=True, exist_ok=True)
    header = (
        f"# {document_path.name}: drafted by tools/draft_corpus_data.py, "
        f"corrected by tools/review/{document_path.stem}.yaml\n"
    )
    target.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("documents", nargs="+", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=Path(tempfile.gettempdir()) / "orggraph-draft")
    parser.add_argument("--review", type=Path, help="folder of review corrections (tools/review)")
    arguments = parser.parse_args()
    assert orggraph  # the package is installed
    dated = sorted(arguments.documents, key=lambda p: re.findall(r"\d{4}-\d{2}-\d{2}", p.name) or [p.name])
    for path in dated:
        if path.name.startswith("2019-02-21-"):
            continue  # the curated seed graph covers it
        print(draft(path, arguments.out, arguments.review))


if __name__ == "__main__":
    main()
