"""A SHACL Core checker for the constraint components orggraph's shapes use, fast enough to check
what a build of a thousand documents proposes.

pyshacl asks rdflib for every value of every property of every focus node, and compares terms
the slow way; over the candidates of a big build it takes two thirds of the build. This checker
indexes the data once (subject → predicate → objects, and the types with their superclasses)
and evaluates each shape on it in plain Python. It gives the results pyshacl gives — the same
focus node, path, severity and value for each, a test holds the two equal on the corpus's
candidates and on graphs built to break each constraint — following pyshacl where it reads the
specification its own way (``sh:languageIn`` compares a tag or its first subtag).

It knows only the components in :data:`SUPPORTED`; :func:`compile_shapes` raises
:class:`Unsupported` for a shapes graph that uses anything else (SPARQL constraints, rules,
other targets, property paths that are not a single IRI), and the caller then runs pyshacl.
Messages are the shape's ``sh:message``, else the component's name: the build reports counts,
and ``orggraph validate`` still shows pyshacl's own wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

__all__ = ["SUPPORTED", "CompiledShapes", "Finding", "Unsupported", "check", "compile_shapes"]

_CONSTRAINTS = (
    "minCount",
    "maxCount",
    "class",
    "datatype",
    "nodeKind",
    "languageIn",
    "uniqueLang",
    "pattern",
    "minInclusive",
    "lessThanOrEquals",
    "hasValue",
    "node",
    "or",
    "qualifiedValueShape",
)
SUPPORTED = frozenset(
    [*(SH[name] for name in _CONSTRAINTS)]
    + [SH[name] for name in ("property", "path", "severity", "message", "targetClass", "flags")]
    + [SH[name] for name in ("qualifiedMinCount", "qualifiedMaxCount", "name", "description", "order", "group")]
    + [SH.NodeShape, SH.PropertyShape]
)
_ANNOTATIONS = frozenset((RDF.type, RDFS.label, RDFS.comment, RDF.first, RDF.rest))
_NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class Unsupported(Exception):
    """The shapes use something this checker does not evaluate: run pyshacl instead."""


@dataclass
class _Shape:
    node: Any
    path: URIRef | None = None
    severity: URIRef = SH.Violation
    message: str = ""
    constraints: list[tuple[str, Any]] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    """One validation result: focus node, path (None on a node shape), severity, value or None."""

    focus: object
    path: URIRef | None
    severity: URIRef
    value: object
    message: str


@dataclass
class CompiledShapes:
    """The targeted shapes of a shapes graph, each with the classes whose instances it checks."""

    targeted: list[tuple[list[Any], _Shape]]


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Read ``shapes`` into the form :func:`check` evaluates; :class:`Unsupported` for anything
    beyond :data:`SUPPORTED`.

    >>> from orggraph.rdf.readwrite import read_rdf
    >>> from orggraph.resources import shapes_file
    >>> len(compile_shapes(read_rdf(shapes_file())).targeted) > 10
    True
    """
    shapes = _plain_graph(shapes)
    for _subject, predicate, value in shapes:
        if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
            raise Unsupported(f"{predicate} is not evaluated here")
        if predicate == RDF.type and value in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
            raise Unsupported("a shape that is a class targets its instances implicitly")
        if str(value).startswith(str(SH)) and predicate == RDF.type and value not in SUPPORTED:
            raise Unsupported(f"{value} is not evaluated here")
    compiled: dict[object, _Shape] = {}

    def shape(node: Any, stack: tuple[Any, ...] = ()) -> _Shape:
        if node in compiled:
            return compiled[node]
        if node in stack:
            raise Unsupported("recursive shapes")
        made = _Shape(node)
        compiled[node] = made
        path = shapes.value(node, SH.path)
        if path is not None:
            if not isinstance(path, URIRef):
                raise Unsupported("a property path other than one IRI")
            made.path = path
        made.severity = shapes.value(node, SH.severity) or SH.Violation
        message = shapes.value(node, SH.message)
        made.message = str(message) if message is not None else ""
        for name in _CONSTRAINTS:
            for parameter in shapes.objects(node, SH[name]):
                if name in ("node", "qualifiedValueShape"):
                    made.constraints.append((name, shape(parameter, (*stack, node))))
                elif name == "or":
                    made.constraints.append((name, [shape(s, (*stack, node)) for s in shapes.items(parameter)]))
                elif name == "languageIn":
                    made.constraints.append((name, {str(tag).lower() for tag in shapes.items(parameter)}))
                elif name == "pattern":
                    flags = shapes.value(node, SH.flags)
                    made.constraints.append((name, re.compile(str(parameter), _regex_flags(flags))))
                else:
                    made.constraints.append((name, parameter))
        if (
            SH.qualifiedMinCount in _predicates(shapes, node) or SH.qualifiedMaxCount in _predicates(shapes, node)
        ) and not any(name == "qualifiedValueShape" for name, _ in made.constraints):
            raise Unsupported("a qualified count without a qualified value shape")
        made.constraints += [
            (f"qualified{bound}", shapes.value(node, SH[f"qualified{bound}"]))
            for bound in ("MinCount", "MaxCount")
            if shapes.value(node, SH[f"qualified{bound}"]) is not None
        ]
        made.properties = [shape(p, (*stack, node)) for p in shapes.objects(node, SH.property)]
        return made

    targeted = []
    for node in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        targeted.append((list(shapes.objects(node, SH.targetClass)), shape(node)))
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        shape(node)  # every declared shape must be one this checker can evaluate
    return CompiledShapes(targeted)


