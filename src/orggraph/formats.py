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
    "NETWORK_FORMATS",
    "ROW_FORMATS",
    "W3C_RESULT_FORMATS",
]

ROW_FORMATS = ("table", "csv", "tsv", "json", "xml", "jsonl")  # SELECT and ASK results
W3C_RESULT_FORMATS = ("csv", "tsv", "json", "xml")  # written byte for byte as their writer gives them
GRAPH_FORMATS = ("ttl", "nt", "jsonld")  # CONSTRUCT and DESCRIBE results: one graph
DATASET_FORMATS = ("trig", "nquads")  # named graphs kept
NETWORK_FORMATS = ("graphml", "gexf")  # the network projection, for Gephi and Cytoscape
EXPORT_FORMATS = GRAPH_FORMATS + DATASET_FORMATS + NETWORK_FORMATS
EXTRACTION_FORMATS = ("facts", "jsonl", "ttl", "trig")
LANGUAGES = ("zh-Hans", "zh-Hant", "en")  # label languages of the pages, shown first in this order
DUTY_MODES = ("nodes", "edges")  # duties drawn as nodes, or collapsed into labelled edges
