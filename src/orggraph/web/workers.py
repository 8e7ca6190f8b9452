"""Queries answered in worker processes that can be stopped.

Oxigraph cannot interrupt a query it is evaluating, and neither can rdflib from another thread:
a query past its deadline in a thread would keep its CPU and memory until it finished. So the
server hands each query to a worker process that holds the graph open; at the deadline the
worker is killed (the answer is then a timeout) and a new one takes its place. Read-only workers
open the store read-only, several at once; a server that accepts updates has one worker, which
opens the store writable, so that updates and queries see each other in order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from orggraph.errors import OrgGraphError, QueryTimeout, ReviewConflict
from orggraph.graph.results import query_output
from orggraph.review.desk import decide_on, queue_pasted, queued_text, review_document, review_overview
from orggraph.store.loading import load_graph
from orggraph.web.pages import (
    document_page,
    graph_view,
    known,
    matrix_view,
    meeting_page,
    organisation_page,
    query_table,
    search,
    timeline_view,
)

__all__ = ["Answer", "GraphSource", "Workers"]


@dataclass(frozen=True)
class GraphSource:
    """What each worker opens: a store spec (None: the bundled graph, or the ``files``), and
    whether updates may change it."""

    store: str | None = None
    files: tuple[str, ...] = ()
    writable: bool = False

    def open(self) -> Any:
        """The graph, as the command line opens it (files and the bundled graph from their prebuilt copy)."""
        return load_graph(
            list(self.files) or None, store=self.store, writable=self.writable, prebuilt=not self.writable
        )


@dataclass(frozen=True)
class Answer:
    """What a worker answered: ``kind`` is ``ok`` (``body`` is the output, None after an update),
    ``refused`` (a read-only or network rule; ``body`` the message), ``conflict`` (a review
    decision taken already, or out of order), ``bad`` (a bad query, or a format its answer
    cannot take) or ``broken`` (a fault of orggraph's own)."""

    kind: str
    body: Any = None


def _work(connection: Connection, source: GraphSource) -> None:
    """A worker's loop: open the graph once, then answer one job at a time until told to stop."""
    # Ctrl-C in a terminal reaches every process of the group: the server stops its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        graph = source.open()
    except OrgGraphError as error:
        connection.send(Answer("failed", str(error)))
        return
    connection.send(Answer("ready"))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        kind, arguments = job
        try:
            answer = _JOBS[kind](graph, *arguments)
        except Exception as error:  # a bug must cost one answer, not the worker
            answer = Answer("broken", f"{type(error).__name__}: {error}")
        connection.send(answer)


def _query(graph: Any, text: str, fmt: str, options: dict[str, Any]) -> Answer:
    try:
        return Answer("ok", query_output(graph, text, fmt, origin="query", **options))
    except OrgGraphError as error:
        return _failed(error)


def _failed(error: OrgGraphError) -> Answer:
    """A library error as the server says it: its own rules (read-only, no network) refused, the rest bad."""
    if isinstance(error, ReviewConflict):
        return Answer("conflict", str(error))
    if "allow_update" in error.parameters:
        return Answer("refused", "query: SPARQL Update is refused: this endpoint was started read-only")
    if "allow_network" in error.parameters:  # what it would reach, without the library's fix
        return Answer("refused", str(error).split("; pass")[0] + "; this endpoint never reaches the network")
    return Answer("bad", str(error))


def _page(reader: Callable[..., Any]) -> Callable[..., Answer]:
    def read(graph: Any, *arguments: Any) -> Answer:
        try:
            return Answer("ok", reader(graph, *arguments))
        except OrgGraphError as error:
            return _failed(error)

    return read


_JOBS: dict[str, Callable[..., Answer]] = {
    "query": _query,
    "search": _page(search),
    "known": _page(known),
    "organisation": _page(organisation_page),
    "meeting": _page(meeting_page),
    "document": _page(document_page),
    "table": _page(query_table),
    "graph": _page(graph_view),
    "timeline": _page(timeline_view),
    "matrix": _page(matrix_view),
    "review": _page(review_overview),
    "review-document": _page(review_document),
    "decide": _page(decide_on),
    "queue": _page(queue_pasted),
    "queued-text": _page(lambda graph, folder, key: queued_text(folder, key)),
}


@dataclass
class _Worker:
    process: Any
    connection: Connection


@dataclass
class Workers:
    """A pool of worker processes over one :class:`GraphSource` (see the module documentation).

    :meth:`start` before use, :meth:`stop` after; :meth:`ask` is safe from any thread and waits
    for a free worker.
    """

    source: GraphSource
    size: int = 2
    _idle: list[_Worker] = field(default_factory=list)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _all: list[_Worker] = field(default_factory=list)

    def start(self) -> None:
        """Start the workers; a graph that cannot be opened raises its error here."""
        for _ in range(1 if self.source.writable else max(1, self.size)):
            self._release(self._spawn())

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")  # no locks or open stores inherited
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs, self.source), daemon=True)
        process.start()
        theirs.close()
        first = ours.recv()
        if first.kind != "ready":
            process.join()
            raise OrgGraphError(first.body or "the graph could not be opened")
        worker = _Worker(process, ours)
        with self._lock:
            self._all.append(worker)
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
            self._lock.notify()

    @contextlib.contextmanager
    def _worker(self) -> Iterator[_Worker]:
        with self._lock:
            while not self._idle:
                self._lock.wait()
            worker = self._idle.pop()
        yield worker

    def ask(self, text: str, fmt: str, options: dict[str, Any], timeout: float | None) -> Answer:
        """The answer of a query (or update) in ``fmt``; ``options`` go to
        :func:`~orggraph.graph.results.query_output`. Past ``timeout`` seconds the worker is
        stopped and replaced, and :class:`~orggraph.errors.QueryTimeout` is raised."""
        return self.run("query", (text, fmt, options), timeout)

    def run(self, kind: str, arguments: tuple[Any, ...], timeout: float | None) -> Answer:
        """One job in a worker, stopped at the deadline as :meth:`ask` is: ``query`` (see
        :meth:`ask`) or what a page shows (``search``, ``organisation``, ``meeting``, ``document``,
        ``table``, ``graph``, ``timeline``, ``matrix``, ``known``: see :mod:`orggraph.web.pages`)."""
        with self._worker() as worker:
            worker.connection.send((kind, arguments))
            if worker.connection.poll(timeout):
                answer: Answer = worker.connection.recv()
                self._release(worker)
                return answer
            self._replace(worker)
            raise QueryTimeout(
                f"query: stopped after {timeout:g} s; make the query more selective (LIMIT, tighter patterns)"
            )

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        with self._lock:
            self._all.remove(worker)
        self._release(self._spawn())

    def stop(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers: Sequence[_Worker] = list(self._all)
            self._all.clear()
            self._idle.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
