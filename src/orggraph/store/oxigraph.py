"""Everything that knows Oxigraph: opening an on-disk store, running SPARQL on it directly,
turning its terms into rdflib's, lookups through its indexes, bulk loading, compaction, and the
hand-made query plans. The rest of orggraph reaches Oxigraph only through the functions here;
a graph whose store is not Oxigraph is answered None (or False) by every ``native`` helper.

pyoxigraph is an optional dependency (``pip install 'orggraph[oxigraph]'``): without it no
Oxigraph graph can exist, and :func:`open_store` says how to install it. An Oxigraph store is
an rdflib store through :class:`OxigraphStore`, our own: oxrdflib's imports rdflib's SPARQL
parser (about 130 ms at every start) only to name two types.

The hand-made query plans live in :mod:`orggraph.store.plans`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.store import Store

from orggraph.errors import InputError, OrgGraphError, QueryError, QueryTimeout, UsageError
from orggraph.namespaces import bind_prefixes
from orggraph.store.oxigraph_direct import (
    FROM_THE_QUERY,
    RESULT_FORMATS,
    DefaultIsUnion,
    available,
    cycle_collection_paused,
    data_graphs_of,
    dataset_options,
    describes_iri,
    engine_version,
    kind_of,
    label_things,
    lexical_form,
    string_text,
    term_from_text,
    written,
)
from orggraph.store.sparql_text import LiteralText

try:
    import pyoxigraph
except ImportError:  # the optional extra is missing: no Oxigraph store can be opened, so none is ever asked
    pyoxigraph = None  # type: ignore[assignment]

__all__ = [
    "FORMATS",
    "RESULT_FORMATS",
    "OxigraphStore",
    "available",
    "engine_version",
    "write_copy",
    "write_files_copy",
    "bulk_load",
    "FROM_THE_QUERY",
    "data_graphs",
    "describes",
    "flush",
    "named_graphs_in",
    "is_oxigraph",
    "label_matches",
    "lexical_form",
    "open_store",
    "optimize",
    "query",
    "query_within",
    "rdflib_term",
    "release",
    "select_result",
    "select_texts",
    "store_folder",
    "string_text",
    "term_from_text",
    "update",
]

# rdflib format name → pyoxigraph.RdfFormat member: the formats Oxigraph's bulk loader reads itself
FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


def open_store(path: str, read_only: bool, *, default_is_union: bool = False) -> Dataset:
    """An rdflib Dataset over the on-disk Oxigraph store in folder ``path`` (created when
    writable); read-only stores can be opened by several processes at once. With
    ``default_is_union``, the store's default graph holds the union of its named graphs (a
    copy made by :func:`write_copy`) and is read in its place."""
    if pyoxigraph is None:
        raise UsageError("the Oxigraph store needs `pip install 'orggraph[oxigraph]'`")
    if not path:
        raise UsageError("give the store folder: oxigraph:PATH")
    if read_only and not Path(path).is_dir():
        raise InputError(
            f"{path}: no Oxigraph store there; create one by loading files into it with {{load_files}}",
            parameters="load_files",
        )
    try:
        if not read_only:  # a new store may go in a new folder: RocksDB creates only the last one
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        inner = pyoxigraph.Store.read_only(path) if read_only else pyoxigraph.Store(path)
    except (OSError, RuntimeError) as error:  # RocksDB reports a damaged store as a RuntimeError
        message = str(error)
        if "lock" in message.lower() or "temporarily unavailable" in message.lower():
            raise OrgGraphError(
                f"{path}: the store is being written by another process; wait for it to finish "
                "(read-only commands can run alongside each other)"
            ) from None
        raise InputError(f"{path}: cannot open the Oxigraph store: {message}") from None
    return dataset_over(DefaultIsUnion(inner) if default_is_union else inner, Path(path))


def dataset_over(inner: Any, folder: Path | None = None) -> Dataset:
    """An rdflib Dataset (default graph: the union of the named ones) over the pyoxigraph store
    ``inner``, kept in ``folder`` when it is on disk."""
    store = OxigraphStore(inner)
    store.orggraph_folder = folder  # for the cache of slow reads and queries in a child process
    dataset = Dataset(store=store, default_union=True)
    bind_prefixes(dataset)
    return dataset


class OxigraphStore(Store):
    """A pyoxigraph ``Store`` as an rdflib store: rdflib's graph API reads and writes quads
    through Oxigraph's indexes, and a SPARQL text given to ``Graph.query`` runs in Oxigraph."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, inner: Any) -> None:
        self._store: Any = inner
        self.orggraph_folder: Path | None = None
        self._namespaces: dict[str, URIRef] = {}
        super().__init__()

    @property
    def _inner(self) -> Any:
        if self._store is None:
            raise OrgGraphError("the Oxigraph store was closed")
        return self._store

    def close(self, commit_pending_transaction: bool = False) -> None:
        self._store = None

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        subject, predicate, value = triple
        self._inner.add(_quad(subject, predicate, value, context))
        super().add(triple, context, quoted)

    def addN(self, quads: Iterable[Any]) -> None:
        self._inner.extend([_quad(s, p, o, g) for s, p, o, g in quads])

    def remove(self, triple: Any, context: Any = None) -> None:
        inner = self._inner
        for quad in list(inner.quads_for_pattern(*_pattern(triple, context))):
            inner.remove(quad)
        super().remove(triple, context)

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Iterator[Any]]]:
        try:
            pattern = _pattern(triple_pattern, context)
        except (TypeError, ValueError):  # a term Oxigraph cannot hold matches nothing
            return iter(())
        convert = _term_converter()
        return (
            (
                (convert(q.subject), convert(q.predicate), convert(q.object)),
                iter((self._graph_named(q.graph_name),)),
            )
            for q in self._inner.quads_for_pattern(*pattern)
        )

    def __len__(self, context: Any = None) -> int:
        where = {"use_default_graph_as_union": True} if context is None else {"default_graph": [_node(context)]}
        distinct = "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        counted = self._inner.query(distinct, **where)
        return int(next(iter(counted))[0].value)

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        if triple is None:
            yield from (self._graph_named(name) for name in self._inner.named_graphs())
            return
        every = getattr(self._inner, "whole", self._inner)  # the named graphs, not a union copy
        for quad in every.quads_for_pattern(*_pattern(triple, None)):
            if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                yield self._graph_named(quad.graph_name)

    def _graph_named(self, name: Any) -> Graph:
        if isinstance(name, pyoxigraph.DefaultGraph):
            return Graph(identifier=DATASET_DEFAULT_GRAPH_ID, store=self)
        return Graph(identifier=_term_converter()(name), store=self)

    def query(self, query: Any, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any) -> Result:
        if not isinstance(query, str) or kwargs:
            raise NotImplementedError("Oxigraph runs SPARQL text only")  # rdflib then evaluates it
        answer = self._inner.query(
            query,
            use_default_graph_as_union=queryGraph == "__UNION__",
            default_graph=_node(queryGraph) if isinstance(queryGraph, (URIRef, BNode)) else None,
            prefixes={**self._namespaces, **{k: str(v) for k, v in initNs.items()}},
            substitutions={pyoxigraph.Variable(str(k)): _value(v) for k, v in initBindings.items()},
        )
        return _result(answer, None)

    def update(self, update: Any, initNs: Any, initBindings: Any, queryGraph: Any, **kwargs: Any) -> None:
        if not isinstance(update, str) or initBindings or kwargs or queryGraph != DATASET_DEFAULT_GRAPH_ID:
            raise NotImplementedError("Oxigraph runs SPARQL Update text only")
        self._inner.update(update, prefixes={**self._namespaces, **{k: str(v) for k, v in initNs.items()}})

    def add_graph(self, graph: Graph) -> None:
        self._inner.add_graph(_node(graph.identifier))

    def remove_graph(self, graph: Graph) -> None:
        self._inner.remove_graph(_node(graph.identifier))

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        namespace = URIRef(namespace)
        if not override and (prefix in self._namespaces or namespace in self._namespaces.values()):
            return
        self._namespaces = {p: n for p, n in self._namespaces.items() if n != namespace}
        self._namespaces[prefix] = namespace

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, n in self._namespaces.items() if n == namespace), None)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespaces.items())