def _plain_graph(graph: Graph) -> Graph:
    """One graph of every statement ``graph`` holds, whichever of its graphs says it."""
    plain = Graph()
    for triple in graph.triples((None, None, None)):
        plain.add(triple)
    return plain


def _predicates(graph: Graph, node: Any) -> set[Any]:
    return set(graph.predicates(node, None))


def _regex_flags(flags: object) -> int:
    value = 0
    for letter in str(flags or ""):
        value |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(letter, 0)
    return value


class _Data:
    """The data graph indexed once: subject → predicate → objects, types and their superclasses."""

    def __init__(self, triples: Iterable[tuple[object, object, object]]) -> None:
        self.out: dict[object, dict[object, dict[object, None]]] = {}
        for subject, predicate, value in triples:
            self.out.setdefault(subject, {}).setdefault(predicate, {})[value] = None
        self.superclasses: dict[object, set[object]] = {}
        self.instances: dict[object, set[object]] = {}
        for node, properties in self.out.items():
            for kind in properties.get(RDF.type, ()):
                self.instances.setdefault(kind, set()).add(node)

    def values(self, node: object, predicate: object) -> list[object]:
        return list(self.out.get(node, {}).get(predicate, ()))

    def above(self, kind: object) -> set[object]:
        """``kind`` and every class it is an rdfs:subClassOf, transitively, in the data."""
        found = self.superclasses.get(kind)
        if found is None:
            found, stack = {kind}, [kind]
            while stack:
                for parent in self.values(stack.pop(), RDFS.subClassOf):
                    if parent not in found:
                        found.add(parent)
                        stack.append(parent)
            self.superclasses[kind] = found
        return found

    def is_instance(self, node: object, kind: object) -> bool:
        return any(kind in self.above(t) for t in self.values(node, RDF.type))

    def targets(self, kind: object) -> set[object]:
        found = set(self.instances.get(kind, ()))
        for subclass, superclasses in ((k, self.above(k)) for k in list(self.instances)):
            if kind in superclasses:
                found |= self.instances[subclass]
        return found


def check(triples: Iterable[tuple[object, object, object]], shapes: CompiledShapes) -> list[Finding]:
    """Every validation result of the data ``triples`` against ``shapes``.

    >>> from orggraph.rdf.readwrite import read_rdf
    >>> from orggraph.resources import shapes_file
    >>> from rdflib import URIRef
    >>> from rdflib.namespace import RDF
    >>> org = URIRef("https://example.org/unit")
    >>> found = check([(org, RDF.type, URIRef("http://www.w3.org/ns/org#Organization"))],
    ...               compile_shapes(read_rdf(shapes_file())))
    >>> sorted({str(f.path).rsplit("#", 1)[-1] for f in found})[:2]
    ['classification', 'prefLabel']
    """
    data = _Data(triples)
    findings: list[Finding] = []
    for kinds, shape in shapes.targeted:
        focus_nodes: set[object] = set()
        for kind in kinds:
            focus_nodes |= data.targets(kind)
        for focus in focus_nodes:
            findings += _validate(data, shape, focus)
    return findings


def _validate(data: _Data, shape: _Shape, focus: object) -> list[Finding]:
    values = [focus] if shape.path is None else data.values(focus, shape.path)
    details: list[Finding] = []
    findings = [
        Finding(focus, shape.path, shape.severity, value, shape.message or name)
        for name, value in _failures(data, shape, focus, values, details)
    ]
    findings += details
    for prop in shape.properties:
        findings += _validate(data, prop, focus)
    return findings


def _conforms(data: _Data, shape: _Shape, node: object) -> bool:
    return not _validate(data, shape, node)


