"""Opening a store and loading graphs into it.

One store abstraction carries everything: an rdflib :class:`~rdflib.Dataset` whose default
graph is the union of its named graphs, one named graph per source file, over one of rdflib's
store plugins:

* ``memory`` — rdflib's in-memory store (the default; embedded, nothing persists);
* ``oxigraph:PATH`` — an on-disk Oxigraph database through oxrdflib; queries run natively in
  Oxigraph; read-only commands open it read-only, so several processes can read at once;
* ``http(s)://HOST/…/sparql`` — any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, QLever)
  through rdflib's SPARQLStore, or SPARQLUpdateStore when an update endpoint is given.

The spec comes from the argument, else ``$ORGGRAPH_STORE``, else ``memory``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef

from .errors import InputError, OrgGraphError, UsageError
from .namespaces import OG, bind_prefixes
from .readwrite import guess_format, new_dataset, read_bytes, read_rdf
from .resources import data_files, ontology_files

__all__ = [
    "GRAPH_BASE",
    "META_GRAPH",
    "LoadReport",
    "store_spec",
    "open_graph",
    "load_graph",
    "load_files",
    "bundled_graph_iri",
    "is_native",
]

GRAPH_BASE = "https://w3id.org/orggraph/graph/"
META_GRAPH = GRAPH_BASE + "meta"


def store_spec(spec: str | None = None) -> str:
    """The store spec in force: ``spec``, else ``$ORGGRAPH_STORE``, else ``memory``.

    >>> store_spec("oxigraph:/tmp/x")
    'oxigraph:/tmp/x'
    """
    return spec or os.environ.get("ORGGRAPH_STORE") or "memory"


def open_graph(spec: str | None = None, *, read_only: bool = True, update_endpoint: str | None = None) -> Dataset:
    """Open the store named by ``spec`` (see the module documentation).

    >>> len(open_graph("memory"))
    0
    """
    spec = store_spec(spec)
    if spec == "memory":
        return new_dataset()
    if spec.startswith("oxigraph:"):
        return _open_oxigraph(spec[len("oxigraph:") :], read_only)
    if spec.startswith(("http://", "https://")):
        return _open_endpoint(spec, update_endpoint)
    raise UsageError(f"unknown store {spec!r}; use memory, oxigraph:PATH or an http(s)://…/sparql endpoint")


def _open_oxigraph(path: str, read_only: bool) -> Dataset:
    try:
        import pyoxigraph
        from oxrdflib.store import OxigraphStore
    except ImportError:
        raise UsageError("the Oxigraph store needs `pip install 'orggraph[oxigraph]'`") from None
    if not path:
        raise UsageError("give the store folder: --store oxigraph:PATH")
    if read_only and not Path(path).is_dir():
        raise InputError(
            f"{path}: no Oxigraph store there; create one with `orggraph load FILE --store oxigraph:{path}`"
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


def _open_endpoint(url: str, update_endpoint: str | None) -> Dataset:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

    # Virtuoso never answers a direct-POST query; a form POST works everywhere.
    store: SPARQLStore
    if update_endpoint:
        store = SPARQLUpdateStore(
            query_endpoint=url,
            update_endpoint=update_endpoint,
            method="POST_FORM",
            returnFormat="json",
            autocommit=True,
        )
    else:
        store = SPARQLStore(query_endpoint=url, method="POST_FORM", returnFormat="json")
    dataset = Dataset(store=store, default_union=True)
    return dataset


def is_native(graph: Any) -> bool:
    """True when the graph's store evaluates SPARQL itself (Oxigraph, a SPARQL endpoint)."""
    name = type(getattr(graph, "store", None)).__name__
    return name in ("OxigraphStore", "SPARQLStore", "SPARQLUpdateStore")


def oxigraph_store(graph: Any) -> Any | None:
    """The pyoxigraph ``Store`` behind an ``oxigraph:`` graph, for native lookups; None for other stores."""
    if type(getattr(graph, "store", None)).__name__ != "OxigraphStore":
        return None
    return getattr(graph.store, "_inner", None)


