"""Filling stores: the bundled graph or files into memory (:func:`load_graph`), files into a
persistent store one named graph per file (:func:`load_files`), candidate graphs merged into
one (:func:`merge_dataset`), and an endpoint's user graphs copied into memory (:func:`local_copy`).

See :mod:`orggraph.store.backends` for the stores themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef

from orggraph.errors import InputError, OrgGraphError, UsageError
from orggraph.files import read_bytes
from orggraph.namespaces import OG
from orggraph.rdf.readwrite import (
    EMPTY_IS_A_GRAPH,
    guess_format,
    new_dataset,
    read_rdf,
    refuse_entity_expansion,
    refuse_external_references,
)
from orggraph.resources import data_files, ontology_files
from orggraph.store import oxigraph
from orggraph.store.backends import GRAPH_BASE, META_GRAPH, SYSTEM_GRAPH_FILTER, is_endpoint, open_graph, store_spec
from orggraph.store.oxigraph_direct import bundled_graph_iri, local_files, prebuilt_place
from orggraph.store.sparql import run_query, select_rows

__all__ = [
    "LoadReport",
    "add_statements",
    "bundled_graph_iri",
    "close_graph",
    "load_files",
    "load_graph",
    "local_copy",
    "merge_dataset",
    "merge_into",
    "merge_triples",
]

logger = logging.getLogger(__name__)


def local_copy(graph: Any) -> Any:
    """The graph itself, or for a SPARQL endpoint an in-memory copy of its user graphs.

    >>> g = load_graph()
    >>> local_copy(g) is g
    True
    """
    if not is_endpoint(graph):
        return graph
    copy = new_dataset()
    rows = select_rows(graph, f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({SYSTEM_GRAPH_FILTER}) }}")
    for named, subject, predicate, value in rows:
        copy.graph(named).add((subject, predicate, value))
    return copy


def load_graph(
    sources: Iterable[str | os.PathLike[str]] | None = None,
    *,
    store: str | None = None,
    ontology: bool = True,
    allow_network: bool = False,
    writable: bool = False,
    update_endpoint: str | None = None,
    named: Iterable[str | os.PathLike[str]] = (),
    prebuilt: bool = False,
) -> Dataset:
    """Load RDF files into a store; without ``sources``, the bundled curated graph.

    Each file becomes a named graph (its ``file:`` IRI) and the default graph is their union;
    a file in ``named`` is a named graph only, reachable with ``GRAPH <…>`` and not part of the
    default graph, and then the other files form the default graph alone (Jena's ``--data`` and
    ``--namedGraph``; the named data of SPARQL test suites).

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
            raise UsageError(
                f"{{sources}} are read into memory; to add them to {spec}, use {{load_files}}",
                parameters=("sources", "load_files"),
            )
        return open_graph(spec, read_only=not writable, update_endpoint=update_endpoint)
    named = list(named)
    files = local_files(sources, ontology)
    if prebuilt and not named and files is not None:
        copy = _prebuilt_copy(
            files, lambda: load_graph(sources, ontology=ontology, allow_network=allow_network), allow_network
        )
        if copy is not None:
            return copy
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
    if named:
        # as Jena's --data and --namedGraph: everything else becomes the default graph, and the
        # named data alone are named graphs
        for graph in list(dataset.graphs()):
            if graph.identifier != dataset.default_graph.identifier:
                for triple in graph:
                    dataset.default_graph.add(triple)
                dataset.remove_graph(graph)
        dataset.default_union = False
        for source in named:
            read_rdf(source, into=dataset, allow_network=allow_network)
    return dataset


_PREBUILT_KEPT = 8  # copies of different sets of files kept in the cache folder


