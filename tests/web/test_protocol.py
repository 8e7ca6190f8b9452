"""The SPARQL 1.1 Protocol's rules, as plain functions: operations and content negotiation."""

from __future__ import annotations

import pytest

from orggraph.web.protocol import ProtocolError, negotiate, read_operation

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("method", "parameters", "content_type", "body", "text", "update"),
    [
        ("GET", {"query": ["ASK {}"]}, "", b"", "ASK {}", False),
        ("POST", {}, FORM, b"query=ASK+%7B%7D", "ASK {}", False),
        ("POST", {}, FORM, b"update=CLEAR+ALL", "CLEAR ALL", True),
        (
            "POST",
            {},
            "application/sparql-query; charset=utf-8",
            "ASK { ?s ?p '公安部' }".encode(),
            "ASK { ?s ?p '公安部' }",
            False,
        ),
        ("POST", {}, "application/sparql-update", b"CLEAR ALL", "CLEAR ALL", True),
    ],
)
def test_each_way_of_sending_an_operation_is_read(method, parameters, content_type, body, text, update):
    operation = read_operation(method, parameters, content_type, body)
    assert (operation.text, operation.update) == (text, update)


@pytest.mark.parametrize(
    ("method", "parameters", "content_type", "body", "status", "says"),
    [
        ("GET", {}, "", b"", 400, "exactly one query="),
        ("GET", {"query": ["ASK {}", "ASK {}"]}, "", b"", 400, "exactly one query="),
        ("GET", {"update": ["CLEAR ALL"]}, "", b"", 400, "with POST"),
        ("GET", {"query": ["ASK {}"], "default-graph-uri": ["http://x/"]}, "", b"", 400, "FROM / FROM NAMED"),
        ("POST", {}, "text/plain", b"ASK {}", 415, "application/sparql-query"),
        ("POST", {}, FORM, b"query=%FF", 400, "UTF-8"),
        ("POST", {}, "application/sparql-query", b"\xff", 400, "UTF-8"),
    ],
)
def test_malformed_requests_are_refused_with_their_status(method, parameters, content_type, body, status, says):
    with pytest.raises(ProtocolError) as refused:
        read_operation(method, parameters, content_type, body)
    assert refused.value.status == status and says in str(refused.value)


@pytest.mark.parametrize(
    ("accept", "form", "chosen"),
    [
        (None, "SELECT", ("json", "application/sparql-results+json")),
        ("text/csv", "SELECT", ("csv", "text/csv")),
        ("text/tab-separated-values", "SELECT", ("tsv", "text/tab-separated-values")),
        ("application/sparql-results+xml", "ASK", ("xml", "application/sparql-results+xml")),
        ("text/csv;q=0.2, application/json;q=0.9", "SELECT", ("json", "application/json")),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "SELECT", ("json", "application/sparql-results+json")),
        ("application/*", "CONSTRUCT", ("nt", "application/n-triples")),
        (None, "DESCRIBE", ("ttl", "text/turtle")),
        ("application/ld+json", "CONSTRUCT", ("jsonld", "application/ld+json")),
    ],
)
def test_the_answer_format_follows_the_accept_header(accept, form, chosen):
    assert negotiate(accept, form) == chosen


@pytest.mark.parametrize(
    ("accept", "form"), [("text/csv", "ASK"), ("text/turtle", "SELECT"), ("text/csv;q=0", "SELECT")]
)
def test_an_answer_no_accepted_type_can_hold_is_refused(accept, form):
    with pytest.raises(ProtocolError) as refused:
        negotiate(accept, form)
    assert refused.value.status == 406