def store_folder(graph: Any) -> Path | None:
    """The folder of an ``oxigraph:`` store; None for other stores."""
    folder = getattr(getattr(graph, "store", None), "orggraph_folder", None)
    return folder if isinstance(folder, Path) else None


# Graphs a server keeps for itself (Virtuoso's quad maps and system data), not user data.
SYSTEM_GRAPH_PREFIXES = ("http://www.openlinksw.com/", "http://localhost:8890/DAV", "http://www.w3.org/ns/ldp#")
SYSTEM_GRAPH_FILTER = " && ".join(f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in SYSTEM_GRAPH_PREFIXES)


def local_copy(graph: Any) -> Any:
    """The graph itself, or for a SPARQL endpoint an in-memory copy of its user graphs.

    >>> g = load_graph()
    >>> local_copy(g) is g
    True
    """
    if type(getattr(graph, "store", None)).__name__ not in ("SPARQLStore", "SPARQLUpdateStore"):
        return graph
    from .query import select_rows

    copy = new_dataset()
    rows = select_rows(graph, f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({SYSTEM_GRAPH_FILTER}) }}")
    for named, subject, predicate, value in rows:
        copy.graph(named).add((subject, predicate, value))
    return copy


def bundled_graph_iri(kind: str, name: str) -> str:
    """The named-graph IRI of a bundled file.

    >>> bundled_graph_iri("data", "seed-2019-02-21.ttl")
    'https://w3id.org/orggraph/graph/data/seed-2019-02-21.ttl'
    """
    return f"{GRAPH_BASE}{kind}/{name}"


def load_graph(
    sources: Iterable[str | os.PathLike[str]] | None = None,
    *,
    store: str | None = None,
    ontology: bool = True,
    allow_network: bool = False,
    writable: bool = False,
    update_endpoint: str | None = None,
) -> Dataset:
    """Load RDF files into a store; without ``sources``, the bundled curated graph.

    With the (default) memory store the bundled ontology and concept schemes are loaded too
    unless ``ontology=False``, so that types, categories and their labels can be queried
    alongside the data. A persistent store (``oxigraph:PATH``, an endpoint) is opened as it is,
    read-only unless ``writable``: add files to it with :func:`load_files`. Remote JSON-LD
    contexts and XML external entities are refused unless ``allow_network``.

    >>> graph = load_graph()
    >>> from orggraph.namespaces import OGR, SKOS
    >>> (OGR.cspia, SKOS.altLabel, Literal("中安协", lang="zh-Hans")) in graph
    True
    """
    spec = store_spec(store)
    if spec != "memory":
        if sources:
            raise UsageError(f"--data reads files into memory; to add them to {spec}, use `orggraph load`")
        return open_graph(spec, read_only=not writable, update_endpoint=update_endpoint)
    dataset = open_graph(spec)
    if ontology:
        for path in ontology_files():
            read_rdf(path, into=dataset, graph_iri=bundled_graph_iri("ontology", path.name))
    if sources is None:
        for path in data_files():
            read_rdf(path, into=dataset, graph_iri=bundled_graph_iri("data", path.name))
    else:
        for source in sources:
            read_rdf(source, into=dataset, allow_network=allow_network)
    return dataset


# ------------------------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_files` did with each source: ``loaded``, ``replaced`` or ``unchanged``."""

    outcomes: tuple[tuple[str, str, str], ...]  # (source, graph IRI, outcome)
    optimized: bool = False  # an Oxigraph store was compacted afterwards

    def text(self) -> str:
        """One line per source, and a last one when the store was compacted."""
        lines = [f"{outcome:9}  {source}  →  <{graph}>" for source, graph, outcome in self.outcomes]
        if self.optimized:
            lines.append("optimized the store for reading (--no-optimize skips this)")
        return "\n".join(lines)


_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML"}


