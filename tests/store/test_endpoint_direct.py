"""Asking an endpoint without rdflib: the request sent, and what each kind of failure says.

The endpoint here is a small HTTP server that answers as servers in the wild do: a refusal with
its reason, an HTML error page, text that is not results, blank node labels of Virtuoso's kind."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from orggraph.errors import QueryError
from orggraph.graph.quick import quick_named_query_output, quick_query_output
from orggraph.graph.results import query_output
from orggraph.store.backends import open_graph
from orggraph.store.endpoint_direct import ROWS_MEDIA, Endpoint, EndpointRefusal, ask_endpoint

ROWS = {
    "head": {"vars": ["o"]},
    "results": {"bindings": [{"o": {"type": "uri", "value": "https://example.org/a"}}]},
}
VIRTUOSO_ROWS = {
    "head": {"vars": ["o"]},
    "results": {"bindings": [{"o": {"type": "bnode", "value": "nodeID://b10007"}}]},
}
# path → (status, content type, body)
ANSWERS: dict[str, tuple[int, str, bytes]] = {
    "/ok": (200, ROWS_MEDIA, json.dumps(ROWS).encode()),
    "/virtuoso": (200, ROWS_MEDIA, json.dumps(VIRTUOSO_ROWS).encode()),
    "/stopped": (408, "text/plain", b"query: stopped after 1 s; make the query more selective\n"),
    "/bad": (400, "text/plain", b"Parse error at line 1 column 8\n"),
    "/page": (500, "text/html", b"<html><body><h1>Internal Server Error</h1></body></html>"),
    "/hostile": (400, "text/plain", b"\x1b[31mred\x1b[0m \xe2\x80\xae" + b"x" * 1000 + b"\nsecond line"),
    "/garbage": (200, ROWS_MEDIA, b"this is not JSON"),
    "/capped": (200, ROWS_MEDIA, json.dumps(ROWS).encode()),  # said to answer at most one row
}


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.requests.append(  # type: ignore[attr-defined]
            {
                "path": self.path,
                "content_type": self.headers.get("Content-Type"),
                "accept": self.headers.get("Accept"),
                "form": parse_qs(self.rfile.read(length).decode()),
            }
        )
        status, media, body = ANSWERS[self.path]
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/capped":
            self.send_header("OrgGraph-Row-Limit", "1")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # another server's page where orggraph serve has /run/NAME
        self.server.requests.append({"path": self.path, "method": "GET"})  # type: ignore[attr-defined]
        body = b"name,into\r\nnot,a named query\r\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[tuple[str, list[dict[str, object]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def test_a_query_is_a_form_post_asking_for_json_results(endpoint):
    base, requests = endpoint
    answer = Endpoint(f"{base}/ok").query("SELECT ?o WHERE { ?o ?p ?v }")
    assert [row[0].value for row in answer] == ["https://example.org/a"]
    sent = requests[-1]
    assert sent["content_type"] == "application/x-www-form-urlencoded"
    assert sent["accept"] == ROWS_MEDIA
    assert sent["form"] == {"query": ["SELECT ?o WHERE { ?o ?p ?v }"]}


def test_a_refusal_keeps_the_servers_reason_and_says_how_to_fix_it(endpoint):
    base, _ = endpoint
    with pytest.raises(EndpointRefusal) as stopped:
        ask_endpoint(f"{base}/stopped", "ASK {}", ROWS_MEDIA, origin="q.rq")
    assert stopped.value.status == 408
    assert str(stopped.value) == (
        f"q.rq: the SPARQL endpoint {base}/stopped answered 408 (Request Timeout): "
        "query: stopped after 1 s; make the query more selective"
    )  # the server's own fix, not a second one
    with pytest.raises(EndpointRefusal) as bad:
        ask_endpoint(f"{base}/bad", "ASK {", ROWS_MEDIA)
    assert str(bad.value).endswith("answered 400 (Bad Request): Parse error at line 1 column 8; fix the query")


def test_an_error_page_is_not_repeated_and_hostile_text_is_made_safe(endpoint):
    base, _ = endpoint
    with pytest.raises(EndpointRefusal) as page:
        ask_endpoint(f"{base}/page", "ASK {}", ROWS_MEDIA)
    assert str(page.value).endswith("answered 500 (Internal Server Error); the server failed: its log says why")
    with pytest.raises(EndpointRefusal) as hostile:
        ask_endpoint(f"{base}/hostile", "ASK {}", ROWS_MEDIA)
    message = str(hostile.value)
    assert "\x1b" not in message and "\u202e" not in message and "second line" not in message
    assert "[31mred" in message and len(message) < 500


def test_an_endpoint_that_cannot_be_reached_is_said_in_one_line():
    with pytest.raises(QueryError) as refused:
        ask_endpoint("http://127.0.0.1:9/sparql", "ASK {}", ROWS_MEDIA, origin="merges.rq")
    assert str(refused.value) == (
        "merges.rq: cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql (connection refused); "
        "check the URL and that its server is running"
    )


def test_the_general_path_keeps_the_servers_reason(endpoint):
    # rdflib's endpoint store handed back a tuple here: "'tuple' object has no attribute 'type'"
    base, _ = endpoint
    with pytest.raises(QueryError, match=r"answered 408 \(Request Timeout\): query: stopped after 1 s"):
        query_output(open_graph(f"{base}/stopped"), "SELECT ?o WHERE { ?o ?p ?v }", "csv")
    with pytest.raises(QueryError, match="did not answer with SPARQL JSON results"):
        query_output(open_graph(f"{base}/garbage"), "SELECT ?o WHERE { ?o ?p ?v }", "csv")


def test_an_answer_pyoxigraph_cannot_read_is_left_to_the_general_path(endpoint):
    base, _ = endpoint
    query = "SELECT ?o WHERE { ?o ?p ?v }"
    assert quick_query_output(query, "csv", store=f"{base}/virtuoso") is None
    assert query_output(open_graph(f"{base}/virtuoso"), query, "csv").splitlines()[1].startswith("_:")
    assert quick_query_output(query, "csv", store=f"{base}/ok") == "o\r\nhttps://example.org/a\r\n"


def test_a_refused_syntax_is_left_to_the_general_path_which_says_where(endpoint):
    base, requests = endpoint
    before = len(requests)
    assert quick_query_output("SELECT ?o WHERE { ?o ?p ?v }", "csv", store=f"{base}/bad") is None
    with pytest.raises(QueryError, match=r"query:1:\d+: SPARQL syntax error"):
        query_output(open_graph(f"{base}/bad"), "SELECT ?o WHERE { ?o ?p ", "csv")
    assert len(requests) == before + 1  # the general path found the fault before sending it


def test_a_named_query_on_another_server_is_asked_in_sparql(endpoint):
    base, requests = endpoint
    before = len(requests)
    assert quick_named_query_output("merges", {}, "csv", store=f"{base}/ok") == "o\r\nhttps://example.org/a\r\n"
    # its page at /run/merges was not taken for the answer: it does not name the query it answers
    assert [r["path"] for r in requests[before:]] == ["/run/merges", "/ok"]


def test_an_answer_as_long_as_the_servers_row_limit_is_said_to_be_maybe_cut(endpoint, caplog):
    base, _ = endpoint
    query = "SELECT ?o WHERE { ?o ?p ?v }"
    with caplog.at_level(logging.WARNING, logger="orggraph"):
        assert quick_query_output(query, "csv", store=f"{base}/ok") is not None
        assert caplog.records == []  # no limit said
        assert quick_query_output(query, "csv", store=f"{base}/capped") == "o\r\nhttps://example.org/a\r\n"
        assert query_output(open_graph(f"{base}/capped"), query, "csv").startswith("o\r\n")
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 2 and all("answers at most 1 row and gave that many" in line for line in said)
