"""IRIs as plain text: the one prefix table used for parsing, querying and display, prefixed
names, and the names of orggraph's own graphs. Nothing here needs rdflib, so the command line's
quick path to an Oxigraph store (:mod:`orggraph.store.oxigraph_direct`) can use it."""

from __future__ import annotations

__all__ = ["GRAPH_BASE", "META_GRAPH", "PREFIXES", "XSD_GYEAR", "XSD_INTEGER", "expand", "shorten"]

PREFIXES: dict[str, str] = {
    "og": "https://w3id.org/orggraph/ns#",
    "ogt": "https://w3id.org/orggraph/ns/org-type/",
    "ogc": "https://w3id.org/orggraph/ns/duty-category/",
    "ogr": "https://w3id.org/orggraph/id/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

GRAPH_BASE = "https://w3id.org/orggraph/graph/"
META_GRAPH = GRAPH_BASE + "meta"  # orggraph's load records in a store
XSD_GYEAR = PREFIXES["xsd"] + "gYear"
XSD_INTEGER = PREFIXES["xsd"] + "integer"

# Longest namespace first, so that ogt: wins over a shorter namespace it starts with.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


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
