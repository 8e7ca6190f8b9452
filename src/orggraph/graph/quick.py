"""Quick answers: a read-only query or named query on an on-disk Oxigraph store, or on the
prebuilt copy of the bundled graph or of files, answered and written by Oxigraph without
importing rdflib (about 80 ms of every start, more than the query itself takes on most stores).

Each function answers exactly what :func:`~orggraph.graph.results.query_output` and
:func:`~orggraph.graph.named_queries.named_query_output` answer, with the same checks (read-only,
no network, the same dataset, the same errors), or None when it cannot: another store, no
prebuilt copy yet, a format Oxigraph does not write, a timeout, a name the
general rules must resolve, an update. The hand-made plans of :mod:`orggraph.store.plans` answer
here as they do there. The caller then takes the general path, which answers
or says what is wrong. ``tests/graph/test_quick.py`` holds the two paths equal.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from orggraph import settings
from orggraph.errors import OrgGraphError, QueryError
from orggraph.formats import RESULT_MEDIA_TYPES
from orggraph.graph.names import as_iri, exact_choice, exact_match_query, name_variants
from orggraph.graph.query_files import LITERAL_KINDS, get_named_query, literal_bindings
from orggraph.graph.summary import GraphSummary, from_lists, is_summary
from orggraph.iris import PREFIXES, shorten
from orggraph.store.cache import cached_value
from orggraph.store.endpoint_direct import Endpoint, EndpointRefusal, ask_named
from orggraph.store.oxigraph_direct import (
    FROM_THE_QUERY,
    RESULT_FORMATS,
    available,
    data_graphs_of,
    dataset_options,
    describes_iri,
    kind_of,
    label_things,
    local_files,
    open_read_only,
    parsed_results,
    prebuilt_place,
    written,
    written_rows,
)
from orggraph.store.plans import NATIVE_PLANS
from orggraph.store.sparql_text import (
    bind_in_text,
    check_limit,
    check_network,
    decode_codepoint_escapes,
    inline_values,
    outline,
    query_text,
    shifted,
    sparql_term,
    with_prefixes,
)
from orggraph.text.escaping import NOT_XML
from orggraph.text.tables import format_table

__all__ = ["quick_named_query_output", "quick_query_output", "quick_summary"]

_QUICK_FORMATS = frozenset((*RESULT_FORMATS, "table"))
logger = logging.getLogger(__name__)


def quick_query_output(
    sparql: str,
    fmt: str = "table",
    *,
    sources: Iterable[str | os.PathLike[str]] | None = None,
    store: str | None = None,
    ontology: bool = True,
    origin: str = "query",
    base: str | None = None,
    limit: int | None = None,
    allow_network: bool = False,
) -> str | None:
    """An ad-hoc query's answer in ``fmt`` (csv, tsv, json, xml or table), as
    :func:`~orggraph.graph.results.query_output` writes it for the graph of ``sources`` (else the
    bundled graph, its ontology always in) or of the Oxigraph ``store``; None when this path
    cannot answer (see the module documentation), and always with ``allow_network``.
    ``ontology`` puts the bundled ontology in the default graph beside the files or a store's data
    (as in :func:`~orggraph.store.sparql.run_query`).

    >>> answer = quick_query_output('SELECT ?o WHERE { ?o skos:altLabel "中安协"@zh-Hans }', "csv")
    >>> answer is None or answer.splitlines()[1] == "https://w3id.org/orggraph/id/cspia"
    True
    """
    if fmt not in _QUICK_FORMATS or allow_network:
        return None
    opened = _open(sources, store, ontology if sources is not None else True)
    if opened is None:
        return None
    text, offset = query_text(sparql, base)
    # the check reads what the engine runs: SPARQL decodes \u and \U escapes before it parses
    text = decode_codepoint_escapes(text)
    shape = outline(text)
    if shape.update:
        return None  # refused, or run, by the general path
    check_network(shape, origin)
    check_limit(limit)
    if isinstance(opened, Endpoint):
        if shape.form not in ("SELECT", "ASK"):
            return None  # a graph: the general path writes it
        return _output(opened, text, offset, fmt, None, limit, origin)
    dataset = FROM_THE_QUERY if shape.has_dataset else data_graphs_of(opened, ontology=ontology)
    return _output(opened, text, offset, fmt, dataset, limit, origin)


def quick_named_query_output(
    name: str,
    parameters: Mapping[str, object] | None = None,
    fmt: str = "table",
    *,
    sources: Iterable[str | os.PathLike[str]] | None = None,
    store: str | None = None,
    limit: int | None = None,
    allow_network: bool = False,
) -> str | None:
    """A named query's answer in ``fmt``, as :func:`~orggraph.graph.named_queries.named_query_output`
    writes it for the graph of ``sources`` (else the bundled graph) or of the Oxigraph
    ``store``; None when this path cannot answer (see the module documentation), and always
    with ``allow_network``.

    >>> answer = quick_named_query_output("duties-of", {"org": "中安协", "year": 2019}, "csv")
    >>> answer is None or answer.splitlines()[0].startswith("no,duty,")
    True
    """
    if fmt not in _QUICK_FORMATS or allow_network:
        return None
    try:
        query = get_named_query(name)
    except OrgGraphError:
        return None  # the general path says so, with suggestions
    opened = _open(sources, store, True)
    if opened is None:
        return None
    given = dict(parameters or {})
    if set(given) - {p.name for p in query.parameters}:
        return None
    if isinstance(opened, Endpoint) and limit is None:  # orggraph serve runs it as it is run here
        served = _served(opened, name, given, fmt, query.path.name)
        if served is not None:
            return served
    bindings: dict[str, Any] = {}
    for parameter in query.parameters:
        value = given.get(parameter.name)
        if value is None:
            if parameter.required:
                return None
            continue
        raw = value if isinstance(value, str) else str(value)
        if parameter.kind in LITERAL_KINDS:
            plain = literal_bindings(parameter, raw)
            if plain is None:
                return None
            bindings |= plain
        else:
            thing = _resolved(opened, raw, _TYPES.get(parameter.kind))
            if thing is None:
                return None
            bindings[parameter.name] = thing
    origin = query.path.name
    check_limit(limit)
    if query.planned and not isinstance(opened, Endpoint):  # its hand-made plan answers, where it can
        hand_made = NATIVE_PLANS[name]
        texts = {key: value if isinstance(value, str) else value.value for key, value in bindings.items()}
        try:
            answer = hand_made(opened, texts)
        except Exception as error:  # as the general path words it
            raise QueryError(f"{origin}: query failed: {error}") from None
        if answer is not None:
            return _rows_output(*answer, fmt, limit)
    text, offset = with_prefixes(query.text)
    final: str | None = text
    if bindings:  # written in the variables' places (where Oxigraph's plan starts), else a VALUES block
        final = None if query.values_block else bind_in_text(text, bindings)
    return _output(opened, final or inline_values(text, bindings, origin), offset, fmt, None, limit, origin)


def quick_summary(
    sources: Iterable[str | os.PathLike[str]] | None = None,
    *,
    store: str | None = None,
    allow_network: bool = False,
) -> GraphSummary | None:
    """The summary :func:`~orggraph.graph.inspection.summarize` keeps in the cache for the
    unchanged Oxigraph ``store`` or prebuilt copy of ``sources`` (else the bundled graph); None
    when there is none kept yet (or with ``allow_network``).

    >>> summary = quick_summary()
    >>> summary is None or summary.triples > 1000
    True
    """
    if allow_network:
        return None
    folder = _folder(sources, store, True)
    if folder is None:
        return None
    stored = cached_value("summary", folder, valid=is_summary)
    if stored is None:
        return None
    logger.info("%s: its summary, kept in the cache", _reading(store, folder))
    return from_lists(stored)


def _reading(store: str | None, folder: Path) -> str:
    """What ``-v`` says is read, as the general path says it."""
    spec = store or settings.default_store()
    return f"reading the prebuilt copy {folder}" if spec == "memory" else f"opening the store {spec} read-only"


def _folder(sources: Iterable[str | os.PathLike[str]] | None, store: str | None, ontology: bool) -> Path | None:
    """The folder of the Oxigraph ``store``, or of the prebuilt copy of the files when the
    memory store is in force; None otherwise."""
    spec = store or settings.default_store()
    if spec != "memory" and sources is not None:
        return None  # files are read into memory: the general path says how to add them to a store
    if spec.startswith("oxigraph:"):
        path = spec[len("oxigraph:") :]
        return Path(path) if path else None
    if spec != "memory":
        return None
    files = local_files(None if sources is None else list(sources), ontology)
    return None if files is None else prebuilt_place(files, allow_network=False)


def _open(sources: Iterable[str | os.PathLike[str]] | None, store: str | None, ontology: bool) -> Any | None:
    """The pyoxigraph store to read: the Oxigraph ``store``, or the prebuilt copy of the files
    when the memory store is in force and the copy is there, or an :class:`Endpoint` asked as
    one; None otherwise."""
    spec = store or settings.default_store()
    if spec.startswith(("http://", "https://")):
        if sources is not None or not available():
            return None  # the general path says how files and an endpoint go together
        logger.info("opening the store %s read-only", spec)
        return Endpoint(spec)
    folder = _folder(sources, store, ontology)
    if folder is None:
        return None
    copy = not (store or settings.default_store()).startswith("oxigraph:")
    opened = open_read_only(folder, default_is_union=copy)
    if opened is not None:
        logger.info("%s", _reading(store, folder))
    if opened is not None and copy:
        with contextlib.suppress(OSError):
            os.utime(folder)  # recently used: kept when older copies are removed
    return opened


def _output(
    store: Any,
    text: str,
    offset: int,
    fmt: str,
    dataset: tuple[list[str], list[str]] | None,
    limit: int | None,
    origin: str,
) -> str | None:
    """The answer of ``text`` written in ``fmt``; None for an answer that format cannot hold here
    (a graph; yes or no in CSV or TSV)."""
    endpoint = isinstance(store, Endpoint)
    try:
        answer = store.query(text, origin=origin) if endpoint else store.query(text, **dataset_options(dataset))
        kind = kind_of(answer)
        if kind == "graph":
            return None  # written by the general path in a graph format, or refused
        if fmt == "table":
            if kind == "rows":
                return _table([variable.value for variable in answer.variables], answer, limit)
            return "yes" if bool(answer) else "no"
        if kind == "boolean" and fmt not in ("json", "xml"):
            return None  # the general path says that CSV and TSV hold no yes or no
        output = written(answer, fmt, limit).decode("utf-8")
    except EndpointRefusal as error:
        if error.status == 400:
            return None  # the general path parses the query, and says where it is wrong
        raise
    except QueryError:
        raise
    except SyntaxError as error:
        if endpoint:  # an answer pyoxigraph cannot read (a server's own blank node labels): rdflib may
            return None
        raise shifted(QueryError(f"{origin}: query failed: {error}"), offset, origin) from None
    except Exception as error:  # pyoxigraph's syntax and evaluation errors, as the general path words them
        raise shifted(QueryError(f"{origin}: query failed: {error}"), offset, origin) from None
    if fmt == "xml" and NOT_XML.search(output):
        return None  # the general path refuses it, and says why
    return output


_MEDIA = {**RESULT_MEDIA_TYPES, "table": RESULT_MEDIA_TYPES["json"]}  # a table is written from JSON


def _served(endpoint: Endpoint, name: str, given: Mapping[str, object], fmt: str, origin: str) -> str | None:
    """The named query's answer from ``orggraph serve``'s ``/run/NAME`` beside ``endpoint``, in
    ``fmt``; None from another server, or when the server refuses what was given (the SPARQL
    path then asks, and says what is wrong)."""
    parameters = {key: str(value) for key, value in given.items() if value is not None}
    media = _MEDIA[fmt]
    answer = ask_named(endpoint.url, name, parameters, media, origin=origin)
    if answer is None or answer.media != media:
        return None
    body = answer.body
    if fmt == "table":
        try:
            rows = parsed_results(body)
            return _table([variable.value for variable in rows.variables], rows, None)
        except SyntaxError:
            return None
    output = body.decode("utf-8")
    return None if fmt == "xml" and NOT_XML.search(output) else output


def _rows_output(names: list[str], rows: list[tuple[Any, ...]], fmt: str, limit: int | None) -> str | None:
    """Rows of pyoxigraph terms written in ``fmt``, as the answer of a query is."""
    if fmt == "table":
        return _table(names, rows, limit)
    output = written_rows(names, rows, fmt, limit).decode("utf-8")
    return None if fmt == "xml" and NOT_XML.search(output) else output


def _table(names: list[str], solutions: Iterable[Any], limit: int | None) -> str:
    rows: list[list[str]] = []
    for solution in solutions:
        if limit is not None and len(rows) >= limit:
            break
        rows.append([_shown(term) for term in solution])
    footer = f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return format_table(names, rows) + footer


def _shown(term: Any) -> str:
    """A term as :func:`orggraph.rdf.terms.show_term` shows it."""
    if term is None:
        return ""
    kind = type(term).__name__
    if kind == "NamedNode":
        return shorten(term.value)
    if kind == "BlankNode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


_TYPES = {
    "organisation": PREFIXES["org"] + "Organization",
    "meeting": PREFIXES["og"] + "Meeting",
    "type": PREFIXES["skos"] + "Concept",
}


def _resolved(store: Any, text: str, type_iri: str | None) -> str | None:
    """The first rules of :func:`~orggraph.graph.names.resolve_name`: an IRI the store
    describes, or what the exact labels settle on (:func:`~orggraph.graph.names.exact_choice`)."""
    candidate = text.strip()
    if not candidate:
        return None
    iri = as_iri(candidate)
    if isinstance(store, Endpoint):  # asked as the general path asks an endpoint
        try:
            if iri is not None:
                return iri if bool(store.query(f"ASK {{ {sparql_term(iri)} ?p ?o }}")) else None
            query, _ = with_prefixes(exact_match_query(candidate, type_iri is not None))
            typed = {"type": type_iri} if type_iri else {}
            found = store.query(bind_in_text(query, typed) or inline_values(query, typed, "query"))
            return exact_choice({row[0].value for row in found})
        except SyntaxError:
            return None  # an answer pyoxigraph cannot read: the general path reads it with rdflib
    if iri is not None:
        return iri if describes_iri(store, iri) else None
    return exact_choice(label_things(store, name_variants(candidate), type_iri))
