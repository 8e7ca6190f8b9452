"""Running SPARQL: ad hoc queries with bound parameters, and named ``.rq`` queries.

Queries are read-only unless ``allow_update`` is given, and never reach the network
(``SERVICE``, remote ``FROM``/``FROM NAMED``, ``LOAD``) unless ``allow_network`` is given.
Parameters are bound with ``initBindings``; their values are never pasted into query text.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from .errors import QueryError, ResolutionError, UsageError
from .namespaces import PREFIXES
from .resources import queries_dir
from .store import is_native, oxigraph_store

__all__ = [
    "NamedQuery",
    "Parameter",
    "get_named_query",
    "list_named_queries",
    "run_named_query",
    "QueryTimeout",
    "run_query",
    "select_rows",
    "select_texts",
]

_PREFIX_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


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


def _is_remote(iri: object) -> bool:
    return isinstance(iri, URIRef) and not str(iri).startswith(("urn:", "file:", "https://w3id.org/orggraph/"))


def _check_network(parsed: Any, origin: str) -> None:
    for node in _walk(parsed):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            service = str(node["term"])
            raise QueryError(f"{origin}: SERVICE <{service}> reaches the network; pass --allow-network to permit it")
        if name == "DatasetClause":
            # CompValue.get() answers a missing key with the key itself: test membership first
            iri = node["default"] if "default" in node else node["named"] if "named" in node else None  # noqa: SIM401
            if _is_remote(iri):
                raise QueryError(
                    f"{origin}: FROM <{iri}> would be fetched from the network; pass --allow-network to permit it"
                )
        if name == "Load":
            raise QueryError(f"{origin}: LOAD reaches the network; pass --allow-network to permit it")


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
) -> Result | None:
    """Run a SPARQL query (or, with ``allow_update``, an update) against ``graph``.

    The prefixes of :data:`orggraph.namespaces.PREFIXES` are predeclared. ``bindings`` map
    variable names to RDF terms (or plain Python values, turned into literals). ``timeout``
    (seconds; main thread only) stops a runaway query with :class:`QueryTimeout`; ``limit``
    caps the rows a SELECT produces (evaluation stops there). ``trusted`` marks orggraph's own
    queries, which a native store may run without rdflib parsing them first.

    >>> from orggraph.store import load_graph
    >>> graph = load_graph()
    >>> result = run_query(graph, "SELECT ?name WHERE { ?o skos:prefLabel ?name } LIMIT 1")
    >>> len(list(result))
    1
    >>> run_query(graph, "ASK { ?x org:subOrganizationOf ?parent }", {"parent": URIRef("urn:none")}).askAnswer
    False
    """
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate

    _disable_remote_graph_loading()
    text, offset = _with_prefixes(sparql)
    init: dict[str, Any] = {Variable(k): _as_term(v) for k, v in (bindings or {}).items() if v is not None}
    native = is_native(graph)
    # Our own queries on a native store need no parse: the store parses them, and they are safe.
    parsed = None if (trusted and native) else _parse(text, offset, origin)
    if parsed is not None and parsed[0] == "update":
        update = parsed[1]
        if not allow_update:
            raise QueryError(
                f"{origin}: this is a SPARQL update and queries are read-only; pass --allow-update to change the data"
            )
        if not allow_network:
            _check_network(update, origin)
        try:
            if native and not init:
                graph.update(text)
            else:
                graph.update(translateUpdate(update), initBindings=init)
        except Exception as error:
            raise QueryError(f"{origin}: update failed: {error}") from None
        return None
    if parsed is not None and not allow_network:
        _check_network(parsed[1], origin)
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 or more")
    try:
        with _deadline(timeout, origin):
            inner = getattr(graph.store, "_inner", None) if native else None
            if inner is not None:
                # Oxigraph: ask it directly and convert its terms with memoisation (rows repeat terms)
                return _oxigraph_query(inner, _inline_values(text, init, origin), limit)
            if native:
                # the endpoint evaluates the text itself
                result = graph.query(_inline_values(text, init, origin))
                if result.type == "SELECT":
                    # stores hand back a generator; stop it at the limit, then keep the rows
                    rows = getattr(result, "_genbindings", None) or iter(list(result.bindings))
                    result.bindings = itertools.islice(rows, limit)
                    result.bindings  # noqa: B018 - reading the property materialises the rows here
                return result
            assert parsed is not None
            compiled = translateQuery(parsed[1])
            if limit is not None and compiled.algebra.name == "SelectQuery":
                compiled.algebra["p"] = CompValue("Slice", p=compiled.algebra["p"], start=0, length=limit)
            result = graph.query(compiled, initBindings=init)
            if result.type == "SELECT":
                result.bindings = list(result.bindings)  # evaluate now, inside the deadline
        return result
    except QueryError:
        raise
    except Exception as error:
        raise QueryError(f"{origin}: query failed: {error}") from None


@functools.lru_cache(maxsize=256)
def _with_prefixes(sparql: str) -> tuple[str, int]:
    """The query with orggraph's prefixes declared (unless it declares og: itself), and the lines added."""
    if re.search(r"(?im)^\s*prefix\s+og:", sparql):
        return sparql, 0
    return _PREFIX_HEADER + sparql, _PREFIX_HEADER.count("\n")


