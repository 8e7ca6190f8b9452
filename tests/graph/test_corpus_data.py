"""The reviewed graphs of the corpus documents in ``data/`` against their source texts and the
shared gold annotations: every core gold fact is in the bundled graph, every duty, meeting,
person and organisation the graph takes from a document is one the gold annotates, and every
passage the graph cites selects what it says."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from orggraph.extract.people import title_of
from orggraph.namespaces import OG
from orggraph.resources import data_files
from orggraph.store.sparql import run_query
from orggraph.text.normalization import normalize_name, strip_reading_annotations
from tests.graph.test_seed_data import LITERAL_PATTERNS, PATTERNS
from tests.helpers import need, shared_folder

yaml = pytest.importorskip("yaml")

REVIEWED = sorted(p.stem for p in data_files() if not p.stem.startswith("seed-"))
PATTERNS_HERE = {**PATTERNS, "chaired": "?o og:chair ?s"}
LITERALS_HERE = {
    **LITERAL_PATTERNS,  # 150余人 is more than 150, which the gold writes >150
    "attendeeCount": "?s og:attendeeCount ?n OPTIONAL { ?s og:attendeeCountIsMinimum ?m } "
    'BIND(IF(COALESCE(?m, false), CONCAT(">", STR(?n)), STR(?n)) AS ?value)',
}


def test_every_corpus_document_has_a_reviewed_graph():
    corpus = shared_folder() / "corpus"
    need(corpus.is_dir(), f"the corpus {corpus} is missing (set ORGGRAPH_SHARED)")
    documents = {p.stem for p in corpus.glob("*.txt")}
    assert set(REVIEWED) | {"2019-02-21-security-industry-joint-meeting"} == documents


def _gold(name: str) -> dict:
    path = shared_folder() / "gold" / f"{name}.gold.yaml"
    need(path.is_file(), f"the gold annotation {path} is missing (set ORGGRAPH_SHARED)")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _document(bundled, name: str) -> URIRef:
    rows = list(
        run_query(
            bundled, "SELECT ?d WHERE { ?d a og:SourceDocument ; dcterms:identifier ?n }", {"n": Literal(f"{name}.txt")}
        )
    )
    assert len(rows) == 1, f"{name}: {len(rows)} source documents"
    return rows[0][0]


def _from_document(bundled, document: URIRef) -> set[URIRef]:
    """Everything with a passage in ``document``."""
    rows = run_query(
        bundled, "SELECT DISTINCT ?x WHERE { ?x prov:wasDerivedFrom/oa:hasSource ?d FILTER isIRI(?x) }", {"d": document}
    )
    return {row[0] for row in rows}


def _names(bundled, thing: URIRef) -> set[str]:
    return {normalize_name(str(v)) for v in bundled.objects(thing, SKOS.prefLabel | SKOS.altLabel)}


class _Resolver:
    """Map a gold id to our IRI by its names (never by a table of ours), preferring what the
    document's own passages name."""

    def __init__(self, bundled, gold: dict, document: URIRef) -> None:
        self.bundled, self.gold = bundled, gold
        self.local = _from_document(bundled, document)
        self.records: dict[str, dict] = {}
        for kind in (
            "organizations",
            "groups",
            "people",
            "posts",
            "locations",
            "events",
            "agenda",
            "topics",
            "achievements",
            "duties",
        ):
            for record in gold.get(kind) or []:
                self.records[record["id"]] = {**record, "kind": kind}

    def names(self, gold_id: str) -> list[str]:
        record = self.records[gold_id]
        return [
            normalize_name(n)
            for n in (
                record.get("name_zh_hans"),
                record.get("surface"),
                record.get("key_zh_hans"),
                record.get("span_zh_hans"),
                record.get("span"),
                *(record.get("aliases_zh") or []),
            )
            if n
        ]

    def __call__(self, gold_id: str) -> URIRef:
        record = self.records[gold_id]
        if record["kind"] == "posts":
            holder = self(record["holder"])
            held = list(self.bundled.objects(holder, URIRef("http://www.w3.org/ns/org#holds")))
            for title in [record["title_zh_hans"], *(record.get("aliases_zh") or [])]:  # its own title first
                posts = [p for p in held if title_of(title) in {title_of(n) for n in _names(self.bundled, p)}]
                if len(posts) == 1:
                    return posts[0]
            raise AssertionError(f"{gold_id}: no one post titled {record['title_zh_hans']} held by {holder}")
        wanted = self.names(gold_id)
        textual = record["kind"] in ("agenda", "topics", "achievements", "duties")
        everything = set(self.bundled.subjects(SKOS.prefLabel, None))
        for name in wanted:  # the gold's own name first, then its surface form, then aliases
            for pool in (self.local, everything):
                found = {thing for thing in pool if name in _names(self.bundled, thing)}
                if len(found) == 1:
                    return found.pop()
        if textual:  # a duty's label may hold the gold key with more words around it, or less
            texts = {OG.Duty, OG.Topic, OG.AgendaItem, OG.Achievement}
            for pool in (self.local, everything):
                pool = {thing for thing in pool if set(self.bundled.objects(thing, RDF.type)) & texts}
                found = {
                    thing
                    for thing in pool
                    if any(w in n or n in w for w in wanted for n in _names(self.bundled, thing) if len(n) > 1)
                }
                if found:  # the shortest label that holds the gold key is the duty itself
                    return min(found, key=lambda t: min(len(n) for n in _names(self.bundled, t)))
        raise AssertionError(f"{gold_id} ({wanted[:1]}) is not in the bundled graph")


