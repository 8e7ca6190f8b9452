"""Running the web app: bind the address, start the query workers, serve until interrupted."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

from orggraph.errors import UsageError
from orggraph.web.app import DEFAULT_LIMITS, Limits, create_app
from orggraph.web.workers import GraphSource, Workers

__all__ = ["listen", "serve"]


def serve(
    source: GraphSource,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    limits: Limits = DEFAULT_LIMITS,
    workers: int = 2,
    on_ready: Callable[[str], None] = lambda url: None,
    corpus: Sequence[Path] = (),
    allow_update: bool | None = None,
    review: Path | None = None,
) -> None:
    """Serve the graph of ``source`` at ``http://host:port/`` until interrupted (Ctrl-C stops it
    cleanly: requests in flight finish, the workers stop); source documents are read from
    ``corpus``. Port 0 takes a free port;
    ``on_ready`` is called with the URL once the address is bound. SPARQL updates are accepted
    when ``allow_update`` (default: when ``source`` is writable). With ``review``, a queue folder,
    the review desk is open; ``source`` must then be writable, for its decisions.
    """
    if review is not None and not source.writable:
        raise ValueError("the review desk writes its decisions: open the source writable")
    import uvicorn  # the server only: the rest of orggraph never needs it

    listener = listen(host, port)
    pool = Workers(source, size=workers)
    try:
        pool.start()
        updates = source.writable if allow_update is None else allow_update
        about = _about(source)
        app = create_app(pool, allow_update=updates, limits=limits, about=about, corpus=corpus, review=review)
        bound_host, bound_port = listener.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        config = uvicorn.Config(app, log_level="warning", timeout_keep_alive=5, limit_concurrency=64)
        server = uvicorn.Server(config)
        on_ready(f"http://{shown}:{bound_port}/")
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn raises the Ctrl-C again once it has shut down
            server.run(sockets=[listener])
    finally:
        pool.stop()
        listener.close()


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` (port 0: a free one) whose connections send each
    answer at once.

    >>> listener = listen("127.0.0.1", 0)
    >>> listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    True
    >>> listener.close()
    """
    try:
        listener = socket.create_server((host, port))
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host}:{port} ({error.strerror}); choose another {{port}}", parameters="port"
        ) from None
    # Connections inherit this from the listener: an answer on a kept-alive connection goes out
    # at once, not after the client acknowledges the headers (40 ms of Nagle and delayed ACK).
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return listener


def _about(source: GraphSource) -> str:
    if source.store:
        return f"the store {source.store}"
    return f"{len(source.files)} file(s)" if source.files else "the bundled graph"
