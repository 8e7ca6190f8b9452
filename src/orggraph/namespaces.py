"""The vocabularies as rdflib namespaces, over the prefix table of :mod:`orggraph.iris`."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from orggraph.iris import PREFIXES, expand, shorten

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

OG = Namespace(PREFIXES["og"])
OGT = Namespace(PREFIXES["ogt"])
OGC = Namespace(PREFIXES["ogc"])
OGR = Namespace(PREFIXES["ogr"])
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
SCHEMA = Namespace(PREFIXES["schema"])


def bind_prefixes(graph) -> None:
    """Bind the prefix table on ``graph`` so serialisations use it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
