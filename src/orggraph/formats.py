"""The names of the formats, languages and modes orggraph reads and writes: plain tuples, importable
without rdflib, so that the command line offers exactly what the library accepts.

>>> "jsonl" in ROW_FORMATS and "trig" in DATASET_FORMATS and "gexf" in NETWORK_FORMATS
True
"""

from __future__ import annotations

__all__ = [
    "DATASET_FORMATS",
    "DUTY_MODES",
    "EXPORT_FORMATS",
    "EXTRACTION_FORMATS",
    "GRAPH_FORMATS",
    "LANGUAGES",
    "MEDIA_RESULT_FORMATS",
    "NETWORK_FORMATS",
    "RESULT_MEDIA_TYPES",
    "ROW_FORMATS",
    "W3C_RESULT_FORMATS",
]

ROW_FORMATS = ("table", "csv", "tsv", "json", "xml", "jsonl")  # SELECT and ASK results
W3C_RESULT_FORMATS = ("csv", "tsv", "json", "xml")  # written byte for byte as their writer gives them
# the W3C result formats' media types, in an endpoint's order of preference
RESULT_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
# media type → result format, with the plain types some clients send for JSON and XML
MEDIA_RESULT_FORMATS = {
    **{media: fmt for fmt, media in RESULT_MEDIA_TYPES.items()},
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_FORMATS = ("ttl", "nt", "jsonld")  # CONSTRUCT and DESCRIBE results: one graph
DATASET_FORMATS = ("trig", "nquads")  # named graphs kept
NETWORK_FORMATS = ("graphml", "gexf")  # the network projection, for Gephi and Cytoscape
EXPORT_FORMATS = GRAPH_FORMATS + DATASET_FORMATS + NETWORK_FORMATS
EXTRACTION_FORMATS = ("facts", "jsonl", "ttl", "trig")
LANGUAGES = ("zh-Hans", "zh-Hant", "en")  # label languages of the pages, shown first in this order
DUTY_MODES = ("nodes", "edges")  # duties drawn as nodes, or collapsed into labelled edges