def _node(term: Any) -> Any:
    """An rdflib IRI, blank node or graph name as Oxigraph's."""
    if isinstance(term, Graph):
        term = term.identifier
    if term is None or term == DATASET_DEFAULT_GRAPH_ID:
        return pyoxigraph.DefaultGraph()
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    raise ValueError(f"not a node: {term!r}")


def _value(term: Any) -> Any:
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype is not None else None
        return pyoxigraph.Literal(str(term), datatype=datatype)
    return _node(term)


def _quad(subject: Any, predicate: Any, value: Any, context: Any) -> Any:
    return pyoxigraph.Quad(_node(subject), _node(predicate), _value(value), _node(context))


def _pattern(triple: Any, context: Any) -> tuple[Any, Any, Any, Any]:
    subject, predicate, value = triple
    return (
        None if subject is None else _node(subject),
        None if predicate is None else _node(predicate),
        None if value is None else _value(value),
        None if context is None else _node(context),
    )


def write_copy(dataset: Dataset, folder: Path) -> None:
    """Write every quad of ``dataset`` into a new on-disk store at ``folder``, and each statement
    once more into its default graph (open it with ``default_is_union``), whole or not at all:
    it is written beside it and renamed into place, so a reader sees either no store or all of
    it. Another process writing the same copy first wins; its copy is kept."""

    def fill(store: Any) -> None:
        default = pyoxigraph.DefaultGraph()
        quads = [_quad(s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None))]
        store.bulk_extend([*quads, *{pyoxigraph.Quad(q.subject, q.predicate, q.object, default) for q in quads}])

    _write_beside(folder, fill)