def _failures(
    data: _Data, shape: _Shape, focus: Any, values: list[Any], details: list[Finding]
) -> list[tuple[str, Any]]:
    """(component, value or None) for each result the shape's own constraints give. A value that
    does not conform to an ``sh:node`` shape adds that shape's results to ``details``: pyshacl
    reports them too, as the ``sh:detail`` of the result, each a validation result of its own."""
    failed: list[tuple[str, object]] = []
    qualified = None
    for name, parameter in shape.constraints:
        if (name == "minCount" and len(values) < int(parameter)) or (
            name == "maxCount" and len(values) > int(parameter)
        ):
            failed.append((name, None))
        elif name == "class":
            failed += [(name, v) for v in values if isinstance(v, Literal) or not data.is_instance(v, parameter)]
        elif name == "datatype":
            failed += [(name, v) for v in values if not _has_datatype(v, parameter)]
        elif name == "nodeKind":
            kinds = _NODE_KINDS.get(parameter)
            if kinds is None:
                raise Unsupported(f"sh:nodeKind {parameter}")
            failed += [(name, v) for v in values if not isinstance(v, kinds)]
        elif name == "languageIn":
            failed += [(name, v) for v in values if not _language_in(v, parameter)]
        elif name == "uniqueLang" and bool(getattr(parameter, "value", False)):
            seen: set[str] = set()
            duplicated: set[str] = set()
            for v in values:
                if isinstance(v, Literal) and v.language:
                    (duplicated if v.language.lower() in seen else seen).add(v.language.lower())
            failed += [(name, None)] * len(duplicated)
        elif name == "pattern":
            failed += [(name, v) for v in values if isinstance(v, BNode) or not parameter.search(str(v))]
        elif name == "minInclusive":
            failed += [(name, v) for v in values if not _at_least(v, parameter)]
        elif name == "lessThanOrEquals":
            others = data.values(focus, parameter)
            failed += [(name, v) for v in values for other in others if not _at_most(v, other)]
        elif name == "hasValue" and parameter not in values:
            failed.append((name, None))
        elif name == "node":
            for v in values:
                nested = _validate(data, parameter, v)
                if nested:
                    failed.append((name, v))
                    details += nested
        elif name == "or":
            failed += [(name, v) for v in values if not any(_conforms(data, s, v) for s in parameter)]
        elif name == "qualifiedValueShape":
            qualified = sum(1 for v in values if _conforms(data, parameter, v))
        elif (name == "qualifiedMinCount" and qualified is not None and qualified < int(parameter)) or (
            name == "qualifiedMaxCount" and qualified is not None and qualified > int(parameter)
        ):
            failed.append((name, None))
    return failed


def _has_datatype(value: object, datatype: object) -> bool:
    """pyshacl's sh:datatype: the same IRI and a well-typed value of the kind it names."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
    elif datatype == RDFS.Literal or (datatype == RDFS.Datatype and value.datatype):
        return True
    elif not (value.datatype is None and value.language is None and datatype == XSD.string) and not (
        datatype == RDF.langString and value.language
    ):
        return False
    expected = _VALUE_TYPES.get(datatype) if isinstance(datatype, URIRef) else None
    return expected is None or isinstance(value.value, expected)


def _language_in(value: object, wanted: set[str]) -> bool:
    """pyshacl's sh:languageIn: the tag, or its first subtag, among the listed ones (any with "*")."""
    if not isinstance(value, Literal) or not value.language:
        return False
    tag = value.language.lower()
    return "*" in wanted or tag in wanted or tag.split("-")[0] in wanted


def _at_least(value: object, bound: object) -> bool:
    """pyshacl's sh:minInclusive: comparable literals only, strings with strings."""
    if not isinstance(value, Literal) or not isinstance(bound, Literal):
        return False
    if isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        if value.eq(bound):
            return True
        return bool(value.value >= bound.value) if type(value.value) in (date, datetime, time) else bool(value > bound)
    except (TypeError, NotImplementedError):
        return False


def _at_most(value: object, other: object) -> bool:
    """pyshacl's sh:lessThanOrEquals for one pair: IRIs and strings compare as text, not with numbers."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise Unsupported("sh:lessThanOrEquals on a blank node")

    def comparable(term: object) -> tuple[bool, Any]:
        if isinstance(term, URIRef):
            return True, str(term)
        if isinstance(term, Literal) and isinstance(term.value, str):
            return True, term.value
        return False, term

    value_is_text, left = comparable(value)
    other_is_text, right = comparable(other)
    if value_is_text != other_is_text:
        return False
    try:
        return bool(left <= right)
    except TypeError:
        return False
