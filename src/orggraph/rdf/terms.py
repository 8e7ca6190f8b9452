"""RDF terms as a person reads them."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from orggraph.namespaces import shorten

__all__ = ["python_value", "show_term"]


def show_term(term: object) -> str:
    """A term as a person reads it: prefixed names for IRIs, the lexical form for literals.

    >>> show_term(URIRef("http://www.w3.org/ns/org#Post")), show_term(Literal("公安部", lang="zh-Hans"))
    ('org:Post', '公安部')
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) if isinstance(term, Literal) else str(term)


def python_value(term: object) -> object:
    """A term as a plain Python value: IRIs and blank nodes as ``str``, literals as their value
    (``int``, ``Decimal``, ``datetime.date``, ``bool``, ``str``; a ``gYear`` as ``int``), None as None.

    >>> from rdflib.namespace import XSD
    >>> python_value(Literal("2019", datatype=XSD.gYear)), python_value(Literal("公安部", lang="zh-Hans"))
    (2019, '公安部')
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if not isinstance(value, Literal):
            return value
        if term.datatype == XSD.gYear and str(term).lstrip("-").isdigit():
            return int(str(term))
        return str(term)
    return str(term)
