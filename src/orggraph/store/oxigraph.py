"""Everything that knows Oxigraph: opening an on-disk store, running SPARQL on it directly,
turning its terms into rdflib's, lookups through its indexes, bulk loading, compaction, and the
hand-made query plans. The rest of orggraph reaches Oxigraph only through the functions here;
a graph whose store is not Oxigraph is answered None (or False) by every ``native`` helper.

pyoxigraph is an optional dependency (``pip install 'orggraph[oxigraph]'``): without it no
Oxigraph graph can exist, and :func:`open_store` says how to install it. oxrdflib, which makes
an Oxigraph store an rdflib store, costs about 170 ms to import and is imported only to open one.

Hand-made plans: the ``.rq`` file stays the definition of a named query; every store but
Oxigraph runs it, and a test requires a plan to give the same rows in the same order on every
organisation of the bundled graph and of generated ones, including units with several parents,
several labels or none. ``org-chart``: Oxigraph evaluates ``?step (org:subOrganizationOf|
org:unitOf)+ ?org . ?unit …* ?step`` by expanding the path once per step before it counts; a
chart of 584 units takes it about 120 ms. Asking for the units with their parents in one query
and for the labels in a second, then counting the steps up here, takes well under half of that.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.query import Result

from orggraph.errors import InputError, OrgGraphError, UsageError
from orggraph.namespaces import bind_prefixes
from orggraph.rdf.terms import python_value

try:
    import pyoxigraph
except ImportError:  # the optional extra is missing: no Oxigraph store can be opened, so none is ever asked
    pyoxigraph = None  # type: ignore[assignment]

__all__ = [
    "FORMATS",
    "NATIVE_PLANS",
    "bulk_load",
    "describes",
    "flush",
    "is_oxigraph",
    "label_matches",
    "open_store",
    "optimize",
    "org_chart",
    "plan",
    "query",
    "rdflib_term",
    "release",
    "select_result",
    "select_texts",
    "store_folder",
    "update",
]

# rdflib format name → pyoxigraph.RdfFormat member: the formats Oxigraph's bulk loader reads itself
FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


def open_store(path: str, read_only: bool) -> Dataset:
    """An rdflib Dataset over the on-disk Oxigraph store in folder ``path`` (created when
    writable); read-only stores can be opened by several processes at once."""
    missing = UsageError("the Oxigraph store needs `pip install 'orggraph[oxigraph]'`")
    if pyoxigraph is None:
        raise missing
    try:
        from oxrdflib.store import OxigraphStore  # heavy (~170 ms): only when a store is opened
    except ImportError:
        raise missing from None
    if not path:
        raise UsageError("give the store folder: oxigraph:PATH")
    if read_only and not Path(path).is_dir():
        raise InputError(
            f"{path}: no Oxigraph store there; create one by loading files into it with {{load_files}}",
            parameters="load_files",
        )
    try:
        inner = pyoxigraph.Store.read_only(path) if read_only else pyoxigraph.Store(path)
    except OSError as error:
        message = str(error)
        if "lock" in message.lower() or "temporarily unavailable" in message.lower():
            raise OrgGraphError(
                f"{path}: the store is being written by another process; wait for it to finish "
                "(read-only commands can run alongside each other)"
            ) from None
        raise InputError(f"{path}: cannot open the Oxigraph store: {message}") from None
    store = OxigraphStore(store=inner)
    store.orggraph_folder = Path(path)  # type: ignore[attr-defined]  # for the cache of slow reads
    dataset = Dataset(store=store, default_union=True)
    bind_prefixes(dataset)
    return dataset


def is_oxigraph(graph: Any) -> bool:
    """Whether ``graph`` is held in an Oxigraph store (opened here or by the caller through oxrdflib).

    >>> is_oxigraph(Graph())
    False
    """
    module = sys.modules.get("oxrdflib.store")  # never imported: no graph can be on an Oxigraph store
    return module is not None and isinstance(getattr(graph, "store", None), module.OxigraphStore)


def _native(graph: Any) -> Any:
    """The pyoxigraph ``Store`` behind an Oxigraph graph (oxrdflib keeps it as ``_inner``)."""
    return graph.store._inner


def store_folder(graph: Any) -> Path | None:
    """The folder of an on-disk Oxigraph store opened by :func:`open_store`; None otherwise."""
    folder = getattr(getattr(graph, "store", None), "orggraph_folder", None)
    return folder if isinstance(folder, Path) else None


def query(graph: Any, text: str, limit: int | None = None) -> Result:
    """Run SPARQL ``text`` (a query, not an update) on the Oxigraph store behind ``graph``, its
    default graph the union of the named ones, as an rdflib :class:`~rdflib.query.Result`."""
    store = _native(graph)
    convert = _term_converter()
    answer = store.query(text, use_default_graph_as_union=True)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return select_result([v.value for v in answer.variables], answer, limit)
    result = Result("CONSTRUCT")
    result.graph = Graph()
    for triple in answer:
        result.graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return result


def select_result(names: list[str], solutions: Iterable[Any], limit: int | None) -> Result:
    """A SELECT result of rdflib terms from rows of Oxigraph terms (None: unbound)."""
    result = Result("SELECT")
    variables = [Variable(name) for name in names]
    result.vars = variables
    convert = _term_converter()
    with _cycle_collection_paused():
        rows = [
            {v: convert(term) for v, term in zip(variables, solution, strict=True) if term is not None}
            for solution in itertools.islice(solutions, limit)
        ]
    result.bindings = rows  # type: ignore[assignment]  # rows of terms, as rdflib stores them
    return result


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Hundreds of thousands of new rows would set off the cycle collector over and over (half
    the time of converting a 100,000-row answer); rows hold no cycles, so it waits till after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_XSD_STRING = str(XSD.string)


def rdflib_term(term: Any) -> Any:
    """An Oxigraph term as rdflib's (see :func:`_term_converter`).

    >>> rdflib_term(pyoxigraph.Literal("公安部", language="zh-Hans"))
    rdflib.term.Literal('公安部', lang='zh-hans')
    """
    return _term_converter()(term)


@functools.cache
def _term_converter() -> Callable[[Any], Any]:
    """The function that makes Oxigraph terms rdflib's, with pyoxigraph's classes at hand.

    IRIs and typed values (dates, numbers) are memoised, since rows repeat them. Strings, with
    a language tag or typed ``xsd:string`` (most of what queries return), are built the way
    ``Literal.__new__`` builds them, without its checks: Oxigraph has already checked the tag,
    and a string needs no conversion. ``tests/test_query.py`` holds them equal to ``Literal``'s own in every respect.
    """
    named_node, blank_node, string = pyoxigraph.NamedNode, pyoxigraph.BlankNode, XSD.string

    def convert(term: Any) -> Any:
        if term is None:
            return None
        kind = type(term)
        if kind is named_node:
            return _iri(term.value)
        if kind is blank_node:
            return BNode(term.value)
        language = term.language
        if language:
            return _string_literal(term.value, language, None)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return _string_literal(term.value, None, string)
        return _typed_literal(term.value, datatype)

    return convert


@functools.lru_cache(maxsize=1 << 16)
def _iri(value: str) -> URIRef:
    return URIRef(value)


@functools.lru_cache(maxsize=1 << 14)
def _typed_literal(value: str, datatype: str) -> Literal:
    # rdflib parses dates and numbers into Python values, at 10-20 µs each; rows repeat them
    return Literal(value, datatype=_iri(datatype))


def _string_literal(text: str, language: str | None, datatype: URIRef | None) -> Literal:
    """``Literal(text, lang=language)`` or ``Literal(text, datatype=XSD.string)``, built directly."""
    literal = str.__new__(Literal, text)
    literal._language = language
    literal._datatype = datatype
    literal._value = text
    literal._ill_typed = None if datatype is None else False
    return literal


def select_texts(graph: Any, text: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT as plain strings (IRIs and lexical forms; None where unbound),
    without building an rdflib term: for bulk reads such as every name in the graph."""
    solutions = _native(graph).query(text, use_default_graph_as_union=True)
    return [tuple(None if term is None else term.value for term in solution) for solution in solutions]


