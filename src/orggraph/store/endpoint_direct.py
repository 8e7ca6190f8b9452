"""Asking a SPARQL endpoint over HTTP, without rdflib: the request every SPARQL 1.1 server
accepts (a form-encoded POST, SPARQL 1.1 Protocol §2.1.2), and what a refusal means in one line.

Both paths use it. The command line's quick path reads the answer with pyoxigraph and writes it
as it writes an on-disk store's (importing rdflib would cost more than the request). The general
path hands the same bytes to rdflib. rdflib's own endpoint store returns a bare tuple for an HTTP
error, which lost the server's reason ("'tuple' object has no attribute 'type'"), so the
general path asks here too.
"""

from __future__ import annotations

import logging
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from orggraph.errors import QueryError
from orggraph.formats import MEDIA_RESULT_FORMATS, RESULT_MEDIA_TYPES
from orggraph.store import oxigraph_direct

__all__ = [
    "GRAPH_ACCEPT",
    "GRAPH_MEDIA",
    "NAMED_HEADER",
    "ROWS_MEDIA",
    "ROW_LIMIT_HEADER",
    "Endpoint",
    "EndpointRefusal",
    "Reply",
    "ask_endpoint",
    "ask_named",
]

ROWS_MEDIA = RESULT_MEDIA_TYPES["json"]
# orggraph serve names the named query it answered at /run/NAME: no other server's page is taken for it
NAMED_HEADER = "OrgGraph-Named-Query"
# … and says how many rows it answers at most: an answer that long may have been cut there
ROW_LIMIT_HEADER = "OrgGraph-Row-Limit"
# a graph as N-Triples or Turtle, which every SPARQL server writes and nothing in them reaches out
GRAPH_MEDIA = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
logger = logging.getLogger(__name__)
# bytes every row of an answer holds at least once (a JSON row is an object)
_ROW_MARKS = {"csv": b"\n", "tsv": b"\n", "json": b"{", "xml": b"<result>"}
_SAID_LENGTH = 300
_NOT_SHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
# what to do about each refusal, by status
_FIXES = {
    400: "fix the query",
    401: "the endpoint wants credentials",
    403: "the endpoint does not allow this",
    404: "check the endpoint's URL (it usually ends in /sparql)",
    406: "the endpoint cannot write SPARQL JSON results",
    408: "make the query more selective (LIMIT, tighter patterns) or ask for a longer deadline",
    413: "send a shorter query",
    429: "ask again later",
}


class Reply(NamedTuple):
    """An endpoint's answer: its body, its media type (lower case, no parameters), and the most
    rows the server answers when it says so."""

    body: bytes
    media: str
    row_limit: int | None


