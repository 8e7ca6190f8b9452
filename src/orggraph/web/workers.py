"""Queries answered in worker processes that can be stopped.

Oxigraph cannot interrupt a query it is evaluating, and neither can rdflib from another thread:
a query past its deadline in a thread would keep its CPU and memory until it finished. So the
server hands each query to a worker process that holds the graph open; at the deadline the
worker is killed (the answer is then a timeout) and a new one takes its place. Read-only workers
open the store read-only, several at once; a server that accepts updates has one worker, which
opens the store writable, so that updates and queries see each other in order.

The event loop writes each job to its worker's socket and reads the answer back itself, with no
thread in between: on a virtual machine every hand-over between threads or processes is a
wake-up of a few hundred microseconds, which a small query would feel.
"""

from __future__ import annotations

import asyncio
import collections
import io
import multiprocessing
import pickle
import signal
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orggraph.errors import OrgGraphError, QueryTimeout, ReviewConflict
from orggraph.graph.named_queries import named_query_output
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
    """What a worker answered: ``kind`` is ``ok`` (``body`` is the output: a query's as UTF-8
    bytes, None after an update), ``refused`` (a read-only or network rule; ``body`` the
    message), ``conflict`` (a review decision taken already, or out of order), ``bad`` (a bad
    query, or a format its answer cannot take) or ``broken`` (a fault of orggraph's own)."""

    kind: str
    body: Any = None


def _work(channel: socket.socket, source: GraphSource) -> None:
    """A worker's loop: open the graph once, then answer one job at a time until its socket closes."""
    # Ctrl-C in a terminal reaches every process of the group: the server stops its workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stream = channel.makefile("rwb")
    try:
        graph = source.open()
    except OrgGraphError as error:
        _send(stream, Answer("failed", str(error)))
        return
    _send(stream, Answer("ready"))
    while True:
        try:
            kind, arguments = _read_frame(stream)
        except (EOFError, OSError):
            return
        try:
            answer = _JOBS[kind](graph, *arguments)
        except Exception as error:  # a bug must cost one answer, not the worker
            answer = Answer("broken", f"{type(error).__name__}: {error}")
        try:
            _send(stream, answer)
        except OSError:
            return


def _query(graph: Any, text: str, fmt: str, options: dict[str, Any]) -> Answer:
    try:
        output = query_output(graph, text, fmt, origin="query", **options)
    except OrgGraphError as error:
        return _failed(error)
    # as bytes, the answer crosses to the server as one copy, not encoded, decoded and encoded again
    return Answer("ok", output.encode("utf-8") if isinstance(output, str) else output)


def _named(graph: Any, name: str, parameters: dict[str, str], fmt: str, limit: int | None) -> Answer:
    """A named query's answer as ``orggraph run`` gives it on this graph: its hand-made plan where
    it has one, the graph's own dataset."""
    try:
        output = named_query_output(graph, name, parameters, fmt, limit=limit)
    except OrgGraphError as error:  # a name or value that does not fit, in the terms of the web app
        return Answer("bad", error.render({"list_organisations": "/run/organisations"}))
    return Answer("ok", output.encode("utf-8"))


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
    "named": _named,
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


class _Worker:
    """One worker process and the server's end of its socket (non-blocking, for the event loop)."""

    def __init__(self, process: Any, channel: socket.socket) -> None:
        self.process = process
        self.channel = channel

    async def exchange(self, job: tuple[str, tuple[Any, ...]]) -> Answer:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(self.channel, _frame(job))
        head = await _receive(loop, self.channel, _HEAD.size)
        (size,) = _HEAD.unpack(head)
        answer: Answer = pickle.loads(await _receive(loop, self.channel, size))
        return answer

    def end(self) -> None:
        """Stop the process: gently (its socket closes, it returns) if it is idle, else killed."""
        self.channel.close()
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