def _prebuilt_copy(files: list[tuple[Path, str]], parsed: Callable[[], Dataset], allow_network: bool) -> Dataset | None:
    """The read-only copy of ``files`` in the cache folder, written when there is none: by
    Oxigraph's own parsers where they read every file, else from ``parsed()`` (rdflib's), which
    also gives the usual error for a bad file. None when there cannot be a copy (the files are
    then parsed as usual)."""
    entry = prebuilt_place(files, allow_network)
    if entry is None:
        return None
    folder = entry.parent
    if entry.is_dir():
        try:
            logger.info("reading the prebuilt copy %s", entry)
            copy = oxigraph.open_store(str(entry), read_only=True, default_is_union=True)
            with contextlib.suppress(OSError):
                os.utime(entry)  # recently used: kept when older copies are removed
            return copy
        except OrgGraphError:  # damaged: written again below
            shutil.rmtree(entry, ignore_errors=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logger.info("cannot keep a prebuilt copy in %s (%s); the files are parsed at every run", folder, error)
        return None
    sources = None if allow_network else _natively_read(files)
    if sources is not None:
        try:
            oxigraph.write_files_copy(sources, entry)
        except (OSError, OrgGraphError):
            sources = None  # rdflib's reading says what is wrong, or reads what Oxigraph would not
    dataset = None
    try:
        if sources is None:
            dataset = parsed()
            oxigraph.write_copy(dataset, entry)
        copy = oxigraph.open_store(str(entry), read_only=True, default_is_union=True)
    except (OSError, OrgGraphError) as error:
        if dataset is None:
            raise
        logger.info("cannot keep a prebuilt copy in %s (%s); the files are parsed at every run", folder, error)
        return dataset
    logger.info("wrote the prebuilt copy %s", entry)
    _prune(folder)
    return copy


def _natively_read(files: list[tuple[Path, str]]) -> list[tuple[bytes, str, str]] | None:
    """The files as Oxigraph's parsers take them, checked as :func:`read_rdf` checks them; None
    when one is in a format Oxigraph does not read itself, or fails a check (rdflib's reading
    then reports it)."""
    sources = []
    for path, iri in files:
        fmt = guess_format(path)
        if fmt not in oxigraph.FORMATS or fmt in oxigraph.QUAD_FORMATS:
            return None
        try:
            data = path.read_bytes()
            text = data.decode("utf-8")
            if not text.strip() and fmt not in EMPTY_IS_A_GRAPH:
                return None
            refuse_external_references(text, fmt, str(path))
            refuse_entity_expansion(text, fmt, str(path))
        except (OSError, UnicodeDecodeError, OrgGraphError):
            return None
        sources.append((data, fmt, iri))
    return sources


def _prune(folder: Path) -> None:
    """Remove all but the most recently written prebuilt copies (a reader that has one open
    keeps reading it: its files stay until it closes them)."""
    with contextlib.suppress(OSError):
        copies = sorted(folder.glob("prebuilt-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in copies[_PREBUILT_KEPT:]:
            if ".partial-" not in old.name:
                shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadReport:
    """What :func:`load_files` did with each source: ``loaded``, ``replaced`` or ``unchanged``."""

    outcomes: tuple[tuple[str, str, str], ...]  # (source, graph IRI, outcome)
    optimized: bool = False  # an Oxigraph store was compacted afterwards

    def lines(self) -> list[str]:
        """One line per source: outcome, file, graph IRI."""
        return [f"{outcome:9}  {source}  →  <{graph}>" for source, graph, outcome in self.outcomes]

    def text(self) -> str:
        """One line per source, and a last one when the store was compacted."""
        lines = self.lines()
        if self.optimized:
            lines.append("optimized the store for reading (optimize=False skips this)")
        return "\n".join(lines)


def load_files(
    spec: str | None,
    files: Iterable[str | os.PathLike[str]],
    *,
    replace: bool = False,
    allow_network: bool = False,
    update_endpoint: str | None = None,
    progress: Callable[[str], None] | None = None,
    optimize: bool = True,
    named: Iterable[str | os.PathLike[str]] = (),
) -> LoadReport:
    """Load files into a persistent store, one named graph per file (its ``file:`` IRI).

    Idempotent: a file whose SHA-256 matches the recorded one is left alone. A changed file, or
    one whose earlier load was interrupted, is reloaded only with ``replace=True``; the bundled
    ontology, loaded the same way first, is reloaded whenever it changed or its load stopped. A
    record per file (hash, source, and the named graphs a TriG or N-Quads file wrote) is kept in
    the graph ``https://w3id.org/orggraph/graph/meta``; the hash goes in last, so a load stopped
    at any moment is never taken for a complete one, and replacing drops every graph the file
    wrote before. A file may write only graphs it owns: never orggraph's records or bundled
    graphs, nor a graph another file loaded (:class:`InputError`).

    With ``optimize`` (the default), an Oxigraph store that the load changed is compacted
    afterwards (``pyoxigraph.Store.optimize``): the bulk loader leaves many compressed files,
    and fewer sorted, uncompressed ones answer lookups about a quarter faster, for
    about a fifth more load time and twice the disk space.

    A file in ``named`` is loaded the same way but recorded as reachable only by name: an ad-hoc
    query's default graph leaves it out (see :func:`orggraph.store.sparql.run_query`).
    """
    spec = store_spec(spec)
    if spec == "memory":
        raise UsageError(
            "{load_files} needs a persistent store: {store} oxigraph:PATH or an http(s) endpoint",
            parameters=("load_files", "store"),
        )
    as_data = {Path(p).resolve().as_uri() for p in files}
    as_named = {Path(p).resolve().as_uri() for p in named}
    # a file given both ways is data and named data at once
    sources = list(
        {Path(p).resolve().as_uri(): (Path(p), Path(p).resolve().as_uri()) for p in [*files, *named]}.values()
    )
    bundled = [(p, bundled_graph_iri("ontology", p.name)) for p in ontology_files()]
    dataset = open_graph(spec, read_only=False, update_endpoint=update_endpoint)
    outcomes = []
    changed = optimized = False
    try:
        for index, (path, iri) in enumerate(bundled + sources):
            if progress and index >= len(bundled):
                progress(str(path))
            ours = index < len(bundled)  # the bundled ontology: reloaded whenever it changed or a load stopped
            outcome = _load_one(
                dataset, path, iri, replace=replace and not ours, repair=ours, allow_network=allow_network
            )
            if not ours:
                _record_named_only(dataset, iri, None if iri in as_data and iri in as_named else iri in as_named)
            changed = changed or outcome != "unchanged"
            if index >= len(bundled):
                outcomes.append((str(path), iri, outcome))
        optimized = optimize and changed and oxigraph.is_oxigraph(dataset)
        if optimized:
            oxigraph.optimize(dataset)
    finally:
        _release(dataset)
    return LoadReport(tuple(outcomes), optimized)


def _update(dataset: Dataset, text: str) -> None:
    if oxigraph.is_oxigraph(dataset):
        oxigraph.update(dataset, text)  # natively: rdflib's evaluation would go term by term
    else:
        dataset.update(text)


def _flush(dataset: Dataset) -> None:
    if oxigraph.is_oxigraph(dataset):
        oxigraph.flush(dataset)


def _release(dataset: Dataset) -> None:
    """Close a store now (Oxigraph drops its lock only then)."""
    if oxigraph.is_oxigraph(dataset):
        oxigraph.release(dataset)
    else:
        dataset.close()


def _recorded_hash(dataset: Dataset, iri: str) -> str | None:
    rows = select_rows(
        dataset,
        "SELECT ?hash WHERE { GRAPH ?meta { ?graph og:sha256 ?hash } }",
        {"meta": URIRef(META_GRAPH), "graph": URIRef(iri)},
    )
    return str(rows[0][0]) if rows else None


def _graph_present(dataset: Dataset, iri: str) -> bool:
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


_HAS_PART = URIRef("http://purl.org/dc/terms/hasPart")


NAMED_ONLY = OG.namedOnly


def _record_named_only(dataset: Dataset, iri: str, named_only: bool | None) -> None:
    """Record whether the file's graph is named data only (True: kept out of the default graph),
    data only (False, no record), or both (None: ``og:namedOnly false``, named beside named data)."""
    graph, meta, flag = URIRef(iri).n3(), URIRef(META_GRAPH).n3(), NAMED_ONLY.n3()
    rows = select_rows(dataset, f"SELECT ?x WHERE {{ GRAPH {meta} {{ {graph} {flag} ?x }} }}")
    recorded = None if not rows else str(rows[0][0]) == "true"
    wanted = {True: True, None: False, False: None}[named_only]  # the value of the record, None: none
    if recorded == wanted and len(rows) <= 1:
        return
    update = f"DELETE WHERE {{ GRAPH {meta} {{ {graph} {flag} ?x }} }}"
    if wanted is not None:
        update += f" ;\nINSERT DATA {{ GRAPH {meta} {{ {graph} {flag} {'true' if wanted else 'false'} }} }}"
    _update(dataset, update)


def _owned_graphs(dataset: Dataset, iri: str) -> list[str]:
    """The named graphs a file wrote besides its own, as its record lists them."""
    rows = select_rows(
        dataset,
        "SELECT ?part WHERE { GRAPH ?meta { ?graph ?has ?part } }",
        {"meta": URIRef(META_GRAPH), "graph": URIRef(iri), "has": _HAS_PART},
    )
    return [str(row[0]) for row in rows]


def _refuse_graphs_of_others(dataset: Dataset, path: Path, iri: str, names: set[str]) -> None:
    """A file's data goes only into graphs it owns: never orggraph's records, the bundled graphs,
    or a graph another file loaded."""
    for name in sorted(names):
        if name.startswith(GRAPH_BASE):
            raise InputError(
                f"{path}: writes to the graph <{name}>, which orggraph keeps for its own records and bundled "
                "data; rename that graph in the file"
            )
        rows = select_rows(
            dataset,
            "SELECT ?other WHERE { GRAPH ?meta { { ?other ?has ?name } "
            "UNION { ?name ?sha ?hash BIND(?name AS ?other) } } FILTER(?other != ?self) } LIMIT 1",
            {"meta": URIRef(META_GRAPH), "name": URIRef(name), "has": _HAS_PART, "sha": OG.sha256, "self": URIRef(iri)},
        )
        if rows:
            raise InputError(
                f"{path}: writes to the graph <{name}>, which <{rows[0][0]}> loaded; rename that graph in the file"
            )


def _load_one(
    dataset: Dataset, path: Path, iri: str, *, replace: bool, allow_network: bool, repair: bool = False
) -> str:
    fmt = guess_format(path)
    data = read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    recorded = _recorded_hash(dataset, iri)
    owned = _owned_graphs(dataset, iri)
    present = _graph_present(dataset, iri) or any(_graph_present(dataset, part) for part in owned)
    if recorded == digest and not replace:
        return "unchanged"
    replace = replace or repair
    if recorded is not None and not replace:
        raise InputError(
            f"{path}: changed since it was loaded; pass {{replace}} to swap its graph", parameters="replace"
        )
    if recorded is None and present and not replace:
        raise InputError(
            f"{path}: an earlier load was interrupted and left a partial graph; pass {{replace}} to reload it",
            parameters="replace",
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf") and fmt not in EMPTY_IS_A_GRAPH:  # before anything is dropped
        raise InputError(f"{path}: the file is empty; give a file with RDF statements in it")
    graph, meta = URIRef(iri).n3(), URIRef(META_GRAPH).n3()
    native = oxigraph.is_oxigraph(dataset) and fmt in oxigraph.FORMATS
    # elsewhere a file's named graphs are merged into its own graph (read_rdf below)
    parts = (
        oxigraph.named_graphs_in(data, fmt, str(path), iri) - {iri}
        if native and fmt in oxigraph.QUAD_FORMATS
        else set()
    )
    _refuse_graphs_of_others(dataset, path, iri, parts)
    # In an order that a kill at any moment leaves repairable: the hash goes first (the file is no
    # longer "unchanged"), the graphs it wrote next, and the list of those graphs is swapped for
    # the new file's before its data goes in, so the next load knows what to drop.
    has_part = _HAS_PART.n3()
    _update(dataset, f"DELETE WHERE {{ GRAPH {meta} {{ {graph} {OG.sha256.n3()} ?hash }} }}")
    for old in [iri, *owned]:
        _update(dataset, f"DROP SILENT GRAPH {URIRef(old).n3()}")
    forget = f"DELETE {{ GRAPH {meta} {{ {graph} ?p ?o }} }} WHERE {{ GRAPH {meta} {{ {graph} ?p ?o }} }}"
    if parts:  # one request, one transaction: the old list goes as the new one comes
        listed = " . ".join(f"{graph} {has_part} {URIRef(part).n3()}" for part in sorted(parts))
        forget += f" ;\nINSERT DATA {{ GRAPH {meta} {{ {listed} }} }}"
    _update(dataset, forget)
    if native:
        if fmt == "xml":  # the one native format with references to refuse; decoding 1 GB costs seconds
            text = data.decode("utf-8-sig", errors="replace")
            if not allow_network:
                refuse_external_references(text, fmt, str(path))
            refuse_entity_expansion(text, fmt, str(path))
        if data.strip(b" \t\r\n\xef\xbb\xbf"):
            oxigraph.bulk_load(dataset, data, fmt, iri, str(path))
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
    _flush(dataset)
    return "replaced" if present or recorded else "loaded"


def merge_dataset(
    spec: str | None, candidates: Dataset, *, update_endpoint: str | None = None, drop: Iterable[str] = ()
) -> list[str]:
    """Put each named graph of ``candidates`` into a persistent store, replacing a graph of the
    same name (so merging the same document twice adds nothing), after dropping the graphs named
    in ``drop`` (an older version of a document). Candidate graphs reuse the IRIs of
    organisations the store already has, so nothing is duplicated. Returns the graph IRIs."""
    spec = store_spec(spec)
    if spec == "memory":
        raise UsageError(
            "{merge} needs a persistent store: {store} oxigraph:PATH or an http(s) endpoint",
            parameters=("merge", "store"),
        )
    dataset = open_graph(spec, read_only=False, update_endpoint=update_endpoint)
    try:
        return merge_into(dataset, candidates, drop=drop)
    finally:
        _release(dataset)


def merge_into(dataset: Dataset, candidates: Dataset, *, drop: Iterable[str] = ()) -> list[str]:
    """:func:`merge_dataset` into a store already open for writing (left open)."""
    graphs = {
        str(graph.identifier): list(graph.triples((None, None, None)))
        for graph in candidates.graphs()
        if len(graph) and isinstance(graph.identifier, URIRef)
    }
    return merge_triples(dataset, graphs, drop=drop)


def merge_triples(
    dataset: Dataset,
    graphs: dict[str, list[tuple[Any, Any, Any]]],
    *,
    drop: Iterable[str] = (),
    new: bool = False,
) -> list[str]:
    """Put each graph's triples (graph IRI → triples) into a store open for writing, replacing a
    graph of the same name, after dropping the graphs in ``drop``; blank nodes become IRIs under
    the graph's own ``genid`` path, so a graph replaced later takes its nodes with it. ``new=True``
    says the graphs are not in the store yet (nothing to replace)."""
    merged = []
    native: list[tuple[str, str, Any]] = []  # Oxigraph takes every graph in one go
    for iri in drop:
        _update(dataset, f"DROP SILENT GRAPH {URIRef(iri).n3()}")
    for iri, triples in graphs.items():
        if not triples:
            continue
        base = f"https://w3id.org/orggraph/genid/{hashlib.sha256(iri.encode()).hexdigest()[:16]}/"

        def skolem(term: Any, base: str = base) -> Any:
            return URIRef(base + str(term)) if isinstance(term, BNode) else term

        if not new:
            _update(dataset, f"DROP SILENT GRAPH {URIRef(iri).n3()}")
        if oxigraph.is_oxigraph(dataset):
            native.append((iri, base, triples))  # blank nodes become IRIs under base there
        else:
            _insert_data(dataset, iri, [(skolem(s), p, skolem(o)) for s, p, o in triples])
        merged.append(iri)
    if native:
        oxigraph.add_triples(dataset, native)
    _flush(dataset)
    return merged


def add_statements(dataset: Dataset, graphs: dict[str, list[tuple[Any, Any, Any]]]) -> None:
    """Add each graph's triples (graph IRI → triples, no blank nodes) to a store open for
    writing, in one transaction: after a crash the store holds all of them or none. Graphs keep
    what they had.

    >>> from rdflib import URIRef
    >>> from orggraph.rdf.readwrite import new_dataset
    >>> dataset = new_dataset()
    >>> add_statements(dataset, {"urn:g": [(URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c"))]})
    >>> len(dataset.graph(URIRef("urn:g")))
    1
    """
    if any(isinstance(term, BNode) for triples in graphs.values() for triple in triples for term in triple):
        raise ValueError("name every node: a blank node added on its own is a new node each time")
    if oxigraph.is_oxigraph(dataset):
        oxigraph.add_triples(dataset, [(iri, "", triples) for iri, triples in graphs.items()], atomic=True)
        _flush(dataset)
        return
    for iri, triples in graphs.items():  # an rdflib memory store has no transactions to keep
        target = dataset.graph(URIRef(iri))
        for triple in triples:
            target.add(triple)


def close_graph(dataset: Dataset) -> None:
    """Close a store opened with :func:`orggraph.store.backends.open_graph` now (an Oxigraph store
    keeps its lock until then)."""
    _release(dataset)
