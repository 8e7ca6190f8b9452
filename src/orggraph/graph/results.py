"""Formatting query results: width-aware tables (CJK counts double), W3C CSV/TSV/JSON/XML
results, JSON Lines; Turtle, N-Triples and JSON-LD for graphs. Pure functions returning text."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal
from rdflib.namespace import XSD
from rdflib.query import Result

from orggraph.errors import UsageError
from orggraph.formats import GRAPH_FORMATS, ROW_FORMATS
from orggraph.rdf.readwrite import serialize_rdf
from orggraph.rdf.terms import python_value, show_term
from orggraph.store.sparql import run_query_written
from orggraph.text.escaping import NOT_XML
from orggraph.text.tables import format_table

__all__ = [
    "GRAPH_FORMATS",
    "ROW_FORMATS",
    "format_answer",
    "format_result",
    "python_value",
    "query_output",
    "to_dataframe",
    "to_records",
]


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _json_value(term: object) -> str:
    """A term as a JSON value: a number written as its lexical form where JSON can read that
    form (the double ``1000`` stays ``1000``), a boolean as true or false, anything else
    (``NaN``, ``INF``, dates, text) as a string."""
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float, Decimal)) and _JSON_NUMBER.fullmatch(str(term)):
            return str(term)
        if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
            return json.dumps(value)
        return json.dumps(value if isinstance(value, str) else str(term), ensure_ascii=False)
    return "null" if term is None else json.dumps(str(term), ensure_ascii=False)


def format_result(result: Result, fmt: str = "table") -> str:
    """Format a SPARQL result.

    SELECT/ASK: ``table``, ``csv``, ``tsv``, ``json``, ``xml`` (the last four in the W3C SPARQL
    1.1 result formats) and ``jsonl`` (one JSON object per row). CONSTRUCT/DESCRIBE: ``ttl``,
    ``nt``, ``jsonld``.

    >>> from orggraph.store.loading import load_graph
    >>> from orggraph.store.sparql import run_query
    >>> result = run_query(load_graph(), 'SELECT ?o WHERE { ?o skos:altLabel "中安协"@zh-Hans }')
    >>> print(format_result(result, "csv").strip())
    o
    https://w3id.org/orggraph/id/cspia
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise UsageError(
                f"a {result.type} query gives a graph; use {{fmt}} {'|'.join(GRAPH_FORMATS)}", parameters="fmt"
            )
        if result.graph is None:
            raise UsageError(f"the {result.type} query gave no graph")
        return serialize_rdf(result.graph, fmt)
    if fmt not in ROW_FORMATS:
        raise UsageError(f"a {result.type} query gives rows; use {{fmt}} {'|'.join(ROW_FORMATS)}", parameters="fmt")
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        if fmt == "table":
            return "yes" if answer else "no"
        if fmt == "jsonl":
            return json.dumps({"boolean": answer})
        if fmt in ("csv", "tsv"):  # the W3C CSV/TSV formats define rows only: no boolean
            raise UsageError(
                "an ASK query answers yes or no, which the csv and tsv result formats cannot hold; "
                "use {fmt} table, json or xml",
                parameters="fmt",
            )
        return _serialize(result, fmt)
    variables = [str(v) for v in result.vars or []]
    records = _rows(result)
    if fmt == "table":
        rows = [[show_term(term) for term in row] for row in records]
        footer = f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
        return format_table(variables, rows) + footer
    if fmt == "jsonl":
        names = [json.dumps(v, ensure_ascii=False) for v in variables]
        lines = [
            "{" + ", ".join(f"{name}: {_json_value(t)}" for name, t in zip(names, row, strict=True)) + "}"
            for row in records
        ]
        return "\n".join(lines)
    return _serialize(result, fmt)


def query_output(graph: Any, sparql: str, fmt: str = "table", **options: Any) -> str | None:
    """Run a SPARQL query (:func:`~orggraph.store.sparql.run_query` and its ``options``) and
    write its answer in ``fmt`` (:func:`format_result`); None after an update. On Oxigraph, rows
    and yes/no answers in the W3C formats (csv, tsv, json, xml) are written by Oxigraph itself,
    byte for byte, every term as the store holds it.

    >>> from orggraph.store.loading import load_graph
    >>> print(query_output(load_graph(), 'ASK { ?o skos:altLabel "中安协"@zh-Hans }'))
    yes
    """
    answer = run_query_written(graph, sparql, fmt, **options)
    return None if answer is None else format_answer(answer, fmt)


def format_answer(answer: Result | bytes, fmt: str) -> str:
    """:func:`format_result` of a Result, or the text of what the store wrote itself in ``fmt``
    (:func:`~orggraph.store.sparql.run_query_written`)."""
    if not isinstance(answer, bytes):
        return format_result(answer, fmt)
    text = answer.decode("utf-8")
    if fmt == "xml" and NOT_XML.search(text):
        raise _not_xml()
    return text


def _not_xml() -> UsageError:
    return UsageError("a value holds a control character XML cannot carry; use {fmt} json", parameters="fmt")


