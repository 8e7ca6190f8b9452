"""Extraction findings → candidate RDF in the orggraph ontology, for review before merging.

One named graph per document. Every node carries ``prov:wasDerivedFrom`` an ``og:Evidence``
whose ``oa:TextPositionSelector`` gives the span in the *raw* document. Organisations already in
the loaded graph keep their IRI (matched by any label or alias, in either script); new ones get
an IRI minted from their normalised name, so the same name in two documents is one candidate.
Labels keep what the text says, with the other script added.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from orggraph.extract.findings import Extraction, Finding, organisation_names
from orggraph.extract.lexicon import ORGANISATION_TYPES
from orggraph.extract.people import title_of
from orggraph.graph.resolution import OrganisationNames
from orggraph.namespaces import OA, OG, OGC, OGR, OGT, ORG, SCHEMA, bind_prefixes
from orggraph.text.normalization import normalize_name, to_simplified, to_traditional

__all__ = ["CANDIDATE_BASE", "Identities", "candidate_graphs", "to_dataset", "organisation_type"]

CANDIDATE_BASE = "https://w3id.org/orggraph/graph/candidates/"


class Identities(Protocol):
    """Who a meeting or a person of a new document already is in the graph (see
    :mod:`orggraph.extract.building`): a meeting by its date and conveners, a person by name
    within the organisations they work for, a post by its title, organisation and holder."""

    def meeting(self, name: str, date: str | None, conveners: list[URIRef]) -> URIRef | None: ...

    def person(self, name: str, organisations: list[URIRef]) -> URIRef | None: ...

    def post(self, title: str, organisations: list[URIRef], holders: list[URIRef]) -> URIRef | None: ...


_CATEGORY = "general-requirement"


def organisation_type(name: str) -> str:
    """The organisation type a name's suffix suggests.

    >>> organisation_type("交通部二所檢測中心"), organisation_type("青松县养蜂协会")
    ('testing-centre', 'industry-association')
    """
    simplified = to_simplified(name)
    for key, kind, anywhere in ORGANISATION_TYPES:
        if simplified.endswith(key) or (anywhere and key in simplified):
            return kind
    return "other-organisation"


@functools.lru_cache(maxsize=1 << 14)
def _labels(name: str) -> tuple[Literal, ...]:
    simplified, traditional = to_simplified(name), to_traditional(name)
    written = name if name != simplified else traditional
    return (Literal(simplified, lang="zh-Hans"), Literal(written, lang="zh-Hant"))


_DATELINE = re.compile(
    r"^[ \t\u3000]*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[ \t\u3000]*$", re.MULTILINE
)
_ANY_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


def document_date(result: Extraction) -> str | None:
    """The date of a document: its meeting's, else its dateline's (a notice's signature), else the
    first full date on the page.

    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.rules import extract
    >>> document_date(extract(document_from_text("通知\\n各单位:\\n请做好工作。\\n2021年5月20日\\n")))
    '2021-05-20'
    """
    held = next((value for _, relation, value in result.relations if relation == "heldOn"), None)
    if held:
        return held
    text = result.document.raw
    match = _DATELINE.search(text) or _ANY_DATE.search(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _mint(kind: str, name: str) -> URIRef:
    digest = hashlib.sha256(normalize_name(name).encode("utf-8")).hexdigest()[:12]
    return OGR[f"candidate-{kind}-{digest}"]


def to_dataset(results: Iterable[Extraction], graph: Any = None, *, names: OrganisationNames | None = None) -> Dataset:
    """Candidate RDF for the extraction results (see the module documentation).

    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.rules import extract
    >>> ds = to_dataset([extract(document_from_text("2020年5月6日,交通部科技司在南京召开联席会议。"))])
    >>> len(list(ds.subjects(RDF.type, OG.Meeting)))
    1
    """
    dataset = _dataset()
    for name, triples in candidate_graphs(results, graph, names=names).items():
        target = dataset.graph(name)
        for triple in triples:
            target.add(triple)
    return dataset


def candidate_graphs(
    results: Iterable[Extraction],
    graph: Any = None,
    *,
    names: OrganisationNames | None = None,
    identities: Identities | None = None,
) -> dict[URIRef, list[tuple[Any, Any, Any]]]:
    """The triples of :func:`to_dataset`, by named graph, without an rdflib store: what the
    Turtle and TriG writers take (see :mod:`orggraph.rdf.turtle`).

    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.rules import extract
    >>> graphs = candidate_graphs([extract(document_from_text("交通部科技司在南京召开联席会议。"))])
    >>> [name.startswith(CANDIDATE_BASE) for name in graphs], len(next(iter(graphs.values()))) > 10
    ([True], True)
    """
    names = organisation_names(graph) if names is None else names
    find_organisation = None if names is None else names.find
    graphs: dict[URIRef, dict[tuple[Any, Any, Any], None]] = {}
    for result in results:
        _add_document(graphs, result, find_organisation, identities)
    return {name: list(triples) for name, triples in graphs.items()}


class _Triples:
    """One named graph's triples, in the order they were stated, each once."""

    def __init__(self, triples: dict[tuple[Any, Any, Any], None]) -> None:
        self._triples = triples

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        self._triples[triple] = None


def _add_document(
    graphs: dict[URIRef, dict[tuple[Any, Any, Any], None]],
    result: Extraction,
    find_organisation: Callable[[str], URIRef | None] | None,
    identities: Identities | None = None,
) -> None:
    document = result.document
    digest = document.sha256
    target = _Triples(graphs.setdefault(URIRef(f"{CANDIDATE_BASE}{digest[:16]}"), {}))
    doc = OGR[f"doc-{digest[:12]}"]
    target.add((doc, RDF.type, OG.SourceDocument))
    target.add((doc, DCTERMS.identifier, Literal(document.name)))
    target.add(
        (
            doc,
            DCTERMS.title,
            Literal(document.clean.text[: document.sentences[0][1]] if document.sentences else document.name),
        )
    )
    target.add((doc, DCTERMS.publisher, Literal("unknown (candidate: to be reviewed)", lang="en")))
    target.add((doc, OG.sha256, Literal(digest)))
    dated = document_date(result)
    if dated:
        target.add((doc, DCTERMS.date, Literal(dated, datatype=XSD.date)))
    target.add((doc, OG.characterCount, Literal(len(document.raw))))
    nodes: dict[tuple[str, str], URIRef] = {}
    aliases = dict(result.aliases)
    written = {normalize_name(f.name): f.name for f in result.findings if f.kind == "organisation"}
    for unit, relation, parent in result.relations:
        # 林政科 under 青松县林业局, where the text also writes 青松县林业局林政科: one unit
        whole = written.get(normalize_name(parent + unit))
        if relation == "subOrganizationOf" and whole is not None and unit not in aliases:
            aliases[unit] = whole
    resolved: set[URIRef] = set()  # organisations the graph (or an earlier document) already names

    cited: set[URIRef] = set()

    def evidence(finding: Finding) -> URIRef:
        start, end = document.raw_span(finding.start, finding.end)
        node = OGR[f"ev-{digest[:12]}-{start}-{end}"]
        if node in cited:  # one passage, one selector, however many findings it holds
            return node
        cited.add(node)
        selector = BNode(f"selector-{start}-{end}")  # named by its span: the same draft twice is the same graph
        target.add((node, RDF.type, OG.Evidence))
        target.add((node, OA.hasSource, doc))
        target.add((node, OA.hasSelector, selector))
        target.add((selector, RDF.type, OA.TextPositionSelector))
        target.add((selector, OA.start, Literal(str(start), datatype=XSD.integer)))
        target.add((selector, OA.end, Literal(str(end), datatype=XSD.integer)))
        return node

    def node_for(kind: str, name: str) -> URIRef:
        name = aliases.get(name, name)  # a defined abbreviation names its organisation
        key = (kind, normalize_name(name))
        if key in nodes:
            return nodes[key]
        # an unknown name is a new candidate
        iri = find_organisation(name) if kind == "organisation" and find_organisation is not None else None
        if identities is not None and kind == "meeting":
            conveners = [node_for("organisation", o) for o, r, m in result.relations if r == "convened" and m == name]
            date = next((v for m, r, v in result.relations if r == "heldOn" and m == name), None)
            iri = identities.meeting(name, date, conveners)
        elif kind == "person":
            employers = [node_for("organisation", o) for p, r, o in result.relations if r == "worksFor" and p == name]
            iri = identities.person(name, employers) if identities is not None else None
            if iri is None:
                # the same name at the same organisation is one person; elsewhere, another one
                within = "|".join(sorted(str(e) for e in employers)) or digest
                nodes[key] = _mint(kind, f"{name}|{within}")
                return nodes[key]
        if iri is not None:
            resolved.add(iri)
        nodes[key] = iri or _mint(kind, name)
        return nodes[key]

    # who holds each post name, in which organisation: 副局长 of a bureau and 副局长 of a city
    # police are two posts, and the same title in the same organisation held by the same person
    # is one post in every document
    holders_of: dict[str, list[tuple[str, str | None, int]]] = {}
    for person in result.people:
        for post_name, organisation in person.posts:
            held = holders_of.setdefault(normalize_name(post_name), [])
            if all((h, o) != (person.name, organisation) for h, o, _ in held):
                held.append((person.name, organisation, person.start))

    def post_node(name: str, holder: str, organisation: str | None) -> URIRef:
        key = ("post", f"{normalize_name(name)}|{holder}|{organisation}")
        if key not in nodes:
            employers = [node_for("organisation", organisation)] if organisation else []
            people = [node_for("person", holder)]
            title = title_of(name)
            iri = identities.post(title, employers, people) if identities is not None else None
            within = "|".join(str(e) for e in employers + people)
            nodes[key] = iri or _mint("post", f"{title}|{within}")
            if iri is not None:
                resolved.add(iri)
        return nodes[key]

    post_mentions: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.kind == "post":
            post_mentions.setdefault(normalize_name(finding.name), []).append(finding)

    def posts_at(finding: Finding) -> list[URIRef]:
        """The posts a title mention names: those of the holders it is the nearest mention to
        (副会长张三、李四: one mention, a post of each)."""
        key = normalize_name(finding.name)
        held = holders_of.get(key)
        if not held:
            return [node_for("post", finding.name)]
        mentions = post_mentions[key]
        return [
            post_node(finding.name, holder, organisation)
            for holder, organisation, position in held
            if min(mentions, key=lambda m: abs(m.start - position)) is finding
        ]

    classes = {
        "organisation": ORG.Organization,
        "person": URIRef("http://xmlns.com/foaf/0.1/Person"),
        "post": ORG.Post,
        "meeting": OG.Meeting,
        "agenda": OG.AgendaItem,
        "topic": OG.Topic,
        "achievement": OG.Achievement,
        "duty": OG.Duty,
    }
    for finding in result.findings:
        found = posts_at(finding) if finding.kind == "post" else [node_for(finding.kind, finding.name)]
        for node in found:
            target.add((node, RDF.type, classes[finding.kind]))
            # an organisation the graph already has keeps its names: what the text says becomes an alias
            known = node in resolved or not str(node).startswith(str(OGR["candidate-"]))
            alias = finding.attributes.get("alias_of") or aliases.get(finding.name, finding.name) != finding.name
            label_property = SKOS.altLabel if alias or known else SKOS.prefLabel
            for label in _labels(finding.name):
                target.add((node, label_property, label))
            target.add((node, PROV.wasDerivedFrom, evidence(finding)))
        if not found:
            continue
        node = found[0]
        if finding.kind == "organisation":
            target.add((node, ORG.classification, OGT[organisation_type(finding.name)]))
            if finding.attributes.get("alias"):
                for label in _labels(str(finding.attributes["alias"])):
                    target.add((node, SKOS.altLabel, label))
        if finding.kind in ("duty", "achievement") and finding.attributes.get("year"):
            prop = OG.period if finding.kind == "duty" else OG.year
            target.add((node, prop, Literal(str(finding.attributes["year"]), datatype=XSD.gYear)))
        if finding.kind == "duty":
            target.add((node, OG.category, OGC[_CATEGORY]))
            if finding.attributes.get("meeting"):
                target.add((node, OG.assignedAt, node_for("meeting", str(finding.attributes["meeting"]))))
    kinds = {normalize_name(f.name): f.kind for f in result.findings}

    def ref(name: str) -> URIRef:
        kind = kinds.get(normalize_name(name))
        if kind is None:  # a collective such as 各成员单位
            node = node_for("organisation", name)
            curated = not str(node).startswith(str(OGR["candidate-"]))
            target.add((node, RDF.type, ORG.OrganizationalCollaboration))
            if not curated:  # a curated group keeps its own type and names
                target.add((node, ORG.classification, OGT["group-of-units"]))
            for label in _labels(name):
                target.add((node, SKOS.altLabel if curated else SKOS.prefLabel, label))
            at = document.simplified.find(to_simplified(name))
            if at >= 0:
                target.add((node, PROV.wasDerivedFrom, evidence(Finding("organisation", name, at, at + len(name)))))
            return node
        return node_for(kind, name)

    _name_the_unnamed(target._triples)
    for subject, relation, value in result.relations:
        held = holders_of.get(normalize_name(value if relation == "holdsPost" else subject), [])
        if relation == "holdsPost" and held:
            person = ref(subject)
            for organisation in [o for h, o, _ in held if h == subject]:
                post = post_node(value, subject, organisation)
                target.add((person, ORG.holds, post))
                target.add((post, ORG.heldBy, person))
        elif relation == "postIn" and held:
            for holder in [h for h, o, _ in held if o == value]:
                target.add((post_node(subject, holder, value), ORG.postIn, ref(value)))
        else:
            _relate(target, ref, subject, relation, value)


def _name_the_unnamed(triples: dict[tuple[Any, Any, Any], None]) -> None:
    """A new organisation the text only names by a short form (青松镇 in 青松镇、白石乡人民政府) is
    called by that form: every node needs a name in each script."""
    pref_label, alt_label, minted = SKOS.prefLabel, SKOS.altLabel, str(OGR["candidate-"])
    preferred = {(s, o.language) for s, p, o in triples if p == pref_label}
    for subject, predicate, label in list(triples):
        if predicate != alt_label or not str(subject).startswith(minted):
            continue
        if (subject, label.language) not in preferred:
            preferred.add((subject, label.language))
            del triples[(subject, predicate, label)]
            triples[(subject, SKOS.prefLabel, label)] = None


def _dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    return dataset


_EDGES = {  # relation name → (property, whether the property points from object to subject)
    "subOrganizationOf": (ORG.subOrganizationOf, False),
    "convened": (SCHEMA.organizer, True),
    "attended": (SCHEMA.attendee, True),
    "spokeAt": (OG.speaker, True),
    "chaired": (OG.chair, True),
    "holdsPost": (ORG.holds, False),
    "postIn": (ORG.postIn, False),
    "worksFor": (SCHEMA.worksFor, False),
    "hasAgendaItem": (OG.agendaItem, False),
    "discussedTopic": (OG.discussedTopic, False),
    "achieved": (OG.creditedTo, True),
    "assignedDuty": (OG.assignedTo, True),
    "hasSubTask": (OG.subDutyOf, True),
    "assignedBy": (OG.assignedBy, False),
}


def _relate(target: Any, ref: Any, subject: str, relation: str, value: str) -> None:
    literal = {"heldOn": (SCHEMA.startDate, XSD.date), "attendeeCount": (OG.attendeeCount, XSD.integer)}
    if relation == "attendeeCount" and value.startswith(">"):
        target.add((ref(subject), OG.attendeeCountIsMinimum, Literal(True)))
        value = value[1:]
    if relation in literal:
        prop, datatype = literal[relation]
        target.add((ref(subject), prop, Literal(value, datatype=datatype)))
        return
    if relation == "heldIn":
        place = OGR[f"place-{hashlib.sha256(value.encode()).hexdigest()[:12]}"]
        target.add((place, RDF.type, SCHEMA.Place))
        target.add((place, SKOS.prefLabel, Literal(to_simplified(value), lang="zh-Hans")))
        target.add((ref(subject), SCHEMA.location, place))
        return
    if relation not in _EDGES:
        return
    prop, reverse = _EDGES[relation]
    source, objective = ref(subject), ref(value)
    if reverse:
        source, objective = objective, source
    target.add((source, prop, objective))
    if relation == "holdsPost":
        target.add((objective, ORG.heldBy, source))
