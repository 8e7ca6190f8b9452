"""Running SPARQL on any store: queries with bound parameters, and their safety checks.

Queries are read-only unless ``allow_update`` is given, and never reach the network
(``SERVICE``, remote ``FROM``/``FROM NAMED``, ``LOAD``) unless ``allow_network`` is given.
Parameters are bound with ``initBindings``; their values are never pasted into query text.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import signal
import threading
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urljoin

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result

from orggraph.errors import QueryError, QueryTimeout, UsageError
from orggraph.store import oxigraph, planned
from orggraph.store.backends import is_endpoint
from orggraph.store.endpoint_direct import GRAPH_ACCEPT, GRAPH_MEDIA, ROWS_MEDIA, ask_endpoint
from orggraph.store.sparql_text import (
    Outline,
    bind_in_text,
    check_limit,
    check_network,
    decode_codepoint_escapes,
    inline_values,
    outline,
    query_text,
    shifted,
    with_prefixes,
)

__all__ = [
    "QueryTimeout",
    "run_plan",
    "run_query",
    "run_query_written",
    "select_rows",
    "select_texts",
]


def _disable_remote_graph_loading() -> None:
    # rdflib would otherwise fetch FROM <http…> graphs over the network while evaluating.
    import rdflib.plugins.sparql as sparql

    sparql.SPARQL_LOAD_GRAPHS = False


def _position_message(error: Exception, origin: str) -> str:
    line = getattr(error, "lineno", None)
    column = getattr(error, "column", None)
    message = str(getattr(error, "msg", "") or error).split("  (at char")[0]
    where = f"{origin}:{line}:{column}" if line and column else origin
    return f"{where}: SPARQL syntax error: {message}; fix the query and try again"


def _walk(node: Any):
    from pyparsing import ParseResults

    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _walk(value)


def _outline_of(kind: str, parsed: Any) -> Outline:
    """The :class:`Outline` of a text rdflib has parsed, read from its parse tree."""
    base = ""  # relative IRIs resolve against the BASE declared before them
    services: list[str] = []
    dataset: list[str] = []
    loads = has_dataset = False
    form = ""
    for node in _walk(parsed):
        name = getattr(node, "name", None)
        if name in ("SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery") and not form:
            form = name.removesuffix("Query").upper()
        elif name == "Base":
            base = urljoin(base, str(node["iri"]))
        elif name == "ServiceGraphPattern":
            services.append(str(node["term"]))
        elif name == "DatasetClause":
            has_dataset = True
            # CompValue.get() answers a missing key with the key itself: test membership first
            iri = node["default"] if "default" in node else node["named"] if "named" in node else None  # noqa: SIM401
            if iri is not None:
                dataset.append(urljoin(base, str(iri)) if base else str(iri))
        elif name == "Load":
            loads = True
    return Outline(kind == "update", tuple(services), loads, tuple(dataset), has_dataset, form)


def run_query(
    graph: Graph,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    allow_update: bool = False,
    allow_network: bool = False,
    origin: str = "query",
    timeout: float | None = None,
    limit: int | None = None,
    trusted: bool = False,
    base: str | None = None,
    ontology: bool = True,
    values_block: bool = False,
) -> Result | None:
    """Run a SPARQL query (or, with ``allow_update``, an update) against ``graph``.

    The prefixes of :data:`orggraph.namespaces.PREFIXES` are predeclared. ``bindings`` map
    variable names to RDF terms (or plain Python values, turned into literals). ``timeout``
    (seconds; main thread only) stops a runaway query with :class:`QueryTimeout`; ``limit``
    caps the rows a SELECT produces (evaluation stops there). ``trusted`` marks orggraph's own
    queries, which a native store may run without rdflib parsing them first. ``base`` is the IRI
    relative IRIs in the query resolve against (a query file's own location). On a store filled
    by :func:`~orggraph.store.loading.load_files`, the default graph of a query that is not
    ``trusted`` is the loaded data: never orggraph's load records, and the bundled ontology only
    with ``ontology`` (for ``GRAPH`` too); a file loaded to be reachable only by name is there
    for ``GRAPH`` alone.

    >>> from orggraph.store.loading import load_graph
    >>> graph = load_graph()
    >>> result = run_query(graph, "SELECT ?name WHERE { ?o skos:prefLabel ?name } LIMIT 1")
    >>> len(list(result))
    1
    >>> run_query(graph, "ASK { ?x org:subOrganizationOf ?parent }", {"parent": URIRef("urn:none")}).askAnswer
    False
    """
    result = _run(
        graph,
        sparql,
        bindings,
        allow_update=allow_update,
        allow_network=allow_network,
        origin=origin,
        timeout=timeout,
        limit=limit,
        trusted=trusted,
        base=base,
        ontology=ontology,
        values_block=values_block,
    )
    assert not isinstance(result, bytes)
    return result


def run_query_written(graph: Graph, sparql: str, fmt: str, **options: Any) -> Result | bytes | None:
    """:func:`run_query`, with rows and yes/no answers from Oxigraph given as the bytes Oxigraph
    itself writes in ``fmt`` (csv, tsv, json or xml: the W3C result formats), so that every term
    is written as the store holds it; other stores, formats and results come back as a Result."""
    return _run(graph, sparql, written_as=fmt if fmt in oxigraph.RESULT_FORMATS else None, **options)


def _run(
    graph: Graph,
    sparql: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    allow_update: bool = False,
    allow_network: bool = False,
    origin: str = "query",
    timeout: float | None = None,
    limit: int | None = None,
    trusted: bool = False,
    base: str | None = None,
    ontology: bool = True,
    written_as: str | None = None,
    values_block: bool = False,
) -> Result | bytes | None:
    text, offset = query_text(sparql, base)
    init: dict[str, Any] = {Variable(k): _as_term(v) for k, v in (bindings or {}).items() if v is not None}
    on_oxigraph = oxigraph.is_oxigraph(graph)
    native = on_oxigraph or is_endpoint(graph)
    if not native:
        _disable_remote_graph_loading()
    if native and not trusted:
        # The check reads what the engine will run: SPARQL decodes \u and \U escapes before it
        # parses (§19.2), and Oxigraph ends a comment at a carriage return, where rdflib's parser
        # reads on to the next line feed. The engine is given the decoded text it checked.
        text = decode_codepoint_escapes(text)
    # a native store runs the text itself: each value is written in its variable's place, where
    # most of Oxigraph's plans start (None: the values go in as a VALUES block instead)
    bound: str | None = text
    if init and native:
        bound = None if values_block else bind_in_text(text, {str(name): value for name, value in init.items()})
    # Our own queries on a native store need no parse: the store parses them, and they are safe.
    # Oxigraph's query call reads the query grammar alone, so an update can never run through
    # it: its checks need only the lexical outline of the text, not rdflib's parser.
    parsed = shape = None
    if on_oxigraph and not trusted:
        shape = outline(text)
    elif not (trusted and native):
        parsed = _parse(_line_feeds(text) if native else text, offset, origin)
        shape = _outline_of(*parsed)
    if shape is not None and shape.update:
        if not allow_update:
            raise QueryError(
                f"{origin}: this is a SPARQL update and queries are read-only; "
                "pass {allow_update} to change the data",
                parameters="allow_update",
            )
        if not allow_network:
            check_network(shape, origin)
        try:
            if on_oxigraph:
                # natively: through rdflib, Oxigraph's store saw GRAPH patterns and the default graph
                # wrongly (a DELETE that deleted nothing, an INSERT DATA that failed)
                if bound is None:
                    raise QueryError(f"{origin}: an update on Oxigraph can bind only variables it uses as values")
                oxigraph.update(graph, bound)
            elif native and not init:
                graph.update(text)
            else:
                from rdflib.plugins.sparql.algebra import translateUpdate  # rdflib's engine only

                assert parsed is not None
                graph.update(translateUpdate(parsed[1]), initBindings=init)
        except QueryError as error:
            raise shifted(error, offset, origin) from None
        except Exception as error:
            raise shifted(QueryError(f"{origin}: update failed: {error}"), offset, origin) from None
        return None
    if shape is not None and not allow_network:
        check_network(shape, origin)
    check_limit(limit)
    try:
        if on_oxigraph:
            # ask Oxigraph directly and convert its terms with memoisation (rows repeat terms);
            # a value written in the variable's place is where Oxigraph's plan starts from
            final = bound or inline_values(text, init, origin)
            # a query's own FROM / FROM NAMED says what its dataset is
            own_dataset = shape is not None and shape.has_dataset
            data = (
                None
                if trusted
                else oxigraph.FROM_THE_QUERY
                if own_dataset
                else oxigraph.data_graphs(graph, ontology=ontology)
            )
            if timeout:
                _check_timeout(timeout)
                return oxigraph.query_within(graph, final, limit, timeout, origin, dataset=data)
            return oxigraph.query(graph, final, limit, dataset=data, written_as=written_as)
        with _deadline(timeout, origin):
            if native:
                # the endpoint evaluates the text itself
                result = _endpoint_answer(graph, bound or inline_values(text, init, origin), shape, origin)
                if result.type == "SELECT":
                    # stores hand back a generator; stop it at the limit, then keep the rows
                    rows = getattr(result, "_genbindings", None) or iter(list(result.bindings))
                    result.bindings = itertools.islice(rows, limit)
                    result.bindings  # noqa: B018 - reading the property materialises the rows here
                return result
            assert parsed is not None
            from rdflib.plugins.sparql.algebra import translateQuery  # rdflib's engine only
            from rdflib.plugins.sparql.parserutils import CompValue

            compiled = translateQuery(parsed[1])
            if limit is not None and compiled.algebra.name == "SelectQuery":
                compiled.algebra["p"] = CompValue("Slice", p=compiled.algebra["p"], start=0, length=limit)
            result = graph.query(compiled, initBindings=init)
            if result.type == "SELECT":
                result.bindings = list(result.bindings)  # evaluate now, inside the deadline
        return result
    except QueryError as error:
        raise shifted(error, offset, origin) from None
    except Exception as error:
        raise shifted(QueryError(f"{origin}: query failed: {error}"), offset, origin) from None


def _endpoint_answer(graph: Graph, text: str, shape: Outline | None, origin: str) -> Result:
    """An endpoint's answer to ``text``, asked here rather than through rdflib's endpoint store,
    which hands back a bare tuple for an HTTP error (the server's reason lost) and asks for a
    graph as SPARQL results."""
    url = graph.store.query_endpoint  # type: ignore[attr-defined]
    form = (shape or outline(text)).form
    if form in ("SELECT", "ASK"):
        body = ask_endpoint(url, text, ROWS_MEDIA, origin=origin).body
        try:
            return Result.parse(io.BytesIO(body), content_type=ROWS_MEDIA)
        except Exception as error:  # whatever the parser meets: not JSON, not results
            raise QueryError(
                f"{origin}: the SPARQL endpoint {url} did not answer with SPARQL JSON results "
                f"({type(error).__name__}: {str(error)[:200]}); check that the URL is the endpoint's"
            ) from None
    body, media, _ = ask_endpoint(url, text, GRAPH_ACCEPT, origin=origin)
    if media not in GRAPH_MEDIA:
        raise QueryError(
            f"{origin}: the SPARQL endpoint {url} answered a graph as {media or 'an unnamed type'}; "
            "orggraph reads N-Triples or Turtle"
        )
    answer = Graph()
    try:
        answer.parse(data=body.decode("utf-8"), format=GRAPH_MEDIA[media])
    except Exception as error:
        raise QueryError(
            f"{origin}: the SPARQL endpoint {url} answered a graph that cannot be read "
            f"({type(error).__name__}: {str(error)[:200]})"
        ) from None
    result = Result(form)
    result.graph = answer
    return result


def _line_feeds(text: str) -> str:
    """Every line break as a line feed, so that a comment ends where Oxigraph ends it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _deadline(seconds: float | None, origin: str) -> Iterator[None]:
    # rdflib evaluates in this process, in Python: an alarm signal is the one clean way to stop it.
    if not seconds:
        yield
        return
    _check_timeout(seconds)
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        raise UsageError("a query timeout needs the main thread of a Unix process")

    def expire(signum: int, frame: object) -> None:
        raise QueryTimeout(
            f"{origin}: stopped after {seconds:g} s ({{timeout}}); make the query more selective "
            "(LIMIT, tighter patterns) or allow more time",
            parameters="timeout",
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _check_timeout(seconds: float) -> None:
    if seconds < 0:
        raise UsageError("{timeout} must be a positive number of seconds", parameters="timeout")


def _parse(text: str, offset: int, origin: str) -> tuple[str, Any]:
    """("query" | "update", parse tree). Not cached: rdflib's translation changes the tree."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return "query", parseQuery(text)
    except Exception as query_error:
        try:
            return "update", parseUpdate(text)
        except Exception:
            _shift_line(query_error, offset)
            raise QueryError(_position_message(query_error, origin)) from None


def select_rows(graph: Graph, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """The rows of a SELECT query as tuples, in order (None where a variable is unbound).

    >>> from orggraph.store.loading import load_graph
    >>> select_rows(load_graph(), "SELECT ?name WHERE { ogr:cspia skos:altLabel ?name } ORDER BY ?name")[0]
    (rdflib.term.Literal('CSPIA', lang='en'),)
    """
    result = run_query(graph, sparql, bindings, trusted=True)
    if result is None or result.type != "SELECT":
        raise QueryError("select_rows needs a SELECT query")
    return [tuple(row) for row in result]  # type: ignore[arg-type]  # SELECT rows are ResultRows


def select_texts(graph: Graph, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[tuple[str | None, ...]]:
    """The rows of one of orggraph's own SELECT queries as plain strings (IRIs and lexical forms),
    for bulk reads such as every name in the graph: on Oxigraph no rdflib term is built.

    >>> from orggraph.store.loading import load_graph
    >>> select_texts(load_graph(), "SELECT ?name WHERE { ogr:cspia skos:altLabel ?name } ORDER BY ?name")[0]
    ('CSPIA',)
    """
    if not oxigraph.is_oxigraph(graph):
        rows = select_rows(graph, sparql, bindings)
        return [tuple(None if term is None else str(term) for term in row) for row in rows]
    text, _ = with_prefixes(sparql)
    init = {name: _as_term(value) for name, value in (bindings or {}).items() if value is not None}
    try:
        return oxigraph.select_texts(graph, inline_values(text, init, "query"))
    except Exception as error:
        raise QueryError(f"query failed: {error}") from None


def _shift_line(error: Exception, offset: int) -> None:
    if offset and isinstance(getattr(error, "lineno", None), int):
        with contextlib.suppress(AttributeError):
            error.lineno -= offset  # type: ignore[attr-defined]


def _as_term(value: Any) -> Any:
    if isinstance(value, (URIRef, Literal)):
        return value
    return Literal(value)


def run_plan(
    graph: Graph,
    name: str,
    bindings: Mapping[str, Any],
    *,
    origin: str = "query",
    timeout: float | None = None,
    limit: int | None = None,
    written_as: str | None = None,
) -> Result | bytes | None:
    """The answer of the store's hand-made plan for the named query ``name`` (see
    :func:`orggraph.store.planned.plan`; written by the store in ``written_as`` where it can),
    or None when the store has none for it.

    >>> from orggraph.store.loading import load_graph
    >>> run_plan(load_graph(), "org-chart", {}) is None
    True
    """
    hand_made = planned.plan(graph, name)
    if hand_made is None:
        return None
    check_limit(limit)
    try:
        with _deadline(timeout, origin):
            return hand_made(dict(bindings), limit, written_as)
    except QueryError:
        raise
    except Exception as error:
        raise QueryError(f"{origin}: query failed: {error}") from None
