"""Oxigraph without rdflib: what the command line's quick path needs to answer a read-only
query from an on-disk store or from the prebuilt copy of a set of files.

Opening a store and having Oxigraph write its answer takes milliseconds; importing rdflib takes
about 80. So the functions here take and give plain text and pyoxigraph's own terms, and this
module imports neither rdflib nor any module that does (an import contract holds it to that).
:mod:`orggraph.store.oxigraph` builds the rdflib side on top of them: both paths read a store
the same way, with the same dataset, the same lookups and the same writers.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from orggraph._version import __version__
from orggraph.iris import GRAPH_BASE, META_GRAPH, PREFIXES
from orggraph.resources import data_files, ontology_files
from orggraph.settings import cache_folder
from orggraph.store.sparql_text import LiteralText

try:
    import pyoxigraph
except ImportError:  # the optional extra is missing: no Oxigraph store can be opened
    pyoxigraph = None  # type: ignore[assignment]

__all__ = [
    "parsed_results",
    "result_rows",
    "FROM_THE_QUERY",
    "NAME_PROPERTIES",
    "RESULT_FORMATS",
    "DefaultIsUnion",
    "available",
    "bundled_graph_iri",
    "data_graphs_of",
    "dataset_options",
    "describes_iri",
    "engine_version",
    "kind_of",
    "label_things",
    "local_files",
    "open_read_only",
    "prebuilt_place",
    "cycle_collection_paused",
    "lexical_form",
    "string_text",
    "term_from_text",
    "written",
    "written_rows",
]

RESULT_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}
NAME_PROPERTIES = frozenset(PREFIXES["skos"] + local for local in ("prefLabel", "altLabel", "notation")) | {
    PREFIXES["rdfs"] + "label"
}
FROM_THE_QUERY: tuple[list[str], list[str]] = ([], [])  # the query's own FROM / FROM NAMED decide
_ONTOLOGY_GRAPHS = GRAPH_BASE + "ontology/"


def available() -> bool:
    """Whether pyoxigraph is installed (the ``oxigraph`` extra)."""
    return pyoxigraph is not None


def engine_version() -> str:
    """pyoxigraph's version, or "" without it: a store written by one may not open in another."""
    return str(getattr(pyoxigraph, "__version__", "")) if pyoxigraph is not None else ""


class DefaultIsUnion:
    """A store whose default graph holds the union of its named graphs, each statement once
    (Oxigraph's own union repeats a statement once per graph that states it, where rdflib's and
    the RDF merge hold it once): "every graph" reads the default graph."""

    def __init__(self, store: Any) -> None:
        self.whole = store

    def query(self, text: str, *, use_default_graph_as_union: bool = False, **options: Any) -> Any:
        return self.whole.query(text, **options)

    def quads_for_pattern(self, subject: Any, predicate: Any, value: Any, graph_name: Any = None) -> Any:
        graph_name = pyoxigraph.DefaultGraph() if graph_name is None else graph_name
        return self.whole.quads_for_pattern(subject, predicate, value, graph_name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.whole, name)


def open_read_only(path: Path, *, default_is_union: bool = False) -> Any | None:
    """The on-disk store in ``path`` opened read-only (wrapped in :class:`DefaultIsUnion` for a
    prebuilt copy); None when there is none or it cannot be opened: the general path says why."""
    if pyoxigraph is None or not path.is_dir():
        return None
    try:
        store = pyoxigraph.Store.read_only(str(path))
    except (OSError, RuntimeError):
        return None
    return DefaultIsUnion(store) if default_is_union else store


def bundled_graph_iri(kind: str, name: str) -> str:
    """The named-graph IRI of a bundled file.

    >>> bundled_graph_iri("data", "seed-2019-02-21.ttl")
    'https://w3id.org/orggraph/graph/data/seed-2019-02-21.ttl'
    """
    return f"{GRAPH_BASE}{kind}/{name}"


def local_files(sources: Iterable[str | os.PathLike[str]] | None, ontology: bool) -> list[tuple[Path, str]] | None:
    """The files a graph of ``sources`` (else the bundled data) is read from, with their graph
    IRIs, the bundled ontology first with ``ontology``; None when one is not a local file."""
    files = [(p, bundled_graph_iri("ontology", p.name)) for p in ontology_files()] if ontology else []
    if sources is None:
        return files + [(p, bundled_graph_iri("data", p.name)) for p in data_files()]
    for source in sources:
        path = Path(source)
        if "://" in str(source) or not path.is_file():
            return None  # read as usual, which says what is wrong with it
        files.append((path, path.resolve().as_uri()))
    return files