def update(graph: Any, text: str) -> None:
    """Run SPARQL Update ``text`` natively (rdflib's evaluation would go term by term)."""
    _native(graph).update(text)


_SHA256 = "https://w3id.org/orggraph/ns#sha256"


def add_triples(graph: Any, graphs: Iterable[tuple[str, str, Iterable[tuple[Any, Any, Any]]]]) -> None:
    """Add rdflib-term triples to their named graphs straight into the store: no SPARQL text to
    write and parse. Each graph comes as (graph IRI, the IRI base its blank nodes become IRIs
    under, triples)."""
    nodes: dict[str, Any] = {}

    def node(term: Any, base: str) -> Any:
        key = base + term if isinstance(term, BNode) else str(term)  # plain str keys: fast lookups
        found = nodes.get(key)
        if found is None:
            found = nodes[key] = pyoxigraph.NamedNode(key)
        return found

    def value(term: Any, base: str) -> Any:
        if not isinstance(term, Literal):
            return node(term, base)
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=node(term.datatype, base))
        return pyoxigraph.Literal(str(term))

    quads = [
        pyoxigraph.Quad(node(s, base), node(p, base), value(o, base), named)
        for graph_iri, base, triples in graphs
        for named in (pyoxigraph.NamedNode(graph_iri),)
        for s, p, o in triples
    ]
    # The bulk path has no transaction but is five times faster. A document counts as built once
    # its SHA-256 is in the store, so those statements go last, in a transaction of their own: a
    # build killed before them leaves documents that the next build extracts again, and their
    # statements, being a set, come out whole.
    sha = pyoxigraph.NamedNode(_SHA256)
    _native(graph).bulk_extend([quad for quad in quads if quad.predicate != sha])
    _native(graph).extend([quad for quad in quads if quad.predicate == sha])