class EndpointRefusal(QueryError):
    """The endpoint answered with an HTTP error ``status`` (exit code 1)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def ask_endpoint(url: str, text: str, accept: str, *, origin: str = "query") -> Reply:
    """The endpoint's answer to the query ``text``, asked for as ``accept`` (a warning is logged
    when it may have been cut at the server's row limit); an
    :class:`EndpointRefusal` (the server's own reason in one line) or a
    :class:`~orggraph.errors.QueryError` when it cannot be reached or answers nothing.

    >>> try:
    ...     ask_endpoint("http://127.0.0.1:9/sparql", "ASK {}", ROWS_MEDIA)
    ... except QueryError as error:
    ...     print(str(error).split(";")[0])
    query: cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql (connection refused)
    """
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": text}).encode("utf-8"),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as response:
            return _reply(response, url, origin)
    except urllib.error.HTTPError as error:
        raise _refusal(error, url, origin) from None
    except TimeoutError:  # the system gave up on the connection
        raise QueryError(f"{origin}: the SPARQL endpoint {url} did not answer; try again later") from None
    except urllib.error.URLError as error:
        reason = _reason(error.reason)
        raise QueryError(
            f"{origin}: cannot reach the SPARQL endpoint {url} ({reason}); check the URL and that its server is running"
        ) from None
    except (OSError, ValueError) as error:  # a connection reset half-way, an answer cut short, a bad URL
        raise QueryError(f"{origin}: the SPARQL endpoint {url} failed to answer ({_reason(error)})") from None


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint asked as an on-disk Oxigraph store is (``query`` gives pyoxigraph's
    answers), for the quick path: SELECT and ASK only; the general path writes graphs.

    >>> Endpoint("http://127.0.0.1:9/sparql").url
    'http://127.0.0.1:9/sparql'
    """

    url: str

    def query(self, text: str, *, origin: str = "query") -> Any:
        """The rows or yes/no answer of ``text`` as pyoxigraph reads them from SPARQL JSON results
        (SyntaxError for an answer it cannot read, or a row, when that row is taken)."""
        return oxigraph_direct.parsed_results(ask_endpoint(self.url, text, ROWS_MEDIA, origin=origin).body)


def ask_named(
    url: str, name: str, parameters: Mapping[str, str], accept: str, *, origin: str = "query"
) -> Reply | None:
    """The answer of ``orggraph serve``'s ``/run/NAME`` beside the SPARQL endpoint ``url``: the
    named query as the server runs it (its hand-made plan, the store's own dataset). None when
    the server is not orggraph's, or refuses the request (the SPARQL path then asks, and says
    what is wrong); an :class:`EndpointRefusal` when the query ran out of time there.

    >>> ask_named("http://127.0.0.1:9/sparql", "merges", {}, ROWS_MEDIA) is None
    True
    """
    address = urllib.parse.urljoin(url, "run/" + urllib.parse.quote(name, safe=""))
    if parameters:
        address += "?" + urllib.parse.urlencode(parameters)
    request = urllib.request.Request(address, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request) as response:
            if response.headers.get(NAMED_HEADER) != name:
                return None  # another server's page at that address
            return _reply(response, url, origin)
    except urllib.error.HTTPError as error:
        if error.code == 408:  # asked again through SPARQL, it would run as long again
            raise _refusal(error, url, origin) from None
        return None
    except (OSError, ValueError):
        return None


def _reply(response: Any, url: str, origin: str) -> Reply:
    """The answer read, and a warning logged when it holds as many rows as the server answers at most."""
    body: bytes = response.read()
    media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    limit = response.headers.get(ROW_LIMIT_HEADER, "")
    reply = Reply(body, media, int(limit) if limit.isdigit() else None)
    fmt = MEDIA_RESULT_FORMATS.get(media)
    # what each row has at least once bounds the rows from above at the cost of a byte scan: only
    # an answer that may hold as many rows as the limit is read and counted
    if reply.row_limit is not None and fmt is not None and body.count(_ROW_MARKS[fmt]) >= reply.row_limit:
        rows = oxigraph_direct.result_rows(body, fmt)
        if rows is not None and rows >= reply.row_limit:
            most = f"{reply.row_limit:,} row{'' if reply.row_limit == 1 else 's'}"
            logger.warning(
                "%s: the SPARQL endpoint %s answers at most %s and gave that many: there may be more; "
                "narrow the query (LIMIT and OFFSET, tighter patterns) or ask for the server's limit to be raised",
                origin,
                url,
                most,
            )
    return reply


def _refusal(error: urllib.error.HTTPError, url: str, origin: str) -> EndpointRefusal:
    """An HTTP error as one line: the status, the server's reason, and how to fix it."""
    status = error.code
    said = _said(error)
    fix = _FIXES.get(status, "the server failed: its log says why" if status >= 500 else "check the request")
    reason = f" ({error.reason})" if error.reason else ""
    # a reason that says how to fix it (as orggraph serve's do) is not given a second fix
    ending = f": {said}" if "; " in said else f": {said}; {fix}" if said else f"; {fix}"
    return EndpointRefusal(f"{origin}: the SPARQL endpoint {url} answered {status}{reason}{ending}", status)


def _said(error: urllib.error.HTTPError) -> str:
    """The first line of the server's reason, as text that is safe on a terminal; '' for a page of HTML."""
    try:
        raw = error.read(4096)
    except OSError:
        return ""
    text = raw.decode("utf-8", "replace").strip()
    if text.startswith("<") or not text:
        return ""
    first = _NOT_SHOWN.sub(" ", text.splitlines()[0]).strip()
    return first if len(first) <= _SAID_LENGTH else first[: _SAID_LENGTH - 1] + "…"


def _reason(reason: object) -> str:
    """Why a connection failed, in a few words."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    said = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return _NOT_SHOWN.sub(" ", str(said)).strip()[:_SAID_LENGTH]
