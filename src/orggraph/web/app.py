"""The web app behind ``orggraph serve``: a SPARQL 1.1 Protocol endpoint at ``/sparql`` and a
home page, on Starlette. Queries run in worker processes (:mod:`orggraph.web.workers`), so a
query past its deadline is stopped, not left running."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from orggraph.errors import QueryTimeout
from orggraph.store.sparql_text import decode_codepoint_escapes, outline
from orggraph.web.protocol import ROW_TYPES, ProtocolError, negotiate, read_operation
from orggraph.web.workers import Workers

__all__ = ["DEFAULT_LIMITS", "Limits", "create_app"]

# as the graph pages: nothing is fetched from anywhere, scripts and styles are the page's own
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; form-action 'self'"
)
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
_EXAMPLE = (
    "SELECT ?organisation ?name WHERE {\n  ?organisation a org:FormalOrganization ; skos:prefLabel ?name .\n}\nLIMIT 20"
)


@dataclass(frozen=True)
class Limits:
    """What one request may take: seconds a query runs, rows an answer holds, bytes and seconds
    of a request body."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1 << 20
    body_timeout: float = 10.0


DEFAULT_LIMITS = Limits()


def create_app(
    workers: Workers, *, allow_update: bool = False, limits: Limits = DEFAULT_LIMITS, about: str = ""
) -> Starlette:
    """The app over started ``workers``; updates are refused (403) unless ``allow_update``.
    ``about`` says on the home page what the graph is."""

    async def home(request: Request) -> Response:
        page = _TEMPLATES.get_template("home.html").render(
            source=about or "the graph",
            endpoint=str(request.url_for("sparql")),
            allow_update=allow_update,
            max_rows=limits.max_rows,
            timeout=f"{limits.timeout:g}",
            example=_EXAMPLE,
            row_types=list(ROW_TYPES)[:4],
        )
        return HTMLResponse(page, headers=_headers())

    async def sparql(request: Request) -> Response:
        try:
            body = await _body(request, limits)
            parameters = {key: request.query_params.getlist(key) for key in request.query_params}
            accept = request.query_params.get("format") or request.headers.get("accept")
            operation = read_operation(request.method, parameters, request.headers.get("content-type", ""), body)
            shape = outline(decode_codepoint_escapes(operation.text))
            if shape.update != operation.update:
                sent = "an update" if shape.update else "a query"
                raise ProtocolError(400, f"this is {sent}; send a query as query=… and an update as update=…")
            if operation.update and not allow_update:
                raise ProtocolError(403, "SPARQL Update is refused: this endpoint was started read-only")
            fmt, media = ("table", "text/plain") if operation.update else negotiate(accept, shape.form)
            options: dict[str, Any] = {"limit": limits.max_rows, "allow_update": allow_update}
            try:
                answer = await anyio.to_thread.run_sync(workers.ask, operation.text, fmt, options, limits.timeout)
            except QueryTimeout as error:
                raise ProtocolError(408, str(error)) from None
        except ProtocolError as error:
            return PlainTextResponse(str(error) + "\n", status_code=error.status, headers=_headers())
        if answer.kind != "ok":
            status = 403 if answer.kind == "refused" else 400
            return PlainTextResponse((answer.body or "") + "\n", status_code=status, headers=_headers())
        if answer.body is None:
            return PlainTextResponse("Update applied.\n", headers=_headers())
        return Response(answer.body, media_type=f"{media}; charset=utf-8", headers=_headers())

    routes = [Route("/", home), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql")]
    return Starlette(routes=routes)


def _headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


async def _body(request: Request, limits: Limits) -> bytes:
    """The request body, refused past ``limits.max_body`` bytes (413) or when it takes longer than
    ``limits.body_timeout`` seconds to arrive (408)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limits.max_body):
        raise ProtocolError(413, f"the request body is larger than {limits.max_body} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(limits.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_body:
                    raise ProtocolError(413, f"the request body is larger than {limits.max_body} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise ProtocolError(408, f"the request body did not arrive within {limits.body_timeout:g} s") from None
    return b"".join(chunks)