def load_files(
    spec: str | None,
    files: Iterable[str | os.PathLike[str]],
    *,
    replace: bool = False,
    allow_network: bool = False,
    update_endpoint: str | None = None,
    progress: Callable[[str], None] | None = None,
    optimize: bool = True,
) -> LoadReport:
    """Load files into a persistent store, one named graph per file (its ``file:`` IRI).

    Idempotent: a file whose SHA-256 matches the recorded one is left alone. A changed file, or
    one whose earlier load was interrupted, is reloaded only with ``replace=True``. The bundled
    ontology is loaded (the same way) first. A record per graph (hash, source) is kept in the
    graph ``https://w3id.org/orggraph/graph/meta``, written only once its graph is complete.

    With ``optimize`` (the default), an Oxigraph store that the load changed is compacted
    afterwards (``pyoxigraph.Store.optimize``): the bulk loader leaves many compressed files,
    and fewer sorted, uncompressed ones answer lookups about a quarter faster, for
    about a fifth more load time and twice the disk space.
    """
    spec = store_spec(spec)
    if spec == "memory":
        raise UsageError("`orggraph load` needs a persistent store: --store oxigraph:PATH or an http(s) endpoint")
    sources = [(Path(p), Path(p).resolve().as_uri()) for p in files]
    bundled = [(p, bundled_graph_iri("ontology", p.name)) for p in ontology_files()]
    dataset = open_graph(spec, read_only=False, update_endpoint=update_endpoint)
    outcomes = []
    changed = optimized = False
    try:
        for index, (path, iri) in enumerate(bundled + sources):
            if progress and index >= len(bundled):
                progress(str(path))
            outcome = _load_one(
                dataset, path, iri, replace=replace and index >= len(bundled), allow_network=allow_network
            )
            changed = changed or outcome != "unchanged"
            if index >= len(bundled):
                outcomes.append((str(path), iri, outcome))
        optimized = optimize and changed and _optimize(dataset)
    finally:
        _release(dataset)
    return LoadReport(tuple(outcomes), optimized)


def _optimize(dataset: Dataset) -> bool:
    """Compact an Oxigraph store (True), or leave any other store alone (False)."""
    inner = oxigraph_store(dataset)  # held here, not in load_files: the lock goes with the last reference
    if inner is None:
        return False
    inner.optimize()
    return True


def _release(dataset: Dataset) -> None:
    """Close a store now: Oxigraph drops its database lock only when the last reference goes."""
    import gc

    store = dataset.store
    inner = getattr(store, "_store", None)
    if inner is not None:
        inner.flush()
    dataset.close()
    del store, inner, dataset
    gc.collect()


def _update(dataset: Dataset, text: str) -> None:
    inner = getattr(dataset.store, "_inner", None)
    if inner is not None:
        inner.update(text)  # Oxigraph runs SPARQL Update natively
    else:
        dataset.update(text)


def _recorded_hash(dataset: Dataset, iri: str) -> str | None:
    from .query import select_rows

    rows = select_rows(
        dataset,
        "SELECT ?hash WHERE { GRAPH ?meta { ?graph og:sha256 ?hash } }",
        {"meta": URIRef(META_GRAPH), "graph": URIRef(iri)},
    )
    return str(rows[0][0]) if rows else None


