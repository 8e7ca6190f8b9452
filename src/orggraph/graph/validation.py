"""SHACL validation returning a report value; non-conformance is a result, not an exception."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from orggraph.errors import InputError
from orggraph.graph.shape_check import CompiledShapes, Unsupported, check, compile_shapes
from orggraph.rdf.readwrite import read_rdf
from orggraph.rdf.terms import show_term
from orggraph.resources import shapes_file
from orggraph.store.backends import store_folder
from orggraph.store.cache import cached
from orggraph.store.loading import local_copy
from orggraph.store.sparql_text import decode_codepoint_escapes
from orggraph.text.tables import format_table

__all__ = ["ValidationReport", "ValidationResult", "check_triples", "validate"]


@dataclass(frozen=True)
class ValidationResult:
    """One validation result: which node, which property, what is wrong, how bad."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms`` is False when any violation was found."""

    conforms: bool
    findings: tuple[ValidationResult, ...] = field(default_factory=tuple)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """Findings of severity Violation."""
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """Findings of severity Warning or Info."""
        return tuple(f for f in self.findings if f.severity != "Violation")

    def text(self) -> str:
        """A readable report: a summary line, then one row per finding."""
        summary = (
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)"
        )
        if not self.findings:
            return summary
        rows = [
            [f.severity, f.focus, f.path, f.message + (f" (value: {f.value})" if f.value else "")]
            for f in self.findings
        ]
        return summary + "\n" + format_table(["severity", "node", "property", "problem"], rows)


def validate(
    graph: Graph, shapes: str | Path | Graph | None = None, *, allow_network: bool = False
) -> ValidationReport:
    """Validate ``graph`` (a Graph or Dataset; all its graphs together) against SHACL shapes.

    The bundled shapes are used unless ``shapes`` (a file or graph) is given.

    A report on an on-disk Oxigraph store (one filled by ``orggraph load``, or the prebuilt copy
    of the bundled graph) is kept in the cache with the shapes file's digest, until the store
    or the shapes change (:func:`orggraph.store.cache.cached`).

    >>> from orggraph.store.loading import load_graph
    >>> validate(load_graph()).conforms
    True
    """
    folder = store_folder(graph)
    kind = _report_kind(shapes, allow_network) if folder is not None else None
    if kind is None:
        return _validate(graph, shapes, allow_network)
    stored = cached(kind, folder, lambda: _as_value(_validate(graph, shapes, allow_network)), valid=_is_value)
    return ValidationReport(bool(stored[0]), tuple(ValidationResult(*finding) for finding in stored[1]))


def _report_kind(shapes: str | Path | Graph | None, allow_network: bool) -> str | None:
    """The cache kind of a report: the shapes' content, pyshacl's version, the network setting."""
    if isinstance(shapes, Graph):
        return None
    try:
        content = Path(shapes or shapes_file()).read_bytes()
    except OSError:
        return None  # validating says what is wrong with the file
    from importlib.metadata import version  # imported by rdflib already

    digest = hashlib.sha256(content + f"\0{version('pyshacl')}\0{allow_network}".encode()).hexdigest()
    return f"validation-{digest[:20]}"


def _as_value(report: ValidationReport) -> list[Any]:
    fields = ("focus", "path", "message", "severity", "value")
    return [report.conforms, [[getattr(f, name) for name in fields] for f in report.findings]]


def _is_value(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[1], list)
        and all(isinstance(f, list) and len(f) == 5 and all(isinstance(x, str) for x in f) for f in value[1])
    )