def write_files_copy(sources: Sequence[tuple[bytes, str, str]], folder: Path) -> None:
    """As :func:`write_copy`, from files Oxigraph parses itself: (content, format of
    :data:`FORMATS`, graph IRI, which is also the base of relative IRIs) each. A syntax error
    raises :class:`InputError`; nothing is left behind."""

    def fill(store: Any) -> None:
        for data, rdf_format, graph_iri in sources:
            member = getattr(pyoxigraph.RdfFormat, FORMATS[rdf_format])
            # the bulk loader writes files of its own at every call (60 ms each for the bundled
            # graph's small files, 0.6 s in all); a transaction is faster below a few megabytes
            into = store.load if len(data) < _TRANSACTION_LIMIT else store.bulk_load
            try:
                into(input=data, format=member, to_graph=pyoxigraph.NamedNode(graph_iri), base_iri=graph_iri)
            except SyntaxError as error:
                raise _syntax_error(error, graph_iri, rdf_format) from None
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the union, each statement once

    _write_beside(folder, fill)


_TRANSACTION_LIMIT = 4 << 20  # bytes of a file loaded in one transaction, in memory


def _write_beside(folder: Path, fill: Callable[[Any], None]) -> None:
    """A new store filled by ``fill`` in a folder beside ``folder``, renamed into place when
    whole; nothing is left behind when ``fill`` fails, and a copy already there is kept."""
    if pyoxigraph is None:
        raise UsageError("the Oxigraph store needs `pip install 'orggraph[oxigraph]'`")
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        store = pyoxigraph.Store(str(partial))
        fill(store)
        store.flush()
        del store
        gc.collect()  # the store closes (and drops its lock) when its last reference goes
        os.rename(partial, folder)
    except OSError:
        if not folder.is_dir():
            raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def is_oxigraph(graph: Any) -> bool:
    """Whether ``graph`` is held in an Oxigraph store (:class:`OxigraphStore`).

    >>> is_oxigraph(Graph())
    False
    """
    return isinstance(getattr(graph, "store", None), OxigraphStore)


def _native(graph: Any) -> Any:
    """The pyoxigraph ``Store`` behind an Oxigraph graph."""
    return graph.store._inner


def store_folder(graph: Any) -> Path | None:
    """The folder of an on-disk Oxigraph store opened by :func:`open_store`; None otherwise."""
    folder = getattr(getattr(graph, "store", None), "orggraph_folder", None)
    return folder if isinstance(folder, Path) else None


def data_graphs(graph: Any, *, ontology: bool) -> tuple[list[str], list[str]] | None:
    """The dataset of an ad-hoc query on the Oxigraph store behind ``graph``
    (:func:`~orggraph.store.oxigraph_direct.data_graphs_of`)."""
    return data_graphs_of(_native(graph), ontology=ontology)