def _inline_values(text: str, bindings: Mapping[str, Any], origin: str) -> str:
    """The query with its bindings as a VALUES block opening each WHERE group.

    Native stores evaluate text: Oxigraph substitutes only projected variables, and rdflib's
    endpoint store appends VALUES after the query, where it joins after GROUP BY. Opening the
    WHERE group binds a parameter everywhere in the pattern, as initBindings do in rdflib's own
    evaluation. Terms are written with ``n3()``, which escapes them: a value can never become
    query syntax.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(_as_term(value).n3() for value in bindings.values())
    block = f" VALUES ({names}) {{ ({row}) }} "
    braces = _where_braces(text)
    if not braces:
        raise QueryError(f"{origin}: cannot find the WHERE clause")
    for brace in reversed(braces):
        text = text[: brace + 1] + block + text[brace + 1 :]
    return text


@functools.lru_cache(maxsize=256)
def _where_braces(text: str) -> tuple[int, ...]:
    """Positions of the brace opening each WHERE group (sub-selects included), or of the first group."""
    body = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), text)  # comments cannot hide a WHERE
    form = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
    if form is None:
        return ()
    # every WHERE group, sub-selects included: rdflib's initBindings bind there too
    braces = [form.start() + m.end() - 1 for m in re.finditer(r"(?i)\bWHERE\s*\{", body[form.start() :])]
    if not braces:
        first = body.find("{", form.end())
        braces = [first] if first >= 0 else []
    return tuple(braces)


def _oxigraph_query(store: Any, text: str, limit: int | None) -> Result:
    import pyoxigraph
    from rdflib import Graph

    convert = _term_converter()
    answer = store.query(text, use_default_graph_as_union=True)
    if isinstance(answer, pyoxigraph.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
        return result
    if isinstance(answer, pyoxigraph.QuerySolutions):
        return _select_result([v.value for v in answer.variables], answer, limit)
    result = Result("CONSTRUCT")
    result.graph = Graph()
    for triple in answer:
        result.graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return result


def _select_result(names: list[str], solutions: Iterable[Any], limit: int | None) -> Result:
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


def _rdflib_term(term: Any) -> Any:
    """An Oxigraph term as rdflib's (see :func:`_term_converter`)."""
    return _term_converter()(term)


@functools.cache
def _term_converter() -> Callable[[Any], Any]:
    """The function that makes Oxigraph terms rdflib's, with pyoxigraph's classes at hand.

    IRIs and typed values (dates, numbers) are memoised, since rows repeat them. Strings, with
    a language tag or typed ``xsd:string`` (most of what queries return), are built the way
    ``Literal.__new__`` builds them, without its checks: Oxigraph has already checked the tag,
    and a string needs no conversion. ``tests/test_query.py`` holds them equal to ``Literal``'s own in every respect.
    """
    import pyoxigraph
    from rdflib import BNode

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


class QueryTimeout(QueryError):
    """A query ran longer than its timeout and was stopped."""


