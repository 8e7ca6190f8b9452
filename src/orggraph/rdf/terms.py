"""RDF terms as a person reads them."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from orggraph.namespaces import shorten

__all__ = ["show_term"]


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
