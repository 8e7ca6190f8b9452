"""The review queue: what ``orggraph extract --review`` proposes, kept apart from the graph.

Every named query reads the union of a store's graphs, so candidates waiting for review cannot
sit in the store itself without being taken for facts. They wait in a folder beside it instead
(``STORE.review`` for the Oxigraph store in folder ``STORE``), one sub-folder per document,
named by the first 16 hex digits of its SHA-256::

    STORE.review/<digest>/candidates.trig   the candidate graph (see orggraph.extract.candidates)
    STORE.review/<digest>/<file name>       the document's bytes as published

Each file is written whole or not at all, so a crash leaves the queue as it was. Extracting a
document again replaces its candidates; decisions already taken stay in the store and keep
applying to them (a rejected candidate does not come back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, URIRef

from orggraph.errors import InputError, UsageError
from orggraph.extract.candidates import CANDIDATE_BASE, candidate_graphs
from orggraph.extract.findings import Extraction
from orggraph.files import write_bytes_atomic, write_text_atomic
from orggraph.graph.resolution import OrganisationNames
from orggraph.namespaces import PREFIXES
from orggraph.rdf.turtle import write_trig
from orggraph.store.backends import store_spec
from orggraph.text.documents import decode

__all__ = ["QueuedDocument", "enqueue", "queue_folder", "queued_documents", "read_queued"]

_CANDIDATES = "candidates.trig"


def queue_folder(store: str | None) -> Path:
    """The review queue of an Oxigraph store: the folder beside it named ``STORE.review``.

    >>> queue_folder("oxigraph:/srv/graph/db").as_posix()
    '/srv/graph/db.review'
    """
    spec = store_spec(store)
    if not spec.startswith("oxigraph:") or not spec[len("oxigraph:") :]:
        raise UsageError(
            f"the review queue sits beside an Oxigraph store, and the store is {spec}; give {{store}} oxigraph:PATH",
            parameters="store",
        )
    folder = Path(spec[len("oxigraph:") :])
    return folder.with_name(folder.name + ".review")


@dataclass(frozen=True)
class QueuedDocument:
    """One document waiting in the queue: its key (digest), file name, the graph IRI of its
    candidates, and the folder its files are in."""

    key: str
    name: str
    graph: URIRef
    folder: Path

    def text(self) -> str:
        """The document's raw text, decoded as extraction decoded it: evidence offsets count its characters."""
        path = self.folder / self.name
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read the queued document: {error.strerror}") from None
        return decode(data, None, str(path))[0]


def enqueue(
    folder: Path,
    results: Sequence[Extraction],
    published: Sequence[bytes],
    *,
    names: OrganisationNames | None = None,
) -> list[QueuedDocument]:
    """Put the candidates of each extraction result in the queue ``folder`` (created if need
    be), with the document's bytes as ``published`` (one per result, in the same order), and
    return what was queued. A document queued before has its candidates replaced.

    >>> import tempfile
    >>> from orggraph.text.documents import document_from_text
    >>> from orggraph.extract.rules import extract
    >>> text = "2020年5月6日,交通部科技司在南京召开联席会议。"
    >>> queued = enqueue(Path(tempfile.mkdtemp()) / "q", [extract(document_from_text(text, "a.txt"))], [text.encode()])
    >>> [(q.name, len(q.key)) for q in queued]
    [('a.txt', 16)]
    """
    if len(results) != len(published):
        raise ValueError("one published text per extraction result")
    queued = []
    for result, data in zip(results, published, strict=True):
        name = Path(result.document.name).name
        if name in ("", ".", "..", _CANDIDATES):
            raise InputError(f"{result.document.name}: not a file name the queue can keep; rename the document")
        graphs = candidate_graphs([result], names=names)
        key = result.document.sha256[:16]
        place = folder / key
        place.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(place / name, data)
        write_text_atomic(place / _CANDIDATES, write_trig(graphs.items(), PREFIXES))
        queued.append(QueuedDocument(key, name, URIRef(CANDIDATE_BASE + key), place))
    return queued


def queued_documents(folder: Path) -> list[QueuedDocument]:
    """The documents in the queue ``folder``, by file name; none when there is no queue yet."""
    if not folder.is_dir():
        return []
    found = []
    for place in sorted(folder.iterdir()):
        if not (place / _CANDIDATES).is_file():
            continue
        texts = [path.name for path in place.iterdir() if path.name != _CANDIDATES and not path.name.startswith(".")]
        if len(texts) == 1:
            found.append(QueuedDocument(place.name, texts[0], URIRef(CANDIDATE_BASE + place.name), place))
    return sorted(found, key=lambda queued: (queued.name, queued.key))


def read_queued(queued: QueuedDocument) -> Dataset:
    """The candidate graph of a queued document."""
    path = queued.folder / _CANDIDATES
    dataset = Dataset()
    try:
        dataset.parse(path, format="trig")
    except (OSError, SyntaxError, ValueError) as error:
        raise InputError(f"{path}: cannot read the queued candidates ({error}); extract the document again") from None
    return dataset
