"""The web app behind ``orggraph serve``, on Starlette: a SPARQL 1.1 Protocol endpoint at
``/sparql``, pages over the graph, and the review desk at ``/review``. Queries run in worker
processes (:mod:`orggraph.web.workers`), so a query past its deadline is stopped, not left
running."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from orggraph.errors import OrgGraphError, QueryTimeout
from orggraph.graph.query_files import get_named_query
from orggraph.iris import shorten
from orggraph.store.endpoint_direct import NAMED_HEADER, ROW_LIMIT_HEADER
from orggraph.store.sparql_text import decode_codepoint_escapes, outline
from orggraph.web.pages import named_examples
from orggraph.web.protocol import GRAPH_TYPES, ROW_TYPES, ProtocolError, negotiate, read_form, read_operation
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
    workers: Workers,
    *,
    allow_update: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    about: str = "",
    corpus: Sequence[Path] = (),
    review: Path | None = None,
) -> Starlette:
    """The app over started ``workers``; updates are refused (403) unless ``allow_update``.
    ``about`` says on the home page what the graph is; source documents are read from ``corpus``.
    With ``review`` (a queue folder, see :mod:`orggraph.review.queue`) the review desk is open at
    ``/review``: its decisions write to the store, so the workers must be writable."""
    token = secrets.token_urlsafe(32)  # the desk's forms carry it: another site cannot read it

    def sources() -> list[Path]:
        """Where documents are read from: the corpus, and the queue's documents (queued any time)."""
        queued = sorted(path for path in review.glob("*") if path.is_dir()) if review is not None else []
        return [*corpus, *queued]

    async def home(request: Request) -> Response:
        return _html(
            "home.html",
            source=about or "the graph",
            endpoint=str(request.url_for("sparql")),
            allow_update=allow_update,
            max_rows=limits.max_rows,
            timeout=f"{limits.timeout:g}",
            example=_EXAMPLE,
            row_types=list(ROW_TYPES)[:4],
            review_open=review is not None,
        )

    async def sparql(request: Request) -> Response:
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
        output = await run("query", operation.text, fmt, options)
        if output is None:
            return PlainTextResponse("Update applied.\n", headers=_headers())
        headers = _headers()
        if shape.form == "SELECT":  # a client can tell an answer that long may have been cut
            headers[ROW_LIMIT_HEADER] = str(limits.max_rows)
        return Response(output, media_type=f"{media}; charset=utf-8", headers=headers)

    async def named(request: Request) -> Response:
        """A named query by name, its parameters in the query string: as ``orggraph run`` answers it."""
        name = request.path_params["name"]
        try:
            query = get_named_query(name)
        except OrgGraphError as error:
            raise ProtocolError(404, error.render({"list_named_queries": "/query"})) from None
        given = {key: request.query_params.getlist(key) for key in request.query_params if key != "format"}
        declared = [parameter.name for parameter in query.parameters]
        for key, values in given.items():
            if key not in declared:
                listed = ", ".join(declared) or "none"
                raise ProtocolError(400, f"{name} has no parameter {key}; its parameters: {listed}")
            if len(values) != 1:
                raise ProtocolError(400, f"the parameter {key} was given {len(values)} times")
        for parameter in query.parameters:
            if parameter.required and parameter.name not in given:
                needed = f"{parameter.name} ({parameter.description})"
                raise ProtocolError(400, f"{name} needs the parameter {needed}; add ?{parameter.name}=…")
        fmt, media = negotiate(request.query_params.get("format") or request.headers.get("accept"), "SELECT")
        parameters = {key: values[0] for key, values in given.items()}
        output = await run("named", name, parameters, fmt, limits.max_rows)
        headers = {**_headers(), NAMED_HEADER: name, ROW_LIMIT_HEADER: str(limits.max_rows)}
        return Response(output, media_type=f"{media}; charset=utf-8", headers=headers)

    async def run(job: str, *arguments: Any) -> Any:
        """A job's answer from a worker, stopped at the deadline (408); a refusal is 403, a bad request 400."""
        try:
            answer = await workers.run(job, arguments, limits.timeout)
        except QueryTimeout as error:
            raise ProtocolError(408, str(error)) from None
        if answer.kind != "ok":
            raise ProtocolError(_STATUS.get(answer.kind, 400), str(answer.body))
        return answer.body

    async def known(request: Request, what: str) -> str:
        """The ``iri`` parameter, when it is an absolute IRI the graph says something of."""
        iri = request.query_params.get("iri", "")
        if not _IRI.fullmatch(iri):
            raise ProtocolError(400, f"give the {what} as {request.url.path}?iri=… with an absolute IRI")
        if not await run("known", iri):
            raise ProtocolError(404, f"the graph says nothing of {iri}")
        return iri

    async def found(request: Request) -> Response:
        text = request.query_params.get("q", "")
        results = await run("search", text) if text.strip() else []
        return _html("search.html", query=text, results=results)

    async def organisation(request: Request) -> Response:
        iri = await known(request, "organisation")
        page = await run("organisation", iri)
        if page is None:  # something the graph knows, with no name or type: not an organisation to show
            raise ProtocolError(404, f"{iri} is not an organisation of the graph")
        return _html("organisation.html", page=page, title=_title(page))

    async def meeting(request: Request) -> Response:
        iri = await known(request, "meeting")
        page = await run("meeting", iri)
        if page is None:
            raise ProtocolError(404, f"{iri} is not a meeting of the graph")
        first = page["about"][0]
        return _html("meeting.html", page=page, about=first, title=first["name_zh_hans"] or shorten(iri))

    async def document(request: Request) -> Response:
        name = request.query_params.get("name", "")
        if not name or Path(name).name != name or name in (".", "..") or "\\" in name:
            raise ProtocolError(400, "give the document as /doc?name=FILE, a file name without folders")
        selected = _span(request.query_params.get("start"), request.query_params.get("end"))
        page = await run("document", name, sources())
        if page is None:
            raise ProtocolError(404, f"the graph has no evidence in a document named {name}")
        return _html("document.html", page=page, selected=selected)

    async def query_page(request: Request) -> Response:
        examples = named_examples()
        chosen = request.query_params.get("example")
        text = next((e["text"] for e in examples if e["name"] == chosen), None) or request.query_params.get("query", "")
        answer, error, status, downloads = None, None, 200, []
        if text.strip() and chosen is None:
            form = outline(decode_codepoint_escapes(text)).form
            offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else ROW_TYPES
            shown = list(offered)[:4]  # the W3C names, not their application/json and /xml aliases
            downloads = [(media, "/sparql?" + urlencode({"query": text, "format": media})) for media in shown]
            try:
                answer = await run("table", text, limits.max_rows)
            except ProtocolError as refused:  # said on the page, above the editor
                error, status, downloads = str(refused), refused.status, []
        values = {"text": text or _EXAMPLE, "examples": examples, "answer": answer, "error": error}
        return _html("query.html", status=status, downloads=downloads, **values)

    async def graph_view(request: Request) -> Response:
        iri = await known(request, "organisation")
        depth = request.query_params.get("depth", "1")
        if depth not in ("1", "2", "3"):
            raise ProtocolError(400, "depth is 1, 2 or 3")
        return HTMLResponse(await run("graph", iri, int(depth)), headers=_headers())

    async def timeline_view(request: Request) -> Response:
        return HTMLResponse(await run("timeline", await known(request, "organisation")), headers=_headers())

    async def matrix_view(request: Request) -> Response:
        rows = request.query_params.get("rows", "organisation")
        columns = request.query_params.get("columns", "category")
        if rows not in ("organisation", "type") or columns not in ("category", "year"):
            raise ProtocolError(400, "rows is organisation or type, columns category or year")
        return HTMLResponse(await run("matrix", rows, columns), headers=_headers())

    def desk() -> Path:
        if review is None:
            raise ProtocolError(404, "the review desk is closed: start the server with review on")
        return review

    def reviewer(request: Request) -> str:
        return unquote(request.cookies.get(_REVIEWER, ""))

    async def form(request: Request, repeatable: Sequence[str] = ()) -> dict[str, Any]:
        """A desk form, refused unless it comes from the desk's own pages (403)."""
        origin = request.headers.get("origin")
        if origin not in (None, "null", f"{request.url.scheme}://{request.url.netloc}"):
            raise ProtocolError(403, "the form comes from another site")
        fields = read_form(request.headers.get("content-type", ""), await _body(request, limits), repeatable=repeatable)
        if not hmac.compare_digest(str(fields.pop("csrf", "")), token):
            raise ProtocolError(
                403, "the form is out of date or from elsewhere; reload the review page and send it again"
            )
        return fields

    async def review_overview(request: Request) -> Response:
        documents = await run("review", desk())
        return _html(
            "review.html", documents=documents, reviewer=reviewer(request), csrf=token, back="/review", review_open=True
        )

    async def review_document(request: Request) -> Response:
        key = request.query_params.get("key", "")
        if not _KEY.fullmatch(key):
            raise ProtocolError(400, "give the queued document as /review/doc?key=… (16 hex digits)")
        page = await run("review-document", desk(), key)
        if page is None:
            raise ProtocolError(404, f"the review queue has no document {key}")
        back = f"/review/doc?key={key}"
        values: dict[str, Any] = {"reviewer": reviewer(request), "csrf": token, "back": back, "review_open": True}
        return _html("review_document.html", page=page, **values)

    async def review_text(request: Request) -> Response:
        key = request.query_params.get("key", "")
        if not _KEY.fullmatch(key):
            raise ProtocolError(400, "give the queued document as /review/text?key=… (16 hex digits)")
        selected = _span(request.query_params.get("start"), request.query_params.get("end"))
        page = await run("queued-text", desk(), key)
        if page is None:
            raise ProtocolError(404, f"the review queue has no document {key}")
        text = page["text"]
        start, end = selected if selected is not None else (0, 0)
        start, end = min(start, len(text)), min(end, len(text))
        parts = {"before": text[:start], "selected": text[start:end], "after": text[end:]}
        return _html("review_text.html", page=page, review_open=True, **parts)

    async def review_reviewer(request: Request) -> Response:
        desk()
        fields = await form(request)
        name = " ".join(str(fields.get("reviewer", "")).split())
        back = str(fields.get("back", "/review"))
        if not name or len(name) > 300:
            raise ProtocolError(400, "say who reviews: a name of 1 to 300 characters")
        if not _BACK.fullmatch(back):
            raise ProtocolError(400, "back must be a page of the review desk")
        answer = RedirectResponse(back, status_code=303, headers=_headers())
        answer.set_cookie(_REVIEWER, quote(name), httponly=True, samesite="strict", path="/")
        return answer

    async def review_decide(request: Request) -> Response:
        folder = desk()
        fields = await form(request, repeatable=("assignee",))
        key = str(fields.pop("key", ""))
        if not _KEY.fullmatch(key):
            raise ProtocolError(400, "the form names no queued document; reload the review page")
        for needed in ("candidate", "outcome"):
            if not str(fields.get(needed, "")).strip():
                raise ProtocolError(400, f"the form has no {needed}; reload the review page")
        fields["reviewer"] = reviewer(request)
        if not fields["reviewer"]:
            raise ProtocolError(400, "say who reviews first (the name box at the top of the desk)")
        decided = await run("decide", folder, key, fields)
        return RedirectResponse(f"/review/doc?key={key}#{decided['anchor']}", status_code=303, headers=_headers())

    async def review_queue(request: Request) -> Response:
        folder = desk()
        fields = await form(request)
        queued = await run("queue", folder, str(fields.get("name", "")), str(fields.get("text", "")))
        return RedirectResponse(f"/review/doc?key={queued['key']}", status_code=303, headers=_headers())

    async def refused(request: Request, error: Exception) -> Response:
        status = error.status if isinstance(error, ProtocolError) else 400
        return PlainTextResponse(str(error) + "\n", status_code=status, headers=_headers())

    routes = [
        Route("/", home),
        Route("/search", found),
        Route("/org", organisation),
        Route("/meeting", meeting),
        Route("/doc", document),
        Route("/graph", graph_view),
        Route("/timeline", timeline_view),
        Route("/matrix", matrix_view),
        Route("/query", query_page),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/run/{name}", named),
        Route("/review", review_overview),
        Route("/review/doc", review_document),
        Route("/review/text", review_text),
        Route("/review/reviewer", review_reviewer, methods=["POST"]),
        Route("/review/decide", review_decide, methods=["POST"]),
        Route("/review/queue", review_queue, methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={ProtocolError: refused})


def _span(start: str | None, end: str | None) -> tuple[int, int] | None:
    """The passage a link selects, ``[start, end)``; None when it selects none."""
    if start is None and end is None:
        return None
    if not (start and end and start.isdigit() and end.isdigit() and int(start) <= int(end)):
        raise ProtocolError(400, "start and end must be character offsets with start <= end")
    return int(start), int(end)


def _title(page: dict[str, Any]) -> str:
    """The organisation's name in Simplified Chinese, else another preferred name, else its IRI."""
    preferred = [row for row in page["names"] if row["property"] == "skos:prefLabel"]
    preferred.sort(key=lambda row: not str(row["language"] or "").lower().startswith("zh-hans"))
    return str(preferred[0]["name"]) if preferred else str(page["short"])


def _html(template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """A page from its template; every value is escaped (autoescape)."""
    return HTMLResponse(_TEMPLATES.get_template(template).render(**values), status_code=status, headers=_headers())


_STATUS = {"refused": 403, "conflict": 409, "broken": 500}
_REVIEWER = "orggraph_reviewer"
_KEY = re.compile(r"[0-9a-f]{16}")
_BACK = re.compile(r"/review(?:/doc\?key=[0-9a-f]{16})?")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def _headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",  # no address leaves the app; forms still say where they come from
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
