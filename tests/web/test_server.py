"""`orggraph serve` as a user starts it: the real server on a free loopback port, asked over HTTP
by plain requests, by rdflib's SPARQLStore and by `orggraph --store http://…/sparql`."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import running
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from orggraph.graph.named_queries import named_query_output
from orggraph.resources import data_files
from orggraph.store.loading import load_files, load_graph

CSPIA = 'SELECT ?o WHERE { ?o skos:altLabel "中安协"@zh-Hans }'
LABEL = "CONSTRUCT WHERE { ogr:cspia skos:altLabel ?o }"
XML = "application/sparql-results+xml"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(corpus_dir: Path) -> Iterator[str]:
    with running("--timeout", "3", "--max-rows", "5", "--corpus", str(corpus_dir)) as (url, _):
        yield url


def ask(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of one request; an error status is an answer too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("content-type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read().decode("utf-8")


def announce_oversized(server: str, path: str) -> tuple[int, str]:
    """(status, body) of a form post announcing 2 MiB: answered before any of it is sent."""
    parts = urllib.parse.urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", FORM["Content-Type"])
        connection.putheader("Content-Length", str(2 << 20))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def get(server: str, query: str, accept: str | None = None) -> tuple[int, str, str]:
    headers = {"Accept": accept} if accept else {}
    return ask(f"{server}sparql?{urllib.parse.urlencode({'query': query})}", headers=headers)


def test_it_listens_on_loopback_and_says_where(server):
    assert server.startswith("http://127.0.0.1:")
    status, kind, page = ask(server)
    assert status == 200 and kind.startswith("text/html") and f"{server}sparql" in page


def test_a_query_by_get_by_form_and_directly_gives_one_answer(server):
    by_get = get(server, CSPIA, "text/csv")
    form = urllib.parse.urlencode({"query": CSPIA}).encode()
    by_form = ask(f"{server}sparql", data=form, headers={"Accept": "text/csv"})
    direct = ask(
        f"{server}sparql",
        data=CSPIA.encode(),
        headers={"Accept": "text/csv", "Content-Type": "application/sparql-query"},
    )
    assert by_get == by_form == direct
    assert by_get[0] == 200 and by_get[2].splitlines()[1:] == ["https://w3id.org/orggraph/id/cspia"]


@pytest.mark.parametrize(
    ("query", "accept", "kind", "check"),
    [
        (CSPIA, "application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["head"]),
        (CSPIA, "application/sparql-results+xml", "application/sparql-results+xml", lambda b: "<sparql" in b),
        (CSPIA, "text/tab-separated-values", "text/tab-separated-values", lambda b: b.startswith("?o\n")),
        (
            "ASK { ogr:cspia ?p ?o }",
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            lambda b: "true" in b,
        ),
        (LABEL, "text/turtle", "text/turtle", lambda b: "中安协" in b),
        (
            "CONSTRUCT WHERE { ogr:cspia skos:altLabel ?o }",
            "application/n-triples",
            "application/n-triples",
            lambda b: "<" in b,
        ),
        (LABEL, "application/ld+json", "application/ld+json", json.loads),
    ],
)
def test_each_result_format_is_negotiated(server, query, accept, kind, check):
    status, content_type, body = get(server, query, accept)
    assert status == 200 and content_type.startswith(kind) and check(body), body


@pytest.mark.parametrize(
    ("request_args", "status", "says"),
    [
        ({"query": "SELECT * WHERE {"}, 400, "query:1:17: SPARQL syntax error"),
        ({"query": "ASK {}", "accept": "text/csv"}, 406, "accept one of"),
        (
            {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
            403,
            "never reaches the network",
        ),
        ({"query": "SELECT * FROM <http://example.org/x.ttl> WHERE { ?s ?p ?o }"}, 403, "never reaches the network"),
        ({"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, 400, "send a query as query="),
        ({"query": SLOW}, 408, "stopped after 3 s"),
    ],
)
def test_bad_refused_and_slow_queries_get_their_status_in_one_line(server, request_args, status, says):
    answer = get(server, request_args["query"], request_args.get("accept"))
    assert answer[0] == status and says in answer[2] and len(answer[2].strip().splitlines()) == 1, answer
    assert get(server, "ASK { ?s ?p ?o }")[0] == 200  # the server answers on after it


def test_updates_are_refused_by_a_read_only_server(server):
    status, _, body = ask(f"{server}sparql", data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    assert get(server, "ASK { ogr:cspia ?p ?o }", "application/json")[2].endswith("true}")


def test_malformed_and_oversized_requests_get_a_4xx(server):
    assert ask(f"{server}sparql")[0] == 400  # no query
    assert ask(f"{server}sparql", data=b"x", headers={"Content-Type": "text/plain"})[0] == 415
    assert announce_oversized(server, "/sparql") == (413, "the request body is larger than 1048576 bytes\n")
    assert ask(f"{server}sparql?query=ASK%7B%7D&default-graph-uri=http://x/")[0] == 400
    assert ask(f"{server}nothing-here")[0] == 404


def test_answers_hold_at_most_the_row_limit(server):
    status, _, body = get(server, "SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
    assert status == 200 and len(body.splitlines()) == 1 + 5


def _limit_said(url: str) -> str | None:
    with urllib.request.urlopen(url) as response:
        return response.headers.get("OrgGraph-Row-Limit")


def test_every_row_answer_says_the_row_limit(server):
    select = urllib.parse.urlencode({"query": CSPIA})
    assert _limit_said(f"{server}sparql?{select}") == "5"
    assert _limit_said(f"{server}run/merges") == "5"
    assert _limit_said(f"{server}sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}") is None


def test_a_command_given_as_many_rows_as_the_limit_says_there_may_be_more(server):
    def run(*words: str) -> subprocess.CompletedProcess[str]:
        command = ["orggraph", *words, "--store", f"{server}sparql", "--format", "csv"]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    cut = run("run", "duties-of", "-p", "org", "中安协")
    assert cut.returncode == 0 and len(cut.stdout.splitlines()) == 1 + 5
    assert "answers at most 5 rows and gave that many: there may be more" in cut.stderr
    assert len(cut.stderr.strip().splitlines()) == 1
    whole = run("query", CSPIA)
    assert whole.returncode == 0 and whole.stderr == ""


def test_rdflibs_sparql_store_reads_it(server):
    graph = Graph(store=SPARQLStore(f"{server}sparql"))
    rows = list(graph.query('SELECT ?o WHERE { ?o <http://www.w3.org/2004/02/skos/core#altLabel> "中安协"@zh-Hans }'))
    assert {str(row[0]) for row in rows} == {"https://w3id.org/orggraph/id/cspia"}


def test_orggraph_reads_it_as_a_store(server):
    result = subprocess.run(
        ["orggraph", "query", "--store", f"{server}sparql", "--format", "csv", CSPIA],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "https://w3id.org/orggraph/id/cspia" in result.stdout


def test_a_named_query_is_answered_at_run_as_orggraph_run_answers_it(server):
    address = f"{server}run/duties-of?" + urllib.parse.urlencode({"org": "中安协", "year": "2019"})
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(server).netloc, timeout=30)
    try:
        connection.request("GET", address, headers={"Accept": "text/csv"})
        response = connection.getresponse()
        body = response.read().decode("utf-8")
    finally:
        connection.close()
    assert response.status == 200 and response.getheader("OrgGraph-Named-Query") == "duties-of"
    assert response.getheader("Content-Type") == "text/csv; charset=utf-8"
    # the server's --max-rows 5 is the limit
    assert body == named_query_output(load_graph(), "duties-of", {"org": "中安协", "year": 2019}, "csv", limit=5)
    status, _, as_json = ask(f"{server}run/merges?format=application/sparql-results%2Bjson")
    assert status == 200 and json.loads(as_json)["head"]["vars"][0] == "name"


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("run/duty-of", 404, "unknown named query 'duty-of'; did you mean duties-of?"),
        ("run/duties-of?colour=red", 400, "duties-of has no parameter colour; its parameters: org, year"),
        ("run/duties-of?org=a&org=b", 400, "the parameter org was given 2 times"),
        (
            "run/duties-of?org=%E4%B8%8D%E5%AD%98%E5%9C%A8",
            400,
            "unknown organisation '不存在'; /run/organisations lists",
        ),
        ("run/duties-of", 400, "duties-of needs the parameter org ("),
        ("run/merges?format=text/turtle", 406, "none of the accepted types can hold this answer"),
    ],
)
def test_a_named_query_the_server_cannot_run_is_refused_in_one_line(server, path, status, says):
    got, kind, body = ask(f"{server}{path}")
    assert (got, kind) == (status, "text/plain; charset=utf-8") and says in body and body.count("\n") == 1


def test_a_server_started_for_updates_applies_them_to_the_store(tmp_path):
    spec = f"oxigraph:{tmp_path / 'db'}"
    load_files(spec, data_files()[:1])
    with running("--store", spec, "--allow-update") as (url, _):
        insert = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }"}).encode()
        status, _, body = ask(
            f"{url}sparql", data=insert, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 200 and "Update applied" in body
        assert get(url, "ASK { GRAPH <urn:g> { <urn:a> <urn:b> 'c' } }", "application/json")[2].endswith("true}")
    # the server has stopped: the store holds the statement
    check = subprocess.run(
        [
            "orggraph",
            "query",
            "--store",
            spec,
            "--format",
            "csv",
            "SELECT ?o WHERE { GRAPH <urn:g> { <urn:a> <urn:b> ?o } }",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.splitlines() == ["o", "c"]


def test_ctrl_c_stops_it_cleanly():
    with running() as (url, process):
        assert get(url, "ASK {}")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert process.stderr is not None and "Stopped." in process.stderr.read()
    with socket.socket() as probe:  # nothing listens there any more
        host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
        assert probe.connect_ex((host, port)) != 0


def test_a_port_in_use_is_a_one_line_error():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["orggraph", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60, check=False
        )
    assert result.returncode == 2 and "choose another --port" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_leads_to_the_organisation_page(server):
    status, kind, page = ask(f"{server}search?{urllib.parse.urlencode({'q': '中國安全防范產品行業協會'})}")
    assert status == 200 and kind.startswith("text/html")
    link = re.search(r'href="(/org\?iri=[^"]+)"', page)
    assert link and "cspia" in link.group(1)
    status, _, page = ask(server.rstrip("/") + link.group(1).replace("&amp;", "&"))
    assert status == 200 and "<h1>中国安全防范产品行业协会</h1>" in page
    assert "提升政治站位" in page and "cspia-assoc-heads-2018-05-03.txt" in page  # a duty, a source document
    posts = page.split("<h2>Posts and their holders</h2>")[1].split("<h2>")[0]
    assert re.search(r"<td>秘书长</td><td>张忠孝</td><td>2018-05-03</td>", posts)  # a post, its holder, as of when


def test_organisation_pages_refuse_what_they_cannot_show(server):
    assert ask(f"{server}org?iri=urn:nothing")[0] == 404
    assert ask(f"{server}org?iri=../../etc/passwd")[0] == 400
    assert ask(f"{server}org")[0] == 400


def test_hostile_labels_are_inert_on_every_page(tmp_path, corpus_dir):
    evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
    data = tmp_path / "evil.ttl"
    data.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix og: <https://w3id.org/orggraph/ns#> . @prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f"<https://example.org/evil> a org:FormalOrganization ; skos:prefLabel {json.dumps(evil)}@zh-Hans .\n"
        f"<https://example.org/meeting> a og:Meeting ; skos:prefLabel {json.dumps(evil)}@zh-Hans ;\n"
        '    schema:startDate "2020-01-02"^^xsd:date ; schema:organizer <https://example.org/evil> ;\n'
        "    schema:attendee <https://example.org/evil> .\n"
        f"<https://example.org/duty> a og:Duty ; skos:prefLabel {json.dumps(evil)}@zh-Hans ;\n"
        "    og:assignedTo <https://example.org/evil> ; og:assignedAt <https://example.org/meeting> .\n",
        encoding="utf-8",
    )
    evil_org = urllib.parse.urlencode({"iri": "https://example.org/evil"})
    paths = [
        f"search?{urllib.parse.urlencode({'q': 'script'})}",
        f"search?{urllib.parse.urlencode({'q': evil})}",
        f"org?{evil_org}",
        f"meeting?{urllib.parse.urlencode({'iri': 'https://example.org/meeting'})}",
        f"graph?{evil_org}",
        f"timeline?{evil_org}",
        "matrix",
        f"query?{urllib.parse.urlencode({'query': 'SELECT ?name WHERE { ?o skos:prefLabel ?name }'})}",
        f"doc?{urllib.parse.urlencode({'name': evil})}",
    ]
    with running("--data", str(data), "--corpus", str(corpus_dir)) as (url, _):
        answers = {path: ask(f"{url}{path}") for path in paths}
    for path, (status, _, page) in answers.items():
        assert status in (200, 400), (path, status)
        assert "<script>alert" not in page and "<img src=x" not in page, path
    assert all(answers[path][0] == 200 for path in paths[:-1])
    assert "&lt;script&gt;" in answers[paths[2]][2] and "&lt;script&gt;" in answers[paths[3]][2]


def test_a_source_passage_is_highlighted_in_its_document(server):
    _, _, page = ask(f"{server}org?{urllib.parse.urlencode({'iri': 'https://w3id.org/orggraph/id/cspia'})}")
    links = re.findall(r'href="(/doc\?name=[^"]+)"', page)
    chosen = next(link for link in links if "start=818&amp;end=821" in link)
    status, kind, document = ask(server.rstrip("/") + chosen.replace("&amp;", "&").split("#")[0])
    assert status == 200 and kind.startswith("text/html")
    marked = re.findall(r'<mark class="selected" id="passage" title="([^"]*)">([^<]*)</mark>', document)
    assert marked == [("中国安全防范产品行业协会", "中安協")]  # the characters the evidence cites, as published
    assert document.count("<mark") > 20  # every fact cited from the document is marked


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("name=../../etc/passwd", 400),
        ("name=%2Fetc%2Fpasswd", 400),
        ("name=..", 400),
        ("name=", 400),
        ("name=passwd", 404),  # a file name the graph cites no evidence from
        ("name=cspia-assoc-heads-2018-05-03.txt&start=9&end=2", 400),
        ("name=cspia-assoc-heads-2018-05-03.txt&start=x&end=2", 400),
    ],
)
def test_document_routes_refuse_paths_and_bad_offsets(server, query, status):
    answer = ask(f"{server}doc?{query}")
    assert answer[0] == status and len(answer[2].strip().splitlines()) == 1, answer


def test_the_query_page_runs_a_query_offers_downloads_and_the_named_queries(server):
    status, _, page = ask(f"{server}query?{urllib.parse.urlencode({'query': CSPIA})}")
    assert status == 200 and "<td>ogr:cspia</td>" in page and "1 row(s)" in page
    downloads = [link.replace("&amp;", "&") for link in re.findall(r'href="(/sparql\?[^"]+)"', page)]
    assert len(downloads) == 4
    for link in downloads:
        answer = ask(server.rstrip("/") + link)
        assert answer[0] == 200 and "cspia" in answer[2], answer
    _, _, example = ask(f"{server}query?example=duties-of")
    assert "SELECT DISTINCT ?no ?duty" in example and 'href="/query?example=timeline"' in example


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("CLEAR ALL", 403, "read-only"),
        ("SELECT * WHERE {", 400, "SPARQL syntax error"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }", 403, "never reaches the network"),
    ],
)
def test_the_query_page_says_why_it_refuses(server, query, status, says):
    answer = ask(f"{server}query?{urllib.parse.urlencode({'query': query})}")
    assert answer[0] == status and says in answer[2]


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("graph?iri=https%3A%2F%2Fw3id.org%2Forggraph%2Fid%2Fcspia", "中国安全防范产品行业协会"),
        ("graph?iri=https%3A%2F%2Fw3id.org%2Forggraph%2Fid%2Fcspia&depth=2", "中国安全防范产品行业协会"),
        ("timeline?iri=https%3A%2F%2Fw3id.org%2Forggraph%2Fid%2Fcspia", "全国安防行业协会会长、秘书长座谈会"),
        ("matrix", "political-guidance"),
        ("matrix?rows=type&columns=year", "2023"),
    ],
)
def test_the_graph_timeline_and_matrix_views_are_served(server, path, says):
    status, kind, page = ask(f"{server}{path}")
    assert status == 200 and kind.startswith("text/html") and says in page
    assert "http://" not in page.split("<body", 1)[0].replace("http://www.w3.org", "")  # no outside asset in <head>


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("graph?iri=urn:nothing", 404),
        ("graph?iri=not-an-iri", 400),
        ("graph?iri=https%3A%2F%2Fw3id.org%2Forggraph%2Fid%2Fcspia&depth=9", 400),
        ("timeline", 400),
        ("matrix?rows=people", 400),
    ],
)
def test_views_refuse_what_they_cannot_show(server, path, status):
    assert ask(f"{server}{path}")[0] == status


def test_an_organisation_page_leads_to_its_meetings(server):
    _, _, page = ask(f"{server}org?{urllib.parse.urlencode({'iri': 'https://w3id.org/orggraph/id/cspia'})}")
    link = re.search(r'href="(/meeting\?iri=[^"]+)"', page)
    assert link
    status, _, meeting = ask(server.rstrip("/") + link.group(1).replace("&amp;", "&"))
    assert status == 200 and "<h2>Attendees</h2>" in meeting and "<h2>Duties assigned</h2>" in meeting
    assert ask(f"{server}meeting?iri=https%3A%2F%2Fw3id.org%2Forggraph%2Fid%2Fcspia")[0] == 404
    assert ask(f"{server}meeting?iri=x")[0] == 400


def test_a_slow_client_gets_408_and_the_server_answers_on():
    with running("--request-timeout", "1") as (url, _):
        parts = urllib.parse.urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as slow:
            slow.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK {"
            )
            received = b""
            while b"\r\n\r\n" not in received or not received.split(b"\r\n\r\n", 1)[1]:
                chunk = slow.recv(4096)  # the headers and the body may come in two parts
                if not chunk:
                    break
                received += chunk
            answer = received.decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 408") and "did not arrive within 1 s" in answer
        assert get(url, "ASK {}")[0] == 200


def test_answers_on_a_kept_alive_connection_are_not_held_back():
    # without TCP_NODELAY every request after the first on one connection waited ~40 ms for the
    # client's delayed ACK; accepted connections inherit the option from the listener
    from orggraph.web.server import listen

    listener = listen("127.0.0.1", 0)
    with listener, socket.create_connection(listener.getsockname()[:2]):
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