def query(
    graph: Any,
    text: str,
    limit: int | None = None,
    *,
    dataset: tuple[list[str], list[str]] | None = None,
    written_as: str | None = None,
) -> Result | bytes:
    """Run SPARQL ``text`` (a query, not an update) on the Oxigraph store behind ``graph``, its
    default graph the union of the named ones (or the ``dataset`` of :func:`data_graphs`), as an
    rdflib :class:`~rdflib.query.Result`; or, with ``written_as`` (one of :data:`RESULT_FORMATS`),
    rows and yes/no answers as Oxigraph itself writes them in that format."""
    answer = _native(graph).query(text, **dataset_options(dataset))
    kind = kind_of(answer)
    # the CSV and TSV formats hold no yes/no: the Result says so (Oxigraph would write a bare "true")
    if written_as is not None and (kind == "rows" or (kind == "boolean" and written_as in ("json", "xml"))):
        return written(answer, written_as, limit)
    return _result(answer, limit)


def _result(answer: Any, limit: int | None) -> Result:
    """Oxigraph's answer as an rdflib :class:`~rdflib.query.Result` (at most ``limit`` rows)."""
    convert = _term_converter()
    if isinstance(answer, pyoxigraph.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return select_result([v.value for v in answer.variables], answer, limit)
    result = Result("CONSTRUCT")
    result.graph = Graph()
    for triple in answer:
        result.graph.add((convert(triple.subject), convert(triple.predicate), _plain(convert(triple.object))))
    return result


# Run in a process of its own (only pyoxigraph imported), so that the deadline can stop it: inside
# one call Oxigraph does not return to Python (an aggregate, ORDER BY), and a thread left running
# would keep its CPU and memory until the process ends.
_QUERY_CHILD = """
import itertools, json, sys
import pyoxigraph
job = json.load(sys.stdin)
store = pyoxigraph.Store.read_only(job["path"])
if job["dataset"] is None:
    answer = store.query(job["query"], use_default_graph_as_union=True)
elif job["dataset"] == [[], []]:
    answer = store.query(job["query"])
else:
    default, named = job["dataset"]
    answer = store.query(
        job["query"],
        default_graph=[pyoxigraph.NamedNode(n) if n else pyoxigraph.DefaultGraph() for n in default],
        named_graphs=[pyoxigraph.NamedNode(n) for n in named],
    )
out = sys.stdout
def text(term):
    return None if term is None else str(term)
if isinstance(answer, pyoxigraph.QueryBoolean):
    out.write(json.dumps({"ask": bool(answer)}) + "\\n")
elif isinstance(answer, pyoxigraph.QuerySolutions):
    out.write(json.dumps({"select": [v.value for v in answer.variables]}) + "\\n")
    for solution in itertools.islice(answer, job["limit"]):
        out.write(json.dumps([text(term) for term in solution]) + "\\n")
else:
    out.write(json.dumps({"graph": True}) + "\\n")
    for triple in answer:
        out.write(json.dumps([str(triple.subject), str(triple.predicate), str(triple.object)]) + "\\n")
"""


def query_within(
    graph: Any,
    text: str,
    limit: int | None,
    seconds: float,
    origin: str,
    *,
    dataset: tuple[list[str], list[str]] | None = None,
) -> Result:
    """:func:`query` stopped after ``seconds``: the query runs in a child process that reads the
    store read-only and is killed at the deadline (:class:`QueryTimeout`)."""
    folder = store_folder(graph)
    if dataset is None and isinstance(_native(graph), DefaultIsUnion):
        dataset = FROM_THE_QUERY  # the store's own default graph is the union
    job = json.dumps({"path": str(folder), "query": text, "limit": limit, "dataset": dataset})
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _QUERY_CHILD],
            input=job,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise QueryTimeout(
            f"{origin}: stopped after {seconds:g} s ({{timeout}}); make the query more selective "
            "(LIMIT, tighter patterns) or allow more time",
            parameters="timeout",
        ) from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise QueryError(f"{origin}: query failed: {lines[-1] if lines else 'the query process stopped'}")
    lines = done.stdout.splitlines()
    head = json.loads(lines[0])
    if "ask" in head:
        result = Result("ASK")
        result.askAnswer = bool(head["ask"])
        return result
    rows = [[None if t is None else term_from_text(t) for t in json.loads(line)] for line in lines[1:]]
    if "select" in head:
        return select_result(head["select"], rows, limit)
    convert = _term_converter()
    result = Result("CONSTRUCT")
    result.graph = Graph()
    for subject, predicate, value in rows:
        result.graph.add((convert(subject), convert(predicate), _plain(convert(value))))
    return result