def _validate(graph: Graph, shapes: str | Path | Graph | None, allow_network: bool) -> ValidationReport:
    import pyshacl  # imported here: ~200 ms, and only validation needs it

    data = Graph()
    for triple in local_copy(graph).triples((None, None, None)):
        data.add(triple)
    if shapes is None:
        shapes = shapes_file()
    shapes_graph = shapes if isinstance(shapes, Graph) else read_rdf(shapes, allow_network=allow_network)
    shapes_union = Graph()
    for triple in shapes_graph.triples((None, None, None)):
        shapes_union.add(triple)
    where = shapes if isinstance(shapes, (str, Path)) else "shapes"
    if not allow_network:
        _refuse_network_in_sparql_shapes(shapes_union, str(where))
    try:
        conforms, results, text = pyshacl.validate(
            data, shacl_graph=shapes_union, inference="none", allow_warnings=True, advanced=True
        )
    except Exception as error:  # pyshacl's errors for shapes it cannot evaluate share no base class
        raise InputError(f"{where}: the shapes cannot be evaluated: {_one_line(error)}; fix the shapes file") from None
    if not isinstance(results, Graph):  # pyshacl hands back its failure instead of a report
        failure = _one_line(getattr(results, "message", None) or text)
        raise InputError(f"{where}: the shapes cannot be evaluated: {failure}; fix the shapes file")
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        findings.append(
            ValidationResult(
                focus=show_term(results.value(result, SH.focusNode)),
                path=show_term(results.value(result, SH.resultPath)),
                message=str(message) if isinstance(message, Literal) else "",
                severity=show_term(severity).split(":")[-1],
                value=show_term(results.value(result, SH.value)),
            )
        )
    findings.sort(key=lambda f: (f.severity != "Violation", f.focus, f.path))
    return ValidationReport(bool(conforms), tuple(findings))


_SPARQL_TEXT = (SH.select, SH.ask, SH.construct, SH.update)
# Whole words, wherever they stand (even in a string or a comment): a shapes file is refused rather
# than parsed, since its queries need prefixes declared elsewhere in the file.
_REACHES_OUT = re.compile(r"(?i)\b(SERVICE|LOAD|FROM)\b")


def _refuse_network_in_sparql_shapes(shapes: Graph, where: str) -> None:
    """A SHACL-SPARQL constraint, target or rule that could reach the network is refused:
    pyshacl runs ``SERVICE`` and fetches ``FROM`` graphs through rdflib."""
    for predicate in _SPARQL_TEXT:
        for text in shapes.objects(None, predicate):
            found = _REACHES_OUT.search(decode_codepoint_escapes(str(text)))
            if found:
                raise InputError(
                    f"{where}: a SPARQL-based shape uses {found.group(1).upper()}, which can reach the network; "
                    "pass {allow_network} to permit it",
                    parameters="allow_network",
                )


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:300]


def check_triples(triples: Iterable[tuple[object, object, object]]) -> ValidationReport:
    """Validate plain triples against the bundled shapes with :mod:`orggraph.graph.shape_check`,
    which gives pyshacl's results (focus, path, severity, value) ten times faster; messages are
    the shapes' own, or the constraint's name where a shape has none. ``orggraph build`` checks
    its candidates this way; :func:`validate` keeps pyshacl's wording for people to read.

    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDF
    >>> unit = URIRef("https://example.org/unit")
    >>> report = check_triples([(unit, RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))])
    >>> report.conforms, len(report.violations) > 0
    (False, True)
    """

    triples = list(triples)
    try:
        found = check(triples, _bundled_shapes())
    except Unsupported:  # shapes this checker cannot read: pyshacl decides
        data = Graph()
        for triple in triples:
            data.add(triple)  # type: ignore[arg-type]
        return validate(data)
    findings = sorted(
        (
            ValidationResult(
                focus=show_term(f.focus),
                path=show_term(f.path),
                message=f.message,
                severity=show_term(f.severity).split(":")[-1],
                value=show_term(f.value),
            )
            for f in found
        ),
        key=lambda f: (f.severity != "Violation", f.focus, f.path),
    )
    return ValidationReport(not any(f.severity == "Violation" for f in findings), tuple(findings))


@functools.lru_cache(maxsize=1)
def _bundled_shapes() -> CompiledShapes:
    return compile_shapes(read_rdf(shapes_file()))
