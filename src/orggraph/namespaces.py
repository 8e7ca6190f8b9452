"""Vocabularies and the one prefix table used for parsing, querying and display."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "DCTERMS",
    "FOAF",
    "OA",
    "OG",
    "OGC",
    "OGR",
    "OGT",
    "ORG",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "XSD",
    "bind_prefixes",
    "expand",
    "shorten",
]

OG = Namespace("https://w3id.org/orggraph/ns#")
OGT = Namespace("https://w3id.org/orggraph/ns/org-type/")
OGC = Namespace("https://w3id.org/orggraph/ns/duty-category/")
OGR = Namespace("https://w3id.org/orggraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "og": str(OG),
    "ogt": str(OGT),
    "ogc": str(OGC),
    "ogr": str(OGR),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "xsd": str(XSD),
}

# Longest namespace first, so that ogt: wins over a shorter namespace it starts with.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def bind_prefixes(graph) -> None:
    """Bind the prefix table on ``graph`` so serialisations use it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def shorten(iri: str) -> str:
    """An IRI as a prefixed name when a known namespace covers it.

    >>> shorten("http://www.w3.org/ns/org#Post")
    'org:Post'
    >>> shorten("https://example.org/x")
    '<https://example.org/x>'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(ch.isalnum() or ch in "-_." for ch in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(curie: str) -> str | None:
    """A prefixed name as a full IRI, or None when the prefix is unknown.

    >>> expand("ogr:cspia")
    'https://w3id.org/orggraph/id/cspia'
    >>> expand("nope:x") is None
    True
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    return PREFIXES[prefix] + local