def _plain(term: Any) -> Any:
    """A graph's ``"text"^^xsd:string`` as the simple literal ``"text"``: one term in RDF 1.1, but
    rdflib tells them apart, and its readers make the simple one, so graphs compare alike."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def select_result(names: list[str], solutions: Iterable[Any], limit: int | None) -> Result:
    """A SELECT result of rdflib terms from rows of Oxigraph terms (None: unbound)."""
    result = Result("SELECT")
    variables = [Variable(name) for name in names]
    result.vars = variables
    convert = _term_converter()
    with cycle_collection_paused():
        rows = [
            {v: convert(term) for v, term in zip(variables, solution, strict=True) if term is not None}
            for solution in itertools.islice(solutions, limit)
        ]
    result.bindings = rows  # type: ignore[assignment]  # rows of terms, as rdflib stores them
    return result


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
    # rdflib parses dates and numbers into Python values, at 10-20 µs each; rows repeat them.
    # The lexical form stays what the store holds: rdflib would write the double 2.0E0 as 2.0
    # and the duration PT0S as P0D, which are other terms.
    return Literal(value, datatype=_iri(datatype), normalize=False)


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


def add_triples(
    graph: Any, graphs: Iterable[tuple[str, str, Iterable[tuple[Any, Any, Any]]]], *, atomic: bool = False
) -> None:
    """Add rdflib-term triples to their named graphs straight into the store: no SPARQL text to
    write and parse. Each graph comes as (graph IRI, the IRI base its blank nodes become IRIs
    under, triples). ``atomic``: every statement in one transaction, all or none."""
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
    if atomic:
        _native(graph).extend(quads)
        return
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
        _native(graph).bulk_load(  # relative IRIs (``<>``, ``rdf:resource=""``) resolve against the graph's IRI
            input=data, format=member, to_graph=pyoxigraph.NamedNode(graph_iri), base_iri=graph_iri
        )
    except SyntaxError as error:
        raise _syntax_error(error, source, rdf_format) from None


QUAD_FORMATS = frozenset(("trig", "nquads"))


def named_graphs_in(data: bytes, rdf_format: str, source: str, base_iri: str | None = None) -> set[str]:
    """The named graphs a TriG or N-Quads file writes to (its default graph aside), read with
    Oxigraph's parser before anything is loaded; a syntax error raises :class:`InputError`."""
    member = getattr(pyoxigraph.RdfFormat, FORMATS[rdf_format])
    try:
        return {
            quad.graph_name.value
            for quad in pyoxigraph.parse(data, format=member, base_iri=base_iri)
            if isinstance(quad.graph_name, pyoxigraph.NamedNode)
        }
    except SyntaxError as error:
        raise _syntax_error(error, source, rdf_format) from None


def _syntax_error(error: SyntaxError, source: str, rdf_format: str) -> InputError:
    message = str(error)
    where = re.search(r"line (\d+)[^\d]+(\d+)", message)
    place = f"{source}:{where.group(1)}:{where.group(2)}" if where else source
    return InputError(f"{place}: invalid {rdf_format}: {message.splitlines()[0]}; fix the file and try again")


# ------------------------------------------------------------------------------------ terms as text
# ------------------------------------------------------------------------------------ index lookups
def label_matches(graph: Any, names: Sequence[LiteralText], type_iri: URIRef | None) -> set[URIRef]:
    """Things named by one of ``names`` and, when ``type_iri`` is given, of that type or a
    subclass (:func:`~orggraph.store.oxigraph_direct.label_things`)."""
    return {URIRef(thing) for thing in label_things(_native(graph), names, None if type_iri is None else str(type_iri))}


def describes(graph: Any, iri: URIRef) -> bool:
    """Whether the store has a statement about ``iri``: one index lookup."""
    return describes_iri(_native(graph), str(iri))


# ------------------------------------------------------------------------------------ hand-made plans