def flush(graph: Any) -> None:
    """Write what the store holds in memory to disk."""
    _native(graph).flush()


def optimize(graph: Any) -> None:
    """Compact the store: Oxigraph's bulk loader leaves many compressed files, and fewer
    sorted, uncompressed ones answer lookups about a quarter faster."""
    _native(graph).optimize()


def release(graph: Dataset) -> None:
    """Close an Oxigraph store now: it drops its database lock only when the last reference goes."""
    store = graph.store
    inner = getattr(store, "_store", None)  # not _inner, which would open an empty store when closed
    if inner is not None:
        with contextlib.suppress(RuntimeError):  # a read-only store has nothing to write
            inner.flush()
    graph.close()
    del store, inner, graph
    gc.collect()


def bulk_load(graph: Any, data: bytes, rdf_format: str, graph_iri: str, source: str) -> None:
    """Load ``data`` (one of :data:`FORMATS`) into the named graph ``graph_iri`` with Oxigraph's
    own parser; a syntax error raises :class:`InputError` as ``source:line:column``."""
    member = getattr(pyoxigraph.RdfFormat, FORMATS[rdf_format])
    try:
        _native(graph).bulk_load(input=data, format=member, to_graph=pyoxigraph.NamedNode(graph_iri))
    except SyntaxError as error:
        message = str(error)
        where = re.search(r"line (\d+)[^\d]+(\d+)", message)
        place = f"{source}:{where.group(1)}:{where.group(2)}" if where else source
        raise InputError(
            f"{place}: invalid {rdf_format}: {message.splitlines()[0]}; fix the file and try again"
        ) from None


# ------------------------------------------------------------------------------------ index lookups
_NAME_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    str(RDFS.label),
    "http://www.w3.org/2004/02/skos/core#notation",
)


def label_matches(graph: Any, names: Sequence[Literal], type_iri: URIRef | None) -> set[URIRef]:
    """Things named by one of ``names`` (prefLabel, altLabel, rdfs:label or notation) and, when
    ``type_iri`` is given, of that type or a subclass: straight to the store's indexes, without
    planning a query for a handful of lookups."""
    store = _native(graph)
    things: set[Any] = set()
    for name in names:
        term = pyoxigraph.Literal(str(name), language=name.language) if name.language else pyoxigraph.Literal(str(name))
        for quad in store.quads_for_pattern(None, None, term, None):
            if quad.predicate.value in _NAME_PROPERTIES and isinstance(quad.subject, pyoxigraph.NamedNode):
                things.add(quad.subject)
    if type_iri is not None:
        wanted = pyoxigraph.NamedNode(str(type_iri))
        things = {thing for thing in things if _is_a(store, thing, wanted)}
    return {URIRef(thing.value) for thing in things}


