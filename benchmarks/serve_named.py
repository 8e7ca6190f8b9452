"""The named queries through `orggraph serve`'s endpoint against the same text run in-process,
one request at a time, on one store: what a request adds to a query, and for which queries the
endpoint stays within 1.3× of in-process.

Run:  python benchmarks/serve_named.py STORE [REPEATS] [NAME,NAME…] [--run]   (default 30 rounds, every query)
STORE is an Oxigraph store filled by `orggraph load` (e.g. the 100,000 organisations of
`benchmarks/stores.py`). Each named query is sent as the text `orggraph run` gives Oxigraph, its
parameters written in the variables' places (hand-made plans cannot travel over the protocol,
so both sides run Oxigraph's own plan). The client keeps its connection alive, as `requests.Session` or any
pipeline does; a first request on a new connection costs about 0.3 ms more. The in-process side
is `query_output(graph, text, "json", limit=MAX_ROWS)` on the same store, opened read-only
beside the server; the endpoint side is the whole round trip. The floor is the same request to
`http_floor.py`, the same stack answering as many bytes without doing anything: what HTTP costs
here, whoever serves it. "orggraph adds" is the endpoint less the query and the floor. A query
the endpoint stops at its deadline (408) is listed after the table, and the run goes on.

With --run, each named query is asked by name at the server's `/run/NAME?PARAMETER=VALUE`, which
runs it as `orggraph run` does (names resolved, hand-made plans, the store's own dataset), and
the in-process side is `named_query_output(graph, NAME, parameters, "json", limit=MAX_ROWS)`.
"""

from __future__ import annotations

import http.client
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

MAX_ROWS = 10_000
TIMEOUT = 300  # seconds: the slowest named query on Oxigraph's own plan takes about a minute here
ORG = "https://w3id.org/orggraph/id/bench-org-{}"