# a new layout, a new key
_PREBUILT_LAYOUT = "named graphs, and their union as the default graph; as Oxigraph reads them"


def prebuilt_place(files: list[tuple[Path, str]], allow_network: bool) -> Path | None:
    """Where the prebuilt copy of ``files`` is kept in the cache folder: named by a digest of
    the files' content and graph IRIs and of the versions that wrote it, so a copy is never
    stale. None without a cache folder or pyoxigraph, or when a file cannot be read."""
    folder = cache_folder()
    if folder is None or pyoxigraph is None:
        return None
    versions = f"{_PREBUILT_LAYOUT}\0{__version__}\0{engine_version()}\0{allow_network}\0"
    digest = hashlib.sha256(versions.encode())
    try:
        for path, iri in files:
            digest.update(f"{iri}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return folder / f"prebuilt-{digest.hexdigest()[:32]}"


def data_graphs_of(store: Any, *, ontology: bool) -> tuple[list[str], list[str]] | None:
    """The dataset of an ad-hoc query on ``store``: (the graphs its default graph is made of,
    the named graphs ``GRAPH`` reaches). Orggraph's load records are in neither, the bundled
    ontology only with ``ontology``. A file loaded to be reachable only by name is a named graph
    alone, and once there is one, the other files form the default graph only ("" is the
    store's own default graph). None when that is the whole store (the union is faster)."""
    records = pyoxigraph.NamedNode(META_GRAPH)
    if not store.contains_named_graph(records):
        return None  # not filled by orggraph's load (a prebuilt copy of files): all of it is the data
    # in the order of their names: a query over GRAPH ?g answers in that order, the same at every run
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))
    flag = pyoxigraph.NamedNode(PREFIXES["og"] + "namedOnly")
    flagged = {q.subject.value: q.object.value == "true" for q in store.quads_for_pattern(None, flag, None, records)}
    by_name_only = {name for name, only in flagged.items() if only}
    named = [n for n in names if n != META_GRAPH and (ontology or not n.startswith(_ONTOLOGY_GRAPHS))]
    if len(named) == len(names) and not by_name_only:
        return None
    default = ["", *(n for n in named if n not in by_name_only)]
    # as Jena's --data and --namedGraph: once some files are named data, GRAPH reaches those alone
    return default, [n for n in named if n in flagged] if by_name_only else named


def dataset_options(dataset: tuple[list[str], list[str]] | None) -> dict[str, Any]:
    """The keyword arguments of pyoxigraph's ``Store.query`` for a dataset of :func:`data_graphs_of`
    (None: the union of every graph; :data:`FROM_THE_QUERY`: as the query says)."""
    if dataset is None:
        return {"use_default_graph_as_union": True}
    if dataset is FROM_THE_QUERY:
        return {}
    default, named = dataset
    return {
        "default_graph": [pyoxigraph.NamedNode(n) if n else pyoxigraph.DefaultGraph() for n in default],
        "named_graphs": [pyoxigraph.NamedNode(n) for n in named],
    }


def parsed_results(body: bytes) -> Any:
    """SPARQL JSON results (an endpoint's answer) as pyoxigraph's rows or yes/no answer. The
    rows are read as they are taken: a malformed one raises SyntaxError then."""
    return pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)


def result_rows(body: bytes, fmt: str) -> int | None:
    """How many rows a SELECT's answer written in ``fmt`` (a key of :data:`RESULT_FORMATS`)
    holds; None for a yes or no, or a body that cannot be read.

    >>> result_rows(b"a,b\\r\\n1,2\\r\\n3,4\\r\\n", "csv")
    2
    """
    if fmt == "csv":  # which pyoxigraph does not read: a lossy format
        try:
            return max(sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1, 0)
        except (UnicodeDecodeError, csv.Error):
            return None
    if pyoxigraph is None:
        return None
    try:
        answer = pyoxigraph.parse_query_results(
            body, format=getattr(pyoxigraph.QueryResultsFormat, RESULT_FORMATS[fmt])
        )
        return sum(1 for _ in answer) if isinstance(answer, pyoxigraph.QuerySolutions) else None
    except (SyntaxError, ValueError):
        return None


def kind_of(answer: Any) -> str:
    """What a query answered: ``rows`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT, DESCRIBE)."""
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return "rows"
    return "boolean" if isinstance(answer, pyoxigraph.QueryBoolean) else "graph"