def _is_a(store: Any, thing: Any, wanted: Any) -> bool:
    """``thing a/rdfs:subClassOf* wanted``, walked through the store's indexes."""
    is_a, subclass_of = pyoxigraph.NamedNode(str(RDF.type)), pyoxigraph.NamedNode(str(RDFS.subClassOf))
    frontier = [quad.object for quad in store.quads_for_pattern(thing, is_a, None, None)]
    seen: set[Any] = set()
    while frontier:
        kind = frontier.pop()
        if kind == wanted:
            return True
        if kind not in seen:
            seen.add(kind)
            frontier.extend(quad.object for quad in store.quads_for_pattern(kind, subclass_of, None, None))
    return False


def describes(graph: Any, iri: URIRef) -> bool:
    """Whether the store has a statement about ``iri``: one index lookup."""
    quads = _native(graph).quads_for_pattern(pyoxigraph.NamedNode(str(iri)), None, None, None)
    return next(iter(quads), None) is not None


# ------------------------------------------------------------------------------------ hand-made plans

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_ORG_CHART_VARIABLES = ("depth", "unit", "name_zh_hans", "name_en", "parent", "parent_name", "relation")


_PREFIXES = "PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
# the units under the top and all their parents, inside the chart or not, in one go
_UNITS_AND_PARENTS = _PREFIXES + (
    "SELECT ?unit ?relation ?parent WHERE { { SELECT DISTINCT ?unit WHERE { "
    "?unit (org:subOrganizationOf|org:unitOf)+ %s } } "
    "?unit ?relation ?parent FILTER(?relation IN (org:subOrganizationOf, org:unitOf)) }"
)
_LABELS = _PREFIXES + "SELECT ?node ?label WHERE { VALUES ?node { %s } ?node skos:prefLabel ?label }"