@contextlib.contextmanager
def _deadline(seconds: float | None, origin: str) -> Iterator[None]:
    # rdflib evaluates in this process, in Python: an alarm signal is the one clean way to stop it.
    if not seconds:
        yield
        return
    if seconds < 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        raise UsageError("a query timeout needs the main thread of a Unix process")

    def expire(signum: int, frame: object) -> None:
        raise QueryTimeout(
            f"{origin}: stopped after {seconds:g} s (--timeout); make the query more selective "
            "(LIMIT, tighter patterns) or allow more time"
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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

    >>> from orggraph.store import load_graph
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

    >>> from orggraph.store import load_graph
    >>> select_texts(load_graph(), "SELECT ?name WHERE { ogr:cspia skos:altLabel ?name } ORDER BY ?name")[0]
    ('CSPIA',)
    """
    from .store import oxigraph_store

    inner = oxigraph_store(graph)
    if inner is None:
        rows = select_rows(graph, sparql, bindings)
        return [tuple(None if term is None else str(term) for term in row) for row in rows]
    text, _ = _with_prefixes(sparql)
    init = {name: value for name, value in (bindings or {}).items() if value is not None}
    try:
        solutions = inner.query(_inline_values(text, init, "query"), use_default_graph_as_union=True)
        return [tuple(None if term is None else term.value for term in solution) for solution in solutions]
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


# --------------------------------------------------------------------------- named queries
PARAMETER_KINDS = ("organisation", "meeting", "resource", "type", "keyword", "year", "string", "integer")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a named query: ``# param: NAME KIND required|optional  description``."""

    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A named ``.rq`` query with its declared title, description and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    text: str = ""  # the SPARQL text, read once with the header


def _parse_header(path: Path) -> NamedQuery:
    title = description = ""
    parameters: list[Parameter] = []
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.startswith("#"):
            continue
        key, _, value = line.lstrip("# ").partition(":")
        value = value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        elif key == "param":
            name, kind, need, *rest = value.split(maxsplit=3)
            if kind not in PARAMETER_KINDS:
                raise QueryError(f"{path}: parameter {name} has unknown kind {kind!r}")
            parameters.append(Parameter(name, kind, need == "required", rest[0] if rest else ""))
    return NamedQuery(path.stem, path, title, description, tuple(parameters), text)


def list_named_queries(folder: Path | None = None) -> list[NamedQuery]:
    """The named queries shipped with orggraph (or in ``folder``), by name.

    >>> [q.name for q in list_named_queries()][:3]
    ['attendees', 'duties-of', 'evidence']
    """
    return [_cached_header(p, p.stat().st_mtime_ns) for p in sorted((folder or queries_dir()).glob("*.rq"))]


@functools.lru_cache(maxsize=256)
def _cached_header(path: Path, mtime_ns: int) -> NamedQuery:
    # keyed by modification time: an edited .rq file is read again
    return _parse_header(path)


@functools.lru_cache(maxsize=256)
def _query_path(folder: Path, name: str) -> Path | None:
    return folder / f"{name}.rq" if name and Path(name).name == name else None


def get_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """One named query; an unknown name raises :class:`ResolutionError` with suggestions."""
    import difflib

    path = _query_path(folder or queries_dir(), name)
    if path is not None:  # straight to the file: no directory listing per run
        with contextlib.suppress(OSError):
            return _cached_header(path, os.stat(path).st_mtime_ns)
    queries = {q.name: q for q in list_named_queries(folder)}
    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "`orggraph queries` lists them"
    raise ResolutionError(f"unknown named query {name!r}; {hint}")


def bind_parameters(graph: Graph, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Any]:
    """Turn user-given parameter strings into RDF terms for ``initBindings``."""
    from .normalization import to_simplified, to_traditional
    from .resolution import resolve_organisation, resolve_resource

    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        allowed = ", ".join(declared) or "none"
        raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {allowed}")
    bindings: dict[str, Any] = {}
    for parameter in query.parameters:
        raw = values.get(parameter.name)
        if raw is None:
            if parameter.required:
                raise UsageError(
                    f"query {query.name!r} needs -p {parameter.name} VALUE ({parameter.kind}: {parameter.description})"
                )
            continue
        kind = parameter.kind
        if kind == "organisation":
            bindings[parameter.name] = resolve_organisation(graph, raw)
        elif kind == "meeting":
            bindings[parameter.name] = resolve_resource(graph, raw, "og:Meeting")
        elif kind == "type":
            bindings[parameter.name] = resolve_resource(graph, raw, "skos:Concept")
        elif kind == "resource":
            bindings[parameter.name] = resolve_resource(graph, raw, None)
        elif kind == "keyword":
            bindings[parameter.name] = Literal(raw)
            bindings[f"{parameter.name}_hans"] = Literal(to_simplified(raw))
            bindings[f"{parameter.name}_hant"] = Literal(to_traditional(raw))
        elif kind == "year":
            if not re.fullmatch(r"\d{4}", raw):
                raise UsageError(f"parameter {parameter.name} must be a year such as 2019, not {raw!r}")
            bindings[parameter.name] = Literal(raw, datatype=XSD.gYear)
        elif kind == "integer":
            try:
                bindings[parameter.name] = Literal(int(raw))
            except ValueError:
                raise UsageError(f"parameter {parameter.name} must be a whole number, not {raw!r}") from None
        else:
            bindings[parameter.name] = Literal(raw)
    return bindings


def run_named_query(
    graph: Graph,
    name: str,
    parameters: Mapping[str, str] | None = None,
    *,
    timeout: float | None = None,
    limit: int | None = None,
) -> Result:
    """Run a named query with parameters given as strings (names and aliases are resolved).

    >>> from orggraph.store import load_graph
    >>> graph = load_graph()
    >>> rows = list(run_named_query(graph, "duties-of", {"org": "中安协"}))
    >>> len(rows) > 20
    True
    """
    from .plans import NATIVE_PLANS

    query = get_named_query(name)
    bindings = bind_parameters(graph, query, parameters or {})
    inner = oxigraph_store(graph)
    if name in NATIVE_PLANS and inner is not None:
        if limit is not None and limit < 0:
            raise UsageError("--limit must be 0 or more")
        try:
            with _deadline(timeout, str(query.path.name)):
                planned = NATIVE_PLANS[name](inner, bindings)
        except QueryError:
            raise
        except Exception as error:
            raise QueryError(f"{query.path.name}: query failed: {error}") from None
        if planned is not None:
            return _select_result(*planned, limit)
    result = run_query(
        graph, query.text, bindings, origin=str(query.path.name), timeout=timeout, limit=limit, trusted=True
    )
    if result is None:  # pragma: no cover - named queries are never updates
        raise ResolutionError(f"named query {name!r} is an update")
    return result