def written(answer: Any, fmt: str, limit: int | None) -> bytes:
    """Oxigraph's own serialisation of ``answer`` in ``fmt`` (a key of :data:`RESULT_FORMATS`);
    the first ``limit`` rows alone are handed to it through a JSON copy, which keeps every term
    exactly."""
    if limit is not None and isinstance(answer, pyoxigraph.QuerySolutions):
        return written_rows([v.value for v in answer.variables], answer, fmt, limit)
    return bytes(answer.serialize(format=getattr(pyoxigraph.QueryResultsFormat, RESULT_FORMATS[fmt])))


def written_rows(names: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, limit: int | None = None) -> bytes:
    """Rows of pyoxigraph terms (None: unbound), at most ``limit``, as Oxigraph writes a
    SELECT's answer in ``fmt`` (a key of :data:`RESULT_FORMATS`): they go to its writer through
    a JSON copy, which keeps every term exactly."""
    member = getattr(pyoxigraph.QueryResultsFormat, RESULT_FORMATS[fmt])
    bindings = [
        {name: _json_term(term) for name, term in zip(names, row, strict=True) if term is not None}
        for row in itertools.islice(rows, limit)
    ]
    copy = json.dumps({"head": {"vars": list(names)}, "results": {"bindings": bindings}}).encode()
    answer: Any = pyoxigraph.parse_query_results(copy, format=pyoxigraph.QueryResultsFormat.JSON)
    return bytes(answer.serialize(format=member))


def _json_term(term: Any) -> dict[str, str]:
    """A term in the W3C SPARQL JSON results format."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


def label_things(store: Any, names: Sequence[LiteralText], type_iri: str | None) -> set[str]:
    """IRIs of the things named by one of ``names`` (prefLabel, altLabel, rdfs:label or notation)
    and, when ``type_iri`` is given, of that type or a subclass: straight to the store's indexes,
    without planning a query for a handful of lookups."""
    things: set[Any] = set()
    for name in names:
        term = pyoxigraph.Literal(name.value, language=name.language or None)
        for quad in store.quads_for_pattern(None, None, term, None):
            if quad.predicate.value in NAME_PROPERTIES and isinstance(quad.subject, pyoxigraph.NamedNode):
                things.add(quad.subject)
    if type_iri is not None:
        wanted = pyoxigraph.NamedNode(type_iri)
        things = {thing for thing in things if _is_a(store, thing, wanted)}
    return {thing.value for thing in things}


def _is_a(store: Any, thing: Any, wanted: Any) -> bool:
    """``thing a/rdfs:subClassOf* wanted``, walked through the store's indexes."""
    is_a = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    subclass_of = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "subClassOf")
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


def describes_iri(store: Any, iri: str) -> bool:
    """Whether ``store`` has a statement about ``iri``: one index lookup."""
    try:
        subject = pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return next(iter(store.quads_for_pattern(subject, None, None, None)), None) is not None


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Hundreds of thousands of new rows would set off the cycle collector over and over (half
    the time of converting a 100,000-row answer); rows hold no cycles, so it waits till after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ------------------------------------------------------------------------------------ terms as text
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)


def _unescaped(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    if code:
        return chr(int(code, 16))
    return _ESCAPED.get(match.group(3), match.group(3))


def lexical_form(term: str) -> str:
    """The lexical form (STR) of a term written as SPARQL TSV or N-Triples writes it: an IRI's
    text, a literal's text unescaped."""
    if term.startswith("<"):
        return term[1:-1]
    if not term.startswith('"'):
        return term[2:] if term.startswith("_:") else term  # a bare number or boolean is its own text
    body = term[1 : term.rindex('"')]
    if "\\" not in body:
        return body
    return _ESCAPE.sub(_unescaped, body)


def string_text(text: str) -> str:
    """A plain string literal as SPARQL TSV writes it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"'


_BARE_TYPES = (("integer", "0123456789+-"), ("decimal", "0123456789+-."))


def term_from_text(term: str) -> Any:
    """The pyoxigraph term that a SPARQL TSV or N-Triples term writes."""
    if term.startswith("<"):
        return pyoxigraph.NamedNode(term[1:-1])
    if term.startswith("_:"):
        return pyoxigraph.BlankNode(term[2:])
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if not term.startswith('"'):
        if term in ("true", "false"):
            return pyoxigraph.Literal(term, datatype=pyoxigraph.NamedNode(xsd + "boolean"))
        kind = next((name for name, allowed in _BARE_TYPES if set(term) <= set(allowed)), "double")
        return pyoxigraph.Literal(term, datatype=pyoxigraph.NamedNode(xsd + kind))
    text, suffix = lexical_form(term), term[term.rindex('"') + 1 :]
    if suffix.startswith("@"):
        return pyoxigraph.Literal(text, language=suffix[1:])
    if suffix.startswith("^^<"):
        return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(suffix[3:-1]))
    return pyoxigraph.Literal(text)
