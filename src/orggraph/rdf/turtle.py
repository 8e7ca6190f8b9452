"""Turtle and TriG for graphs held as lists of triples: what ``orggraph extract --format ttl|trig``
writes for hundreds of documents at once.

rdflib's serialisers first need the triples in a store, and adding ~100,000 candidate triples to
an rdflib Dataset costs more than extracting them; this writer takes the triples as they are.
The layout is rdflib's: prefixed names, ``a`` for rdf:type, one block per subject with ``;`` and
``,``, and a blank node used once written in place as ``[ … ]``. Subjects, predicates and
objects are sorted, so the same findings always give the same text. Every term is escaped as
Turtle requires; a test parses the output back with rdflib and compares graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

__all__ = ["write_trig", "write_turtle"]

Triple = tuple[Any, Any, Any]

_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_IRI_ESCAPES = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = re.compile(r'[\x00-\x1f\x7f"\\]')
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def write_turtle(triples: Iterable[Triple], prefixes: Mapping[str, str]) -> str:
    """The triples as Turtle.

    >>> print(write_turtle([(URIRef("https://e.org/a"), RDF.type, URIRef("https://e.org/T"))], {"e": "https://e.org/"}))
    @prefix e: <https://e.org/> .
    <BLANKLINE>
    e:a a e:T .
    <BLANKLINE>
    """
    writer = _Writer(prefixes)
    body = writer.block(list(triples), "")
    return writer.header() + "\n" + body


def write_trig(graphs: Iterable[tuple[URIRef, Iterable[Triple]]], prefixes: Mapping[str, str]) -> str:
    """The graphs (name, triples) as TriG, one ``GRAPH`` block each.

    >>> text = write_trig([(URIRef("urn:g"), [(URIRef("urn:a"), URIRef("urn:b"), Literal('say "hi"', lang="en"))])], {})
    >>> print(text.strip())
    <urn:g> {
        <urn:a> <urn:b> "say \\"hi\\""@en .
    }
    """
    writer = _Writer(prefixes)
    blocks = [f"{writer.term(name)} {{\n{writer.block(list(triples), '    ')}}}\n" for name, triples in graphs]
    return writer.header() + "\n" + "\n".join(blocks)


class _Writer:
    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self._namespaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._used: set[str] = set()
        self._texts: dict[Any, str] = {}
        self._blank_labels: dict[BNode, str] = {}

    def header(self) -> str:
        return "".join(
            f"@prefix {prefix}: <{namespace}> .\n"
            for prefix, namespace in sorted(self._namespaces)
            if prefix in self._used
        )

    def block(self, triples: list[Triple], indent: str) -> str:
        """One graph's triples, grouped by subject, blank nodes used once written in place."""
        by_subject: dict[Any, dict[Any, set[Any]]] = {}
        for subject, predicate, obj in triples:
            by_subject.setdefault(subject, {}).setdefault(predicate, set()).add(obj)
        mentions: dict[BNode, int] = {}
        for properties in by_subject.values():
            for objects in properties.values():
                for obj in objects:
                    if isinstance(obj, BNode):
                        mentions[obj] = mentions.get(obj, 0) + 1
        inline = {node for node, count in mentions.items() if count == 1 and node in by_subject}
        written: set[Any] = set()
        lines = []
        for subject in sorted(by_subject, key=self.term):
            if subject not in inline:
                lines.append(self._statement(by_subject, subject, inline, indent, written))
        # blank nodes used once but only from each other (a cycle): written under their label
        for subject in sorted(inline - written, key=self.term):
            if subject not in written:
                lines.append(self._statement(by_subject, subject, inline, indent, written))
        return "\n".join(lines)

    def _statement(
        self, by_subject: dict[Any, dict[Any, set[Any]]], subject: Any, inline: set[Any], indent: str, written: set[Any]
    ) -> str:
        written.add(subject)
        properties = self._properties(by_subject, subject, inline, indent + "    ", written)
        return f"{indent}{self.term(subject)} {properties} .\n"

    def _properties(
        self, by_subject: dict[Any, dict[Any, set[Any]]], subject: Any, inline: set[Any], indent: str, written: set[Any]
    ) -> str:
        parts = []
        properties = by_subject[subject]
        for predicate in sorted(properties, key=lambda p: (p != RDF.type, "" if p == RDF.type else self.term(p))):
            objects = []
            for obj in sorted(properties[predicate], key=self.term):
                if obj in inline and obj not in written:
                    written.add(obj)
                    objects.append(f"[ {self._properties(by_subject, obj, inline, indent + '    ', written)} ]")
                else:
                    objects.append(self.term(obj))
            verb = "a" if predicate == RDF.type else self.term(predicate)
            parts.append(f"{verb} " + f",\n{indent}    ".join(objects))
        return f" ;\n{indent}".join(parts)

    def term(self, term: Any) -> str:
        text = self._texts.get(term)
        if text is None:
            text = self._texts[term] = self._render(term)
        return text

    def _render(self, term: Any) -> str:
        if isinstance(term, URIRef):
            return self._iri(str(term))
        if isinstance(term, BNode):
            if term not in self._blank_labels:
                self._blank_labels[term] = f"_:b{len(self._blank_labels) + 1}"
            return self._blank_labels[term]
        if isinstance(term, Literal):
            quoted = '"' + _STRING_ESCAPES.sub(_escape_character, str(term)) + '"'
            if term.language:
                return f"{quoted}@{term.language}"
            if term.datatype is not None and term.datatype != XSD.string:
                return f"{quoted}^^{self._iri(str(term.datatype))}"
            return quoted
        raise TypeError(f"not an RDF term: {term!r}")

    def _iri(self, iri: str) -> str:
        for prefix, namespace in self._namespaces:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :]):
                self._used.add(prefix)
                return f"{prefix}:{iri[len(namespace) :]}"
        return "<" + _IRI_ESCAPES.sub(lambda match: f"\\u{ord(match.group()):04X}", iri) + ">"


def _escape_character(match: re.Match[str]) -> str:
    character = match.group()
    return _SHORT_ESCAPES.get(character) or f"\\u{ord(character):04X}"
