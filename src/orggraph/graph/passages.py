"""Quoting evidence: the passage of a source document that a pair of offsets selects.

The graph stores no article text, only the document's identifier, SHA-256 and
``[start, end)`` offsets into the raw document. Given a folder that holds the document, the
passage is read back (reading annotations removed) and checked against the recorded hash.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result

from orggraph import settings
from orggraph.errors import InputError
from orggraph.namespaces import DCTERMS, OG
from orggraph.text.documents import decode
from orggraph.text.normalization import strip_reading_annotations

__all__ = ["add_passages", "corpus_folders", "read_document", "read_passage"]


def corpus_folders(extra: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Folders searched for source documents: ``extra``, then ``$ORGGRAPH_CORPUS`` (path list)."""
    return [Path(p) for p in extra] + settings.corpus_folders()


class _Documents:
    """Reads each source document once and checks it against the graph's SHA-256."""

    def __init__(self, graph: Graph, folders: Sequence[Path]) -> None:
        self.graph = graph
        self.folders = list(folders)
        self.texts: dict[str, str] = {}

    def text(self, identifier: str) -> str:
        if identifier not in self.texts:
            self.texts[identifier] = self._read(identifier)
        return self.texts[identifier]

    def _read(self, identifier: str) -> str:
        name = Path(identifier).name  # an identifier is a file name, never a path to follow
        recorded = self.graph.value(self._document(identifier), OG.sha256)
        if recorded is None:
            raise InputError(
                f"the graph records no SHA-256 for {name}, so no file can be shown to be the one its "
                "offsets refer to; quote passages from a graph that records its documents' SHA-256"
            )
        for folder in self.folders:
            path = folder / name
            if path.is_symlink() or (path.exists() and path.resolve().parent != folder.resolve()):
                raise InputError(f"{path}: a link, not a document of {folder}; copy the document itself there")
            if path.is_file():
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != str(recorded):
                    raise InputError(
                        f"{path}: not the version the evidence offsets refer to (SHA-256 differs); "
                        "use the document as published"
                    )
                return decode(data, None, str(path))[0]
        searched = ", ".join(str(f) for f in self.folders) or "no folder"
        raise InputError(
            f"source document {name} not found (searched {searched}); "
            "pass {folders} or set ORGGRAPH_CORPUS to the folder that holds it",
            parameters="folders",
        )

    def _document(self, identifier: str) -> URIRef | None:
        for document in self.graph.subjects(DCTERMS.identifier, Literal(identifier)):
            if isinstance(document, URIRef):
                return document
        return None


def read_document(graph: Graph, identifier: str, folders: Sequence[Path]) -> str:
    """The raw text of the source document ``identifier`` (a file name, never a path) from the
    first of ``folders`` that holds it, checked against the SHA-256 the graph records for it: the
    text evidence offsets count characters of. An :class:`~orggraph.errors.InputError` says why
    there is none (not recorded, not found, another version, a link).
    """
    return _Documents(graph, folders).text(identifier)


def read_passage(graph: Graph, identifier: str, start: int, end: int, folders: Sequence[Path]) -> str:
    """The text of ``[start, end)`` in the raw document ``identifier``, reading annotations removed.

    >>> import hashlib, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> data = "在北京召開(kāi)會議".encode("gb18030")  # quoted as read, whatever the encoding
    >>> _ = (folder / "note.txt").write_bytes(data)
    >>> graph = Graph()
    >>> _ = graph.add((URIRef("urn:doc"), DCTERMS.identifier, Literal("note.txt")))
    >>> _ = graph.add((URIRef("urn:doc"), OG.sha256, Literal(hashlib.sha256(data).hexdigest())))
    >>> read_passage(graph, "note.txt", 3, 10, [folder])
    '召開'
    """

    text = _Documents(graph, folders).text(identifier)
    return strip_reading_annotations(text[start:end]).text


def add_passages(result: Result, graph: Graph, folders: Sequence[Path]) -> Result:
    """A copy of a SELECT result with a ``passage`` column, for rows with ``document``, ``start``, ``end``."""
    variables = list(result.vars or [])
    names = {str(v) for v in variables}
    if result.type != "SELECT" or not {"document", "start", "end"} <= names:
        return result
    documents = _Documents(graph, folders)

    rows: list[dict[Variable, Any]] = []
    for row in result.bindings:
        row = dict(row)
        identifier, start, end = row.get(Variable("document")), row.get(Variable("start")), row.get(Variable("end"))
        if identifier is not None and start is not None and end is not None:
            if not (str(start).isdigit() and str(end).isdigit()):
                raise InputError(
                    f"evidence in {identifier} has offsets {str(start)!r}–{str(end)!r}, not whole numbers of "
                    "characters; fix oa:start and oa:end in the graph"
                )
            raw = documents.text(str(identifier))[int(start) : int(end)]
            row[Variable("passage")] = Literal(strip_reading_annotations(raw).text)
        rows.append(row)
    copy = Result("SELECT")
    copy.vars = [*variables, Variable("passage")]
    copy.bindings = rows  # type: ignore[assignment]  # a list of rows is what rdflib stores
    return copy