def _holds(bundled, resolve, fact: dict) -> bool:
    relation = fact["r"]
    subject = resolve(fact["s"])
    if relation in LITERALS_HERE:
        rows = run_query(bundled, f"SELECT ?value WHERE {{ {LITERALS_HERE[relation]} }}", {"s": subject})
        values = {normalize_name(str(row[0])) for row in rows}
        wanted = [fact.get("o_name", fact["o"]), *(fact.get("alt_o") or [])]
        return any(normalize_name(str(w)) in values for w in wanted)
    for gold_object in [fact["o"], *(fact.get("alt_o") or [])]:
        bindings = {"s": subject, "o": resolve(gold_object)}
        if fact.get("year") is not None:
            bindings["year"] = Literal(str(fact["year"]), datatype=XSD.gYear)
        if run_query(bundled, f"ASK {{ {PATTERNS_HERE[relation]} }}", bindings).askAnswer:
            return True
    return False


@pytest.mark.parametrize("name", REVIEWED)
def test_every_core_gold_fact_is_in_the_reviewed_graph(bundled, name):
    gold = _gold(name)
    resolve = _Resolver(bundled, gold, _document(bundled, name))
    core = [f for f in gold["facts"] if f.get("tier") == "core"]
    assert len(core) == gold["counts"]["facts_core"]
    missing = []
    for fact in core:
        try:
            held = _holds(bundled, resolve, fact)
        except AssertionError as error:
            missing.append(f"{fact['id']} {fact.get('s_name')} {fact['r']} {fact.get('o_name', fact['o'])}: {error}")
            continue
        if not held:
            missing.append(f"{fact['id']} {fact.get('s_name')} {fact['r']} {fact.get('o_name', fact['o'])}")
    assert not missing, f"{name}: missing core facts:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", REVIEWED)
def test_what_the_graph_takes_from_a_document_the_gold_annotates(bundled, name):
    """Precision: every duty, meeting, person and new organisation is one the gold names."""
    gold = _gold(name)
    resolve = _Resolver(bundled, gold, _document(bundled, name))
    annotated: set[str] = set()
    for gold_id in resolve.records:
        annotated |= set(resolve.names(gold_id))
    kinds = {OG.Duty: "duty", OG.Meeting: "meeting", URIRef("http://xmlns.com/foaf/0.1/Person"): "person"}
    extra = []
    for thing in resolve.local:
        for cls, kind in kinds.items():
            if (thing, RDF.type, cls) not in bundled:
                continue
            names = _names(bundled, thing)
            if kind == "duty":
                hit = any(a in n or n in a for a in annotated for n in names if len(a) > 1)
            else:
                hit = bool(names & annotated)
            if not hit:
                extra.append(f"{kind} {sorted(names)[:1]}")
    assert not extra, f"{name}: not in the gold:\n" + "\n".join(sorted(extra))


@pytest.mark.parametrize("name", REVIEWED)
def test_reviewed_passages_select_what_they_state(bundled, name):
    corpus = shared_folder() / "corpus"
    path = corpus / f"{name}.txt"
    need(path.is_file(), f"the corpus document {path} is missing (set ORGGRAPH_SHARED)")
    raw = path.read_text(encoding="utf-8")
    document = _document(bundled, name)
    assert str(bundled.value(document, OG.sha256)) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert int(bundled.value(document, OG.characterCount)) == len(raw)
    rows = run_query(
        bundled,
        """SELECT ?thing ?start ?end WHERE {
             ?e oa:hasSource ?d ; oa:hasSelector [ oa:start ?start ; oa:end ?end ] .
             ?thing prov:wasDerivedFrom ?e FILTER isIRI(?thing) }""",
        {"d": document},
    )
    checked = 0
    for thing, start, end in rows:
        written = strip_reading_annotations(raw[int(start) : int(end)]).text
        passage = normalize_name(re.sub(r"[(（][^)）]*[)）]", "", written))  # a name's bracketed gloss
        assert passage, f"{name}: empty passage {start}-{end}"
        names = [n for n in _names(bundled, thing) if n]
        if not names or (thing, RDF.type, OG.SourceDocument) in bundled:
            continue
        assert any(n in passage or passage in n for n in names), (name, thing, passage, names)
        checked += 1
    assert checked > 5


def test_reviewed_graphs_are_our_own_turtle_without_candidate_markers():
    for path in data_files():
        text = Path(path).read_text(encoding="utf-8")
        assert "candidate-" not in text and "to be reviewed" not in text, path.name