def _graph_present(dataset: Dataset, iri: str) -> bool:
    from .query import run_query

    result = run_query(dataset, "ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(iri)})
    return bool(result is not None and result.askAnswer)


def _insert_data(dataset: Dataset, iri: str, triples: Iterable[tuple[Any, Any, Any]], batch: int = 2000) -> None:
    # Terms are written with n3(), which escapes them; blank nodes are skolemized by the caller.
    chunk: list[str] = []
    graph = URIRef(iri).n3()

    def flush() -> None:
        if chunk:
            _update(dataset, f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(chunk) + "\n} }")
            chunk.clear()

    for subject, predicate, value in triples:
        chunk.append(f"{subject.n3()} {predicate.n3()} {value.n3()} .")
        if len(chunk) >= batch:
            flush()
    flush()


def _load_one(dataset: Dataset, path: Path, iri: str, *, replace: bool, allow_network: bool) -> str:
    fmt = guess_format(path)
    data = read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    recorded = _recorded_hash(dataset, iri)
    present = _graph_present(dataset, iri)
    if recorded == digest and not replace:
        return "unchanged"
    if recorded is not None and not replace:
        raise InputError(f"{path}: changed since it was loaded; pass --replace to swap its graph")
    if recorded is None and present and not replace:
        raise InputError(
            f"{path}: an earlier load was interrupted and left a partial graph; pass --replace to reload it"
        )
    graph, meta = URIRef(iri).n3(), URIRef(META_GRAPH).n3()
    _update(dataset, f"DROP SILENT GRAPH {graph}")
    _update(dataset, f"DELETE {{ GRAPH {meta} {{ {graph} ?p ?o }} }} WHERE {{ GRAPH {meta} {{ {graph} ?p ?o }} }}")
    inner = getattr(dataset.store, "_inner", None)
    if inner is not None and fmt in _OX_FORMATS:
        _native_load(inner, path, data, fmt, iri, allow_network)
    else:
        scratch = read_rdf(path, graph_iri=iri, allow_network=allow_network)
        skolem = scratch.skolemize(authority="https://w3id.org", basepath=f"/orggraph/genid/{digest[:16]}/")
        _insert_data(dataset, iri, skolem.triples((None, None, None)))
    source = Literal(str(path.resolve()))
    _update(
        dataset,
        f"INSERT DATA {{ GRAPH {meta} {{ {graph} {OG.sha256.n3()} {Literal(digest).n3()} ; "
        f"<http://purl.org/dc/terms/source> {source.n3()} }} }}",
    )
    if inner is not None:
        inner.flush()
    return "replaced" if present or recorded else "loaded"


def _native_load(inner: Any, path: Path, data: bytes, fmt: str, iri: str, allow_network: bool) -> None:
    import pyoxigraph

    from .readwrite import _refuse_external_references

    text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(f"{path}: the file is empty; give a file with RDF statements in it")
    if not allow_network:
        _refuse_external_references(text, fmt, str(path))
    rdf_format = getattr(pyoxigraph.RdfFormat, _OX_FORMATS[fmt])
    try:
        inner.bulk_load(input=data, format=rdf_format, to_graph=pyoxigraph.NamedNode(iri))
    except SyntaxError as error:
        message = str(error)
        where = re.search(r"line (\d+)[^\d]+(\d+)", message)
        place = f"{path}:{where.group(1)}:{where.group(2)}" if where else str(path)
        raise InputError(f"{place}: invalid {fmt}: {message.splitlines()[0]}; fix the file and try again") from None


def merge_dataset(spec: str | None, candidates: Dataset, *, update_endpoint: str | None = None) -> list[str]:
    """Put each named graph of ``candidates`` into a persistent store, replacing a graph of the
    same name (so merging the same document twice adds nothing). Candidate graphs reuse the IRIs
    of organisations the store already has, so nothing is duplicated. Returns the graph IRIs."""
    spec = store_spec(spec)
    if spec == "memory":
        raise UsageError("--merge needs a persistent store: --store oxigraph:PATH or an http(s) endpoint")
    dataset = open_graph(spec, read_only=False, update_endpoint=update_endpoint)
    merged = []
    try:
        for graph in candidates.graphs():
            if not len(graph) or not isinstance(graph.identifier, URIRef):
                continue
            iri = str(graph.identifier)
            skolem = graph.skolemize(
                authority="https://w3id.org",
                basepath=f"/orggraph/genid/{hashlib.sha256(iri.encode()).hexdigest()[:16]}/",
            )
            _update(dataset, f"DROP SILENT GRAPH {URIRef(iri).n3()}")
            _insert_data(dataset, iri, skolem.triples((None, None, None)))
            merged.append(iri)
        inner = getattr(dataset.store, "_inner", None)
        if inner is not None:
            inner.flush()
    finally:
        _release(dataset)
    return merged
