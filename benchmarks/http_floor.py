"""The floor under any answer from a Python web server on this machine: an app on the same stack
as `orggraph serve` (Starlette on uvicorn, the same listener) that does nothing but answer
`/sparql?size=N&…` with N bytes. `serve_named.py` starts it beside the real server and asks it the
same requests, so that what orggraph itself adds to a query can be told from what HTTP costs.

Run:  python benchmarks/http_floor.py     (prints "Serving on http://HOST:PORT/ …" on stderr)
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def sparql(request: Request) -> Response:
    size = int(request.query_params.get("size", "0"))
    return Response(b"x" * size, media_type="application/sparql-results+json; charset=utf-8")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from orggraph.web.server import listen

    listener = listen("127.0.0.1", 0)
    print(f"Serving on http://127.0.0.1:{listener.getsockname()[1]}/ (floor)", file=sys.stderr, flush=True)
    app = Starlette(routes=[Route("/sparql", sparql)])
    uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_keep_alive=5)).run(sockets=[listener])


if __name__ == "__main__":
    main()