def _rows(result: Result) -> list[tuple[Any, ...]]:
    # from the bindings, not by iterating the result: rdflib's iteration skips a row that binds
    # nothing, which is still a solution (a CONCAT that failed, an empty group's MAX)
    variables = list(result.vars or [])
    return [tuple(binding.get(v) for v in variables) for binding in result.bindings]


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NUMBER = {
    str(XSD.integer): re.compile(r"[+-]?\d+"),
    str(XSD.decimal): re.compile(r"[+-]?\d*\.\d+"),
    str(XSD.double): re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    str(XSD.boolean): re.compile(r"true|false"),
}


def _tsv_term(term: object) -> str:
    """A term as the W3C TSV results format writes it: Turtle syntax, numbers and booleans bare,
    strings quoted with every tab, newline and quote escaped (so no value can start a field or a row)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        datatype = str(term.datatype) if term.datatype is not None else None
        if datatype in _NUMBER and _NUMBER[datatype].fullmatch(text):
            return text
        quoted = '"' + "".join(_TSV_ESCAPES.get(ch, ch) for ch in text) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if datatype and datatype != str(XSD.string):
            return f"{quoted}^^<{datatype}>"
        return quoted
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _tsv(result: Result) -> str:
    # W3C SPARQL 1.1 TSV: "?var" headers, terms in Turtle/N-Triples syntax, a line per row
    variables = list(result.vars or [])
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in _rows(result):
        lines.append("\t".join(_tsv_term(term) for term in row))
    return "\n".join(lines) + "\n"


def _xml(result: Result) -> str:
    """The W3C SPARQL Query Results XML Format, every term as it is (rdflib's writer drops the
    literals ``0`` and ``false`` and fails on an unbound value)."""
    from xml.sax.saxutils import escape, quoteattr

    def text(value: str) -> str:
        if NOT_XML.search(value):
            raise _not_xml()
        return escape(value)

    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.type == "ASK":
        lines += ["  <head/>", f"  <boolean>{'true' if result.askAnswer else 'false'}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    variables = [str(v) for v in result.vars or []]
    lines.append("  <head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>")
    lines.append("  <results>")
    for row in _rows(result):
        cells = []
        for name, term in zip(variables, row, strict=True):
            if term is None:
                continue  # unbound: no binding element
            if isinstance(term, Literal):
                attribute = (
                    f" xml:lang={quoteattr(term.language)}"
                    if term.language
                    else (f" datatype={quoteattr(str(term.datatype))}" if term.datatype else "")
                )
                value = f"<literal{attribute}>{text(str(term))}</literal>"
            elif isinstance(term, BNode):
                value = f"<bnode>{text(str(term))}</bnode>"
            else:
                value = f"<uri>{text(str(term))}</uri>"
            cells.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        lines.append("    <result>" + "".join(cells) + "</result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def _serialize(result: Result, fmt: str) -> str:
    if fmt == "tsv":
        return _tsv(result)
    if fmt == "xml":
        return _xml(result)
    if fmt == "csv":
        return _csv(result)
    return _json(result)


def _csv(result: Result) -> str:
    """The W3C SPARQL 1.1 CSV results format: lexical forms, blank nodes as ``_:label``, fields
    quoted when they hold a quote, comma or line break, lines ended by CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(v) for v in result.vars or []])
    for row in _rows(result):
        writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row])
    return buffer.getvalue()


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": str(term), "xml:lang": term.language}
        if term.datatype is not None:
            return {"type": "literal", "value": str(term), "datatype": str(term.datatype)}
        return {"type": "literal", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def _json(result: Result) -> str:
    """The W3C SPARQL 1.1 JSON results format, every term as it is."""
    if result.type == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
    variables = [str(v) for v in result.vars or []]
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None}
        for row in _rows(result)
    ]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


def to_records(result: Result) -> list[dict[str, object]]:
    """The rows of a SELECT result as dicts of plain Python values (see :func:`python_value`), in
    order; a variable a row leaves unbound maps to None.

    >>> from orggraph.store.loading import load_graph
    >>> from orggraph.graph.named_queries import run_named_query
    >>> rows = to_records(run_named_query(load_graph(), "duties-of", {"org": "中安协", "year": 2019}))
    >>> rows[0]["period"], type(rows[0]["duty"]).__name__
    (2019, 'str')
    """
    if result.type != "SELECT":
        raise UsageError(f"a {result.type} query gives no rows; records come from SELECT queries")
    variables = [str(v) for v in result.vars or []]
    return [dict(zip(variables, map(python_value, row), strict=True)) for row in _rows(result)]


def to_dataframe(result: Result) -> Any:
    """The rows of a SELECT result as a pandas DataFrame of plain Python values, one column per
    variable in the query's order. Needs pandas (``pip install 'orggraph[dataframe]'``).

    >>> from orggraph.store.loading import load_graph
    >>> from orggraph.graph.named_queries import run_named_query
    >>> frame = to_dataframe(run_named_query(load_graph(), "duties-of", {"org": "中安协"}))
    >>> frame.shape[0], list(frame.columns)[:2]
    (31, ['no', 'duty'])
    """
    try:
        import pandas  # optional, and heavy: only when a DataFrame is asked for
    except ImportError:
        raise UsageError("a DataFrame needs pandas; install it with `pip install 'orggraph[dataframe]'`") from None
    columns = [str(v) for v in result.vars or []]
    return pandas.DataFrame.from_records(to_records(result), columns=columns)