def org_chart(store: Any, bindings: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    """The rows of ``org-chart.rq`` for ``bindings["org"]``, as pyoxigraph terms (None: unbound);
    None when a unit or parent is a blank node, which a VALUES block cannot name."""

    def ask(query: str) -> Any:
        return store.query(query, use_default_graph_as_union=True)

    top = pyoxigraph.NamedNode(str(bindings["org"]))
    # two index-driven queries: the units under the top with their parents, then everybody's labels
    parents: dict[Any, list[tuple[Any, Any]]] = {}
    for unit, relation, parent in ask(_UNITS_AND_PARENTS % top):
        if (relation, parent) not in parents.setdefault(unit, []):
            parents[unit].append((relation, parent))
    unit_of = pyoxigraph.NamedNode("http://www.w3.org/ns/org#unitOf")
    for unit, edges in parents.items():  # one row per unit and parent: a unitOf hides a subOrganizationOf
        parents[unit] = [(r, p) for r, p in edges if r == unit_of or (unit_of, p) not in edges]
    units = list(parents)
    if not units:
        return list(_ORG_CHART_VARIABLES), []
    named = set(units) | {parent for edges in parents.values() for _, parent in edges}
    if any(isinstance(node, pyoxigraph.BlankNode) for node in named):
        return None  # a VALUES block cannot name a blank node: the .rq answers instead
    zh_hans: dict[Any, list[Any]] = {}
    english: dict[Any, list[Any]] = {}
    for node, label in ask(_LABELS % " ".join(str(node) for node in named if isinstance(node, pyoxigraph.NamedNode))):
        language = getattr(label, "language", None)
        for wanted, found in (("zh-hans", zh_hans), ("en", english)):
            if _lang_matches(language, wanted):
                found.setdefault(node, []).append(label)
    unbound = [None]  # OPTIONAL: no label leaves the variable unbound

    chart = set(units)
    integer = pyoxigraph.NamedNode(_XSD_INTEGER)
    rows = []
    for unit in units:
        depth = pyoxigraph.Literal(str(_steps_up(unit, parents, chart)), datatype=integer)
        names_zh, names_en = zh_hans.get(unit, unbound), english.get(unit, unbound)
        for relation, parent in parents[unit]:
            for name_zh in names_zh:
                for name_en in names_en:
                    for parent_name in zh_hans.get(parent, unbound):
                        rows.append((depth, unit, name_zh, name_en, parent, parent_name, relation))
    rows = list(dict.fromkeys(rows))  # GROUP BY: one row per distinct combination
    rows.sort(key=lambda row: (int(row[0].value), _order_key(row[5]), _order_key(row[2])))
    return list(_ORG_CHART_VARIABLES), rows


def _steps_up(unit: Any, parents: dict[Any, list[tuple[Any, Any]]], chart: set[Any]) -> int:
    """COUNT(DISTINCT ?step): the units of the chart reachable upwards from ``unit``, itself included."""
    seen = {unit}
    stack = [unit]
    while stack:
        for _, parent in parents.get(stack.pop(), ()):
            if parent in chart and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def _lang_matches(tag: str | None, wanted: str) -> bool:
    """SPARQL langMatches for a plain range: the tag, or a tag it is a prefix of up to a hyphen."""
    if not tag:
        return False
    tag = tag.lower()
    return tag == wanted or tag.startswith(wanted + "-")


def _order_key(term: Any) -> tuple[int, str]:
    """SPARQL's ORDER BY for the values here: unbound first, then literals by their text."""
    return (0, "") if term is None else (1, term.value)


_DUTY_VARIABLES = (
    "duty",
    "task_zh_hans",
    "organisation",
    "organisation_zh_hans",
    "type",
    "carried_as",
    "category",
    "duty_year",
    "assigned_by",
    "meeting",
    "document",
)
_OG, _ORG_NS, _SKOS = (
    "https://w3id.org/orggraph/ns#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
)


def duties(store: Any, bindings: dict[str, Any]) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    """The rows of ``duties.rq`` (the responsibility matrix's), read predicate by predicate from
    the store's indexes and joined here: the query's chain of OPTIONALs over every duty of a big
    store is joined by Oxigraph one OPTIONAL at a time, ten times slower."""

    def edges(predicate: str) -> dict[Any, list[Any]]:
        found: dict[Any, dict[Any, None]] = {}
        for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None, None):
            found.setdefault(quad.subject, {})[quad.object] = None  # once, however many graphs say it
        return {subject: list(objects) for subject, objects in found.items()}

    is_a = pyoxigraph.NamedNode(str(RDF.type))
    duty_class = pyoxigraph.NamedNode(_OG + "Duty")
    all_duties = sorted({q.subject for q in store.quads_for_pattern(None, is_a, duty_class, None)}, key=str)
    org = bindings.get("org")
    year = bindings.get("year")
    wanted_org = None if org is None else pyoxigraph.NamedNode(str(org))
    assigned, members = edges(_OG + "assignedTo"), edges(_ORG_NS + "hasMember")
    membership_of = edges(_ORG_NS + "organization")
    member = edges(_ORG_NS + "member")
    units_of: dict[Any, list[Any]] = {}
    for membership, collaborations in membership_of.items():
        for collaboration in collaborations:
            units_of.setdefault(collaboration, []).extend(member.get(membership, []))
    period, held_at, start = edges(_OG + "period"), edges(_OG + "assignedAt"), edges("https://schema.org/startDate")
    notation, classification, category = (
        edges(_SKOS + "notation"),
        edges(_ORG_NS + "classification"),
        edges(_OG + "category"),
    )
    assigner = edges(_OG + "assignedBy")
    derived = edges("http://www.w3.org/ns/prov#wasDerivedFrom")
    source, identifier = edges("http://www.w3.org/ns/oa#hasSource"), edges("http://purl.org/dc/terms/identifier")
    zh: dict[Any, list[Any]] = {}
    for subject, labels in edges(_SKOS + "prefLabel").items():
        chosen = [label for label in labels if _lang_matches(getattr(label, "language", None), "zh-hans")]
        if chosen:
            zh[subject] = chosen
    unbound = [None]
    assignee, member_unit = pyoxigraph.Literal("assignee"), pyoxigraph.Literal("member unit")

    def through(values: list[Any] | None, step: dict[Any, list[Any]]) -> list[Any]:
        """A path of two steps in an OPTIONAL: unbound unless both steps are there."""
        found = [value for first in values or () for value in step.get(first, ())]
        return found or unbound

    rows: dict[tuple[Any, ...], None] = {}
    for duty in all_duties:
        carriers = [(target, assignee) for target in assigned.get(duty, ())]
        for collaboration in assigned.get(duty, ()):
            carriers += [(unit, member_unit) for unit in members.get(collaboration, ())]
            carriers += [(unit, member_unit) for unit in units_of.get(collaboration, ())]
        if wanted_org is not None:
            carriers = [(unit, how) for unit, how in carriers if unit == wanted_org]
        if not carriers:
            continue
        years: list[tuple[Any, Any]] = []
        for meeting in held_at.get(duty) or unbound:
            for date in (start.get(meeting) if meeting is not None else None) or unbound:
                for when in period.get(duty) or unbound:
                    text = when.value if when is not None else (date.value[:4] if date is not None else None)
                    years.append((None if text is None else pyoxigraph.Literal(text), meeting))
        if year is not None:
            years = [(y, m) for y, m in years if y is not None and y.value == str(year)]
        tasks = zh.get(duty) or unbound
        categories = through(category.get(duty), notation)
        assigned_by = [name for who in assigner.get(duty, ()) for name in zh.get(who) or unbound] or unbound
        documents = [
            document for evidence in derived.get(duty, ()) for document in through(source.get(evidence), identifier)
        ] or unbound
        for unit, how in carriers:
            names, types = zh.get(unit) or unbound, through(classification.get(unit), notation)
            for duty_year, meeting in years:
                for row in itertools.product(
                    [duty],
                    tasks,
                    [unit],
                    names,
                    types,
                    [how],
                    categories,
                    [duty_year],
                    assigned_by,
                    [meeting],
                    documents,
                ):
                    rows[row] = None
    ordered = sorted(rows, key=lambda row: (_order_key(row[7]), _order_key(row[3]), str(row[0])))
    return list(_DUTY_VARIABLES), ordered


