"""A store holding one curated document's graph, and a real corpus document queued for review
against it: the organisations, people, meeting and duty it proposes are all new to the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from orggraph.resources import data_files
from orggraph.review.desk import queue_for_review
from orggraph.review.items import Item, review_items
from orggraph.review.queue import QueuedDocument, queue_folder, queued_documents, read_queued
from orggraph.store.loading import close_graph, load_files, load_graph
from orggraph.text.documents import read_document

QUEUED = "gd-video-stdcomm-2016-06-03.txt"


@dataclass
class Desk:
    spec: str
    graph: Any
    folder: Path
    queued: QueuedDocument
    items: dict[str, Item]  # by name

    def item(self, name: str) -> Item:
        return self.items[name]

    def queue_again(self, path: Path) -> None:
        queue_for_review(self.graph, self.folder, [read_document(path)], [path.read_bytes()])


@pytest.fixture
def desk(tmp_path: Path, corpus_dir: Path) -> Iterator[Desk]:
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, [path for path in data_files() if path.name.startswith("seed-")], optimize=False)
    graph = load_graph(store=spec, writable=True)
    folder = queue_folder(spec)
    path = corpus_dir / QUEUED
    queue_for_review(graph, folder, [read_document(path)], [path.read_bytes()])
    queued = queued_documents(folder)[0]
    items = {item.name: item for item in review_items(read_queued(queued).graph(queued.graph))}
    try:
        yield Desk(spec, graph, folder, queued, items)
    finally:
        close_graph(graph)