@dataclass
class Workers:
    """A pool of worker processes over one :class:`GraphSource` (see the module documentation).

    :meth:`start` before serving and :meth:`stop` after, outside the event loop; :meth:`run` is
    awaited on the loop and waits for a free worker.
    """

    source: GraphSource
    size: int = 2
    _idle: collections.deque[_Worker | None] = field(default_factory=collections.deque)
    # requests waiting for a worker, first come first served: a freed worker goes to the first
    # of them, never to one that arrived after (asyncio.Queue lets a newcomer take it, and the
    # request it woke goes to the back of the line: a long tail under load)
    _waiting: collections.deque[asyncio.Future[_Worker | None]] = field(default_factory=collections.deque)
    _all: list[_Worker] = field(default_factory=list)
    _replacing: set[asyncio.Future[None]] = field(default_factory=set)
    _failure: str | None = None

    def start(self) -> None:
        """Start the workers; a graph that cannot be opened raises its error here."""
        for _ in range(1 if self.source.writable else max(1, self.size)):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        context = multiprocessing.get_context("spawn")  # no locks or open stores inherited
        ours, theirs = socket.socketpair()
        process = context.Process(target=_work, args=(theirs, self.source), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        try:
            first = _read_frame(ours.makefile("rb"))
        except (EOFError, OSError):
            first = Answer("failed", "the worker stopped before it opened the graph")
        if first.kind != "ready":
            worker.end()
            raise OrgGraphError(first.body or "the graph could not be opened")
        ours.setblocking(False)
        self._all.append(worker)
        return worker

    async def ask(self, text: str, fmt: str, options: dict[str, Any], timeout: float | None) -> Answer:
        """The answer of a query (or update) in ``fmt``; ``options`` go to
        :func:`~orggraph.graph.results.query_output`. Past ``timeout`` seconds the worker is
        stopped and replaced, and :class:`~orggraph.errors.QueryTimeout` is raised."""
        return await self.run("query", (text, fmt, options), timeout)

    async def run(self, kind: str, arguments: tuple[Any, ...], timeout: float | None) -> Answer:
        """One job in a worker, stopped at the deadline as :meth:`ask` is: ``query`` (see
        :meth:`ask`), ``named`` (a named query as ``orggraph run`` answers it) or what a page
        shows (``search``, ``organisation``, ``meeting``, ``document``, ``table``, ``graph``,
        ``timeline``, ``matrix``, ``known``: see :mod:`orggraph.web.pages`)."""
        worker = await self._take()
        if worker is None:  # a replacement failed: every waiting request learns it
            self._give(None)
            raise OrgGraphError(f"the server cannot answer: {self._failure}")
        try:
            answer = await asyncio.wait_for(worker.exchange((kind, arguments)), timeout)
        except asyncio.TimeoutError:
            self._replace(worker)
            raise QueryTimeout(
                f"query: stopped after {timeout:g} s; make the query more selective (LIMIT, tighter patterns)"
            ) from None
        except (EOFError, OSError) as error:  # the process died under the job (killed, out of memory)
            self._replace(worker)
            said = str(error) or type(error).__name__
            return Answer("broken", f"the query's worker process stopped ({said}); another has taken its place")
        except BaseException:
            # cancelled or broken half-way: an answer may still come, and would be taken for the next job's
            self._replace(worker)
            raise
        self._give(worker)
        return answer

    async def _take(self) -> _Worker | None:
        """A free worker, once every request that asked before has had one."""
        if self._idle and not self._waiting:
            return self._idle.popleft()
        turn: asyncio.Future[_Worker | None] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            return await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._give(turn.result())  # handed over as the request went: the next one takes it
            else:
                self._waiting.remove(turn)
            raise

    def _give(self, worker: _Worker | None) -> None:
        """Hand ``worker`` to the request that has waited longest, else keep it for the next."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(worker)
                return
        self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in its place, off the event loop (starting takes a second)."""
        worker.process.kill()
        worker.channel.close()
        self._all.remove(worker)
        replacing = asyncio.ensure_future(self._respawn(worker))
        self._replacing.add(replacing)
        replacing.add_done_callback(self._replacing.discard)

    async def _respawn(self, dead: _Worker) -> None:
        fresh: _Worker | None = None
        try:
            fresh = await asyncio.to_thread(self._restart, dead)
        except Exception as error:  # no worker in its place: the requests waiting for one must hear why
            self._failure = str(error) or type(error).__name__
        self._give(fresh)

    def _restart(self, dead: _Worker) -> _Worker:
        dead.process.join()
        return self._spawn()

    def stop(self) -> None:
        """Stop every worker."""
        workers, self._all = self._all, []
        for worker in workers:
            worker.end()


_HEAD = struct.Struct("!Q")


def _frame(message: Any) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEAD.pack(len(body)) + body


def _send(stream: io.BufferedIOBase, message: Any) -> None:
    stream.write(_frame(message))
    stream.flush()


def _read_frame(stream: io.BufferedIOBase) -> Any:
    head = stream.read(_HEAD.size)
    if len(head) < _HEAD.size:
        raise EOFError
    (size,) = _HEAD.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        raise EOFError
    return pickle.loads(body)


async def _receive(loop: asyncio.AbstractEventLoop, channel: socket.socket, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = 0
    while received < size:
        count = await loop.sock_recv_into(channel, view[received:])
        if not count:
            raise EOFError("the worker stopped")
        received += count
    return buffer  # as it is: an answer of megabytes is not copied once more