NATIVE_PLANS: dict[str, Callable[[Any, dict[str, Any]], tuple[list[str], list[tuple[Any, ...]]] | None]] = {
    "org-chart": org_chart,
    "duties": duties,
}


def plan(graph: Any, name: str) -> Callable[[dict[str, Any], int | None], Result | None] | None:
    """The hand-made plan for the named query ``name`` on ``graph``: a function of the bindings and
    a row limit that gives the rows of the ``.rq`` (or None when it cannot, and the ``.rq`` must
    answer); None when ``graph`` is not on Oxigraph or the query has no plan."""
    planned = NATIVE_PLANS.get(name)
    if planned is None or not is_oxigraph(graph):
        return None
    store = _native(graph)

    def run(bindings: dict[str, Any], limit: int | None) -> Result | None:
        answer = planned(store, bindings)
        return None if answer is None else select_result(*answer, limit)

    return run


_PLAIN_TYPES = frozenset(
    ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
)


def plan_records(graph: Any, name: str, bindings: dict[str, Any]) -> list[dict[str, object]] | None:
    """The rows of the named query ``name``'s hand-made plan as dicts of plain values, as
    :func:`orggraph.graph.results.to_records` gives them, without rdflib terms in between (a
    hundred thousand rows of them take longer than the plan); None without a plan."""
    planned = NATIVE_PLANS.get(name)
    if planned is None or not is_oxigraph(graph):
        return None
    answer = planned(_native(graph), bindings)
    if answer is None:
        return None
    names, rows = answer
    plain: dict[Any, object] = {}

    def value(term: Any) -> object:
        if term is None:
            return None
        found = plain.get(term)
        if found is None:
            if isinstance(term, pyoxigraph.Literal) and term.datatype.value not in _PLAIN_TYPES:
                found = python_value(_term_converter()(term))
            else:
                found = term.value
            plain[term] = found
        return found

    with _cycle_collection_paused():
        return [dict(zip(names, map(value, row), strict=True)) for row in rows]
