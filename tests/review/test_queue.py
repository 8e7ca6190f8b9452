"""The review queue beside a store: what `extract --review` writes and the desk reads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import QUEUED

from orggraph.errors import UsageError
from orggraph.review.queue import queue_folder, queued_documents


def test_the_queue_sits_beside_an_oxigraph_store_only():
    assert queue_folder("oxigraph:/srv/db") == Path("/srv/db.review")
    with pytest.raises(UsageError, match="beside an Oxigraph store"):
        queue_folder("memory")
    with pytest.raises(UsageError, match="beside an Oxigraph store"):
        queue_folder("http://127.0.0.1:8890/sparql")


def test_a_queued_document_keeps_its_bytes_and_its_candidates(desk, corpus_dir):
    (queued,) = queued_documents(desk.folder)
    published = (corpus_dir / QUEUED).read_bytes()
    assert queued.name == QUEUED and (queued.folder / QUEUED).read_bytes() == published
    assert queued.key == hashlib.sha256(published).hexdigest()[:16]
    assert queued.text().startswith(published.decode("utf-8")[:20])
    assert len(desk.items) > 20


def test_queueing_again_replaces_the_candidates_and_adds_no_document(desk, corpus_dir):
    before = (desk.queued.folder / "candidates.trig").read_text(encoding="utf-8")
    desk.queue_again(corpus_dir / QUEUED)
    assert [q.key for q in queued_documents(desk.folder)] == [desk.queued.key]
    assert (desk.queued.folder / "candidates.trig").read_text(encoding="utf-8") == before
    assert not [path for path in desk.queued.folder.iterdir() if path.name.endswith(".tmp")]