def main(argv: list[str]) -> None:
    by_name = "--run" in argv
    argv = [word for word in argv if word != "--run"]
    store = argv[0]
    repeats = int(argv[1]) if len(argv) > 1 else 30
    chosen = set(argv[2].split(",")) if len(argv) > 2 else None
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from rdflib import URIRef

    from orggraph.graph.named_queries import named_query_output
    from orggraph.graph.query_files import LITERAL_KINDS, list_named_queries, literal_bindings
    from orggraph.graph.results import query_output
    from orggraph.store.backends import open_graph
    from orggraph.store.sparql_text import bind_in_text, inline_values, with_prefixes

    graph = open_graph(f"oxigraph:{store}")
    meeting = _first(graph, "SELECT ?m WHERE { ?m a og:Meeting } LIMIT 1")
    duty = _first(
        graph, 'SELECT ?l WHERE { ?d a og:Duty ; skos:prefLabel ?l FILTER(langMatches(lang(?l), "zh-Hans")) } LIMIT 1'
    )
    values = {"org": ORG.format(42), "meeting": meeting, "of": ORG.format(42), "topic": duty[:2] if duty else None}
    texts = {}
    given: dict[str, dict[str, str]] = {}
    for query in list_named_queries():
        if chosen is not None and query.name not in chosen:
            continue
        if any(p.required and not values.get(p.name) for p in query.parameters):
            continue
        bindings: dict[str, object] = {}
        given[query.name] = {p.name: values[p.name] for p in query.parameters if values.get(p.name)}
        for parameter in query.parameters:
            raw = values.get(parameter.name)
            if raw is None:
                continue
            if parameter.kind in LITERAL_KINDS:
                bindings |= literal_bindings(parameter, raw) or {}
            else:
                bindings[parameter.name] = URIRef(raw)
        # as `orggraph run` writes it for Oxigraph: the values in the variables' places
        text, _ = with_prefixes(query.text)
        bound = None if query.values_block or not bindings else bind_in_text(text, bindings)
        texts[query.name] = bound or (inline_values(text, bindings, query.name) if bindings else text)

    command = [sys.executable, "-m", "orggraph", "serve", "--store", f"oxigraph:{store}", "--port", "0"]
    command += ["--workers", "1", "--max-rows", str(MAX_ROWS), "--timeout", str(TIMEOUT)]
    servers = [_start(command), _start([sys.executable, str(Path(__file__).with_name("http_floor.py"))])]
    endpoint, floor = (_Client(url) for _, url in servers)

    rows = []
    refused: list[tuple[str, float, str]] = []  # a query the endpoint stopped: the run goes on
    try:
        for name, text in texts.items():
            path = "/sparql?" + urllib.parse.urlencode({"query": text})
            if by_name:
                path = f"/run/{name}?" + urllib.parse.urlencode(given[name])
            timings: dict[str, list[float]] = {"inside": [], "endpoint": [], "floor": []}
            for round_ in range(repeats):  # alternate, so that every side meets the same machine
                start = time.perf_counter()
                if by_name:
                    output = named_query_output(graph, name, given[name], "json", limit=MAX_ROWS)
                else:
                    output = query_output(graph, text, "json", limit=MAX_ROWS)
                timings["inside"].append(time.perf_counter() - start)
                size = len(output.encode("utf-8"))
                try:
                    timings["endpoint"].append(endpoint.ask(path))
                except _Refused as error:
                    refused.append((name, timings["inside"][-1] * 1000, str(error)))
                    break
                floor_path = "/sparql?" + urllib.parse.urlencode({"size": size, "query": text})
                timings["floor"].append(floor.ask(floor_path))
                if round_ == 2 and min(timings["inside"]) > 0.2:
                    break  # a slow query: three rounds say enough
            if not timings["endpoint"]:
                continue
            medians = {side: statistics.median(values) * 1000 for side, values in timings.items()}
            rows.append((name, size, medians))
            print(name, f"{medians['inside']:.2f} ms in-process", file=sys.stderr)
    finally:
        for client in (endpoint, floor):
            client.connection.close()
        for process, _ in servers:
            process.terminate()
            process.wait()

    asked = "by name at /run/NAME" if by_name else "as SPARQL at /sparql"
    print(f"Measured {time.strftime('%Y-%m-%d')}: {store}, {asked}, median of {repeats}, one request at a time.\n")
    print(
        "| named query | answer bytes | in-process ms | endpoint ms | endpoint / in-process "
        "| HTTP floor ms | orggraph adds ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, size, m in sorted(rows, key=lambda row: row[2]["inside"]):
        ratio = m["endpoint"] / m["inside"]
        own = m["endpoint"] - m["inside"] - m["floor"]
        cells = [name, size, f"{m['inside']:.2f}", f"{m['endpoint']:.2f}", f"{ratio:.2f}", f"{m['floor']:.2f}"]
        print("| " + " | ".join(map(str, cells)) + f" | {own:.2f} |")
    for name, inside, why in refused:
        print(f"\nNot answered through the endpoint: {name} ({inside:.0f} ms in-process): {why}")


def _start(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    found = re.search(r"Serving on (http://[\d.]+:\d+)/ ", process.stderr.readline())
    assert found, f"{command[1:3]} did not start"
    return process, found.group(1)


class _Refused(Exception):
    """The endpoint answered with an error status (a query past the server's deadline: 408)."""


class _Client:
    """One kept-alive connection, as `requests.Session` or any pipeline keeps one."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port)

    def ask(self, path: str) -> float:
        """Seconds for one answer (the connection reopened, untimed, when the server closed it)."""
        for attempt in (1, 2):
            start = time.perf_counter()
            try:
                self.connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                answer = self.connection.getresponse()
                body = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # idle past the server's keep-alive while the other sides ran
                if attempt == 2:
                    raise
                self.connection.connect()
                continue
            if answer.status != 200:
                raise _Refused(f"{answer.status} {body.decode('utf-8', 'replace').strip()[:200]}")
            return time.perf_counter() - start
        raise AssertionError("unreachable")


def _first(graph, text: str) -> str | None:
    from orggraph.graph.results import query_output

    lines = query_output(graph, text, "csv").splitlines()
    return lines[1] if len(lines) > 1 else None


if __name__ == "__main__":
    main(sys.argv[1:])
